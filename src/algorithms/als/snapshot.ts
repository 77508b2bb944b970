/**
 * Snapshots of fitted ALS models (`als`, `ials`): the factor arrays, biases and
 * training evidence as raw typed arrays, and the scalars in `meta`. Restore
 * checks every array's presence, type and length before trusting it.
 */
import type { Csr } from "../../core/csr.js";
import { KindredError } from "../../core/errors.js";
import type { ModelSnapshot, NumericArray } from "../../core/snapshot.js";
import type { FactorArrays } from "./factor-model.js";

export function factorSnapshotArrays(arrays: FactorArrays): Record<string, NumericArray> {
  return {
    userFactors: arrays.userFactors,
    itemFactors: arrays.itemFactors,
    userBias: arrays.userBias,
    itemBias: arrays.itemBias,
    indptr: arrays.evidence.indptr,
    indices: arrays.evidence.indices,
    values: arrays.evidence.values,
    ...(arrays.liked ? { liked: arrays.liked } : {}),
  };
}

export function snapshotError(kind: string, why: string): KindredError {
  return new KindredError("INVALID_INPUT", `${kind} snapshot: ${why}`, { field: "snapshot" });
}

/** Checks kind and version; returns meta numbers by name (throwing when one is missing). */
export function checkSnapshotHeader(snapshot: ModelSnapshot, kind: string, version: number): (key: string) => number {
  if (snapshot.kind !== kind) throw snapshotError(kind, `is of kind "${snapshot.kind}"`);
  if (snapshot.version !== version) {
    throw snapshotError(kind, `version ${snapshot.version} is not supported (expected ${version})`);
  }
  return (key) => {
    const v = snapshot.meta[key];
    if (typeof v !== "number") throw snapshotError(kind, `meta.${key} is missing`);
    return v;
  };
}

/** One array, of the expected type and length (length undefined: any). */
export function snapshotArray<T extends NumericArray>(
  snapshot: ModelSnapshot,
  kind: string,
  name: string,
  Ctor: abstract new (...args: never[]) => T,
  length?: number,
): T {
  const a = snapshot.arrays[name];
  if (!(a instanceof Ctor)) throw snapshotError(kind, `array "${name}" is missing or of the wrong type`);
  if (length !== undefined && a.length !== length) {
    throw snapshotError(kind, `array "${name}" has length ${a.length}, expected ${length}`);
  }
  return a;
}

/** The users × items evidence CSR stored as indptr/indices/values, checked to be well-formed. */
export function readEvidence(snapshot: ModelSnapshot, kind: string, users: number, items: number): Csr {
  for (const [name, n] of [
    ["users", users],
    ["items", items],
  ] as const) {
    if (!(Number.isInteger(n) && n >= 0)) throw snapshotError(kind, `meta.${name} = ${n} is not a count`);
  }
  const indptr = snapshotArray(snapshot, kind, "indptr", Int32Array, users + 1);
  const total = indptr[users]!;
  const indices = snapshotArray(snapshot, kind, "indices", Int32Array, total);
  const values = snapshotArray(snapshot, kind, "values", Float32Array, total);
  if (indptr[0] !== 0) throw snapshotError(kind, "indptr does not start at 0");
  for (let u = 0; u < users; u++) {
    if (indptr[u + 1]! < indptr[u]!) throw snapshotError(kind, `indptr decreases at row ${u}`);
  }
  for (let p = 0; p < total; p++) {
    const i = indices[p]!;
    if (!(i >= 0 && i < items)) throw snapshotError(kind, `item index ${i} at position ${p} is out of range`);
  }
  return { rows: users, cols: items, indptr, indices, values };
}

export function readFactorArrays(
  snapshot: ModelSnapshot,
  kind: string,
  users: number,
  items: number,
  k: number,
  withBias: boolean,
): FactorArrays {
  const userFactors = snapshotArray(snapshot, kind, "userFactors", Float32Array, users * k);
  const itemFactors = snapshotArray(snapshot, kind, "itemFactors", Float32Array, items * k);
  const userBias = snapshotArray(snapshot, kind, "userBias", Float32Array, withBias ? users : 0);
  const itemBias = snapshotArray(snapshot, kind, "itemBias", Float32Array, withBias ? items : 0);
  const evidence = readEvidence(snapshot, kind, users, items);
  return {
    userFactors,
    itemFactors,
    userBias,
    itemBias,
    evidence,
    // Optional: snapshots written before explanations cited liked items only have no flags.
    ...(snapshot.arrays.liked === undefined
      ? {}
      : { liked: snapshotArray(snapshot, kind, "liked", Uint8Array, evidence.indices.length) }),
  };
}
