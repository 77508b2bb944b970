import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";
import { chartJsSource, renderReport, writeReport } from "../../src/eval/report/html.js";
import { formatTable } from "../../src/eval/report/table.js";
import { type EvaluationResult, evaluate } from "../../src/eval/run.js";
import { splitLog } from "../../src/eval/splits/index.js";
import { syntheticCommunity } from "../helpers/data.js";

let result: EvaluationResult;
beforeAll(async () => {
  const { log } = syntheticCommunity({ users: 80, items: 50, ratingsPerUser: 15, seed: 4 });
  result = await evaluate(splitLog(log, "kfold:3", { seed: 1 }), { algorithms: ["popular", "baseline"], workers: 0 });
});

/** Runs the page's scripts against a fake DOM and a Chart constructor that records its configs. */
function drawCharts(html: string): Array<{ id: string; config: { type?: string; data: { datasets: unknown[] } } }> {
  const json = /<script id="kindred-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!;
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  const charts: Array<{ id: string; config: { type?: string; data: { datasets: unknown[] } } }> = [];
  const element = (id: string) => ({
    id,
    className: "",
    children: [] as unknown[],
    textContent: "",
    setAttribute() {},
    appendChild(c: unknown) {
      this.children.push(c);
    },
  });
  const elements = new Map<string, ReturnType<typeof element>>();
  const document = {
    getElementById: (id: string) => {
      if (id === "kindred-data") return { textContent: json };
      if (!elements.has(id)) elements.set(id, element(id));
      return elements.get(id);
    },
    createElement: () => element(""),
  };
  function Chart(canvas: { id: string }, config: (typeof charts)[number]["config"]) {
    charts.push({ id: canvas.id, config });
  }
  // The last script is the page's own; the one before it is Chart.js itself (checked separately).
  runInNewContext(scripts[scripts.length - 1]!, { document, Chart, JSON, Math, isFinite, parseInt });
  return charts;
}

describe("HTML report", () => {
  it("is one self-contained page: Chart.js inlined, no external resources, the data embedded", () => {
    const html = renderReport(result, { data: "synthetic", split: "kfold:3", command: "kindred evaluate …" });
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("Chart.js v4");
    // No external resource anywhere; outside the inlined library, no URL at all.
    expect(/<script[^>]+src=|<link[^>]+href=/.test(html)).toBe(false);
    const withoutLibrary = html.replace(chartJsSource(), "");
    expect(withoutLibrary.length).toBeLessThan(html.length - 100_000);
    expect(/https?:\/\//.test(withoutLibrary)).toBe(false);
    const json = /<script id="kindred-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!;
    const data = JSON.parse(json);
    expect(data.algorithms.map((a: { algorithm: string }) => a.algorithm)).toEqual(["popular", "baseline"]);
    expect(data.algorithms[0].folds).toHaveLength(3);
    expect(data.buckets).toContain("21–50");
    expect(html).toContain("kindred evaluate …");
    expect(html).toContain("<td>baseline</td>");
  });

  it("draws each metric with its fold spread, accuracy against fit time, and the learning-relationship curves", () => {
    const charts = drawCharts(renderReport(result, { data: "synthetic", split: "kfold:3" }));
    const ids = charts.map((c) => c.id);
    for (const metric of ["rmse", "mae", "ndcg", "hitRate", "personalisation"])
      expect(ids).toContain(`metric-${metric}`);
    const rmse = charts.find((c) => c.id === "metric-rmse")!;
    expect(rmse.config.data.datasets).toHaveLength(2); // the mean bars and the fold dots
    expect((rmse.config.data.datasets[1] as { data: unknown[] }).data).toHaveLength(6); // 2 algorithms × 3 folds
    const scatter = charts.find((c) => c.id === "accuracy-vs-time")!;
    expect(scatter.config.type).toBe("scatter");
    expect(scatter.config.data.datasets).toHaveLength(2);
    for (const id of ["curve-error", "curve-hit-rate"]) {
      const curve = charts.find((c) => c.id === id)!;
      expect(curve.config.type).toBe("line");
      expect(curve.config.data.datasets).toHaveLength(2); // one line per algorithm
    }
  });

  it("writes the file", () => {
    const path = join(mkdtempSync(join(tmpdir(), "kindred-report-")), "report.html");
    writeReport(path, result, { data: "synthetic", split: "kfold:3" });
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, "utf8")).toContain('id="curve-error"');
  });

  it("the terminal table shows mean ± std, timings and memory", () => {
    const table = formatTable(result);
    expect(table).toMatch(/RMSE/);
    expect(table).toMatch(/NDCG@10/);
    expect(table).toMatch(/fit s +predict s +peak MB/);
    expect(table).toMatch(/baseline +\d\.\d{4} ± \d\.\d{4}/);
    expect(formatTable(result, ["rmse"])).not.toMatch(/NDCG/);
  });
});
