/**
 * All item-to-item similarities of a rating matrix, keeping each item's M
 * most similar (positive similarity, at least `minOverlap` co-raters) as a
 * CSR sorted most similar first: the model of item-based CF (Sarwar et al.
 * 2001, "Item-based collaborative filtering recommendation algorithms").
 *
 * For each item i, the co-rating sums with every j are accumulated sparsely
 * by walking i's raters (item → users CSR) and each rater's items (user →
 * items CSR), then turned into similarities (similarity/measures.ts).
 * Cost O(Σ_u |I(u)|²) time, O(items) workspace plus O(items · M) output.
 */
import type { Csr } from "../../core/csr.js";
import { selectTop, sortBestFirst } from "../../linalg/select-top.js";
import { shrinkSimilarity, similarityFromSums } from "../similarity/measures.js";
import type { SimilarityOptions } from "./user-similarities.js";

/** Each item's most similar items: neighbours of i are indices[indptr[i] .. indptr[i+1]), most similar first. */
export interface NeighbourLists {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly similarities: Float32Array;
}

/**
 * `value` holds every rating as the similarity sums see it, aligned with
 * `ratings.values` (users × items); `valueByItem` the same aligned with
 * `byItem.values` (its transpose).
 */
export function itemNeighbourLists(
  ratings: Csr,
  value: Float32Array,
  byItem: Csr,
  valueByItem: Float32Array,
  options: SimilarityOptions,
  maxNeighbours: number,
): NeighbourLists {
  const items = byItem.rows;
  const n = new Int32Array(items);
  const sx = new Float64Array(items);
  const sy = new Float64Array(items);
  const sxy = new Float64Array(items);
  const sxx = new Float64Array(items);
  const syy = new Float64Array(items);
  const touched = new Int32Array(items);
  const keys = new Float64Array(items);
  const ids = new Int32Array(items);
  const best = new Int32Array(Math.min(maxNeighbours, items));
  const indptr = new Int32Array(items + 1);
  let capacity = Math.max(16, Math.min(items * maxNeighbours, 1 << 20));
  let indices = new Int32Array(capacity);
  let similarities = new Float32Array(capacity);
  let size = 0;
  for (let i = 0; i < items; i++) {
    let touchedCount = 0;
    for (let p = byItem.indptr[i]!, pEnd = byItem.indptr[i + 1]!; p < pEnd; p++) {
      const u = byItem.indices[p]!;
      const x = valueByItem[p]!;
      for (let q = ratings.indptr[u]!, qEnd = ratings.indptr[u + 1]!; q < qEnd; q++) {
        const j = ratings.indices[q]!;
        const y = value[q]!;
        if (n[j] === 0) touched[touchedCount++] = j;
        n[j]!++;
        sx[j]! += x;
        sy[j]! += y;
        sxy[j]! += x * y;
        sxx[j]! += x * x;
        syy[j]! += y * y;
      }
    }
    let count = 0;
    for (let t = 0; t < touchedCount; t++) {
      const j = touched[t]!;
      const overlap = n[j]!;
      if (j !== i && overlap >= options.minOverlap) {
        const raw = similarityFromSums(options.measure, overlap, sx[j]!, sy[j]!, sxy[j]!, sxx[j]!, syy[j]!);
        const sim = shrinkSimilarity(raw, overlap, options.shrinkage, options.significance);
        if (sim > 0) {
          keys[count] = sim;
          ids[count++] = j;
        }
      }
      n[j] = 0;
      sx[j] = 0;
      sy[j] = 0;
      sxy[j] = 0;
      sxx[j] = 0;
      syy[j] = 0;
    }
    const kept = selectTop(keys, count, maxNeighbours, best);
    sortBestFirst(keys, best, kept);
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
      similarities[size++] = keys[best[t]!]!;
    }
    indptr[i + 1] = size;
  }
  return { indptr, indices: indices.slice(0, size), similarities: similarities.slice(0, size) };
}
