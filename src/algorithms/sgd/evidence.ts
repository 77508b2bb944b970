/**
 * A query's evidence for the factor models, in dense ids: ratings (history,
 * else the fitted row) and weighted implicit items (feedback, else the fitted
 * N(u) row), filtered to items the model knows and finite values.
 */
import type { Csr } from "../../core/csr.js";
import { isKnownItem, isKnownUser, queryRatings } from "../classic/query-ratings.js";
import type { Query } from "../recommender.js";

export interface ItemValues {
  readonly items: Int32Array;
  readonly values: Float32Array;
}

export const NO_ITEMS: ItemValues = { items: new Int32Array(0), values: new Float32Array(0) };

export function row(m: Csr, r: number): ItemValues {
  const start = m.indptr[r]!;
  const end = m.indptr[r + 1]!;
  return { items: m.indices.subarray(start, end), values: m.values.subarray(start, end) };
}

/** Entries on known items with finite, positive weights. */
export function positiveOnly(v: ItemValues, itemCount: number): ItemValues {
  const n = Math.min(v.items.length, v.values.length);
  let keep = 0;
  for (let k = 0; k < n; k++) if (isKnownItem(v.items[k]!, itemCount) && v.values[k]! > 0) keep++;
  if (keep === v.items.length && keep === v.values.length) return v;
  const items = new Int32Array(keep);
  const values = new Float32Array(keep);
  for (let k = 0, j = 0; k < n; k++) {
    if (!isKnownItem(v.items[k]!, itemCount) || !(v.values[k]! > 0)) continue;
    items[j] = v.items[k]!;
    values[j++] = v.values[k]!;
  }
  return { items, values };
}

/** The query's ratings: its history, else the fitted row of a known customer, else none. */
export function ratingsOf(query: Query, ratings: Csr): ItemValues {
  return queryRatings(query, ratings) ?? NO_ITEMS;
}

/** True when `v` is exactly the fitted row r of `m`. */
export function sameAsRow(v: ItemValues, m: Csr, r: number): boolean {
  const start = m.indptr[r]!;
  const n = m.indptr[r + 1]! - start;
  if (v.items.length !== n) return false;
  for (let k = 0; k < n; k++) {
    if (v.items[k] !== m.indices[start + k] || v.values[k] !== m.values[start + k]) return false;
  }
  return true;
}

export function knownUser(query: Query, users: number): number {
  return isKnownUser(query.user, users) ? query.user : -1;
}
