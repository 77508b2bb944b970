/**
 * Evaluates one algorithm on one fold: fit once, then score the held-out
 * ratings grouped by customer (one score() call per customer) and rank the
 * full catalogue minus each customer's training items with one top-k heap
 * per customer. Runs the same in-process and inside an evaluation worker.
 */

import type { Recommender } from "../algorithms/recommender.js";
import type { AlgorithmRegistry } from "../algorithms/registry.js";
import { Rng } from "../core/rng.js";
import { MemoryProbe } from "./memory.js";
import type { MetricName } from "./metrics/index.js";
import { rankFold } from "./rank-fold.js";
import { scoreRatings } from "./score-ratings.js";
import type { EvalTask, Fold } from "./types.js";
import { HISTORY_BUCKETS } from "./types.js";

export interface FoldJob {
  readonly algorithm: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly task: EvalTask;
  readonly k: number;
  readonly relevant?: number | undefined;
  readonly seed: number;
  /** Threads the algorithm's own fit may use. */
  readonly threads?: number;
}

/** Sums per bucket of the learning-relationship curve (pooled across folds before dividing). */
export interface CurveSums {
  /** Scored held-out ratings, their squared and absolute errors. */
  readonly ratings: number[];
  readonly squaredError: number[];
  readonly absoluteError: number[];
  /** Ranked customers and those with a hit in their top k. */
  readonly users: number[];
  readonly hits: number[];
}

export interface FoldResult {
  readonly fold: string;
  readonly algorithm: string;
  readonly fitSeconds: number;
  readonly predictSeconds: number;
  /** Peak of the evaluating thread's heap + typed arrays during the job (MB). */
  readonly peakMemoryMB: number;
  readonly metrics: Partial<Record<MetricName, number>>;
  readonly counts: {
    readonly trainRatings: number;
    readonly testRatings: number;
    readonly rankedUsers: number;
    /** Relevant held-out events of customers with no training history (not ranked). */
    readonly coldEvents: number;
  };
  readonly curve: CurveSums;
  readonly fitDetails?: Readonly<Record<string, number | string>>;
}

export function emptyCurve(): CurveSums {
  const zeros = (): number[] => HISTORY_BUCKETS.map(() => 0);
  return { ratings: zeros(), squaredError: zeros(), absoluteError: zeros(), users: zeros(), hits: zeros() };
}

/** Per customer: distinct items in training across ratings and every feedback type. */
export function trainingHistory(fold: Fold): Int32Array {
  const { train } = fold;
  const counts = new Int32Array(train.userCount);
  const mark = new Uint8Array(train.itemCount);
  const matrices = [train.ratings, ...Object.values(train.feedback)];
  for (let u = 0; u < train.userCount; u++) {
    let c = 0;
    for (const m of matrices) {
      for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
        const i = m.indices[p]!;
        if (mark[i] === 0) {
          mark[i] = 1;
          c++;
        }
      }
    }
    for (const m of matrices) for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) mark[m.indices[p]!] = 0;
    counts[u] = c;
  }
  return counts;
}

export async function evaluateFold(registry: AlgorithmRegistry, job: FoldJob, fold: Fold): Promise<FoldResult> {
  const memory = new MemoryProbe();
  const definition = registry.get(job.algorithm);
  const model: Recommender = registry.create(job.algorithm, job.params);
  const fitStart = performance.now();
  const report = await model.fit(fold.train, {
    rng: new Rng(job.seed),
    threads: job.threads ?? 1,
    onEpoch: () => memory.sample(),
  });
  const fitSeconds = (performance.now() - fitStart) / 1000;
  memory.sample();

  const history = trainingHistory(fold);
  const curve = emptyCurve();
  const metrics: Partial<Record<MetricName, number>> = {};
  const predictStart = performance.now();
  let testRatings = 0;
  for (let j = 0; j < fold.test.types.length; j++) if (fold.test.types[j] === 0) testRatings++;
  if (job.task !== "ranking" && definition.task === "rating") {
    const rating = scoreRatings(model, fold, history, curve);
    metrics.rmse = rating.rmse;
    metrics.mae = rating.mae;
    metrics.unscorable = rating.unscorable;
    memory.sample();
  }
  let rankedUsers = 0;
  let coldEvents = 0;
  if (job.task !== "rating") {
    const ranking = rankFold(model, fold, history, curve, { k: job.k, relevant: job.relevant });
    Object.assign(metrics, ranking.metrics);
    rankedUsers = ranking.rankedUsers;
    coldEvents = ranking.coldEvents;
    memory.sample();
  }
  const predictSeconds = (performance.now() - predictStart) / 1000;
  return {
    fold: fold.name,
    algorithm: job.algorithm,
    fitSeconds,
    predictSeconds,
    peakMemoryMB: memory.peakMB,
    metrics,
    counts: { trainRatings: fold.train.ratingCount, testRatings, rankedUsers, coldEvents },
    curve,
    ...(report.details ? { fitDetails: report.details } : {}),
  };
}
