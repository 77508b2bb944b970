/**
 * Predictions for held-out (user, item) pairs, one score() call per customer
 * (as the engine does), written back in the pairs' order.
 */
import type { Recommender } from "../../src/algorithms/recommender.js";
import type { TestPairs } from "../helpers/data.js";

export function predictPairs(model: Recommender, pairs: TestPairs): Float32Array {
  const n = pairs.users.length;
  const order = Int32Array.from({ length: n }, (_, k) => k).sort((a, b) => pairs.users[a]! - pairs.users[b]! || a - b);
  const predictions = new Float32Array(n);
  for (let start = 0; start < n; ) {
    const user = pairs.users[order[start]!]!;
    let end = start;
    while (end < n && pairs.users[order[end]!] === user) end++;
    const items = new Int32Array(end - start);
    for (let k = start; k < end; k++) items[k - start] = pairs.items[order[k]!]!;
    const scores = model.score(user < 0 ? {} : { user }, items);
    for (let k = start; k < end; k++) predictions[order[k]!] = scores[k - start]!;
    start = end;
  }
  return predictions;
}
