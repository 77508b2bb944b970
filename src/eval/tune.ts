/**
 * Tuning: random search or TPE over an algorithm's declared search space
 * (the first trial is the starting config: defaults plus any fixed params),
 * each trial cross-validated on an inner split of the training part of the
 * outer split's first fold only, so the held-out test events never guide the
 * choice. The best parameters are then scored once on that outer fold (next
 * to the defaults) for an honest estimate. Seeded: same seed, same trials.
 */
import type { AlgorithmRegistry } from "../algorithms/registry.js";
import { ValidationError } from "../core/errors.js";
import type { InteractionLog } from "../core/interaction-log.js";
import { Rng } from "../core/rng.js";
import type { RatingScale } from "../core/types.js";
import { type MetricName, metricInfo } from "./metrics/index.js";
import { EvalPool } from "./pool.js";
import { evaluate } from "./run.js";
import { type Params, sampleSpace } from "./search/sample.js";
import { type Observation, proposeTpe } from "./search/tpe.js";
import { parseSplit, splitLog, trainingLog } from "./splits/index.js";
import type { Fold } from "./types.js";

export interface TuneOptions {
  readonly algorithm: string;
  /** The outer split; tuning uses the training part of its first fold. */
  readonly split: string;
  /** The split of that training part into tuning folds (default kfold:3). */
  readonly inner?: string;
  readonly trials?: number;
  readonly method?: "random" | "tpe";
  /** What to optimise (default: rmse for rating models, ndcg for ranking models). */
  readonly metric?: MetricName;
  readonly k?: number;
  readonly relevant?: number | undefined;
  readonly seed?: number;
  /** Fixed parameters under the searched ones (e.g. from --params). */
  readonly baseParams?: Readonly<Record<string, unknown>>;
  readonly source?: string;
  readonly scale?: RatingScale;
  readonly registry?: AlgorithmRegistry;
  readonly registryModule?: string;
  /** Worker threads (default 2; 0 = in-process). */
  readonly workers?: number;
  readonly onTrial?: (trial: Trial, index: number, total: number) => void;
}

export interface Trial {
  readonly params: Params;
  /** The metric's mean over the tuning folds (NaN when the trial failed). */
  readonly value: number;
  readonly seconds: number;
  readonly error?: string;
}

export interface TuneResult {
  readonly algorithm: string;
  readonly method: "random" | "tpe";
  readonly metric: MetricName;
  readonly higherIsBetter: boolean;
  readonly split: string;
  readonly inner: string;
  readonly seed: number;
  readonly trials: readonly Trial[];
  /** Full config (defaults filled in) of the best trial, and its tuning score. */
  readonly best: { readonly params: Readonly<Record<string, unknown>>; readonly value: number };
  /** The best and the default config scored once on the outer fold's test events. */
  readonly outer: { readonly fold: string; readonly best: number; readonly defaults: number };
  readonly seconds: number;
}

async function builtInRegistry(): Promise<AlgorithmRegistry> {
  return (await import("../algorithms/index.js")).registry;
}

export async function tune(log: InteractionLog, options: TuneOptions): Promise<TuneResult> {
  const started = performance.now();
  const registry = options.registry ?? (await builtInRegistry());
  const definition = registry.get(options.algorithm);
  const kind = definition.kind;
  const space = definition.searchSpace;
  if (Object.keys(space).length === 0) {
    throw new ValidationError("algorithm", `"${kind}" declares no search space to tune`);
  }
  const trials = options.trials ?? 30;
  if (!Number.isInteger(trials) || trials < 1) throw new ValidationError("trials", `${trials} must be at least 1`);
  const method = options.method ?? "tpe";
  if (method !== "random" && method !== "tpe") {
    throw new ValidationError("method", `"${String(method)}" is not a search method (random or tpe)`);
  }
  const metric = options.metric ?? (definition.task === "rating" ? "rmse" : "ndcg");
  const info = metricInfo(metric);
  if (info.task === "rating" && definition.task !== "rating") {
    throw new ValidationError("metric", `"${metric}" needs a rating model; "${kind}" only ranks (use ndcg)`);
  }
  const seed = options.seed ?? 42;
  const inner = options.inner ?? "kfold:3";
  if (parseSplit(inner, "inner").kind === "official") {
    throw new ValidationError("inner", '"official" folds cannot split a training part (use kfold:K)');
  }
  const base = registry.resolveConfig(kind, options.baseParams ?? {});
  const splitOptions = { seed, source: options.source, scale: options.scale };
  const outerFolds = splitLog(log, options.split, splitOptions).slice(0, 1);
  const innerFolds = splitLog(trainingLog(log, options.split, 0, splitOptions), inner, { seed, scale: options.scale });

  const workers = options.workers ?? 2;
  const pool =
    workers > 0 && (options.registry === undefined || options.registryModule !== undefined)
      ? new EvalPool(workers, options.registryModule)
      : undefined;
  const common = {
    task: info.task,
    k: options.k ?? 10,
    relevant: options.relevant,
    seed,
    ...(options.registry ? { registry: options.registry } : {}),
    ...(pool ? { pool } : { workers: 0 }),
  } as const;
  const score = async (folds: Fold[], params: Readonly<Record<string, unknown>>): Promise<number> => {
    const result = await evaluate(folds, { ...common, algorithms: [kind], params: { [kind]: params } });
    return result.results[0]?.metrics[metric] ?? Number.NaN;
  };

  try {
    const rng = new Rng(seed);
    const history: Observation[] = [];
    const done: Trial[] = [];
    const seen = new Map<string, number>();
    const startingPoint: Params = {};
    for (const name of Object.keys(space)) {
      const value = base[name];
      if (typeof value === "number" || typeof value === "string" || typeof value === "boolean")
        startingPoint[name] = value;
    }
    for (let t = 0; t < trials; t++) {
      // The first trial is the starting config itself, so tuning never prefers worse than where it began.
      const sampled =
        t === 0 ? startingPoint : method === "random" ? sampleSpace(space, rng) : proposeTpe(space, history, rng);
      const params = { ...base, ...sampled };
      const key = JSON.stringify(params);
      const trialStart = performance.now();
      let value = seen.get(key) ?? Number.NaN;
      let error: string | undefined;
      if (!seen.has(key)) {
        try {
          value = await score(innerFolds, params);
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
          error = e.message; // a combination the config refuses: recorded, not fatal
        }
        seen.set(key, value);
      }
      const trial: Trial = {
        params: sampled,
        value,
        seconds: (performance.now() - trialStart) / 1000,
        ...(error ? { error } : {}),
      };
      done.push(trial);
      history.push({
        params: sampled,
        loss: Number.isFinite(value) ? (info.higherIsBetter ? -value : value) : Infinity,
      });
      options.onTrial?.(trial, t, trials);
    }
    let bestIndex = -1;
    for (let t = 0; t < history.length; t++) {
      if (Number.isFinite(history[t]!.loss) && (bestIndex < 0 || history[t]!.loss < history[bestIndex]!.loss)) {
        bestIndex = t;
      }
    }
    if (bestIndex < 0) throw new ValidationError("trials", `no trial of "${kind}" produced a ${metric}`);
    const bestParams = registry.resolveConfig(kind, { ...base, ...done[bestIndex]!.params });
    const outerBest = await score(outerFolds, bestParams);
    const outerDefaults = await score(outerFolds, base);
    return {
      algorithm: kind,
      method,
      metric,
      higherIsBetter: info.higherIsBetter,
      split: options.split,
      inner,
      seed,
      trials: done,
      best: { params: bestParams, value: done[bestIndex]!.value },
      outer: { fold: outerFolds[0]!.name, best: outerBest, defaults: outerDefaults },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await pool?.close();
  }
}
