/**
 * One customer's similarity to every fitted customer, computed on the fly
 * from their ratings (so a history folds in at once): a sparse accumulation
 * of the co-rating sums over the item → users CSR, then one formula per
 * co-rater. Cost O(Σ_{j rated by u} |raters of j|) time, O(users) memory
 * (the workspace is reused across queries; only touched entries are reset).
 */
import type { Csr } from "../../core/csr.js";
import { type MeasureName, shrinkSimilarity, similarityFromSums } from "../similarity/measures.js";

export interface SimilarityOptions {
  readonly measure: MeasureName;
  readonly shrinkage: number;
  readonly significance: number;
  readonly minOverlap: number;
}

export class UserSimilarityWorkspace {
  private readonly n: Int32Array;
  private readonly sx: Float64Array;
  private readonly sy: Float64Array;
  private readonly sxy: Float64Array;
  private readonly sxx: Float64Array;
  private readonly syy: Float64Array;
  private readonly touched: Int32Array;

  constructor(users: number) {
    this.n = new Int32Array(users);
    this.sx = new Float64Array(users);
    this.sy = new Float64Array(users);
    this.sxy = new Float64Array(users);
    this.sxx = new Float64Array(users);
    this.syy = new Float64Array(users);
    this.touched = new Int32Array(users);
  }

  /**
   * Fills `sims` (NaN where v is not a neighbour: no or too little overlap, or v = self)
   * and `overlap` for the customer who rated `items` with centred values `x`;
   * `y` holds the other customers' centred values aligned with `byItem.values`.
   */
  compute(
    byItem: Csr,
    y: Float32Array,
    items: Int32Array,
    x: Float64Array,
    self: number,
    options: SimilarityOptions,
    sims: Float64Array,
    overlap: Int32Array,
  ): void {
    const { n, sx, sy, sxy, sxx, syy, touched } = this;
    let touchedCount = 0;
    // Only Pearson reads the plain sums Σx, Σy: the other measures skip them (the same bits, two fewer
    // scattered updates per co-rating: this loop is most of a query's cost).
    const plainSums = options.measure === "pearson";
    for (let k = 0; k < items.length; k++) {
      const j = items[k]!;
      const xv = x[k]!;
      const xx = xv * xv;
      const end = byItem.indptr[j + 1]!;
      if (plainSums) {
        for (let p = byItem.indptr[j]!; p < end; p++) {
          const v = byItem.indices[p]!;
          const yv = y[p]!;
          if (n[v] === 0) touched[touchedCount++] = v;
          n[v]!++;
          sx[v]! += xv;
          sy[v]! += yv;
          sxy[v]! += xv * yv;
          sxx[v]! += xx;
          syy[v]! += yv * yv;
        }
      } else {
        for (let p = byItem.indptr[j]!; p < end; p++) {
          const v = byItem.indices[p]!;
          const yv = y[p]!;
          if (n[v] === 0) touched[touchedCount++] = v;
          n[v]!++;
          sxy[v]! += xv * yv;
          sxx[v]! += xx;
          syy[v]! += yv * yv;
        }
      }
    }
    sims.fill(Number.NaN);
    overlap.fill(0);
    for (let t = 0; t < touchedCount; t++) {
      const v = touched[t]!;
      const count = n[v]!;
      if (v !== self && count >= options.minOverlap) {
        const raw = similarityFromSums(options.measure, count, sx[v]!, sy[v]!, sxy[v]!, sxx[v]!, syy[v]!);
        sims[v] = shrinkSimilarity(raw, count, options.shrinkage, options.significance);
        overlap[v] = count;
      }
      n[v] = 0;
      sx[v] = 0;
      sy[v] = 0;
      sxy[v] = 0;
      sxx[v] = 0;
      syy[v] = 0;
    }
  }
}
