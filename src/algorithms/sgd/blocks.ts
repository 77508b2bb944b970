/**
 * DSGD blocking (Gemulla, Nijkamp, Haas & Sismanis 2011): customers and items
 * are each split into two groups of about equal rating counts, giving 2×2
 * blocks; the blocks (0,0)+(1,1) and (0,1)+(1,0) form two strata whose two
 * blocks share no customer and no item, so two threads can run them at once
 * without locks and without races. The split depends only on the data, never
 * on the number of threads, so a seed gives the same model on one core or two.
 */
import type { Csr } from "../../core/csr.js";

export const BLOCKS = 2;

/** Greedy balanced two-way split of rows by weight (heaviest first, ties by id): group 0 or 1 per row. */
export function balancedSplit(weights: Int32Array): Uint8Array {
  const order = Int32Array.from({ length: weights.length }, (_, k) => k).sort(
    (a, b) => weights[b]! - weights[a]! || a - b,
  );
  const group = new Uint8Array(weights.length);
  let load0 = 0;
  let load1 = 0;
  for (const r of order) {
    if (load0 <= load1) load0 += weights[r]!;
    else {
      group[r] = 1;
      load1 += weights[r]!;
    }
  }
  return group;
}

export interface Blocked {
  /** Block of each rating position in CSR order: userGroup·2 + itemGroup. */
  readonly blockOf: Uint8Array;
  /** Ratings per block. */
  readonly sizes: Int32Array;
}

export function blockRatings(m: Csr): Blocked {
  const rowCounts = new Int32Array(m.rows);
  const colCounts = new Int32Array(m.cols);
  for (let r = 0; r < m.rows; r++) {
    rowCounts[r] = m.indptr[r + 1]! - m.indptr[r]!;
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) colCounts[m.indices[p]!]!++;
  }
  const userGroup = balancedSplit(rowCounts);
  const itemGroup = balancedSplit(colCounts);
  const blockOf = new Uint8Array(m.indptr[m.rows]!);
  const sizes = new Int32Array(BLOCKS * BLOCKS);
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
      const b = userGroup[r]! * BLOCKS + itemGroup[m.indices[p]!]!;
      blockOf[p] = b;
      sizes[b]!++;
    }
  }
  return { blockOf, sizes };
}

/** The two strata as pairs of block ids: s → blocks (0, s) and (1, 1 − s). */
export function stratum(s: number): readonly [number, number] {
  return [s, BLOCKS + (1 - s)];
}
