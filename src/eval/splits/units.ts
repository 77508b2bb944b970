/**
 * Splits assign (customer, item) pairs, not single events, to test: every
 * event of a pair lands on the same side, so a re-rated item can never be in
 * training and in test at once. A "unit" is one distinct pair of the log.
 *
 * Built by a counting sort on the customer, then a sort of each customer's
 * events by item: O(events · log(events per customer)), no Map per event.
 */
import type { InteractionLog } from "../../core/interaction-log.js";

export interface PairUnits {
  readonly count: number;
  /** The unit of each event of the log. */
  readonly unitOf: Int32Array;
  /** Each unit's customer (dense id of the log). */
  readonly user: Int32Array;
  /** Each unit's item (dense id of the log). */
  readonly item: Int32Array;
  /** Each unit's latest event time (ms), and the log position of that event (a tie-breaker). */
  readonly time: Float64Array;
  readonly lastPosition: Int32Array;
  /** Units of customer u are userStart[u] .. userStart[u+1]-1, sorted by item. */
  readonly userStart: Int32Array;
}

export function pairUnits(log: InteractionLog): PairUnits {
  const n = log.length;
  const users = log.users.size;
  const start = new Int32Array(users + 1);
  for (let p = 0; p < n; p++) start[log.user[p]! + 1]!++;
  for (let u = 0; u < users; u++) start[u + 1] = start[u + 1]! + start[u]!;
  const cursor = start.slice(0, users);
  const order = new Int32Array(n);
  for (let p = 0; p < n; p++) order[cursor[log.user[p]!]!++] = p;
  // Sort each customer's events by item, then by position (so the last of a pair is its latest event).
  for (let u = 0; u < users; u++) {
    const segment = order.subarray(start[u]!, start[u + 1]!);
    if (segment.length > 1) segment.sort((a, b) => log.item[a]! - log.item[b]! || a - b);
  }
  const unitOf = new Int32Array(n);
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  const time = new Float64Array(n);
  const lastPosition = new Int32Array(n);
  const userStart = new Int32Array(users + 1);
  let count = 0;
  for (let u = 0; u < users; u++) {
    userStart[u] = count;
    let previousItem = -1;
    for (let k = start[u]!; k < start[u + 1]!; k++) {
      const p = order[k]!;
      const i = log.item[p]!;
      if (i !== previousItem) {
        user[count] = u;
        item[count] = i;
        time[count] = Number.NEGATIVE_INFINITY;
        count++;
        previousItem = i;
      }
      const unit = count - 1;
      unitOf[p] = unit;
      const t = log.time[p]!;
      if (t > time[unit]! || (t === time[unit]! && p > lastPosition[unit]!)) {
        time[unit] = t;
        lastPosition[unit] = p;
      }
    }
  }
  userStart[users] = count;
  return {
    count,
    unitOf,
    user: user.slice(0, count),
    item: item.slice(0, count),
    time: time.slice(0, count),
    lastPosition: lastPosition.slice(0, count),
    userStart,
  };
}

/** The unit of (user, item) by binary search in the customer's units, or -1. */
export function findUnit(units: PairUnits, user: number, item: number): number {
  if (user < 0 || user + 1 >= units.userStart.length) return -1;
  let lo = units.userStart[user]!;
  let hi = units.userStart[user + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = units.item[mid]!;
    if (v === item) return mid;
    if (v < item) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
