/**
 * Item–item similarity in factor space: the cosine of two item vectors, and
 * the items closest to one (similarItems, and the explanations of the factor
 * models). Row norms are computed once per model.
 */
import { topK } from "../../linalg/top-k.js";

export class FactorSimilarity {
  private norms: Float32Array | null = null;

  constructor(
    private readonly Q: Float32Array,
    private readonly k: number,
    /** Items that may be compared (e.g. items with training evidence); others score no similarity. */
    private readonly eligible: Uint8Array,
  ) {}

  private rowNorms(): Float32Array {
    if (this.norms === null) {
      const { Q, k } = this;
      const rows = this.eligible.length;
      const norms = new Float32Array(rows);
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += Q[i * k + c]! * Q[i * k + c]!;
        norms[i] = Math.sqrt(s);
      }
      this.norms = norms;
    }
    return this.norms;
  }

  /** cos(q_a, q_b); 0 when either vector is zero. */
  cosine(a: number, b: number): number {
    const { Q, k } = this;
    const norms = this.rowNorms();
    const d = norms[a]! * norms[b]!;
    if (d === 0) return 0;
    let dot = 0;
    for (let c = 0; c < k; c++) dot += Q[a * k + c]! * Q[b * k + c]!;
    return dot / d;
  }

  /** The `count` eligible items closest to `item`, most similar first, never the item itself. */
  similarItems(item: number, count: number): { items: Int32Array; similarities: Float32Array } {
    const n = this.eligible.length;
    if (!Number.isInteger(item) || item < 0 || item >= n || !this.eligible[item] || count <= 0) {
      return { items: new Int32Array(0), similarities: new Float32Array(0) };
    }
    const sims = new Float64Array(n);
    const skip = new Uint8Array(n);
    for (let j = 0; j < n; j++) {
      if (j === item || !this.eligible[j]) skip[j] = 1;
      else sims[j] = this.cosine(item, j);
    }
    const items = topK(sims, count, skip);
    return { items, similarities: Float32Array.from(items, (j) => sims[j]!) };
  }
}

/** The `limit` candidates with the highest weights, best first, as an "items" explanation. */
export function topEvidence(
  candidates: readonly number[],
  values: readonly number[],
  weights: readonly number[],
  limit: number,
): { kind: "items"; items: Int32Array; values: Float32Array; weights: Float32Array } {
  const best = topK(Float64Array.from(weights), limit);
  return {
    kind: "items",
    items: Int32Array.from(best, (b) => candidates[b]!),
    values: Float32Array.from(best, (b) => values[b]!),
    weights: Float32Array.from(best, (b) => weights[b]!),
  };
}
