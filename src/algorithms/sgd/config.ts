/**
 * Config fields shared by the SGD models (svd, svdpp, bpr): one definition
 * each, with the default passed in by the model so every model documents its
 * own measured defaults.
 */
import { z } from "zod";
import { SCHEDULES } from "./schedule.js";

const positive = (max: number) => z.number().gt(0, "must be greater than 0").max(max, `must be at most ${max}`);
const nonNegative = (max: number) => z.number().min(0, "must be at least 0").max(max, `must be at most ${max}`);
const int = (min: number, max: number) =>
  z.number().int("must be an integer").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

export const fields = {
  factors: (d: number) => int(1, 1024).default(d).describe("k: latent factors per customer and per item"),
  epochs: (d: number) =>
    int(1, 10_000).default(d).describe("passes over the training data (the most, when early stopping may stop sooner)"),
  learningRate: (d: number) =>
    positive(1).default(d).describe("γ: SGD step size for the factors (at epoch 0, before the schedule)"),
  biasLearningRate: (d: number) => positive(1).default(d).describe("γ_b: SGD step size for the biases"),
  regularization: (d: number) => nonNegative(10).default(d).describe("λ: L2 penalty on the factors, per step"),
  biasRegularization: (d: number) => nonNegative(10).default(d).describe("λ_b: L2 penalty on the biases, per step"),
  initStd: (d: number) =>
    nonNegative(10).default(d).describe("standard deviation of the normal initial factors (mean 0)"),
  schedule: (d: (typeof SCHEDULES)[number]) =>
    z
      .enum(SCHEDULES)
      .default(d)
      .describe(
        'learning-rate schedule: "constant"; "exponential" (γ·decay^epoch); "bold-driver" (×1.05 after an epoch that lowered the training loss, ×decay after one that raised it; Battiti 1989)',
      ),
  decay: (d: number) =>
    z
      .number()
      .gt(0, "must be greater than 0")
      .max(1, "must be at most 1")
      .default(d)
      .describe("the schedule's factor (exponential: per epoch; bold-driver: after a worse epoch)"),
  validationFraction: (d: number) =>
    z
      .number()
      .min(0, "must be at least 0")
      .max(0.5, "must be at most 0.5")
      .default(d)
      .describe(
        "share of the training ratings held out to choose the number of epochs (early stopping); 0 runs exactly `epochs`",
      ),
  patience: (d: number) =>
    int(1, 1000).default(d).describe("early stopping: epochs without a better validation error before stopping"),
  refit: (d: boolean) =>
    z
      .boolean()
      .default(d)
      .describe(
        "after early stopping, fit again on all the training data for the best number of epochs (true), or keep the best epoch's model fitted without the held-out slice (false)",
      ),
  foldInEpochs: (d: number) =>
    int(0, 1000).default(d).describe("fold-in: SGD passes over a customer's new history with the item factors fixed"),
  kernel: () =>
    z
      .enum(["auto", "wasm", "js"])
      .default("auto")
      .describe('SGD kernels: "wasm" (128-bit SIMD WebAssembly), "js" (TypeScript), "auto" (wasm when available)'),
};

/** Weights of implicit evidence per event type (SVD++'s N(u); BPR's positives). */
export function weightsSchema<K extends string>(defaults: Readonly<Record<K, number>>, what: string) {
  const shape = {} as Record<K, z.ZodDefault<z.ZodNumber>>;
  for (const [type, d] of Object.entries(defaults) as Array<[K, number]>) {
    shape[type] = nonNegative(1000).default(d).describe(`weight of a ${type} ${what}`);
  }
  return z
    .strictObject(shape)
    .default(defaults as never)
    .describe(`weight per event type ${what} (0 leaves a type out)`);
}
