/**
 * Seeded synthetic rating data at any size, shaped like real catalogues:
 * - item popularity long-tailed (Zipf, exponent 1): a few items get most ratings;
 * - customer activity long-tailed (log-normal, σ = 1): most rate a few, some rate hundreds;
 * - ratings from latent tastes: clamp(round(3.5 + b_u + b_i + p_u·q_i + noise)) on 1–5.
 * Sizes follow MovieLens: items ≈ 4·√ratings (ml-1m: 3.7k, ml-10m: 10.7k),
 * customers ≈ ratings / 100. O(ratings · (log items + factors)); no object per rating.
 */

import { IdMap } from "../../src/core/id-map.js";
import { InteractionLog } from "../../src/core/interaction-log.js";
import { Rng } from "../../src/core/rng.js";

export interface SyntheticRatings {
  readonly log: InteractionLog;
  readonly users: number;
  readonly items: number;
}

export function syntheticRatings(ratings: number, seed = 42, factors = 8): SyntheticRatings {
  const rng = new Rng(seed);
  const nItems = Math.max(50, Math.round(4 * Math.sqrt(ratings)));
  const nUsers = Math.max(20, Math.round(ratings / 100));
  // Item popularity: cumulative Zipf weights, sampled by binary search.
  const cdf = new Float64Array(nItems);
  let total = 0;
  for (let i = 0; i < nItems; i++) {
    total += 1 / (i + 1);
    cdf[i] = total;
  }
  for (let i = 0; i < nItems; i++) cdf[i]! /= total;
  const drawItem = (): number => {
    const r = rng.next();
    let lo = 0;
    let hi = nItems - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // Customer activity: log-normal weights scaled to the total, each at least 1 and at most a quarter of the catalogue.
  const weight = new Float64Array(nUsers);
  let weightSum = 0;
  for (let u = 0; u < nUsers; u++) {
    weight[u] = Math.exp(rng.normal(0, 1));
    weightSum += weight[u]!;
  }
  const counts = new Int32Array(nUsers);
  const cap = Math.floor(nItems / 4);
  let assigned = 0;
  for (let u = 0; u < nUsers; u++) {
    counts[u] = Math.min(cap, Math.max(1, Math.round((weight[u]! / weightSum) * ratings)));
    assigned += counts[u]!;
  }
  for (let u = 0; assigned < ratings; u = (u + 1) % nUsers) {
    if (counts[u]! < cap) {
      counts[u]!++;
      assigned++;
    }
  }
  for (let u = 0; assigned > ratings; u = (u + 1) % nUsers) {
    if (counts[u]! > 1) {
      counts[u]!--;
      assigned--;
    }
  }
  const p = Float32Array.from({ length: nUsers * factors }, () => rng.normal(0, 0.35));
  const q = Float32Array.from({ length: nItems * factors }, () => rng.normal(0, 0.35));
  const bu = Float32Array.from({ length: nUsers }, () => rng.normal(0, 0.35));
  const bi = Float32Array.from({ length: nItems }, () => rng.normal(0, 0.4));
  const users = new IdMap(Array.from({ length: nUsers }, (_, u) => `u${u}`));
  const items = new IdMap(Array.from({ length: nItems }, (_, i) => `i${i}`));
  const log = new InteractionLog(users, items, ratings);
  const stamp = new Int32Array(nItems).fill(-1);
  let time = Date.UTC(2020, 0, 1);
  for (let u = 0; u < nUsers; u++) {
    for (let k = 0; k < counts[u]!; k++) {
      let i = drawItem();
      while (stamp[i] === u) i = drawItem();
      stamp[i] = u;
      let dot = 0;
      for (let f = 0; f < factors; f++) dot += p[u * factors + f]! * q[i * factors + f]!;
      const r = Math.min(5, Math.max(1, Math.round(3.5 + bu[u]! + bi[i]! + dot * 4 + rng.normal(0, 0.5))));
      time += 1000;
      log.push(u, i, 0, r, time);
    }
  }
  return { log, users: nUsers, items: nItems };
}
