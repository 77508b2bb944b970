/**
 * Item-to-item similarities of implicit evidence (who chose what, with a
 * weight), the model of item-based top-N recommendation (Deshpande & Karypis
 * 2004, "Item-based top-N recommendation algorithms", ACM TOIS 22(1)):
 *
 *   s(j → c) = (Σ_u x_uj·x_uc / (‖x_j‖^{2α} · ‖x_c‖^{2(1−α)}))^q
 *
 * over the full columns of X (users × items, non-negative), so customers who
 * chose only one of the two count against the pair, unlike the co-rated sums
 * of the rating models (./item-similarities.ts). α = ½ is the cosine; α → 1 is
 * the conditional probability P(c | j) (favours popular c), α → 0 penalises
 * popular c (the asymmetric cosine of Aiolli 2013, "Efficient top-N
 * recommendation for very large scale binary rated datasets"); q > 1 lets the
 * closest pairs dominate (Aiolli's locality). Each item j keeps its M
 * largest s(j → ·), most similar first; with `normalise` the kept values sum
 * to 1 (Deshpande & Karypis §4.2: a customer's items then vote on one scale).
 * Before the sums, scaleRows can weigh each customer's row down by its norm
 * (Deshpande & Karypis scale rows to unit length: a customer who chose
 * hundreds of items says less about any one pair than one who chose ten).
 *
 * Cost O(Σ_u |I(u)|²) time, O(items) workspace plus O(items · M) output.
 */
import type { Csr } from "../../core/csr.js";
import { selectTop, sortBestFirst } from "../../linalg/select-top.js";
import type { NeighbourLists } from "./item-similarities.js";

/** The smallest positive Float32 (denormal). */
const MIN_FLOAT32 = 1.401298464324817e-45;

export interface CooccurrenceOptions {
  /** α: the exponent of the source item's norm (½ = cosine). */
  readonly alpha: number;
  /** q: similarities are raised to this power (Aiolli 2013's locality; 1 = off). */
  readonly exponent: number;
  /** M: most similar items kept per item. */
  readonly neighbours: number;
  /** Rescale each kept list to sum 1. */
  readonly normalise: boolean;
}

/** ‖x_i‖² of every row of m. */
function squaredNorms(m: Csr): Float64Array {
  const out = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    for (let p = m.indptr[r]!, end = m.indptr[r + 1]!; p < end; p++) s += m.values[p]! * m.values[p]!;
    out[r] = s;
  }
  return out;
}

/** Each row of m divided by its norm to the power 2β (β = 0: m itself; ½: unit rows). O(nnz). */
export function scaleRows(m: Csr, beta: number): Csr {
  if (beta === 0) return m;
  const values = new Float32Array(m.values.length);
  for (let r = 0; r < m.rows; r++) {
    const start = m.indptr[r]!;
    const end = m.indptr[r + 1]!;
    let ss = 0;
    for (let p = start; p < end; p++) ss += m.values[p]! * m.values[p]!;
    const scale = ss > 0 ? ss ** -beta : 0;
    for (let p = start; p < end; p++) values[p] = m.values[p]! * scale;
  }
  return { ...m, values };
}

/**
 * `x` is users × items with positive values, `byItem` its transpose. Row j of
 * the result lists the items c with the largest s(j → c) > 0, c ≠ j.
 */
export function cooccurrenceLists(x: Csr, byItem: Csr, options: CooccurrenceOptions): NeighbourLists {
  const items = byItem.rows;
  const norm = squaredNorms(byItem);
  // Powers of the norms once per item, not once per pair.
  const source = new Float64Array(items);
  const target = new Float64Array(items);
  for (let i = 0; i < items; i++) {
    source[i] = norm[i]! ** options.alpha;
    target[i] = norm[i]! ** (1 - options.alpha);
  }
  const q = options.exponent;
  const dot = new Float64Array(items);
  const touched = new Int32Array(items);
  const keys = new Float64Array(items);
  const ids = new Int32Array(items);
  const m = Math.max(0, Math.min(options.neighbours, items));
  const best = new Int32Array(m);
  const indptr = new Int32Array(items + 1);
  let capacity = Math.max(16, Math.min(items * m, 1 << 20));
  let indices = new Int32Array(capacity);
  let similarities = new Float32Array(capacity);
  let size = 0;
  for (let j = 0; j < items; j++) {
    let touchedCount = 0;
    for (let p = byItem.indptr[j]!, pEnd = byItem.indptr[j + 1]!; p < pEnd; p++) {
      const u = byItem.indices[p]!;
      const xj = byItem.values[p]!;
      for (let q = x.indptr[u]!, qEnd = x.indptr[u + 1]!; q < qEnd; q++) {
        const c = x.indices[q]!;
        if (dot[c] === 0) touched[touchedCount++] = c;
        dot[c]! += xj * x.values[q]!;
      }
    }
    let count = 0;
    for (let t = 0; t < touchedCount; t++) {
      const c = touched[t]!;
      const d = dot[c]!;
      dot[c] = 0;
      if (c === j || !(d > 0)) continue;
      const raw = d / (source[j]! * target[c]!);
      const sim = q === 1 ? raw : raw ** q;
      // Kept similarities are stored as Float32 and must stay > 0 there (scoring marks reached items by it).
      if (!(Math.fround(sim) > 0)) continue;
      keys[count] = sim;
      ids[count++] = c;
    }
    const kept = selectTop(keys, count, m, best);
    sortBestFirst(keys, best, kept);
    let sum = 0;
    for (let t = 0; t < kept; t++) sum += keys[best[t]!]!;
    // Normalising can only shrink values that are tiny next to the list's sum; keep them positive too.
    const scale = options.normalise && sum > 0 ? 1 / sum : 1;
    if (size + kept > capacity) {
      capacity = Math.max(capacity * 2, size + kept);
      const grownIndices = new Int32Array(capacity);
      grownIndices.set(indices.subarray(0, size));
      indices = grownIndices;
      const grownSims = new Float32Array(capacity);
      grownSims.set(similarities.subarray(0, size));
      similarities = grownSims;
    }
    for (let t = 0; t < kept; t++) {
      indices[size] = ids[best[t]!]!;
      similarities[size++] = Math.max(keys[best[t]!]! * scale, MIN_FLOAT32);
    }
    indptr[j + 1] = size;
  }
  return { indptr, indices: indices.slice(0, size), similarities: similarities.slice(0, size) };
}
