/**
 * Helpers for the snapshot side of the classic algorithms: checking what a
 * snapshot claims before trusting its arrays, so a wrong or truncated
 * snapshot is refused with a clear error instead of scoring garbage.
 */
import type { Csr } from "../../core/csr.js";
import { KindredError } from "../../core/errors.js";
import type { ModelSnapshot, NumericArray } from "../../core/snapshot.js";

function fail(kind: string, why: string): never {
  throw new KindredError("INVALID_INPUT", `model snapshot of "${kind}": ${why}`, { field: "snapshot" });
}

/** Throws unless the snapshot is of `kind` at `version`. */
export function checkSnapshot(snapshot: ModelSnapshot, kind: string, version: number): void {
  if (snapshot.kind !== kind) fail(kind, `it is a snapshot of "${snapshot.kind}"`);
  if (snapshot.version !== version) fail(kind, `version ${snapshot.version} is not supported (expected ${version})`);
}

/** The named array, checked for type and (when given) length. */
export function snapshotArray<T extends NumericArray>(
  snapshot: ModelSnapshot,
  name: string,
  type: abstract new (...args: never[]) => T,
  length?: number,
): T {
  const array = snapshot.arrays[name];
  if (!(array instanceof type)) fail(snapshot.kind, `array "${name}" is missing or of the wrong type`);
  if (length !== undefined && array.length !== length) {
    fail(snapshot.kind, `array "${name}" has length ${array.length}, expected ${length}`);
  }
  return array;
}

/** A number from the snapshot's meta (JSON writes NaN as null, so null reads back as NaN). */
export function snapshotNumber(snapshot: ModelSnapshot, name: string): number {
  const value = snapshot.meta[name];
  if (value === null) return Number.NaN;
  if (typeof value !== "number") fail(snapshot.kind, `meta "${name}" is missing or not a number`);
  return value;
}

/** A CSR's arrays under `prefix` (prefix + "Indptr", "Indices", "Values"), for ModelSnapshot.arrays. */
export function csrArrays(prefix: string, m: Csr): Record<string, NumericArray> {
  return { [`${prefix}Indptr`]: m.indptr, [`${prefix}Indices`]: m.indices, [`${prefix}Values`]: m.values };
}

/**
 * The CSR stored under `prefix`, checked to be well-formed (indptr monotone
 * from 0 to nnz, column indices in range) so that a damaged snapshot cannot
 * make the hot loops read out of bounds.
 */
export function snapshotCsr(snapshot: ModelSnapshot, prefix: string, rows: number, cols: number): Csr {
  const indptr = snapshotArray(snapshot, `${prefix}Indptr`, Int32Array, rows + 1);
  const indices = snapshotArray(snapshot, `${prefix}Indices`, Int32Array);
  const values = snapshotArray(snapshot, `${prefix}Values`, Float32Array, indices.length);
  if (indptr[0] !== 0 || indptr[rows] !== indices.length) fail(snapshot.kind, `matrix "${prefix}" is inconsistent`);
  for (let r = 0; r < rows; r++) {
    if (indptr[r + 1]! < indptr[r]!) fail(snapshot.kind, `matrix "${prefix}" has a decreasing indptr`);
  }
  for (let p = 0; p < indices.length; p++) {
    const c = indices[p]!;
    if (c < 0 || c >= cols) fail(snapshot.kind, `matrix "${prefix}" has a column ${c} outside 0..${cols - 1}`);
  }
  return { rows, cols, indptr, indices, values };
}

/** A non-negative integer from the snapshot's meta (a shape). */
export function snapshotCount(snapshot: ModelSnapshot, name: string): number {
  const value = snapshotNumber(snapshot, name);
  if (!Number.isInteger(value) || value < 0) fail(snapshot.kind, `meta "${name}" is not a count`);
  return value;
}
