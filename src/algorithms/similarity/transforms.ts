/**
 * What a rating becomes before similarities are summed (and before
 * neighbours vote): the named similarity measures of the kNN models are one
 * of three formulas (./measures.ts) applied to one of these centrings.
 */
import type { Csr } from "../../core/csr.js";
import type { MeasureName } from "./measures.js";

export type Centring = "raw" | "midpoint" | "user-mean" | "item-mean" | "baseline";

export interface SimilaritySpec {
  readonly measure: MeasureName;
  readonly centring: Centring;
}

/** User-to-user similarities (Ringo, GroupLens, Koren 2010). */
export const USER_SIMILARITIES = {
  msd: { measure: "msd", centring: "raw" },
  cosine: { measure: "cosine", centring: "raw" },
  pearson: { measure: "pearson", centring: "raw" },
  "constrained-pearson": { measure: "cosine", centring: "midpoint" },
  "pearson-baseline": { measure: "cosine", centring: "baseline" },
} as const satisfies Record<string, SimilaritySpec>;

/** Item-to-item similarities (Sarwar et al. 2001, Koren 2010). */
export const ITEM_SIMILARITIES = {
  "adjusted-cosine": { measure: "cosine", centring: "user-mean" },
  cosine: { measure: "cosine", centring: "raw" },
  pearson: { measure: "pearson", centring: "raw" },
  "pearson-baseline": { measure: "cosine", centring: "baseline" },
  msd: { measure: "msd", centring: "raw" },
} as const satisfies Record<string, SimilaritySpec>;

export type UserSimilarityName = keyof typeof USER_SIMILARITIES;
export type ItemSimilarityName = keyof typeof ITEM_SIMILARITIES;

/** What the centrings subtract. */
export interface CentringContext {
  readonly midpoint: number;
  readonly globalMean: number;
  readonly userBias: Float64Array;
  readonly itemBias: Float64Array;
  readonly userMean: Float64Array;
  readonly itemMean: Float64Array;
}

/**
 * What a rating r of item i becomes, for a customer with mean μ_u and bias b_u
 * (passed in, so a folded-in customer works alike): r, r − midpoint, r − μ_u,
 * r − μ_i or r − (μ + b_u + b_i).
 */
export function centred(
  centring: Centring,
  c: CentringContext,
  userMean: number,
  userBias: number,
  item: number,
  rating: number,
): number {
  switch (centring) {
    case "raw":
      return rating;
    case "midpoint":
      return rating - c.midpoint;
    case "user-mean":
      return rating - userMean;
    case "item-mean":
      return rating - c.itemMean[item]!;
    case "baseline":
      return rating - (c.globalMean + userBias + c.itemBias[item]!);
  }
}

/** Means of the rows of a CSR (`fallback` for empty rows). */
export function rowMeans(
  m: { rows: number; indptr: Int32Array; values: Float32Array },
  fallback: number,
): Float64Array {
  const means = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    const start = m.indptr[r]!;
    const end = m.indptr[r + 1]!;
    let sum = 0;
    for (let p = start; p < end; p++) sum += m.values[p]!;
    means[r] = end > start ? sum / (end - start) : fallback;
  }
  return means;
}

/**
 * Every stored rating of `m` centred, aligned with `m.values`. `rowsAreUsers`
 * says whether m is users × items (ratings) or items × users (its transpose).
 */
export function centredValues(m: Csr, rowsAreUsers: boolean, centring: Centring, c: CentringContext): Float32Array {
  const out = new Float32Array(m.values.length);
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]!, end = m.indptr[r + 1]!; p < end; p++) {
      const col = m.indices[p]!;
      const user = rowsAreUsers ? r : col;
      const item = rowsAreUsers ? col : r;
      out[p] = centred(centring, c, c.userMean[user]!, c.userBias[user]!, item, m.values[p]!);
    }
  }
  return out;
}
