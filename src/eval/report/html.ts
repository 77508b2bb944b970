/**
 * `--report FILE.html`: one self-contained page that works offline. Chart.js
 * (a runtime dependency) is inlined from node_modules, the results are
 * embedded as JSON, and a small script draws: each metric per algorithm with
 * every fold's value over the mean (the fold spread), accuracy against fit
 * time, and the learning-relationship curve (error and hit rate against how
 * many items the customer had in training, one line per algorithm).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { MetricName } from "../metrics/index.js";
import type { EvaluationResult } from "../run.js";
import { HISTORY_BUCKETS } from "../types.js";
import { CLIENT_SCRIPT } from "./client-script.js";
import { meanStd, metricLabel, reportedMetrics, seconds } from "./format.js";

export interface ReportMeta {
  readonly title?: string;
  /** What was evaluated, e.g. "ml-100k: 100,000 events, 943 customers, 1,682 items". */
  readonly data: string;
  readonly split: string;
  readonly command?: string;
  readonly date?: string;
}

let chartJs: string | undefined;
/** The Chart.js UMD bundle's source (read once). */
export function chartJsSource(): string {
  if (chartJs === undefined) {
    const main = createRequire(import.meta.url).resolve("chart.js"); // …/chart.js/dist/chart.cjs
    chartJs = readFileSync(join(dirname(main), "chart.umd.js"), "utf8");
  }
  return chartJs;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JSON safe inside a <script> element. */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

/** The data the page's script draws from (also a record of the run). */
export function reportData(result: EvaluationResult, meta: ReportMeta, only?: readonly MetricName[]) {
  const metrics = reportedMetrics(result, only);
  return {
    meta,
    k: result.k,
    buckets: HISTORY_BUCKETS.map((b) => b.label),
    metrics: metrics.map((m) => ({ name: m.name, label: metricLabel(m, result.k), higherIsBetter: m.higherIsBetter })),
    algorithms: result.results.map((r) => ({
      algorithm: r.algorithm,
      params: r.params,
      metrics: r.metrics,
      spread: r.spread,
      fitSeconds: r.fitSeconds,
      predictSeconds: r.predictSeconds,
      peakMemoryMB: r.peakMemoryMB,
      folds: r.folds.map((f) => ({ fold: f.fold, metrics: f.metrics, fitSeconds: f.fitSeconds })),
      curve: r.curve,
    })),
  };
}

function summaryTable(result: EvaluationResult, only?: readonly MetricName[]): string {
  const metrics = reportedMetrics(result, only);
  const head = ["algorithm", ...metrics.map((m) => metricLabel(m, result.k)), "fit s", "predict s", "peak MB"];
  const rows = result.results.map((r) => [
    r.algorithm,
    ...metrics.map((m) => meanStd(r.spread[m.name as MetricName]?.mean, r.spread[m.name as MetricName]?.std)),
    seconds(r.fitSeconds),
    seconds(r.predictSeconds),
    r.peakMemoryMB.toFixed(0),
  ]);
  const cells = (row: string[], tag: string): string => row.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join("");
  return `<table><thead><tr>${cells(head, "th")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${cells(r, "td")}</tr>`)
    .join("")}</tbody></table>`;
}

export function renderReport(result: EvaluationResult, meta: ReportMeta, only?: readonly MetricName[]): string {
  const title = meta.title ?? "Kindred evaluation";
  const relevant = result.relevant === null ? "every held-out event" : `held-out ratings ≥ ${result.relevant}`;
  const facts = [
    ["data", meta.data],
    [
      "split",
      `${meta.split} (${result.folds.length} fold${result.folds.length === 1 ? "" : "s"}), seed ${result.seed}`,
    ],
    ["ranking", `top ${result.k} of the full catalogue minus each customer's training items; relevant = ${relevant}`],
    ["date", meta.date ?? new Date().toISOString()],
    ...(meta.command ? [["command", meta.command]] : []),
    ...result.notes.map((n) => ["note", n]),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1d2330}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2.2rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#667}dd{margin:0}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.5rem 0;overflow-x:auto;display:block}
th,td{padding:.3rem .6rem;border-bottom:1px solid #dde;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:1.2rem}
.chart{position:relative;height:280px}.wide{height:360px}
p.note{color:#556;max-width:60rem}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k!)}</dt><dd>${escapeHtml(v!)}</dd>`).join("")}</dl>
<h2>Results (mean ± std across folds)</h2>
${summaryTable(result, only)}
<h2>Each metric per algorithm</h2>
<p class="note">Bars are the mean across folds; dots are the folds, so their spread shows how stable each figure is.</p>
<div class="grid" id="metric-charts"></div>
<h2>Accuracy against fit time</h2>
<div class="chart wide"><canvas id="accuracy-vs-time" data-chart="scatter"></canvas></div>
<h2>The learning relationship</h2>
<p class="note">How well each algorithm serves a customer as a function of how many items that customer had told the business in training: the more a customer tells, the better they are served.</p>
<div class="grid">
<div class="chart"><canvas id="curve-error" data-chart="line"></canvas></div>
<div class="chart"><canvas id="curve-hit-rate" data-chart="line"></canvas></div>
</div>
<script id="kindred-data" type="application/json">${scriptJson(reportData(result, meta, only))}</script>
<script>${chartJsSource()}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

export function writeReport(
  path: string,
  result: EvaluationResult,
  meta: ReportMeta,
  only?: readonly MetricName[],
): void {
  writeFileSync(path, renderReport(result, meta, only));
}
