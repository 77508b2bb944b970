/**
 * Popularity: the non-personalised model every fallback chain ends with.
 *
 * For item i with n_i ratings summing to s_i, the damped (Bayesian) mean
 *   d_i = (s_i + m·μ) / (n_i + m)
 * shrinks the average of rarely rated items towards the global mean μ (the
 * Bayesian average of IMDb's top lists; LensKit's damped item bias). With
 * `rankBy: "damped-mean"` the score is d_i, a rating on the scale, so a
 * predict() that falls back to it stays meaningful; with `rankBy: "count"`
 * the score is c_i, the number of customers with any positive evidence on i
 * (a rating, purchase, view or like), which suits purchase-only businesses.
 * The score ignores the query: new customers get it too.
 *
 * Cost: fit O(nnz + users + items); score O(1) per item.
 */
import { z } from "zod";
import type { Csr } from "../core/csr.js";
import type { Dataset } from "../core/dataset.js";
import type { ModelSnapshot } from "../core/snapshot.js";
import { parseWith } from "../core/validate.js";
import { fitted, secondsSince, throwIfAborted } from "./classic/fit-guard.js";
import { isKnownItem, scoresBuffer } from "./classic/query-ratings.js";
import { checkSnapshot, snapshotArray, snapshotNumber } from "./classic/snapshot-io.js";
import type { Explanation, FitOptions, FitReport, Query, Recommender } from "./recommender.js";
import type { AlgorithmDefinition } from "./registry.js";

const KIND = "popular";
const VERSION = 1;

// damping 20 was chosen by measurement inside u1.base (5-fold CV, bench/knn.ts --tune): the best precision@10 of
// the top unseen items among the dampings whose RMSE stays within 0.02 of the best one (m = 2).
export const popularConfigSchema = z.strictObject({
  rankBy: z
    .enum(["damped-mean", "count"])
    .default("damped-mean")
    .describe(
      'What the score is: "damped-mean" (the Bayesian average rating, on the rating scale) or "count" (customers with any positive evidence on the item)',
    ),
  damping: z
    .number()
    .min(0, "must be at least 0")
    .max(1e6, "must be at most 1e6")
    .default(20)
    .describe("m: pseudo-ratings at the global mean added to every item's average (0 = the raw average)"),
});
export type PopularConfig = z.output<typeof popularConfigSchema>;

interface PopularState {
  readonly globalMean: number;
  /** Customers with any positive evidence (rating, purchase, view, like) on each item. */
  readonly count: Int32Array;
  readonly ratingCount: Int32Array;
  readonly ratingSum: Float64Array;
  /** Derived: the damped mean of each item. */
  readonly damped: Float64Array;
}

function buildState(
  config: PopularConfig,
  globalMean: number,
  count: Int32Array,
  ratingCount: Int32Array,
  ratingSum: Float64Array,
): PopularState {
  const m = config.damping;
  const damped = new Float64Array(count.length);
  for (let i = 0; i < damped.length; i++) {
    const n = ratingCount[i]!;
    // With m = 0 an unrated item has no average: fall back to μ rather than 0/0.
    damped[i] = n + m > 0 ? (ratingSum[i]! + m * globalMean) / (n + m) : globalMean;
  }
  return { globalMean, count, ratingCount, ratingSum, damped };
}

/**
 * Distinct customers per item: every rating counts, implicit feedback counts
 * when positive. A stamp per item avoids counting a customer twice.
 */
function countCustomers(ratings: Csr, feedback: readonly Csr[]): Int32Array {
  const count = new Int32Array(ratings.cols);
  const stamp = new Int32Array(ratings.cols).fill(-1);
  const mark = (m: Csr, u: number, anyValue: boolean): void => {
    for (let p = m.indptr[u]!, end = m.indptr[u + 1]!; p < end; p++) {
      const i = m.indices[p]!;
      if (stamp[i] === u || !(anyValue || m.values[p]! > 0)) continue;
      stamp[i] = u;
      count[i]!++;
    }
  };
  for (let u = 0; u < ratings.rows; u++) {
    mark(ratings, u, true);
    for (const m of feedback) mark(m, u, false);
  }
  return count;
}

export class Popular implements Recommender<PopularConfig> {
  readonly kind = KIND;
  readonly config: Readonly<PopularConfig>;
  private state: PopularState | null = null;

  constructor(config: PopularConfig, state: PopularState | null = null) {
    this.config = config;
    this.state = state;
  }

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    const start = performance.now();
    throwIfAborted(options.signal, KIND);
    const byItem = data.ratingsByItem;
    const ratingCount = new Int32Array(data.itemCount);
    const ratingSum = new Float64Array(data.itemCount);
    for (let i = 0; i < data.itemCount; i++) {
      ratingCount[i] = byItem.indptr[i + 1]! - byItem.indptr[i]!;
      let sum = 0;
      for (let p = byItem.indptr[i]!; p < byItem.indptr[i + 1]!; p++) sum += byItem.values[p]!;
      ratingSum[i] = sum;
    }
    const f = data.feedback;
    const count = countCustomers(data.ratings, [f.purchase, f.view, f.like]);
    this.state = buildState(this.config, data.globalMean, count, ratingCount, ratingSum);
    return { seconds: secondsSince(start), details: { items: data.itemCount } };
  }

  score(_query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const s = fitted(this.state, KIND);
    const scores = scoresBuffer(items.length, out);
    const byCount = this.config.rankBy === "count";
    const n = s.count.length;
    for (let k = 0; k < items.length; k++) {
      const i = items[k]!;
      scores[k] = !isKnownItem(i, n) ? Number.NaN : byCount ? s.count[i]! : s.damped[i]!;
    }
    return scores;
  }

  explain(_query: Query, item: number): Explanation {
    const s = fitted(this.state, KIND);
    if (!isKnownItem(item, s.count.length)) return { kind: "popular", count: 0, average: Number.NaN };
    const n = s.ratingCount[item]!;
    return { kind: "popular", count: s.count[item]!, average: n > 0 ? s.ratingSum[item]! / n : Number.NaN };
  }

  snapshot(): ModelSnapshot {
    const s = fitted(this.state, KIND);
    return {
      kind: KIND,
      version: VERSION,
      config: { ...this.config },
      meta: { globalMean: s.globalMean },
      arrays: { count: s.count, ratingCount: s.ratingCount, ratingSum: s.ratingSum },
    };
  }
}

export const popularDefinition: AlgorithmDefinition<PopularConfig> = {
  kind: KIND,
  summary: "Most popular items: the Bayesian (damped) average rating, or the number of customers",
  task: "rating",
  configSchema: popularConfigSchema,
  searchSpace: { damping: { type: "float", low: 0, high: 100 } },
  create: (config) => new Popular(config),
  restore(snapshot) {
    checkSnapshot(snapshot, KIND, VERSION);
    const config = parseWith(popularConfigSchema, snapshot.config, "snapshot.config");
    const count = snapshotArray(snapshot, "count", Int32Array);
    const ratingCount = snapshotArray(snapshot, "ratingCount", Int32Array, count.length);
    const ratingSum = snapshotArray(snapshot, "ratingSum", Float64Array, count.length);
    const state = buildState(config, snapshotNumber(snapshot, "globalMean"), count, ratingCount, ratingSum);
    return new Popular(config, state);
  },
};
