/**
 * Benchmarks of the classic algorithms on ml-100k.
 *
 *   node --import tsx bench/knn.ts          speed of user-knn, item-knn, item-cf on u1.base (fit seconds; scoring every
 *                                          item for one customer with explanations of the top 10, p50/p99 over 200
 *                                          customers) and RMSE of popular, baseline, user-knn, item-knn on u1..u5;
 *                                          writes bench/results/knn.md and knn.json
 *   node --import tsx bench/knn.ts --tune   how the defaults were chosen: staged grid searches, 5-fold cross-validated
 *                                          inside u1.base (never the u*.test folds), by RMSE for the rating models
 *                                          and NDCG@10 for item-cf (bench/lib/knn-tuning.ts); writes knn.tuning.md/.json
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { registry } from "../src/algorithms/index.js";
import type { Recommender } from "../src/algorithms/recommender.js";
import type { Dataset } from "../src/core/dataset.js";
import { Rng } from "../src/core/rng.js";
import { topK } from "../src/linalg/top-k.js";
import { predictPairs } from "../test/algorithms/predict-pairs.js";
import { type Fold, hasMl100k, ml100kFold, rmseOf, type TestPairs } from "../test/helpers/data.js";
import { tuneDefaults } from "./lib/knn-tuning.js";

const RESULTS = new URL("./results/", import.meta.url);
const tune = process.argv.includes("--tune");
const command = `node --import tsx bench/knn.ts${tune ? " --tune" : ""}`;
const machine = {
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? "unknown",
  totalmem: os.totalmem(),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
};
const date = new Date().toISOString();
const loadAtStart = os.loadavg();
const header = (title: string): string =>
  `# ${title}\n\nDate: ${date}  \nCommand: \`${command}\`  \nMachine: ${machine.cpus} × ${machine.cpu}, ${(machine.totalmem / 2 ** 30).toFixed(1)} GiB, Node ${machine.node}, ${machine.platform}\n`;

const percentile = (xs: number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const median = (xs: number[]): number => percentile(xs, 0.5);

async function fitted(
  kind: string,
  data: Dataset,
  params: object = {},
): Promise<{ model: Recommender; seconds: number }> {
  const model = registry.create(kind, params);
  const start = performance.now();
  await model.fit(data, { rng: new Rng(1) });
  return { model, seconds: (performance.now() - start) / 1000 };
}

async function rmseOn(kind: string, train: Dataset, test: TestPairs, params: object = {}) {
  const { model, seconds } = await fitted(kind, train, params);
  return { ...rmseOf(predictPairs(model, test), test.values), fitSeconds: seconds };
}

async function speed(kind: string, data: Dataset, params: object = {}) {
  const fits: number[] = [];
  let model: Recommender | null = null;
  for (let r = 0; r < 3; r++) {
    const f = await fitted(kind, data, params);
    fits.push(f.seconds);
    model = f.model;
  }
  const m = model!;
  const all = Int32Array.from({ length: data.itemCount }, (_, i) => i);
  const out = new Float32Array(all.length);
  const rng = new Rng(99);
  const customers = rng.shuffle(Int32Array.from({ length: data.userCount }, (_, u) => u)).slice(0, 200);
  const skip = new Uint8Array(all.length);
  const withExplain: number[] = [];
  const withExplainCpu: number[] = [];
  const foldIn: number[] = [];
  const foldInCpu: number[] = [];
  const run = (user: number, record: boolean): void => {
    const start = data.ratings.indptr[user]!;
    const end = data.ratings.indptr[user + 1]!;
    for (let p = start; p < end; p++) skip[data.ratings.indices[p]!] = 1;
    const cpu = process.cpuUsage();
    let t = performance.now();
    m.score({ user }, all, out);
    const top = topK(out, 10, skip);
    for (const item of top) m.explain?.({ user }, item);
    if (record) withExplain.push(performance.now() - t);
    if (record) withExplainCpu.push(process.cpuUsage(cpu).user / 1000);
    // A new customer: the same ratings as a history (a fresh object, so nothing is cached).
    const history = { items: data.ratings.indices.slice(start, end), values: data.ratings.values.slice(start, end) };
    const cpu2 = process.cpuUsage();
    t = performance.now();
    m.score({ history }, all, out);
    if (record) foldIn.push(performance.now() - t);
    if (record) foldInCpu.push(process.cpuUsage(cpu2).user / 1000);
    for (let p = start; p < end; p++) skip[data.ratings.indices[p]!] = 0;
  };
  for (const user of customers.subarray(0, 30)) run(user, false); // warm-up (JIT)
  for (const user of customers) run(user, true);
  const report = await m.fit(data);
  return {
    kind,
    fitSeconds: median(fits),
    scoreExplainP50: median(withExplain),
    scoreExplainP99: percentile(withExplain, 0.99),
    scoreExplainCpuP50: median(withExplainCpu),
    scoreExplainCpuP99: percentile(withExplainCpu, 0.99),
    foldInCpuP50: median(foldInCpu),
    foldInP50: median(foldIn),
    foldInP99: percentile(foldIn, 0.99),
    details: report.details ?? {},
  };
}

async function benchmark(): Promise<void> {
  const folds: Fold[] = [1, 2, 3, 4, 5].map((k) => ml100kFold(k));
  const u1 = folds[0]!.train;
  const speeds = [];
  for (const kind of ["user-knn", "item-knn", "item-cf"]) {
    speeds.push(await speed(kind, u1));
    console.log(speeds.at(-1));
  }
  const quality = [];
  for (const kind of ["popular", "baseline", "user-knn", "item-knn"]) {
    const folds5 = [];
    for (const fold of folds) folds5.push(await rmseOn(kind, fold.train, fold.test));
    const row = {
      kind,
      rmse: folds5.map((f) => f.rmse),
      mean: folds5.reduce((a, f) => a + f.rmse, 0) / folds5.length,
      unscored: Math.max(...folds5.map((f) => f.unscored)),
      config: registry.resolveConfig(kind, {}),
    };
    quality.push(row);
    console.log(kind, row.mean.toFixed(4));
  }
  writeFileSync(
    new URL("knn.json", RESULTS),
    `${JSON.stringify({ date, command, machine, loadAtStart, speeds, quality }, null, 2)}\n`,
  );
  const ms = (x: number): string => x.toFixed(2);
  const md = `${header("Classic algorithms on ml-100k: speed and RMSE")}
Defaults everywhere (see \`knn.tuning.md\` for how they were chosen).

## Speed on u1.base (943 customers, 1,682 items, 80,000 ratings)

Fit: median of 3. Scoring: one customer, every item (${u1.itemCount}), then the top 10 unseen ranked with one heap and
explained; p50/p99 over 200 seeded random customers after 30 warm-up ones. "New customer": the same ratings sent as
a history (fold-in, nothing cached). Wall-clock times on a shared machine: the load average when the run started was
${loadAtStart.map((l) => l.toFixed(1)).join(" / ")} (1/5/15 min) on ${machine.cpus} cores, so p99 mostly measures waiting for a core; the CPU
time of the same calls (process.cpuUsage, user; 1 µs resolution) is shown alongside.

| algorithm | fit s | score all + top-10 explain p50 ms | p99 ms | CPU p50 ms | CPU p99 ms | new customer: score all p50 ms | p99 ms | CPU p50 ms | model |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---|
${speeds
  .map(
    (s) =>
      `| ${s.kind} | ${s.fitSeconds.toFixed(3)} | ${ms(s.scoreExplainP50)} | ${ms(s.scoreExplainP99)} | ${ms(s.scoreExplainCpuP50)} | ${ms(s.scoreExplainCpuP99)} | ${ms(s.foldInP50)} | ${ms(s.foldInP99)} | ${ms(s.foldInCpuP50)} | ${Object.entries(
        s.details,
      )
        .map(([k, v]) => `${k}: ${v}`)
        .join(", ")} |`,
  )
  .join("\n")}

## RMSE on the official folds (fit on u{k}.base, predict u{k}.test)

Pairs a model cannot score (items absent from u{k}.base) are left out; "unscored" is the largest share over the folds.
Surprise 1.1.4 on these folds: BaselineOnly 0.946, KNNBaseline 0.932, item KNNWithMeans (Pearson) 0.943.

| algorithm | u1 | u2 | u3 | u4 | u5 | mean | unscored |
|---|---:|---:|---:|---:|---:|---:|---:|
${quality
  .map(
    (q) =>
      `| ${q.kind} | ${q.rmse.map((r) => r.toFixed(4)).join(" | ")} | **${q.mean.toFixed(4)}** | ${(q.unscored * 100).toFixed(2)}% |`,
  )
  .join("\n")}
`;
  writeFileSync(new URL("knn.md", RESULTS), md);
}

if (!hasMl100k) {
  console.error("bench/knn.ts needs ../shared/data/ml-100k");
  process.exit(1);
}
await (tune
  ? tuneDefaults({
      header,
      results: RESULTS,
      json: (extra) => `${JSON.stringify({ date, command, machine, loadAtStart, ...extra }, null, 2)}\n`,
    })
  : benchmark());
