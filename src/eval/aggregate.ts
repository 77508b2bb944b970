/**
 * Summaries across folds: mean and sample standard deviation of each metric,
 * and the learning-relationship curve pooled over folds (sums first, then
 * RMSE and hit rate per bucket, so small folds do not get equal weight).
 */
import type { CurveSums, FoldResult } from "./fold-eval.js";
import { emptyCurve } from "./fold-eval.js";
import type { MetricName } from "./metrics/index.js";
import { HISTORY_BUCKETS } from "./types.js";

export interface Spread {
  readonly mean: number;
  /** Sample standard deviation across folds (0 for one fold). */
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

export interface CurvePoint {
  /** How many items the customers of this bucket had in training, e.g. "6–10". */
  readonly bucket: string;
  readonly ratings: number;
  readonly rmse: number | null;
  readonly mae: number | null;
  readonly users: number;
  readonly hitRate: number | null;
}

export function spreadOf(values: readonly number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v));
  const n = finite.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, min: Number.NaN, max: Number.NaN };
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  const variance = n < 2 ? 0 : finite.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  return { mean, std: Math.sqrt(variance), min: Math.min(...finite), max: Math.max(...finite) };
}

/** Mean ± spread of every metric any fold reported. */
export function metricSpreads(folds: readonly FoldResult[]): Partial<Record<MetricName, Spread>> {
  const names = new Set<MetricName>();
  for (const f of folds) for (const name of Object.keys(f.metrics) as MetricName[]) names.add(name);
  const out: Partial<Record<MetricName, Spread>> = {};
  for (const name of names) out[name] = spreadOf(folds.map((f) => f.metrics[name] ?? Number.NaN));
  return out;
}

export function pooledCurve(folds: readonly FoldResult[]): CurvePoint[] {
  const total: CurveSums = emptyCurve();
  for (const f of folds) {
    for (let b = 0; b < HISTORY_BUCKETS.length; b++) {
      total.ratings[b]! += f.curve.ratings[b]!;
      total.squaredError[b]! += f.curve.squaredError[b]!;
      total.absoluteError[b]! += f.curve.absoluteError[b]!;
      total.users[b]! += f.curve.users[b]!;
      total.hits[b]! += f.curve.hits[b]!;
    }
  }
  return HISTORY_BUCKETS.map((bucket, b) => {
    const n = total.ratings[b]!;
    const users = total.users[b]!;
    return {
      bucket: bucket.label,
      ratings: n,
      rmse: n > 0 ? Math.sqrt(total.squaredError[b]! / n) : null,
      mae: n > 0 ? total.absoluteError[b]! / n : null,
      users,
      hitRate: users > 0 ? total.hits[b]! / users : null,
    };
  });
}
