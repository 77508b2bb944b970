/**
 * Scores over the fallback chain, in catalogue positions: the head model
 * scores every candidate it can, each next model fills the NaN holes the ones
 * before it left. Rating models' predictions are clamped to the item's own
 * domain scale. No ranking here: see rank() below and recommend.ts.
 */
import type { Query } from "../algorithms/recommender.js";
import { topK } from "../linalg/top-k.js";
import type { Catalogue } from "./catalogue.js";
import { type ModelBundle, predictsRatings } from "./model-bundle.js";

export interface ChainModel {
  readonly bundle: ModelBundle;
  readonly query: Query;
  /** Catalogue position → the model's dense item id, or -1. */
  readonly align: Int32Array;
}

export interface ChainScores {
  /** Per catalogue position; NaN where no model scored it (or it was not a candidate). */
  readonly scores: Float32Array;
  /**
   * What ranking compares: a rating prediction's place on its item's own domain scale (0 at the bottom, 1 at
   * the top, so a 6 of 7 outranks a 4 of 5 across domains), a ranking model's raw preference score.
   */
  readonly keys: Float64Array;
  /** Index in the chain of the model that scored each position, -1 for none. */
  readonly source: Int8Array;
}

/**
 * `ranking`: for recommendations. A model with its own ranking order (`Recommender.rank`, e.g. `popular`
 * ranks by how many customers chose an item while it predicts the damped mean rating) supplies the keys
 * that rank; the score shown stays its prediction.
 */
export function scoreChain(
  chain: readonly ChainModel[],
  catalogue: Catalogue,
  candidates: Int32Array,
  ranking = false,
): ChainScores {
  const scores = new Float32Array(catalogue.size).fill(Number.NaN);
  const source = new Int8Array(catalogue.size).fill(-1);
  const keys = new Float64Array(catalogue.size).fill(Number.NaN);
  let pending = candidates;
  for (let c = 0; c < chain.length && pending.length > 0; c++) {
    const { bundle, query, align } = chain[c]!;
    // The pending positions this model knows, and their dense ids.
    const positions = new Int32Array(pending.length);
    const dense = new Int32Array(pending.length);
    let n = 0;
    for (let k = 0; k < pending.length; k++) {
      const p = pending[k]!;
      const d = align[p]!;
      if (d < 0) continue;
      positions[n] = p;
      dense[n++] = d;
    }
    if (n > 0) {
      const out = bundle.model.score(query, dense.subarray(0, n));
      const order = ranking && bundle.model.rank ? bundle.model.rank(query, dense.subarray(0, n)) : undefined;
      const clamp = predictsRatings(bundle);
      for (let k = 0; k < n; k++) {
        let s = out[k]!;
        if (Number.isNaN(s)) continue;
        const p = positions[k]!;
        if (clamp) {
          const lo = catalogue.lo[p]!;
          const hi = catalogue.hi[p]!;
          s = Math.min(hi, Math.max(lo, s));
          keys[p] = (s - lo) / (hi - lo);
        } else keys[p] = s;
        if (order !== undefined && !Number.isNaN(order[k]!)) keys[p] = order[k]!;
        scores[p] = s;
        source[p] = c;
      }
    }
    // Holes left for the next model.
    let left = 0;
    const next = new Int32Array(pending.length);
    for (let k = 0; k < pending.length; k++) {
      const p = pending[k]!;
      if (Number.isNaN(scores[p]!)) next[left++] = p;
    }
    pending = next.subarray(0, left);
  }
  return { scores, keys, source };
}

/**
 * The n best positions, best first, with one top-k heap. The chain is an order of preference: every item the
 * head scored ranks above every item only a fallback could score (their scales need not agree: a ranking
 * model's preference vs. a mean rating). Within a tier, by key (see ChainScores.keys). Each tier's keys map onto a
 * disjoint band [tier offset, tier offset + 1) by a monotone affine map, so one heap ranks them all.
 */
export function rankChain(result: ChainScores, chainLength: number, n: number): Int32Array {
  const { keys, source } = result;
  const lo = new Float64Array(chainLength).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(chainLength).fill(Number.NEGATIVE_INFINITY);
  for (let p = 0; p < keys.length; p++) {
    const t = source[p]!;
    if (t < 0) continue;
    const v = keys[p]!;
    if (v < lo[t]!) lo[t] = v;
    if (v > hi[t]!) hi[t] = v;
  }
  const banded = new Float64Array(keys.length);
  for (let p = 0; p < keys.length; p++) {
    const t = source[p]!;
    if (t < 0) {
      banded[p] = Number.NaN;
      continue;
    }
    const span = hi[t]! - lo[t]!;
    const unit = span > 0 ? (keys[p]! - lo[t]!) / (span * (1 + 1e-9)) : 0;
    banded[p] = 2 * (chainLength - t) + unit;
  }
  return topK(banded, n);
}
