/**
 * Similarity of two rating vectors from the sums over their co-rated entries
 * (x from one side, y from the other; the caller chooses what x and y are:
 * raw ratings, ratings minus the scale midpoint, minus the user mean, or
 * minus the baseline, see ./transforms.ts):
 *
 *   cosine   Σxy / √(Σx² · Σy²)
 *            constrained Pearson (Shardanand & Maes 1995) on r − midpoint,
 *            adjusted cosine (Sarwar et al. 2001) on r − user mean,
 *            Pearson-baseline (Koren 2010) on r − b_ui;
 *   pearson  (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)), means over the co-rated
 *            entries (Resnick et al. 1994; Herlocker et al. 1999);
 *   msd      1 / (1 + Σ(x − y)²/n), mean squared difference (Shardanand & Maes 1995).
 *
 * Shrinkage towards 0 for small overlaps n: sim · n/(n + λ) (Koren 2010), and
 * significance weighting sim · min(n, γ)/γ (Herlocker et al. 1999).
 * Undefined values (a zero variance) are 0: no evidence either way.
 */

export type MeasureName = "cosine" | "pearson" | "msd";

/** One pair's sums over co-rated entries. */
export function similarityFromSums(
  measure: MeasureName,
  n: number,
  sx: number,
  sy: number,
  sxy: number,
  sxx: number,
  syy: number,
): number {
  if (n <= 0) return 0;
  let sim: number;
  if (measure === "cosine") {
    const d = sxx * syy;
    sim = d > 0 ? sxy / Math.sqrt(d) : 0;
  } else if (measure === "pearson") {
    const vx = n * sxx - sx * sx;
    const vy = n * syy - sy * sy;
    // Rounding can leave a tiny positive variance for constant vectors; treat ≤ 1e-12 as zero.
    sim = vx > 1e-12 && vy > 1e-12 ? (n * sxy - sx * sy) / Math.sqrt(vx * vy) : 0;
  } else {
    const msd = Math.max(0, sxx - 2 * sxy + syy) / n;
    sim = 1 / (1 + msd);
  }
  // Clamp rounding overshoot so |sim| ≤ 1.
  return Math.max(-1, Math.min(1, sim));
}

/** Shrinks a similarity by its overlap n: n/(n + shrinkage), then min(n, significance)/significance. */
export function shrinkSimilarity(sim: number, n: number, shrinkage: number, significance: number): number {
  let s = sim;
  if (shrinkage > 0) s *= n / (n + shrinkage);
  if (significance > 0 && n < significance) s *= n / significance;
  return s;
}
