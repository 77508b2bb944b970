/**
 * Ranking evaluation of one fitted model on one fold. For every customer
 * known in training with at least one relevant held-out event: score the full
 * catalogue (one rankingScores() call: the model's rank(), else score()), skip the customer's training items, keep the
 * top k with one heap, and compare with the relevant held-out items. Per-
 * customer metrics are averaged over customers; catalogue metrics are
 * computed over all lists. Held-out items training never saw still count as
 * relevant (no model could rank them; the figures say so rather than hide it).
 */
import { type Recommender, rankingScores } from "../algorithms/recommender.js";
import { EVENT_TYPE_CODE } from "../core/types.js";
import { topK } from "../linalg/top-k.js";
import type { CurveSums } from "./fold-eval.js";
import { catalogueCoverage, novelty, personalisation } from "./metrics/catalogue.js";
import type { MetricName } from "./metrics/index.js";
import {
  averagePrecisionAtK,
  hitRateAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  reciprocalRankAtK,
} from "./metrics/ranking.js";
import { type Fold, historyBucket, type RankingOptions } from "./types.js";

export interface RankingResult {
  readonly metrics: Partial<Record<MetricName, number>>;
  readonly rankedUsers: number;
  /** Relevant held-out events of customers training never saw (they cannot be ranked). */
  readonly coldEvents: number;
  /** Every ranked customer's list, flattened (see metrics/catalogue.ts). */
  readonly lists: { readonly users: Int32Array; readonly items: Int32Array; readonly offsets: Int32Array };
}

/** Relevant held-out items per customer (CSR-like), and how many relevant events belong to customers training never saw. */
function relevantByUser(fold: Fold, options: RankingOptions): { start: Int32Array; items: Int32Array; cold: number } {
  const { test } = fold;
  const users = fold.train.userCount;
  const isRelevant = (k: number): boolean =>
    test.types[k] !== EVENT_TYPE_CODE.rating || options.relevant === undefined || test.values[k]! >= options.relevant;
  const start = new Int32Array(users + 1);
  let cold = 0;
  for (let k = 0; k < test.users.length; k++) {
    if (!isRelevant(k)) continue;
    const u = test.users[k]!;
    if (u < 0) cold++;
    else start[u + 1]!++;
  }
  for (let u = 0; u < users; u++) start[u + 1] = start[u + 1]! + start[u]!;
  const cursor = start.slice(0, users);
  const items = new Int32Array(start[users]!);
  for (let k = 0; k < test.users.length; k++) {
    const u = test.users[k]!;
    if (u >= 0 && isRelevant(k)) items[cursor[u]!++] = test.items[k]!;
  }
  return { start, items, cold };
}

export function rankFold(
  model: Recommender,
  fold: Fold,
  history: Int32Array,
  curve: CurveSums | undefined,
  options: RankingOptions,
): RankingResult {
  const { train } = fold;
  const nItems = train.itemCount;
  const k = options.k;
  const relevant = relevantByUser(fold, options);
  const matrices = [train.ratings, ...Object.values(train.feedback)];
  const all = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) all[i] = i;
  const scores = new Float32Array(nItems);
  const skip = new Uint8Array(nItems);
  const isRelevant = new Uint8Array(nItems);
  const gains = new Uint8Array(k);
  const popularity = new Int32Array(nItems);
  // Popularity for novelty: training customers per item (across every event type).
  for (let u = 0; u < train.userCount; u++) {
    for (const m of matrices) {
      for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
        const i = m.indices[p]!;
        if (skip[i] === 0) {
          skip[i] = 1;
          popularity[i]!++;
        }
      }
    }
    for (const m of matrices) for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) skip[m.indices[p]!] = 0;
  }

  let ranked = 0;
  for (let u = 0; u < train.userCount; u++) if (relevant.start[u + 1]! > relevant.start[u]!) ranked++;
  const listUsers = new Int32Array(ranked);
  const listItems = new Int32Array(ranked * k);
  const offsets = new Int32Array(ranked + 1);
  const sums = { precision: 0, recall: 0, ndcg: 0, map: 0, mrr: 0, hitRate: 0 };
  let j = 0;
  for (let u = 0; u < train.userCount; u++) {
    const rs = relevant.start[u]!;
    const re = relevant.start[u + 1]!;
    if (re === rs) continue;
    let relevantCount = 0;
    for (let p = rs; p < re; p++) {
      const i = relevant.items[p]!;
      if (i < 0)
        relevantCount++; // an item training never saw: relevant, never rankable
      else if (isRelevant[i] === 0) {
        isRelevant[i] = 1;
        relevantCount++;
      }
    }
    for (const m of matrices) for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) skip[m.indices[p]!] = 1;
    const out = rankingScores(model, { user: u }, all, scores);
    const list = topK(out, k, skip);
    for (const m of matrices) for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) skip[m.indices[p]!] = 0;
    gains.fill(0);
    for (let r = 0; r < list.length; r++) {
      const i = list[r]!;
      gains[r] = isRelevant[i]!;
      listItems[offsets[j]! + r] = i;
    }
    for (let p = rs; p < re; p++) {
      const i = relevant.items[p]!;
      if (i >= 0) isRelevant[i] = 0;
    }
    const g = gains.subarray(0, list.length);
    const hit = hitRateAtK(g, k);
    sums.precision += precisionAtK(g, k);
    sums.recall += recallAtK(g, relevantCount, k);
    sums.ndcg += ndcgAtK(g, relevantCount, k);
    sums.map += averagePrecisionAtK(g, relevantCount, k);
    sums.mrr += reciprocalRankAtK(g, k);
    sums.hitRate += hit;
    if (curve) {
      const bucket = historyBucket(history[u]!);
      curve.users[bucket]! += 1;
      curve.hits[bucket]! += hit;
    }
    listUsers[j] = u;
    offsets[j + 1] = offsets[j]! + list.length;
    j++;
  }
  const items = listItems.slice(0, offsets[ranked]!);
  const mean = (s: number): number => (ranked === 0 ? Number.NaN : s / ranked);
  return {
    metrics: {
      precision: mean(sums.precision),
      recall: mean(sums.recall),
      ndcg: mean(sums.ndcg),
      map: mean(sums.map),
      mrr: mean(sums.mrr),
      hitRate: mean(sums.hitRate),
      coverage: catalogueCoverage(items, nItems),
      novelty: novelty(items, popularity, train.userCount),
      personalisation: personalisation(items, offsets, k, nItems),
    },
    rankedUsers: ranked,
    coldEvents: relevant.cold,
    lists: { users: listUsers, items, offsets },
  };
}
