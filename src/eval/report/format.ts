/**
 * Number formatting and the metric columns shared by the terminal table and
 * the HTML report.
 */
import { METRICS, type MetricInfo, type MetricName } from "../metrics/index.js";
import type { EvaluationResult } from "../run.js";

/** The metrics any algorithm of the result reported, in catalogue order (optionally only `only`). */
export function reportedMetrics(result: EvaluationResult, only?: readonly MetricName[]): MetricInfo[] {
  return METRICS.filter(
    (m) =>
      (only === undefined || only.includes(m.name as MetricName)) &&
      result.results.some((r) => r.metrics[m.name as MetricName] !== undefined),
  );
}

export function metricLabel(info: MetricInfo, k: number): string {
  return info.atK ? `${info.label}@${k}` : info.label;
}

export function fixed(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(digits);
}

export function meanStd(mean: number | undefined, std: number | undefined, digits = 4): string {
  if (mean === undefined || !Number.isFinite(mean)) return "–";
  return std === undefined || !Number.isFinite(std)
    ? fixed(mean, digits)
    : `${fixed(mean, digits)} ± ${fixed(std, digits)}`;
}

export function seconds(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}
