/**
 * Top-k ranking metrics for one customer's list. Input: `gains[i]`, the
 * relevance of the item at rank i+1 of the list (0 = not relevant; 1 for
 * binary relevance, or a grade), and `relevant`, how many held-out items are
 * relevant for the customer (including ones the list could never contain).
 * Lists may be shorter than k (a model that cannot score enough items).
 *
 * Definitions (k = the cut, R = relevant, h = relevant items in the top k):
 * - Precision@k = h / k; Recall@k = h / R; hit rate@k = [h > 0].
 * - NDCG@k = DCG@k / IDCG@k with DCG = Σ gain_i / log2(i + 1) (Burges et al.
 *   2005, the form in common recommender use; Järvelin & Kekäläinen 2002 is
 *   the origin) and IDCG the DCG of the R best gains sorted (binary: R ones).
 * - AP@k = Σ_{i ≤ k, rel} Precision@i / min(k, R) (so a perfect list is 1).
 * - Reciprocal rank = 1 / (rank of the first relevant item in the top k), else 0.
 */

function prefix(gains: ArrayLike<number>, k: number): number {
  return Math.min(k, gains.length);
}

export function hitsAtK(gains: ArrayLike<number>, k: number): number {
  let h = 0;
  for (let i = 0, n = prefix(gains, k); i < n; i++) if (gains[i]! > 0) h++;
  return h;
}

export function precisionAtK(gains: ArrayLike<number>, k: number): number {
  return k <= 0 ? 0 : hitsAtK(gains, k) / k;
}

export function recallAtK(gains: ArrayLike<number>, relevant: number, k: number): number {
  return relevant <= 0 ? 0 : Math.min(1, hitsAtK(gains, k) / relevant);
}

export function hitRateAtK(gains: ArrayLike<number>, k: number): number {
  return hitsAtK(gains, k) > 0 ? 1 : 0;
}

export function reciprocalRankAtK(gains: ArrayLike<number>, k: number): number {
  for (let i = 0, n = prefix(gains, k); i < n; i++) if (gains[i]! > 0) return 1 / (i + 1);
  return 0;
}

export function averagePrecisionAtK(gains: ArrayLike<number>, relevant: number, k: number): number {
  const denominator = Math.min(k, relevant);
  if (denominator <= 0) return 0;
  let h = 0;
  let sum = 0;
  for (let i = 0, n = prefix(gains, k); i < n; i++) {
    if (gains[i]! > 0) {
      h++;
      sum += h / (i + 1);
    }
  }
  return sum / denominator;
}

/** DCG@k = Σ_{i=1..k} gain_i / log2(i + 1). */
export function dcgAtK(gains: ArrayLike<number>, k: number): number {
  let sum = 0;
  for (let i = 0, n = prefix(gains, k); i < n; i++) sum += gains[i]! / Math.log2(i + 2);
  return sum;
}

/**
 * NDCG@k. `idealGains`: the gains of all relevant items (any order; sorted here)
 * or, for binary relevance, a number R (R ones). 0 when nothing is relevant.
 */
export function ndcgAtK(gains: ArrayLike<number>, idealGains: ArrayLike<number> | number, k: number): number {
  let ideal: number;
  if (typeof idealGains === "number") {
    ideal = 0;
    for (let i = 0, n = Math.min(k, idealGains); i < n; i++) ideal += 1 / Math.log2(i + 2);
  } else {
    const sorted = Float64Array.from(idealGains).sort().reverse();
    ideal = dcgAtK(sorted, k);
  }
  return ideal <= 0 ? 0 : Math.min(1, dcgAtK(gains, k) / ideal);
}
