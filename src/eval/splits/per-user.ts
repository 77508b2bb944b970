/**
 * Per-customer splits: per-user:N holds out N random pairs of each customer,
 * last:N each customer's N latest pairs (by time, then log position).
 * Customers with N pairs or fewer stay wholly in training, so every test
 * customer has a history to be served from (as in ml-100k's ua/ub splits).
 * Temporal:F holds out the latest share F of all pairs (one global cut).
 */
import type { Rng } from "../../core/rng.js";
import type { PairUnits } from "./units.js";

function laterFirst(units: PairUnits): (a: number, b: number) => number {
  return (a, b) => units.time[b]! - units.time[a]! || units.lastPosition[b]! - units.lastPosition[a]!;
}

export function perUserMask(units: PairUnits, n: number, rng: Rng | "latest"): Uint8Array {
  const mask = new Uint8Array(units.count);
  const customers = units.userStart.length - 1;
  const byTime = laterFirst(units);
  for (let u = 0; u < customers; u++) {
    const start = units.userStart[u]!;
    const end = units.userStart[u + 1]!;
    if (end - start <= n) continue;
    const own = new Int32Array(end - start);
    for (let i = 0; i < own.length; i++) own[i] = start + i;
    if (rng === "latest") own.sort(byTime);
    else rng.shuffle(own);
    for (let i = 0; i < n; i++) mask[own[i]!] = 1;
  }
  return mask;
}

export function temporalMask(units: PairUnits, fraction: number): Uint8Array {
  const order = new Int32Array(units.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort(laterFirst(units));
  const mask = new Uint8Array(units.count);
  const held = Math.round(units.count * fraction);
  for (let pos = 0; pos < held; pos++) mask[order[pos]!] = 1;
  return mask;
}
