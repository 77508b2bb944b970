/**
 * `slope-one`: weighted Slope One (Lemire & Maclachlan 2005, "Slope One
 * predictors for online rating-based collaborative filtering", SDM, §4):
 *   dev(j,i) = Σ_{u∈S(j,i)} (r_uj − r_ui) / c(j,i),   c(j,i) = |S(j,i)|,
 *   r̂(u,j) = Σ_{i∈R(u), i≠j} (dev(j,i) + r_ui)·c(j,i) / Σ_{i∈R(u), i≠j} c(j,i),
 * S(j,i) the customers who rated both. The deviations are stored sparse, one
 * row per item (only co-rated pairs, at least `minSupport` of them), so
 * memory follows the co-rating pairs, not items².
 *
 * Scores use the query's ratings directly, so a new rating counts at once (no
 * fold-in step needed); NaN when no item the customer rated was co-rated
 * with the target. Explain: the customer's items i with the largest share
 * (dev(j,i) + r_ui)·c(j,i) / Σc of the prediction.
 *
 * Cost: fit O(Σ_u |R(u)|²) time, O(pairs) memory (refused with TOO_LARGE past
 * `maxPairs`); score O(min(Σ_{targets} |row j|, Σ_{i∈R(u)} |row i|)).
 */
import { z } from "zod";
import type { Csr } from "../core/csr.js";
import type { Dataset } from "../core/dataset.js";
import { KindredError } from "../core/errors.js";
import type { ModelSnapshot } from "../core/snapshot.js";
import { parseWith } from "../core/validate.js";
import { fitted, secondsSince, throwIfAborted } from "./classic/fit-guard.js";
import { isKnownItem, queryRatings, scoresBuffer } from "./classic/query-ratings.js";
import { checkSnapshot, snapshotArray, snapshotNumber } from "./classic/snapshot-io.js";
import type { Explanation, FitOptions, FitReport, Query, Recommender } from "./recommender.js";
import type { AlgorithmDefinition } from "./registry.js";
import { topEvidence } from "./sgd/factor-similarity.js";

const KIND = "slope-one";
const VERSION = 1;

export const slopeOneConfigSchema = z.strictObject({
  minSupport: z
    .number()
    .int("must be an integer")
    .min(1, "must be at least 1")
    .max(100_000, "must be at most 100000")
    .default(1)
    .describe("pairs of items co-rated by fewer customers are dropped (1 keeps all, as in the paper)"),
  maxPairs: z
    .number()
    .int("must be an integer")
    .min(1, "must be at least 1")
    .max(2_000_000_000, "must be at most 2e9")
    .default(100_000_000)
    .describe("the most item pairs to store (12 bytes each); a bigger catalogue is refused with TOO_LARGE"),
});
export type SlopeOneConfig = z.output<typeof slopeOneConfigSchema>;

/** Catalogues up to this many item pairs also keep dense n×n copies (8 bytes a pair: 32 MB at 2,048 items). */
const DENSE_CELLS = 2048 * 2048;

interface Dense {
  readonly dev: Float32Array;
  readonly count: Float32Array;
}

interface SlopeOneState {
  /** dev and c as n×n matrices (0 where not co-rated), for small catalogues: a target costs O(|R(u)|). */
  readonly dense: Dense | null;
  /** Row j: the items i co-rated with j, dev(j,i) and c(j,i). */
  readonly pairs: {
    readonly indptr: Int32Array;
    readonly indices: Int32Array;
    readonly dev: Float32Array;
    readonly count: Int32Array;
  };
  readonly ratings: Csr;
  readonly scaleMin: number;
  readonly scaleMax: number;
}

/** Deviations row by row: for item j, over its raters u, over u's items i. O(Σ_u |R(u)|²). */
export function deviations(data: Dataset, config: SlopeOneConfig, signal: AbortSignal | undefined) {
  const { ratings, ratingsByItem: byItem } = data;
  const items = data.itemCount;
  const sum = new Float64Array(items);
  const cnt = new Int32Array(items);
  const touched = new Int32Array(items);
  const indptr = new Int32Array(items + 1);
  let indices = new Int32Array(1024);
  let dev = new Float32Array(1024);
  let count = new Int32Array(1024);
  let total = 0;
  for (let j = 0; j < items; j++) {
    if ((j & 255) === 0) throwIfAborted(signal, KIND);
    let n = 0;
    for (let p = byItem.indptr[j]!; p < byItem.indptr[j + 1]!; p++) {
      const u = byItem.indices[p]!;
      const ruj = byItem.values[p]!;
      for (let q = ratings.indptr[u]!; q < ratings.indptr[u + 1]!; q++) {
        const i = ratings.indices[q]!;
        if (i === j) continue;
        if (cnt[i] === 0) touched[n++] = i;
        sum[i] = sum[i]! + ruj - ratings.values[q]!;
        cnt[i]!++;
      }
    }
    touched.subarray(0, n).sort();
    for (let t = 0; t < n; t++) {
      const i = touched[t]!;
      if (cnt[i]! >= config.minSupport) {
        if (total === indices.length) {
          if (total >= config.maxPairs) {
            throw new KindredError(
              "TOO_LARGE",
              `slope-one: more than ${config.maxPairs} co-rated item pairs (params.slope-one.maxPairs); use item-knn for a catalogue this size`,
              { field: "params.slope-one.maxPairs" },
            );
          }
          const grow = Math.min(config.maxPairs, total * 2);
          indices = resize(indices, grow);
          dev = resize(dev, grow);
          count = resize(count, grow);
        }
        indices[total] = i;
        dev[total] = sum[i]! / cnt[i]!;
        count[total++] = cnt[i]!;
      }
      sum[i] = 0;
      cnt[i] = 0;
    }
    indptr[j + 1] = total;
  }
  return { indptr, indices: indices.slice(0, total), dev: dev.slice(0, total), count: count.slice(0, total) };
}

/** Dense copies of the sparse pairs, or null for a catalogue above DENSE_CELLS. */
export function densify(pairs: SlopeOneState["pairs"], n: number): Dense | null {
  if (n * n > DENSE_CELLS) return null;
  const dev = new Float32Array(n * n);
  const count = new Float32Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let p = pairs.indptr[j]!; p < pairs.indptr[j + 1]!; p++) {
      dev[j * n + pairs.indices[p]!] = pairs.dev[p]!;
      count[j * n + pairs.indices[p]!] = pairs.count[p]!;
    }
  }
  return { dev, count };
}

function resize<T extends Int32Array | Float32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

type Own = { readonly items: Int32Array; readonly values: Float32Array };

/** Σ (dev(j,i) + r_ui)·c(j,i) and Σ c(j,i) per target j, from the dense matrices: O(|targets|·|R(u)|). */
export function denseScores(
  dense: Dense,
  n: number,
  own: Own,
  items: Int32Array,
  num: Float64Array,
  den: Float64Array,
) {
  const { dev, count } = dense;
  for (const j of items) {
    if (!isKnownItem(j, n)) continue;
    let a = 0;
    let b = 0;
    const row = j * n;
    // No branch: where i was not co-rated with j, c = 0 and dev = 0, so the terms add exact zeros (no bit
    // changes) and the loop runs without mispredictions (about three times faster on ml-100k).
    for (let t = 0; t < own.items.length; t++) {
      const at = row + own.items[t]!;
      const c = count[at]!;
      a += (dev[at]! + own.values[t]!) * c;
      b += c;
    }
    num[j] = a;
    den[j] = b;
  }
}

/**
 * The same sums from the sparse rows: pull (scan each target's row) or push (scan each rated item's row,
 * using dev(j,i) = −dev(i,j), c(j,i) = c(i,j)), whichever reads fewer pairs.
 */
export function sparseScores(
  pairs: SlopeOneState["pairs"],
  n: number,
  own: Own,
  items: Int32Array,
  num: Float64Array,
  den: Float64Array,
) {
  const { indptr, indices, dev, count } = pairs;
  let pull = 0;
  let push = 0;
  for (const j of items) if (isKnownItem(j, n)) pull += indptr[j + 1]! - indptr[j]!;
  for (const i of own.items) push += indptr[i + 1]! - indptr[i]!;
  if (pull <= push) {
    const rated = new Float64Array(n).fill(Number.NaN);
    for (let t = 0; t < own.items.length; t++) rated[own.items[t]!] = own.values[t]!;
    for (const j of items) {
      if (!isKnownItem(j, n)) continue;
      let a = 0;
      let b = 0;
      for (let p = indptr[j]!; p < indptr[j + 1]!; p++) {
        const r = rated[indices[p]!]!;
        if (!Number.isNaN(r)) {
          a += (dev[p]! + r) * count[p]!;
          b += count[p]!;
        }
      }
      num[j] = a;
      den[j] = b;
    }
    return;
  }
  for (let t = 0; t < own.items.length; t++) {
    const i = own.items[t]!;
    const r = own.values[t]!;
    for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
      const j = indices[p]!;
      num[j] = num[j]! + (r - dev[p]!) * count[p]!;
      den[j] = den[j]! + count[p]!;
    }
  }
}

export class SlopeOne implements Recommender<SlopeOneConfig> {
  readonly kind = KIND;
  private num = new Float64Array(0);
  private den = new Float64Array(0);

  constructor(
    readonly config: Readonly<SlopeOneConfig>,
    private state: SlopeOneState | null = null,
  ) {}

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    const start = performance.now();
    throwIfAborted(options.signal, KIND);
    const pairs = deviations(data, this.config, options.signal);
    this.state = {
      dense: densify(pairs, data.itemCount),
      pairs,
      ratings: data.ratings,
      scaleMin: data.scale.min,
      scaleMax: data.scale.max,
    };
    return { seconds: secondsSince(start), details: { pairs: pairs.indices.length } };
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const s = fitted(this.state, KIND);
    const scores = scoresBuffer(items.length, out);
    const own = queryRatings(query, s.ratings);
    if (own === null || own.items.length === 0) return scores.fill(Number.NaN);
    const n = s.ratings.cols;
    // Per-item sums in scratch kept between calls (allocating two catalogue-sized arrays per customer cost
    // as much as the sums when predicting a few ratings each); the sparse push accumulates, so it starts at 0.
    if (this.num.length !== n) {
      this.num = new Float64Array(n);
      this.den = new Float64Array(n);
    }
    const { num, den } = this;
    if (s.dense !== null) denseScores(s.dense, n, own, items, num, den);
    else {
      num.fill(0);
      den.fill(0);
      sparseScores(s.pairs, n, own, items, num, den);
    }
    for (let t = 0; t < items.length; t++) {
      const j = items[t]!;
      const d = isKnownItem(j, n) ? den[j]! : 0;
      scores[t] = d > 0 ? Math.min(s.scaleMax, Math.max(s.scaleMin, num[j]! / d)) : Number.NaN;
    }
    return scores;
  }

  explain(query: Query, item: number): Explanation {
    const s = fitted(this.state, KIND);
    const candidates: number[] = [];
    const values: number[] = [];
    const weights: number[] = [];
    const own = queryRatings(query, s.ratings);
    if (own !== null && isKnownItem(item, s.ratings.cols)) {
      const rated = new Map<number, number>();
      for (let t = 0; t < own.items.length; t++) rated.set(own.items[t]!, own.values[t]!);
      const { indptr, indices, dev, count } = s.pairs;
      let total = 0;
      for (let p = indptr[item]!; p < indptr[item + 1]!; p++) if (rated.has(indices[p]!)) total += count[p]!;
      for (let p = indptr[item]!; p < indptr[item + 1]!; p++) {
        const r = rated.get(indices[p]!);
        if (r === undefined) continue;
        candidates.push(indices[p]!);
        values.push(r);
        weights.push(((dev[p]! + r) * count[p]!) / total);
      }
    }
    return topEvidence(candidates, values, weights, 10);
  }

  snapshot(): ModelSnapshot {
    const s = fitted(this.state, KIND);
    return {
      kind: KIND,
      version: VERSION,
      config: { ...this.config },
      meta: { users: s.ratings.rows, items: s.ratings.cols, scaleMin: s.scaleMin, scaleMax: s.scaleMax },
      arrays: {
        pairsIndptr: s.pairs.indptr,
        pairsIndices: s.pairs.indices,
        pairsDev: s.pairs.dev,
        pairsCount: s.pairs.count,
        ratingsIndptr: s.ratings.indptr,
        ratingsIndices: s.ratings.indices,
        ratingsValues: s.ratings.values,
      },
    };
  }
}

export const slopeOneDefinition: AlgorithmDefinition<SlopeOneConfig> = {
  kind: KIND,
  summary: "Weighted Slope One (Lemire & Maclachlan 2005): average rating deviations between co-rated items",
  task: "rating",
  configSchema: slopeOneConfigSchema,
  searchSpace: { minSupport: { type: "int", low: 1, high: 20, log: true } },
  create: (config) => new SlopeOne(config),
  restore(snapshot) {
    checkSnapshot(snapshot, KIND, VERSION);
    const config = parseWith(slopeOneConfigSchema, snapshot.config, "snapshot.config");
    const users = snapshotNumber(snapshot, "users");
    const items = snapshotNumber(snapshot, "items");
    const indptr = snapshotArray(snapshot, "pairsIndptr", Int32Array, items + 1);
    const ratingsIndptr = snapshotArray(snapshot, "ratingsIndptr", Int32Array, users + 1);
    const pairCount = indptr[items]!;
    const rated = ratingsIndptr[users]!;
    const pairs = {
      indptr,
      indices: snapshotArray(snapshot, "pairsIndices", Int32Array, pairCount),
      dev: snapshotArray(snapshot, "pairsDev", Float32Array, pairCount),
      count: snapshotArray(snapshot, "pairsCount", Int32Array, pairCount),
    };
    return new SlopeOne(config, {
      dense: densify(pairs, items),
      pairs,
      ratings: {
        rows: users,
        cols: items,
        indptr: ratingsIndptr,
        indices: snapshotArray(snapshot, "ratingsIndices", Int32Array, rated),
        values: snapshotArray(snapshot, "ratingsValues", Float32Array, rated),
      },
      scaleMin: snapshotNumber(snapshot, "scaleMin"),
      scaleMax: snapshotNumber(snapshot, "scaleMax"),
    });
  },
};
