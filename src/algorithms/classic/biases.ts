/**
 * Regularised user and item biases around the global mean,
 *   r̂(u,i) = μ + b_u + b_i,
 * fitted by alternating least squares (Koren 2010, "Factor in the neighbors",
 * eq. 2–3; Surprise's BaselineOnly "als"): each half-step solves one side in
 * closed form with the other fixed,
 *   b_i = Σ_{u∈R(i)} (r_ui − μ − b_u) / (λ_i + |R(i)|),
 *   b_u = Σ_{i∈R(u)} (r_ui − μ − b_i) / (λ_u + |R(u)|).
 * Cost: O(epochs · nnz) time, O(users + items) memory. Items are solved
 * first, as in Surprise, so the same settings give the same numbers.
 */
import type { Csr } from "../../core/csr.js";

export interface Biases {
  readonly globalMean: number;
  readonly userBias: Float64Array;
  readonly itemBias: Float64Array;
}

export interface BiasOptions {
  readonly regUser: number;
  readonly regItem: number;
  readonly epochs: number;
}

/** The mean of a CSR's values (NaN when empty). */
export function meanOf(m: Csr): number {
  const n = m.indptr[m.rows]!;
  let sum = 0;
  for (let p = 0; p < n; p++) sum += m.values[p]!;
  return n > 0 ? sum / n : Number.NaN;
}

/**
 * One ALS half-step: for each row r of `m`, bias[r] = Σ (v − μ − other[col]) / (reg + count).
 * The same function serves users (m = ratings) and items (m = its transpose).
 */
export function solveBiasSide(m: Csr, mu: number, other: Float64Array, reg: number, out: Float64Array): void {
  for (let r = 0; r < m.rows; r++) {
    const start = m.indptr[r]!;
    const end = m.indptr[r + 1]!;
    let sum = 0;
    for (let p = start; p < end; p++) sum += m.values[p]! - mu - other[m.indices[p]!]!;
    out[r] = end > start ? sum / (reg + (end - start)) : 0;
  }
}

/** Fits μ, b_u, b_i on `ratings` (users × items) and its transpose `byItem`. */
export function fitBiases(ratings: Csr, byItem: Csr, options: BiasOptions): Biases {
  const mu = meanOf(ratings);
  const userBias = new Float64Array(ratings.rows);
  const itemBias = new Float64Array(ratings.cols);
  if (Number.isNaN(mu)) return { globalMean: mu, userBias, itemBias };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    solveBiasSide(byItem, mu, userBias, options.regItem, itemBias);
    solveBiasSide(ratings, mu, itemBias, options.regUser, userBias);
  }
  return { globalMean: mu, userBias, itemBias };
}

/**
 * Fold-in: the user bias that the fit would give this customer, solved from
 * their ratings against the fixed item biases (0 with no ratings).
 */
export function foldInUserBias(items: Int32Array, values: Float32Array, biases: Biases, regUser: number): number {
  const n = items.length;
  if (n === 0) return 0;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += values[k]! - biases.globalMean - biases.itemBias[items[k]!]!;
  return sum / (regUser + n);
}

/** Clamps a prediction to the rating scale (NaN stays NaN). */
export function clampToScale(value: number, min: number, max: number): number {
  return value < min ? min : Math.min(value, max);
}
