/**
 * Scores the held-out ratings of a fold: grouped by customer (counting sort),
 * one score() call per customer with all of their held-out items. An item
 * training never saw (-1) is not passed to the model: it is unscorable.
 * Customers training never saw are queried with no user (the model may
 * still answer, e.g. with a global mean).
 */
import type { Recommender } from "../algorithms/recommender.js";
import { EVENT_TYPE_CODE } from "../core/types.js";
import type { CurveSums } from "./fold-eval.js";
import { mae, rmse, unscorable } from "./metrics/rating.js";
import { type Fold, historyBucket } from "./types.js";

export interface RatingScores {
  readonly count: number;
  readonly predictions: Float32Array;
  readonly truth: Float32Array;
  readonly rmse: number;
  readonly mae: number;
  readonly unscorable: number;
}

export function scoreRatings(model: Recommender, fold: Fold, history: Int32Array, curve?: CurveSums): RatingScores {
  const { test } = fold;
  const users = fold.train.userCount;
  const ratingCode = EVENT_TYPE_CODE.rating;
  // Group rating pairs by customer; unknown customers (-1) go to the extra last group.
  const start = new Int32Array(users + 2);
  let count = 0;
  for (let k = 0; k < test.users.length; k++) {
    if (test.types[k] !== ratingCode) continue;
    const u = test.users[k]!;
    start[(u < 0 ? users : u) + 1]!++;
    count++;
  }
  for (let g = 0; g <= users; g++) start[g + 1] = start[g + 1]! + start[g]!;
  const cursor = start.slice(0, users + 1);
  const order = new Int32Array(count);
  for (let k = 0; k < test.users.length; k++) {
    if (test.types[k] !== ratingCode) continue;
    const u = test.users[k]!;
    order[cursor[u < 0 ? users : u]!++] = k;
  }
  const predictions = new Float32Array(count).fill(Number.NaN);
  const truth = new Float32Array(count);
  let maxGroup = 0;
  for (let g = 0; g <= users; g++) maxGroup = Math.max(maxGroup, start[g + 1]! - start[g]!);
  const items = new Int32Array(maxGroup);
  const out = new Float32Array(maxGroup);
  const at = new Int32Array(maxGroup); // position in `predictions` of each scored item
  for (let g = 0; g <= users; g++) {
    let n = 0;
    for (let p = start[g]!; p < start[g + 1]!; p++) {
      const k = order[p]!;
      truth[p] = test.values[k]!;
      const item = test.items[k]!;
      if (item < 0) continue;
      items[n] = item;
      at[n] = p;
      n++;
    }
    if (n === 0) continue;
    const query = g < users ? { user: g } : {};
    const scores = model.score(query, items.subarray(0, n), out.subarray(0, n));
    const bucket = historyBucket(g < users ? history[g]! : 0);
    for (let j = 0; j < n; j++) {
      const s = scores[j]!;
      const p = at[j]!;
      predictions[p] = s;
      if (curve && !Number.isNaN(s)) {
        const d = s - truth[p]!;
        curve.ratings[bucket]! += 1;
        curve.squaredError[bucket]! += d * d;
        curve.absoluteError[bucket]! += Math.abs(d);
      }
    }
  }
  return {
    count,
    predictions,
    truth,
    rmse: rmse(predictions, truth),
    mae: mae(predictions, truth),
    unscorable: unscorable(predictions),
  };
}
