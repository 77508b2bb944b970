/**
 * Implicit evidence N(u) for SVD++ and mixed-feedback SVD: which items a
 * customer rated, bought, viewed or liked, each event type with its weight,
 *   w_uj = w_rating·[u rated j] + Σ_t w_t·(strength of t on (u, j)),
 * where the strength is the purchase quantity or the event count (as in
 * Dataset.weighted). The sum over N(u) is normalised by η_u = (Σ_j w_uj²)^−½,
 * which is |N(u)|^−½ (Koren 2008) when every weight is 1.
 */
import { type Csr, csrFromCoo, nnz } from "../../core/csr.js";
import type { Dataset, FeedbackType } from "../../core/dataset.js";

export type ImplicitWeights = Partial<Record<"rating" | FeedbackType, number>>;

/**
 * The customers × items matrix of weights w_uj over `ratings` (the training
 * ratings, which may be a subset of data.ratings) and the data's feedback;
 * null when it holds no positive weight (the model is then plain biased MF).
 */
export function implicitEvidence(data: Dataset, ratings: Csr, weights: ImplicitWeights): Csr | null {
  const parts: Array<[Csr, number, boolean]> = [];
  let total = 0;
  const rw = weights.rating ?? 0;
  if (rw > 0) {
    parts.push([ratings, rw, true]);
    total += nnz(ratings);
  }
  for (const type of ["purchase", "view", "like", "dislike"] as const) {
    const w = weights[type] ?? 0;
    const m = data.feedback[type];
    if (w > 0 && nnz(m) > 0) {
      parts.push([m, w, false]);
      total += nnz(m);
    }
  }
  if (total === 0) return null;
  const u = new Int32Array(total);
  const i = new Int32Array(total);
  const v = new Float32Array(total);
  let k = 0;
  for (const [m, w, indicator] of parts) {
    for (let r = 0; r < m.rows; r++) {
      for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
        const strength = indicator ? 1 : m.values[p]!;
        if (!(strength > 0)) continue; // a non-positive count is no evidence
        u[k] = r;
        i[k] = m.indices[p]!;
        v[k++] = w * strength;
      }
    }
  }
  if (k === 0) return null;
  return csrFromCoo(data.userCount, data.itemCount, u, i, v, k, "sum");
}

/** η_u = (Σ_j w_uj²)^−½ per row (0 for an empty row). */
export function implicitNorms(m: Csr, out: Float32Array = new Float32Array(m.rows)): Float32Array {
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) s += m.values[p]! * m.values[p]!;
    out[r] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  return out;
}
