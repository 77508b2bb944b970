/**
 * The validation slice for early stopping: a seeded random share of the
 * training ratings, held out of the fit and scored after every epoch. A
 * customer's last remaining rating is never held out, so every customer in
 * the slice still has a row to learn from (as in a real test).
 */
import type { Csr } from "../../core/csr.js";
import type { Rng } from "../../core/rng.js";

export interface HeldOut {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly values: Float32Array;
}

/** Splits `m` into the ratings kept for training and about `fraction` of them held out. O(nnz). */
export function holdOut(m: Csr, fraction: number, rng: Rng): { train: Csr; heldOut: HeldOut } {
  const total = m.indptr[m.rows]!;
  const rowOf = new Int32Array(total);
  for (let r = 0; r < m.rows; r++) rowOf.fill(r, m.indptr[r]!, m.indptr[r + 1]!);
  const left = new Int32Array(m.rows);
  for (let r = 0; r < m.rows; r++) left[r] = m.indptr[r + 1]! - m.indptr[r]!;
  const perm = rng.shuffle(Int32Array.from({ length: total }, (_, k) => k));
  const out = new Uint8Array(total);
  let want = Math.round(fraction * total);
  for (let k = 0; k < total && want > 0; k++) {
    const p = perm[k]!;
    const r = rowOf[p]!;
    if (left[r]! <= 1) continue;
    out[p] = 1;
    left[r]!--;
    want--;
  }
  let held = 0;
  for (let p = 0; p < total; p++) held += out[p]!;
  const indptr = new Int32Array(m.rows + 1);
  const indices = new Int32Array(total - held);
  const values = new Float32Array(total - held);
  const heldOut = { users: new Int32Array(held), items: new Int32Array(held), values: new Float32Array(held) };
  let t = 0;
  let h = 0;
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
      if (out[p]) {
        heldOut.users[h] = r;
        heldOut.items[h] = m.indices[p]!;
        heldOut.values[h++] = m.values[p]!;
      } else {
        indices[t] = m.indices[p]!;
        values[t++] = m.values[p]!;
      }
    }
    indptr[r + 1] = t;
  }
  return { train: { rows: m.rows, cols: m.cols, indptr, indices, values }, heldOut };
}
