/**
 * Full-ranking NDCG@k for tests of ranking models: for every customer with
 * held-out items, score the whole catalogue, skip their training items, take
 * the top k with one heap, and compare with the held-out items (every held-out
 * event relevant). The protocol of the ranking targets.
 */
import type { Recommender } from "../../src/algorithms/recommender.js";
import type { Dataset } from "../../src/core/dataset.js";
import { ndcgAtK } from "../../src/eval/metrics/ranking.js";
import { topK } from "../../src/linalg/top-k.js";
import type { TestPairs } from "../helpers/data.js";

export function ndcgOf(model: Recommender, train: Dataset, test: TestPairs, k = 10): number {
  const relevant = new Map<number, Set<number>>();
  for (let t = 0; t < test.users.length; t++) {
    const u = test.users[t]!;
    const i = test.items[t]!;
    if (u < 0 || i < 0) continue;
    const set = relevant.get(u) ?? new Set<number>();
    set.add(i);
    relevant.set(u, set);
  }
  const all = Int32Array.from({ length: train.itemCount }, (_, i) => i);
  const scores = new Float32Array(all.length);
  let sum = 0;
  for (const [u, set] of relevant) {
    model.score({ user: u }, all, scores);
    const skip = new Uint8Array(all.length);
    for (let p = train.ratings.indptr[u]!; p < train.ratings.indptr[u + 1]!; p++) skip[train.ratings.indices[p]!] = 1;
    const top = topK(scores, k, skip);
    sum += ndcgAtK(
      Array.from(top, (i) => (set.has(i) ? 1 : 0)),
      set.size,
      k,
    );
  }
  return relevant.size === 0 ? 0 : sum / relevant.size;
}
