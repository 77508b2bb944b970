/**
 * Cross-validation inside one training set, the only data defaults are tuned
 * on (never the published test folds), and the two scores a trial gets:
 * - RMSE with the fallback chain's answer where the model says NaN (as the
 *   engine would answer), and the share of pairs that fell back;
 * - NDCG@10 of the full catalogue minus each customer's training items, every
 *   held-out rating relevant (the protocol of src/eval/rank-fold.ts), or only
 *   the liked ones (a rating threshold).
 */
import { type Recommender, rankingScores } from "../../src/algorithms/recommender.js";
import { csrFromCoo } from "../../src/core/csr.js";
import { Dataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { ndcgAtK } from "../../src/eval/metrics/ranking.js";
import { topK } from "../../src/linalg/top-k.js";
import { predictPairs } from "../../test/algorithms/predict-pairs.js";
import type { TestPairs } from "../../test/helpers/data.js";

export interface Split {
  readonly train: Dataset;
  readonly test: TestPairs;
}

/**
 * Seeded k-fold splits of a dataset's ratings: shuffled and dealt round-robin into `folds` parts; split f
 * holds part f out.
 */
export function crossValidation(train: Dataset, folds = 5, seed = 2024): Split[] {
  const m = train.ratings;
  const n = m.indptr[m.rows]!;
  const rowOf = new Int32Array(n);
  for (let u = 0; u < m.rows; u++) rowOf.fill(u, m.indptr[u]!, m.indptr[u + 1]!);
  const order = new Rng(seed).shuffle(Int32Array.from({ length: n }, (_, p) => p));
  const part = new Uint8Array(n);
  for (let k = 0; k < n; k++) part[order[k]!] = k % folds;
  return Array.from({ length: folds }, (_, f) => {
    const keep = { u: new Int32Array(n), i: new Int32Array(n), v: new Float32Array(n), n: 0 };
    const held = { u: [] as number[], i: [] as number[], v: [] as number[] };
    for (let p = 0; p < n; p++) {
      if (part[p] === f) {
        held.u.push(rowOf[p]!);
        held.i.push(m.indices[p]!);
        held.v.push(m.values[p]!);
      } else {
        keep.u[keep.n] = rowOf[p]!;
        keep.i[keep.n] = m.indices[p]!;
        keep.v[keep.n++] = m.values[p]!;
      }
    }
    const ratings = csrFromCoo(m.rows, m.cols, keep.u, keep.i, keep.v, keep.n);
    return {
      train: new Dataset({ users: train.users, items: train.items, ratings, scale: train.scale }),
      test: { users: Int32Array.from(held.u), items: Int32Array.from(held.i), values: Float32Array.from(held.v) },
    };
  });
}

/** RMSE where NaN predictions take the fallback's (the chain's answer), and the share that fell back. */
export function chainedRmse(
  model: Recommender,
  fallback: Recommender,
  test: TestPairs,
): { rmse: number; fellBack: number } {
  const own = predictPairs(model, test);
  const other = predictPairs(fallback, test);
  let sum = 0;
  let n = 0;
  let fell = 0;
  for (let k = 0; k < own.length; k++) {
    let p = own[k]!;
    if (Number.isNaN(p)) {
      fell++;
      p = other[k]!;
    }
    if (Number.isNaN(p)) continue;
    sum += (p - test.values[k]!) ** 2;
    n++;
  }
  return { rmse: Math.sqrt(sum / n), fellBack: own.length > 0 ? fell / own.length : 0 };
}

/**
 * Mean NDCG@k over customers with relevant held-out ratings (every one, or those ≥ `liked`), ranking every
 * item they did not rate in training.
 */
export function heldOutNdcg(model: Recommender, train: Dataset, test: TestPairs, k = 10, liked?: number): number {
  const counts = (t: number): boolean => test.users[t]! >= 0 && (liked === undefined || test.values[t]! >= liked);
  const all = Int32Array.from({ length: train.itemCount }, (_, i) => i);
  const start = new Int32Array(train.userCount + 1);
  test.users.forEach((u, t) => {
    if (counts(t)) start[u + 1]!++;
  });
  for (let u = 0; u < train.userCount; u++) start[u + 1] = start[u + 1]! + start[u]!;
  const cursor = start.slice(0, train.userCount);
  const held = new Int32Array(start[train.userCount]!);
  test.users.forEach((u, t) => {
    if (counts(t)) held[cursor[u]!++] = test.items[t]!;
  });
  const skip = new Uint8Array(all.length);
  const relevant = new Uint8Array(all.length);
  const out = new Float32Array(all.length);
  const { indptr, indices } = train.ratings;
  let sum = 0;
  let users = 0;
  for (let u = 0; u < train.userCount; u++) {
    if (start[u + 1] === start[u]) continue;
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) skip[indices[p]!] = 1;
    for (let p = start[u]!; p < start[u + 1]!; p++) relevant[held[p]!] = 1;
    const top = topK(rankingScores(model, { user: u }, all, out), k, skip);
    sum += ndcgAtK(
      Array.from(top, (i) => relevant[i]!),
      start[u + 1]! - start[u]!,
      k,
    );
    users++;
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) skip[indices[p]!] = 0;
    for (let p = start[u]!; p < start[u + 1]!; p++) relevant[held[p]!] = 0;
  }
  return users > 0 ? sum / users : Number.NaN;
}
