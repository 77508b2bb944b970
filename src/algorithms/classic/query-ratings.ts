/**
 * The ratings a query stands for: its `history` when given (the customer's
 * current ratings, which replace whatever the model was fitted on), else the
 * fitted row of a known customer, else nothing (the model cannot score).
 * Shared by every rating model that folds a customer in.
 */
import type { Csr } from "../../core/csr.js";
import type { Query } from "../recommender.js";

export interface RatingsView {
  readonly items: Int32Array;
  readonly values: Float32Array;
}

const EMPTY: RatingsView = { items: new Int32Array(0), values: new Float32Array(0) };

/** True when `user` is a dense id of a customer the model was fitted on. */
export function isKnownUser(user: number | undefined, userCount: number): user is number {
  return user !== undefined && Number.isInteger(user) && user >= 0 && user < userCount;
}

/** True when `item` is a dense id of an item the model was fitted on. */
export function isKnownItem(item: number, itemCount: number): boolean {
  return item >= 0 && item < itemCount && Number.isInteger(item);
}

/**
 * The query's ratings on known items, or null when the query is an unknown
 * customer without history. History entries on unknown items or with
 * non-finite values are dropped (a new item cannot inform a fitted model).
 * Views share memory with the fitted matrix or the history when possible.
 */
export function queryRatings(query: Query, ratings: Csr): RatingsView | null {
  const history = query.history;
  if (history !== undefined) {
    const n = Math.min(history.items.length, history.values.length);
    let valid = 0;
    for (let k = 0; k < n; k++) {
      if (isKnownItem(history.items[k]!, ratings.cols) && Number.isFinite(history.values[k]!)) valid++;
    }
    if (valid === history.items.length && valid === history.values.length) return history;
    const items = new Int32Array(valid);
    const values = new Float32Array(valid);
    for (let k = 0, j = 0; k < n; k++) {
      const i = history.items[k]!;
      const v = history.values[k]!;
      if (!isKnownItem(i, ratings.cols) || !Number.isFinite(v)) continue;
      items[j] = i;
      values[j++] = v;
    }
    return { items, values };
  }
  if (!isKnownUser(query.user, ratings.rows)) return null;
  const start = ratings.indptr[query.user]!;
  const end = ratings.indptr[query.user + 1]!;
  if (start === end) return EMPTY;
  return { items: ratings.indices.subarray(start, end), values: ratings.values.subarray(start, end) };
}

/** A scores buffer of the right length: `out` when it fits, else a new one. */
export function scoresBuffer(length: number, out?: Float32Array): Float32Array {
  if (out !== undefined && out.length >= length) return out.length === length ? out : out.subarray(0, length);
  return new Float32Array(length);
}
