/**
 * In-process recommend() latency on ml-100k (../shared/data) in a temp SQLite
 * file: models trained (in worker threads), then recommend(n = 10, explain)
 * for 500 seeded-random customers with user-knn and with item-knn at the head
 * of the chain (popular behind). Each call does the whole job: the customer's
 * events from the store (fold-in), scores over the catalogue, one top-k heap,
 * explanations with titles and neighbours' names. Target p50 < 5 ms. Also the
 * dataset build time (target < 200 ms; bench/dataset-build.ts has more runs).
 *
 *   node --import tsx bench/recommend-latency.ts
 *
 * Writes bench/results/recommend-latency.md and .json.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Rng } from "../src/core/rng.js";
import { loadDataset } from "../src/engine/dataset-loader.js";
import { machine, machineLine, ml100kShop, quantile } from "./dataset-build.js";

const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));
const CUSTOMERS = 500;
const WARMUP = 50;
const BUILD_RUNS = 5;

interface Case {
  algorithm: string;
  explain: boolean;
  calls: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  cpuMsPerCall: number;
}

const shop = await ml100kShop({ retrain: { background: false, pollMs: 5000 } });
const k = shop.kindred;

const builds: number[] = [];
for (let r = 0; r < BUILD_RUNS; r++) builds.push((await loadDataset(k.store)).milliseconds);
builds.sort((a, b) => a - b);

const fits: Record<string, { wallSeconds: number; fitSeconds: unknown; threadId: unknown }> = {};
for (const kind of ["popular", "user-knn", "item-knn"]) {
  const started = performance.now();
  const info = await k.train(kind);
  fits[kind] = {
    wallSeconds: (performance.now() - started) / 1000,
    fitSeconds: (info.meta.fit as { seconds?: number } | undefined)?.seconds,
    threadId: info.meta.threadId,
  };
}

const rng = new Rng(2024);
const all = Array.from({ length: 943 }, (_, u) => String(u + 1));
const sample = rng.shuffle(Int32Array.from(all.keys())).slice(0, CUSTOMERS);
const customers = Array.from(sample, (u) => all[u]!);

async function measure(algorithm: string, explain: boolean): Promise<Case> {
  for (let w = 0; w < WARMUP; w++) await k.recommend(customers[w]!, { n: 10, algorithm, explain });
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (const customer of customers) {
    const started = performance.now();
    const result = await k.recommend(customer, { n: 10, algorithm, explain });
    times.push(performance.now() - started);
    if (result.items.length !== 10) throw new Error(`customer ${customer} got ${result.items.length} items`);
  }
  const used = process.cpuUsage(cpu);
  const sorted = [...times].sort((a, b) => a - b);
  return {
    algorithm,
    explain,
    calls: times.length,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    cpuMsPerCall: (used.user + used.system) / 1000 / times.length,
  };
}

const cases: Case[] = [];
for (const algorithm of ["user-knn", "item-knn"]) {
  cases.push(await measure(algorithm, true));
  cases.push(await measure(algorithm, false));
}
const example = await k.recommend(customers[0]!, { n: 3, algorithm: "user-knn" });
const exampleItems = await k.recommend(customers[0]!, { n: 3, algorithm: "item-knn" });
await shop.remove();

const result = {
  name: "recommend-latency",
  date: new Date().toISOString(),
  command: "node --import tsx bench/recommend-latency.ts",
  machine: machine(),
  data: "ml-100k u.data (100,000 ratings, 943 customers, 1,682 movies with genres) in a temp SQLite file",
  ingestSeconds: shop.ingestSeconds,
  datasetBuildMs: { median: quantile(builds, 0.5), min: builds[0], runs: builds },
  fits,
  customers: CUSTOMERS,
  warmup: WARMUP,
  cases,
  examples: [example, exampleItems].map((r) => ({
    customer: r.customer,
    algorithm: r.algorithm,
    items: r.items.map((i) => ({ title: i.title, score: i.score, why: i.explanation?.text })),
  })),
  targets: { p50Ms: 5, datasetBuildMs: 200 },
};
writeFileSync(`${RESULTS}recommend-latency.json`, `${JSON.stringify(result, null, 2)}\n`);
const ms = (x: number): string => x.toFixed(2);
const md = `# recommend() latency, in process

Date: ${result.date}  
Command: \`${result.command}\`  
Machine: ${machineLine(result.machine)}

${result.data}. Models trained in worker threads (wall s: ${Object.entries(fits)
  .map(([kind, f]) => `${kind} ${f.wallSeconds.toFixed(2)}`)
  .join(", ")}). Then \`recommend(customer, { n: 10, algorithm, explain })\` for ${CUSTOMERS} seeded-random
customers after ${WARMUP} warm-up calls; \`popular\` fills behind the head. Each call reads the customer's events
from the store (fold-in), scores the whole catalogue, ranks with one top-k heap and renders explanations
(titles, neighbours' names from the store).

| head of chain | explain | p50 ms | p90 ms | p99 ms | mean ms | CPU ms/call |
|---|---|---:|---:|---:|---:|---:|
${cases.map((c) => `| ${c.algorithm} | ${c.explain ? "yes" : "no"} | ${ms(c.p50)} | ${ms(c.p90)} | ${ms(c.p99)} | ${ms(c.mean)} | ${ms(c.cpuMsPerCall)} |`).join("\n")}

Target p50 < 5 ms (with explanations): ${cases.filter((c) => c.explain).every((c) => c.p50 < 5) ? "met" : "NOT met"}.

Dataset build (\`loadDataset\`: scan 100k events from SQLite, InteractionLog, Dataset.fromLog, catalogue):
median ${ms(result.datasetBuildMs.median)} ms, min ${ms(result.datasetBuildMs.min!)} ms over ${BUILD_RUNS} runs (target < 200 ms;
see dataset-build.md for CPU time).

Example (customer ${example.customer}):
${result.examples.map((e) => e.items.map((i) => `- ${e.algorithm}: ${i.title} (${i.score.toFixed(2)}): ${i.why}`).join("\n")).join("\n")}
`;
writeFileSync(`${RESULTS}recommend-latency.md`, md);
console.log(md);
