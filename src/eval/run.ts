/**
 * Cross-validation: every algorithm fitted once per fold, in worker threads
 * (one per core; folds travel as shared memory) or in-process, each fold's
 * metrics kept, summarised as mean ± std, with fit and predict seconds, peak
 * memory and the learning-relationship curve.
 */
import { availableParallelism } from "node:os";
import type { AlgorithmRegistry } from "../algorithms/registry.js";
import { KindredError, ValidationError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { type CurvePoint, metricSpreads, pooledCurve, type Spread } from "./aggregate.js";
import { evaluateFold, type FoldJob, type FoldResult } from "./fold-eval.js";
import { processPeakMB } from "./memory.js";
import type { MetricName } from "./metrics/index.js";
import { EvalPool } from "./pool.js";
import { type SharedFold, shareFold } from "./shared-fold.js";
import type { EvalTask, Fold } from "./types.js";

export type ParamsByAlgorithm = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface EvaluateOptions {
  readonly algorithms: readonly string[];
  /** Per-algorithm config overrides, e.g. {"user-knn": {"k": 40}}. */
  readonly params?: ParamsByAlgorithm;
  readonly task?: EvalTask;
  /** List length for ranking metrics (default 10). */
  readonly k?: number;
  /** Rating threshold of relevance (default: every held-out event is relevant). */
  readonly relevant?: number | undefined;
  readonly seed?: number;
  /** The registry to evaluate with (default: the built-in one, in src/algorithms/index.ts). */
  readonly registry?: AlgorithmRegistry;
  /**
   * Worker threads (default: one per core, at most one per job). 0 = in-process. Workers load the
   * registry from `registryModule` (a module URL exporting `registry`; default the built-in one).
   */
  readonly workers?: number;
  readonly registryModule?: string;
  /** A pool to run on (left open); tuning reuses one across trials. Overrides `workers`. */
  readonly pool?: EvalPool;
  readonly onProgress?: (progress: Progress) => void;
}

export interface Progress {
  readonly algorithm: string;
  readonly fold: string;
  readonly done: number;
  readonly total: number;
  readonly elapsedSeconds: number;
  /** Estimated from the mean job time so far; NaN before the first job ends. */
  readonly remainingSeconds: number;
}

export interface AlgorithmResult {
  readonly algorithm: string;
  /** The validated config, defaults filled in. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly task: "rating" | "ranking";
  readonly folds: readonly FoldResult[];
  /** Mean across folds. */
  readonly metrics: Partial<Record<MetricName, number>>;
  readonly spread: Partial<Record<MetricName, Spread>>;
  /** Mean per fold. */
  readonly fitSeconds: number;
  readonly predictSeconds: number;
  /** Largest per-job peak across folds (MB, the evaluating thread's heap + typed arrays). */
  readonly peakMemoryMB: number;
  readonly curve: readonly CurvePoint[];
}

export interface EvaluationResult {
  readonly task: EvalTask;
  readonly k: number;
  readonly relevant: number | null;
  readonly seed: number;
  readonly folds: ReadonlyArray<{ readonly name: string; readonly trainRatings: number; readonly testEvents: number }>;
  readonly results: readonly AlgorithmResult[];
  readonly seconds: number;
  /** Peak resident memory of the whole process (MB). */
  readonly processPeakMB: number;
  /** What the run could not do as asked, e.g. rating metrics on data with one rating value. */
  readonly notes: readonly string[];
}

async function builtInRegistry(): Promise<AlgorithmRegistry> {
  return (await import("../algorithms/index.js")).registry;
}

/** Throws when the rating task cannot be measured on these folds. */
export function checkRatingData(folds: readonly Fold[]): void {
  const first = folds[0];
  if (!first) throw new ValidationError("split", "produced no folds");
  const values = first.train.ratings.values;
  if (values.length === 0) throw new ValidationError("task", "the data has no ratings; use --task ranking");
  const v0 = values[0]!;
  let varied = false;
  for (let i = 1; i < values.length && !varied; i++) varied = values[i] !== v0;
  for (let i = 0; i < first.test.values.length && !varied; i++) {
    if (first.test.types[i] === 0) varied = first.test.values[i] !== v0;
  }
  if (!varied) {
    throw new ValidationError(
      "data",
      `every rating has the same value (${v0}): rating errors would be meaningless; use --task ranking`,
    );
  }
}

// One shared copy per Fold object, with an id unique in the process: workers cache folds by id.
const sharedFolds = new WeakMap<Fold, SharedFold>();
let sharedCount = 0;
function sharedOf(fold: Fold): SharedFold {
  let shared = sharedFolds.get(fold);
  if (!shared) {
    shared = shareFold(fold, `fold-${++sharedCount}`);
    sharedFolds.set(fold, shared);
  }
  return shared;
}

/** A seed per fold, the same for every algorithm, independent of scheduling. */
function foldSeed(seed: number, fold: number): number {
  return new Rng((seed + Math.imul(fold + 1, 0x9e3779b1)) >>> 0).nextUint32();
}

export async function evaluate(folds: readonly Fold[], options: EvaluateOptions): Promise<EvaluationResult> {
  const started = performance.now();
  const registry = options.registry ?? (await builtInRegistry());
  const requestedTask = options.task ?? "both";
  const k = options.k ?? 10;
  const seed = options.seed ?? 42;
  if (!Number.isInteger(k) || k < 1) throw new ValidationError("k", `${k} must be a whole number of at least 1`);
  if (options.algorithms.length === 0) throw new ValidationError("algorithms", "lists no algorithm");
  if (folds.length === 0) throw new ValidationError("split", "produced no folds");
  for (const kind of Object.keys(options.params ?? {})) registry.get(kind);
  const configs = new Map<string, Record<string, unknown>>();
  for (const kind of options.algorithms) {
    if (configs.has(kind)) throw new ValidationError("algorithms", `"${kind}" is listed twice`);
    configs.set(kind, registry.resolveConfig(kind, options.params?.[kind] ?? {}));
  }
  // Data the rating task cannot measure: an error when it was asked for alone, ranking only under "both".
  const notes: string[] = [];
  let task = requestedTask;
  if (task !== "ranking" && options.algorithms.some((a) => registry.get(a).task === "rating")) {
    try {
      checkRatingData(folds);
    } catch (error) {
      if (task === "rating" || !(error instanceof ValidationError)) throw error;
      task = "ranking";
      notes.push(`rating metrics skipped: ${error.message}`);
    }
  }

  const jobs: Array<{ job: FoldJob; f: number }> = [];
  folds.forEach((_, f) => {
    for (const algorithm of options.algorithms) {
      jobs.push({
        f,
        job: {
          algorithm,
          params: configs.get(algorithm)!,
          task,
          k,
          relevant: options.relevant,
          seed: foldSeed(seed, f),
        },
      });
    }
  });
  const wanted = options.workers ?? Math.min(availableParallelism(), jobs.length);
  const useWorkers = wanted > 0 && (options.registry === undefined || options.registryModule !== undefined);
  const results = new Array<FoldResult>(jobs.length);
  let done = 0;
  const finished = (index: number, result: FoldResult): void => {
    results[index] = result;
    done++;
    const elapsed = (performance.now() - started) / 1000;
    options.onProgress?.({
      algorithm: result.algorithm,
      fold: result.fold,
      done,
      total: jobs.length,
      elapsedSeconds: elapsed,
      remainingSeconds: (elapsed / done) * (jobs.length - done),
    });
  };

  if (useWorkers || options.pool) {
    const pool = options.pool ?? new EvalPool(Math.max(1, Math.min(wanted, jobs.length)), options.registryModule);
    try {
      const shared = folds.map(sharedOf);
      const threads = pool.size > 1 ? 1 : availableParallelism();
      await Promise.all(
        jobs.map(({ job, f }, index) =>
          pool.run({ ...job, threads }, shared[f]!).then((result) => finished(index, result)),
        ),
      );
    } finally {
      if (!options.pool) await pool.close();
    }
  } else {
    for (const [index, { job, f }] of jobs.entries()) {
      finished(index, await evaluateFold(registry, { ...job, threads: availableParallelism() }, folds[f]!));
    }
  }

  const byAlgorithm = options.algorithms.map((algorithm): AlgorithmResult => {
    const own = results.filter((r) => r.algorithm === algorithm);
    const spread = metricSpreads(own);
    const metrics: Partial<Record<MetricName, number>> = {};
    for (const [name, s] of Object.entries(spread) as Array<[MetricName, Spread]>) metrics[name] = s.mean;
    const mean = (f: (r: FoldResult) => number): number => own.reduce((a, r) => a + f(r), 0) / own.length;
    return {
      algorithm,
      params: configs.get(algorithm)!,
      task: registry.get(algorithm).task,
      folds: own,
      metrics,
      spread,
      fitSeconds: mean((r) => r.fitSeconds),
      predictSeconds: mean((r) => r.predictSeconds),
      peakMemoryMB: Math.max(...own.map((r) => r.peakMemoryMB)),
      curve: pooledCurve(own),
    };
  });
  if (byAlgorithm.some((r) => r.folds.length !== folds.length)) {
    throw new KindredError("INTERNAL", "an evaluation job returned no result");
  }
  return {
    task,
    k,
    relevant: options.relevant ?? null,
    seed,
    folds: folds.map((f) => ({ name: f.name, trainRatings: f.train.ratingCount, testEvents: f.test.users.length })),
    results: byAlgorithm,
    seconds: (performance.now() - started) / 1000,
    processPeakMB: processPeakMB(),
    notes,
  };
}
