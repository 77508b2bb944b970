/**
 * Helpers for the snapshot side of the classic algorithms: checking what a
 * snapshot claims before trusting its arrays, so a wrong or truncated
 * snapshot is refused with a clear error instead of scoring garbage.
 */
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
