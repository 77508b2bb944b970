/**
 * The terminal table of an evaluation: one row per algorithm, mean ± std
 * across folds, fit and predict seconds per fold, peak memory. With both
 * tasks, rating and ranking metrics go in two tables so lines stay readable.
 */
import type { MetricName } from "../metrics/index.js";
import type { EvaluationResult } from "../run.js";
import { meanStd, metricLabel, reportedMetrics, seconds } from "./format.js";

function render(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]): string =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  return [line(rows[0]!), widths.map((w) => "─".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

export function formatTable(result: EvaluationResult, only?: readonly MetricName[]): string {
  const metrics = reportedMetrics(result, only);
  const groups = (["rating", "ranking"] as const)
    .map((task) => metrics.filter((m) => m.task === task))
    .filter((g) => g.length > 0);
  const tables = groups.map((group, g) => {
    const timing = g === 0;
    const header = ["algorithm", ...group.map((m) => metricLabel(m, result.k))];
    if (timing) header.push("fit s", "predict s", "peak MB");
    const rows = result.results.map((r) => {
      const row = [
        r.algorithm,
        ...group.map((m) => meanStd(r.spread[m.name as MetricName]?.mean, r.spread[m.name as MetricName]?.std)),
      ];
      if (timing) row.push(seconds(r.fitSeconds), seconds(r.predictSeconds), r.peakMemoryMB.toFixed(0));
      return row;
    });
    return render([header, ...rows]);
  });
  const folds = result.folds.length;
  const relevant = result.relevant === null ? "every held-out event" : `held-out ratings ≥ ${result.relevant}`;
  const notes = [
    `${folds} fold${folds === 1 ? "" : "s"}, mean ± std across folds; seconds are per fold; seed ${result.seed}.`,
    ...(metrics.some((m) => m.task === "ranking")
      ? [`Ranking: the full catalogue minus each customer's training items; relevant = ${relevant}.`]
      : []),
    ...result.notes.map((n) => `Note: ${n}.`),
  ];
  return [...tables, notes.join("\n")].join("\n\n");
}
