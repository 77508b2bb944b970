/**
 * The engine's options (the `Kindred` facade's second argument), validated
 * once with defaults filled in.
 *
 * Two default fallback chains, chosen by measurement:
 * - `recommend` ranks, so the best top-N model of the registry heads it: ials.
 *   NDCG@10 in a cross-validation inside ml-100k u1.base (knn.tuning.md): ials
 *   0.316, ease 0.309, bpr 0.294, item-cf 0.294, popularity 0.166, item-knn
 *   0.046; on the official folds (accuracy.md) ease 0.475, ials 0.471, item-cf
 *   0.437, bpr 0.434; on ml-latest-small item-cf 0.342, ials 0.340, bpr 0.274,
 *   ease impractical (its fit is cubic in the items). Then item-cf (linear
 *   memory, fitted in a second), then popular;
 * - `predict` (predict(), styles()) answers on the rating scale, so rating
 *   models only: item-knn (its explanations name the customer's own ratings),
 *   then the baseline where it cannot vote, then popular.
 * The older single `chain` option still works: given alone, it is both chains.
 */
import { z } from "zod";
import { parseWith } from "../core/validate.js";

/** The default chains (see the file comment); "popular" always ends a chain. */
export const DEFAULT_CHAINS: Readonly<{ recommend: readonly string[]; predict: readonly string[] }> = {
  recommend: ["ials", "item-cf", "popular"],
  predict: ["item-knn", "baseline", "popular"],
};

export type ChainPurpose = keyof typeof DEFAULT_CHAINS;

export interface KindredOptions {
  /**
   * One fallback chain for every query when no algorithm is asked for (kept for compatibility): it is the
   * default of both `chains.recommend` and `chains.predict`. "popular" is always last.
   */
  chain?: string[];
  /**
   * Fallback chains by purpose: `recommend` (ranking; default ials → item-cf → popular) and `predict`
   * (predict() and styles(), rating predictions; default item-knn → baseline → popular). Each defaults to
   * `chain` when that is given, else to DEFAULT_CHAINS.
   */
  chains?: { recommend?: string[]; predict?: string[] };
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
  /** Every algorithm the default chains use, the recommend chain's first, "popular" last (what `train` fits). */
  readonly chain: readonly string[];
  readonly chains: Readonly<Record<ChainPurpose, readonly string[]>>;
  readonly params: Readonly<Record<string, Record<string, unknown>>>;
  readonly channel: string;
  readonly seed: number;
  readonly everyEvents: number;
  readonly background: boolean;
  readonly pollMs: number;
  readonly feedbackWeights: Readonly<{ purchase: number; view: number; like: number; dislike: number }>;
}

const weight = z.number().finite();
const chainSchema = z.array(z.string().trim().min(1)).min(1, "must name at least one algorithm");
const optionsSchema = z.object({
  chain: chainSchema.optional(),
  chains: z.strictObject({ recommend: chainSchema.optional(), predict: chainSchema.optional() }).default({}),
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

/** The chain without duplicates, "popular" moved to the end. */
function withPopularLast(kinds: readonly string[]): string[] {
  return [...new Set(kinds.filter((kind) => kind !== "popular")), "popular"];
}

export function resolveOptions(options: KindredOptions = {}): ResolvedOptions {
  const o = parseWith(optionsSchema, options, "options");
  const chains = {
    recommend: withPopularLast(o.chains.recommend ?? o.chain ?? DEFAULT_CHAINS.recommend),
    predict: withPopularLast(o.chains.predict ?? o.chain ?? DEFAULT_CHAINS.predict),
  };
  return {
    chain: withPopularLast([...chains.recommend, ...chains.predict]),
    chains,
    params: o.params,
    channel: o.channel,
    seed: o.seed,
    everyEvents: o.retrain.everyEvents,
    background: o.retrain.background,
    pollMs: o.retrain.pollMs,
    feedbackWeights: o.feedbackWeights,
  };
}

/**
 * The chain for one query: the asked-for algorithm first, then the configured chain for the purpose
 * (recommend: ranking; predict: ratings, also styles), "popular" last.
 */
export function chainFor(options: ResolvedOptions, algorithm?: string, purpose: ChainPurpose = "predict"): string[] {
  const chain = options.chains[purpose];
  if (algorithm === undefined) return [...chain];
  if (algorithm === "popular") return ["popular"];
  return [algorithm, ...chain.filter((kind) => kind !== algorithm)];
}
