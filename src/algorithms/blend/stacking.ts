/**
 * The arithmetic of the stacked blend (see ../blend.ts): the held-out slice of
 * the training ratings, members' predictions of it, the meta-features of
 * feature-weighted stacking (Sill et al. 2009) and the ridge regression.
 */
import { type Csr, nnz } from "../../core/csr.js";
import { Dataset } from "../../core/dataset.js";
import type { Rng } from "../../core/rng.js";
import { solveSpd } from "../../linalg/cholesky.js";
import type { Recommender } from "../recommender.js";

/** Splits a dataset's ratings into the rest (a Dataset with the same ids) and a held-out slice (as CSR). */
export function holdoutRatings(data: Dataset, fraction: number, rng: Rng): { rest: Dataset; held: Csr } {
  const m = data.ratings;
  const mask = new Uint8Array(nnz(m));
  for (let p = 0; p < mask.length; p++) mask[p] = rng.next() < fraction ? 1 : 0;
  const part = (keep: 0 | 1): Csr => {
    const indptr = new Int32Array(m.rows + 1);
    let count = 0;
    for (const v of mask) if (v === keep) count++;
    const indices = new Int32Array(count);
    const values = new Float32Array(count);
    let q = 0;
    for (let r = 0; r < m.rows; r++) {
      for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
        if (mask[p] !== keep) continue;
        indices[q] = m.indices[p]!;
        values[q++] = m.values[p]!;
      }
      indptr[r + 1] = q;
    }
    return { rows: m.rows, cols: m.cols, indptr, indices, values };
  };
  const rest = new Dataset({
    users: data.users,
    items: data.items,
    ratings: part(0),
    feedback: data.feedback,
    scale: data.scale,
  });
  return { rest, held: part(1) };
}

export type MetaFeature = "userSupport" | "itemSupport" | "userSpread" | "itemSpread";

export interface RatingStats {
  readonly userCount: Int32Array;
  readonly userSpread: Float32Array;
  readonly itemCount: Int32Array;
  readonly itemSpread: Float32Array;
}

/** Counts and standard deviations of the ratings of every customer (row) and item (column). */
export function ratingStats(m: Csr): RatingStats {
  const userCount = new Int32Array(m.rows);
  const userSpread = new Float32Array(m.rows);
  const itemCount = new Int32Array(m.cols);
  const itemSum = new Float64Array(m.cols);
  const itemSquares = new Float64Array(m.cols);
  for (let u = 0; u < m.rows; u++) {
    let sum = 0;
    let squares = 0;
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
      const v = m.values[p]!;
      const i = m.indices[p]!;
      sum += v;
      squares += v * v;
      itemCount[i]!++;
      itemSum[i]! += v;
      itemSquares[i]! += v * v;
    }
    userCount[u] = m.indptr[u + 1]! - m.indptr[u]!;
    userSpread[u] = spread(userCount[u]!, sum, squares);
  }
  const itemSpread = Float32Array.from(itemCount, (n, i) => spread(n, itemSum[i]!, itemSquares[i]!));
  return { userCount, userSpread, itemCount, itemSpread };
}

export function spread(n: number, sum: number, squares: number): number {
  return n < 2 ? 0 : Math.sqrt(Math.max(0, squares / n - (sum / n) ** 2));
}

/** A meta-feature's raw value for a customer (count, spread) and an item. */
export function rawMeta(
  feature: MetaFeature,
  userCount: number,
  userSpread: number,
  item: number,
  s: RatingStats,
): number {
  switch (feature) {
    case "userSupport":
      return Math.log1p(userCount);
    case "itemSupport":
      return Math.log1p(s.itemCount[item] ?? 0);
    case "userSpread":
      return userSpread;
    case "itemSpread":
      return s.itemSpread[item] ?? 0;
  }
}

/** Ridge regression with a free intercept (column 0): solves (HᵀH + λ·diag(0,1,…,1))·w = Hᵀy. */
export function ridgeWeights(
  features: Float64Array,
  targets: Float32Array,
  width: number,
  ridge: number,
): Float64Array {
  const rows = targets.length;
  const a = new Float64Array(width * width);
  const b = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    const y = targets[r]!;
    for (let i = 0; i < width; i++) {
      const hi = features[base + i]!;
      b[i] = b[i]! + hi * y;
      for (let j = 0; j <= i; j++) a[i * width + j] = a[i * width + j]! + hi * features[base + j]!;
    }
  }
  // A tiny floor keeps the system positive definite when members agree exactly (or λ = 0).
  for (let i = 0; i < width; i++) a[i * width + i] = a[i * width + i]! + (i === 0 ? 0 : ridge) + 1e-9 * (rows || 1);
  return solveSpd(a, width, b);
}

/** One row of features: for each meta-feature g, [g, g·s_1, …, g·s_M]. */
export function writeFeatures(out: Float64Array, at: number, meta: ArrayLike<number>, scores: ArrayLike<number>): void {
  let c = at;
  for (let g = 0; g < meta.length; g++) {
    const f = meta[g]!;
    out[c++] = f;
    for (let m = 0; m < scores.length; m++) out[c++] = f * scores[m]!;
  }
}

/**
 * Member predictions for every held-out pair (one score() call per customer) into
 * column m of `out` (width `count`); NaN is replaced by the member's mean prediction,
 * which is returned.
 */
export function predictHeld(model: Recommender, held: Csr, out: Float64Array, m: number, count: number): number {
  let sum = 0;
  let scored = 0;
  for (let u = 0; u < held.rows; u++) {
    const start = held.indptr[u]!;
    const end = held.indptr[u + 1]!;
    if (start === end) continue;
    const scores = model.score({ user: u }, held.indices.subarray(start, end));
    for (let p = start; p < end; p++) {
      const v = scores[p - start]!;
      out[p * count + m] = v;
      if (Number.isFinite(v)) {
        sum += v;
        scored++;
      }
    }
  }
  const mean = scored > 0 ? sum / scored : 0;
  for (let p = m; p < out.length; p += count) if (!Number.isFinite(out[p]!)) out[p] = mean;
  return mean;
}

/** With nothing held out (tiny data): the plain average of the members. */
export function equalWeights(count: number, width: number): Float64Array {
  const w = new Float64Array(width);
  w.fill(1 / count, 1, count + 1);
  return w;
}
