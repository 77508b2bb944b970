/**
 * Import throughput: MovieLens 100K (u.data + u.item + u.user) from
 * ../shared/data/ml-100k into a fresh SQLite file with `importInto` (the code
 * path of `kindred import movielens`), three runs, median; then a re-import
 * of the same folder (every event a duplicate); then `readDataset` into
 * memory (the same parsers without a store), to separate parsing from writing.
 *
 *   node --import tsx bench/import.ts
 *
 * Writes bench/results/import.md and .json. Skips (exit 0, message) without the data.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { importInto, readDataset } from "../src/importers/index.js";
import { openStore } from "../src/storage/open.js";

const DATA = fileURLToPath(new URL("../../shared/data/ml-100k/", import.meta.url));
const RUNS = 3;

if (!existsSync(join(DATA, "u.data"))) {
  console.error(`SKIPPED: bench/import.ts needs ${DATA}`);
  process.exit(0);
}

interface Row {
  case: string;
  events: number;
  seconds: number;
  perSecond: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: Row[] = [];
const dir = mkdtempSync(join(os.tmpdir(), "kindred-bench-import-"));
try {
  const fresh: number[] = [];
  const again: number[] = [];
  let events = 0;
  for (let run = 0; run < RUNS; run++) {
    const path = join(dir, `run${run}.db`);
    const store = await openStore(path);
    let t0 = performance.now();
    const report = await importInto(store, DATA);
    fresh.push((performance.now() - t0) / 1000);
    events = report.imported.events;
    if (report.stored !== 100_000) throw new Error(`stored ${report.stored}, expected 100000`);
    t0 = performance.now();
    const second = await importInto(store, DATA);
    again.push((performance.now() - t0) / 1000);
    if (second.stored !== 0) throw new Error(`re-import stored ${second.stored}, expected 0`);
    await store.close();
  }
  const memory: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    await readDataset(DATA);
    memory.push((performance.now() - t0) / 1000);
  }
  const row = (name: string, times: number[]): Row => ({
    case: name,
    events,
    seconds: median(times),
    perSecond: Math.round(events / median(times)),
  });
  rows.push(row("importInto SQLite file, fresh db (ml-100k: 100,000 ratings, 1,682 items, 943 users)", fresh));
  rows.push(row("re-import into the same db (all 100,000 duplicates, nothing written)", again));
  rows.push(row("readDataset into memory (parsing only, no store)", memory));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const machine = {
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? "unknown",
  totalmem: os.totalmem(),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
};
const command = "node --import tsx bench/import.ts";
const date = new Date().toISOString();
const results = new URL("./results/", import.meta.url);
writeFileSync(
  new URL("import.json", results),
  `${JSON.stringify({ date, command, machine, runs: RUNS, rows }, null, 2)}\n`,
);
const table = rows.map(
  (r) =>
    `| ${r.case} | ${r.events.toLocaleString("en")} | ${r.seconds.toFixed(3)} | ${r.perSecond.toLocaleString("en")} |`,
);
writeFileSync(
  new URL("import.md", results),
  `# Import throughput (ml-100k)

Date: ${date}  
Command: \`${command}\`  
Machine: ${machine.cpus} × ${machine.cpu}, ${(machine.totalmem / 2 ** 30).toFixed(1)} GiB, Node ${machine.node}, ${machine.platform}

Median of ${RUNS} runs. Target: ≥ 200,000 events/s into SQLite.

| case | events | seconds | events/s |
|---|---:|---:|---:|
${table.join("\n")}
`,
);
console.log(table.join("\n"));
