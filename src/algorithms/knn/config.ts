/**
 * Config fields shared by user-knn and item-knn (each validated with a
 * documented default; the defaults themselves are set per algorithm by
 * measurement, see the algorithm files). The baseline's defaults are the
 * baseline model's own.
 */
import { z } from "zod";

export const baselineOptionsSchema = z
  .strictObject({
    regUser: z.number().min(0, "must be at least 0").max(1e6).default(5).describe("λ_u of the baseline biases"),
    regItem: z.number().min(0, "must be at least 0").max(1e6).default(2).describe("λ_i of the baseline biases"),
    epochs: z.number().int("must be an integer").min(1).max(1000).default(10).describe("ALS sweeps of the biases"),
  })
  .prefault({})
  .describe("The baseline μ + b_u + b_i used for centring and for pearson-baseline (as in the baseline model)");

export const neighbourCount = (fallback: number) =>
  z
    .number()
    .int("must be an integer")
    .min(1, "must be at least 1")
    .max(10_000, "must be at most 10000")
    .default(fallback)
    .describe("k: neighbours that vote on each prediction (the k most similar who qualify)");

export const shrinkage = (fallback: number) =>
  z
    .number()
    .min(0, "must be at least 0")
    .max(1e6, "must be at most 1e6")
    .default(fallback)
    .describe("λ: similarities shrink by n/(n + λ) for n co-ratings (0 = off)");

export const significance = (fallback: number) =>
  z
    .number()
    .int("must be an integer")
    .min(0, "must be at least 0")
    .max(10_000, "must be at most 10000")
    .default(fallback)
    .describe("γ: significance weighting, similarities on fewer than γ co-ratings scale by n/γ (0 = off)");

export const minOverlap = (fallback: number) =>
  z
    .number()
    .int("must be an integer")
    .min(1, "must be at least 1")
    .max(10_000, "must be at most 10000")
    .default(fallback)
    .describe("Fewest co-ratings for a pair to count as neighbours");

export const centre = (fallback: "baseline" | "mean" | "none") =>
  z
    .enum(["baseline", "mean", "none"])
    .default(fallback)
    .describe(
      'What neighbours\' ratings deviate from: "baseline" (μ + b_u + b_i, KNNBaseline), "mean" (their mean), "none" (raw weighted average)',
    );

export const minSupport = (fallback: number) =>
  z
    .number()
    .int("must be an integer")
    .min(0, "must be at least 0")
    .max(10_000, "must be at most 10000")
    .default(fallback)
    .describe(
      "Fewest neighbours that must vote for a prediction; with fewer the model scores NaN, so the fallback chain (e.g. baseline) answers (0 = always predict: the centre alone when nobody votes)",
    );

export const supportDamping = (fallback: number) =>
  z
    .number()
    .min(0, "must be at least 0")
    .max(1e6, "must be at most 1e6")
    .default(fallback)
    .describe(
      'λ: the neighbours\' vote is Σ s·dev / (Σ s + λ), so a deviation backed by little similarity (one or two neighbours) stays near the centre (0 = the plain weighted average; not applied with center "none")',
    );
