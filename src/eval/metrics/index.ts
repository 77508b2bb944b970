/**
 * The metric catalogue: names as the CLI, JSON and reports use them, with the
 * direction of "better" and the task each belongs to.
 */
import { ValidationError } from "../../core/errors.js";

export interface MetricInfo {
  readonly name: string;
  readonly label: string;
  readonly task: "rating" | "ranking";
  /** true when higher is better. */
  readonly higherIsBetter: boolean;
  /** Per-customer ranking metrics are "@k". */
  readonly atK: boolean;
}

export const METRICS: readonly MetricInfo[] = [
  { name: "rmse", label: "RMSE", task: "rating", higherIsBetter: false, atK: false },
  { name: "mae", label: "MAE", task: "rating", higherIsBetter: false, atK: false },
  { name: "unscorable", label: "unscorable", task: "rating", higherIsBetter: false, atK: false },
  { name: "precision", label: "Precision", task: "ranking", higherIsBetter: true, atK: true },
  { name: "recall", label: "Recall", task: "ranking", higherIsBetter: true, atK: true },
  { name: "ndcg", label: "NDCG", task: "ranking", higherIsBetter: true, atK: true },
  { name: "map", label: "MAP", task: "ranking", higherIsBetter: true, atK: true },
  { name: "mrr", label: "MRR", task: "ranking", higherIsBetter: true, atK: true },
  { name: "hitRate", label: "hit rate", task: "ranking", higherIsBetter: true, atK: true },
  { name: "coverage", label: "coverage", task: "ranking", higherIsBetter: true, atK: false },
  { name: "novelty", label: "novelty (bits)", task: "ranking", higherIsBetter: true, atK: false },
  { name: "personalisation", label: "personalisation", task: "ranking", higherIsBetter: true, atK: false },
];

export type MetricName =
  | "rmse"
  | "mae"
  | "unscorable"
  | "precision"
  | "recall"
  | "ndcg"
  | "map"
  | "mrr"
  | "hitRate"
  | "coverage"
  | "novelty"
  | "personalisation";

export function metricInfo(name: string): MetricInfo {
  const info = METRICS.find((m) => m.name === name);
  if (!info) {
    throw new ValidationError("metrics", `unknown metric "${name}" (known: ${METRICS.map((m) => m.name).join(", ")})`);
  }
  return info;
}

/** Validates a comma-separated list of metric names. */
export function parseMetrics(list: string): MetricName[] {
  const names = list
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0) throw new ValidationError("metrics", "lists no metric");
  return names.map((n) => metricInfo(n).name as MetricName);
}

export * from "./catalogue.js";
export * from "./ranking.js";
export * from "./rating.js";
