/**
 * The engine's options (the `Kindred` facade's second argument), validated
 * once with defaults filled in.
 */
import { z } from "zod";
import { parseWith } from "../core/validate.js";

export interface KindredOptions {
  /** Fallback chain when no algorithm is asked for; default ["item-knn", "popular"]. "popular" is always last. */
  chain?: string[];
  /** Per-algorithm config overrides (else tuned settings stored under `params.<kind>`, else defaults). */
  params?: Record<string, Record<string, unknown>>;
  /** Default channel for events without one (default "api"). */
  channel?: string;
  /** Seed of every fit (default 42). */
  seed?: number;
  retrain?: {
    /** Refit a model when this many events arrived since its data (default 5000). */
    everyEvents?: number;
    /**
     * Refit stale models in a background worker while answering with the current one (default true).
     * One-shot processes (a CLI command) pass false: they answer with the stored model and never start a
     * refit they would kill on exit. A missing model is always fitted before the first answer.
     */
    background?: boolean;
    /** How often (ms) to look for events and models written by other processes (default 5000). */
    pollMs?: number;
  };
  /**
   * Weights of implicit events when they are folded in as Query.feedback (per unit: a purchase of 3 counts
   * 3 × purchase). Defaults: purchase 1, like 1, view 0.2, dislike -1.
   */
  feedbackWeights?: { purchase?: number; view?: number; like?: number; dislike?: number };
}

export interface ResolvedOptions {
  readonly chain: readonly string[];
  readonly params: Readonly<Record<string, Record<string, unknown>>>;
  readonly channel: string;
  readonly seed: number;
  readonly everyEvents: number;
  readonly background: boolean;
  readonly pollMs: number;
  readonly feedbackWeights: Readonly<{ purchase: number; view: number; like: number; dislike: number }>;
}

const weight = z.number().finite();
const optionsSchema = z.object({
  chain: z.array(z.string().trim().min(1)).min(1, "must name at least one algorithm").default(["item-knn", "popular"]),
  params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  channel: z.string().trim().min(1).max(128).default("api"),
  seed: z.number().int().default(42),
  retrain: z
    .object({
      everyEvents: z.number().int().positive("must be a positive number of events").default(5000),
      background: z.boolean().default(true),
      pollMs: z.number().int().nonnegative().default(5000),
    })
    .default({ everyEvents: 5000, background: true, pollMs: 5000 }),
  feedbackWeights: z
    .object({
      purchase: weight.default(1),
      view: weight.default(0.2),
      like: weight.default(1),
      dislike: weight.default(-1),
    })
    .default({ purchase: 1, view: 0.2, like: 1, dislike: -1 }),
});

export function resolveOptions(options: KindredOptions = {}): ResolvedOptions {
  const o = parseWith(optionsSchema, options, "options");
  const chain = o.chain.filter((kind) => kind !== "popular");
  return {
    chain: [...chain, "popular"],
    params: o.params,
    channel: o.channel,
    seed: o.seed,
    everyEvents: o.retrain.everyEvents,
    background: o.retrain.background,
    pollMs: o.retrain.pollMs,
    feedbackWeights: o.feedbackWeights,
  };
}

/** The chain for one query: the asked-for algorithm first, then the configured chain, "popular" last. */
export function chainFor(options: ResolvedOptions, algorithm?: string): string[] {
  if (algorithm === undefined) return [...options.chain];
  if (algorithm === "popular") return ["popular"];
  return [algorithm, ...options.chain.filter((kind) => kind !== algorithm)];
}
