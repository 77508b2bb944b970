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
const RUNS = 5;
const loadAtStart = os.loadavg()[0] ?? 0;

if (!existsSync(join(DATA, "u.data"))) {
  console.error(`SKIPPED: bench/import.ts needs ${DATA}`);
  process.exit(0);
}

interface Row {
  case: string;
  events: number;
  /** Wall-clock seconds (median). */
  seconds: number;
  perSecond: number;
  /** CPU seconds of this process (user + system, median): less sensitive to other load on the machine. */
  cpuSeconds: number;
  perCpuSecond: number;
}

/** Wall and CPU seconds of `fn`. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { value, wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: Row[] = [];
const dir = mkdtempSync(join(os.tmpdir(), "kindred-bench-import-"));
try {
  type Times = { wall: number[]; cpu: number[] };
  const fresh: Times = { wall: [], cpu: [] };
  const again: Times = { wall: [], cpu: [] };
  const memory: Times = { wall: [], cpu: [] };
  const record = (times: Times, t: { wall: number; cpu: number }) => {
    times.wall.push(t.wall);
    times.cpu.push(t.cpu);
  };
  let events = 0;
  for (let run = 0; run < RUNS; run++) {
    const path = join(dir, `run${run}.db`);
    const store = await openStore(path);
    const first = await timed(() => importInto(store, DATA));
    record(fresh, first);
    events = first.value.imported.events;
    if (first.value.stored !== 100_000) throw new Error(`stored ${first.value.stored}, expected 100000`);
    const second = await timed(() => importInto(store, DATA));
    record(again, second);
    if (second.value.stored !== 0) throw new Error(`re-import stored ${second.value.stored}, expected 0`);
    await store.close();
  }
  for (let run = 0; run < RUNS; run++) record(memory, await timed(() => readDataset(DATA)));
  const row = (name: string, times: Times): Row => ({
    case: name,
    events,
    seconds: median(times.wall),
    perSecond: Math.round(events / median(times.wall)),
    cpuSeconds: median(times.cpu),
    perCpuSecond: Math.round(events / median(times.cpu)),
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
  /** 1-minute load average when the runs started and ended: other processes sharing the cores slow the wall clock. */
  loadavgAtStart: loadAtStart,
  loadavg: os.loadavg()[0] ?? 0,
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
    `| ${r.case} | ${r.events.toLocaleString("en")} | ${r.seconds.toFixed(3)} | ${r.perSecond.toLocaleString("en")} | ${r.cpuSeconds.toFixed(3)} | ${r.perCpuSecond.toLocaleString("en")} |`,
);
writeFileSync(
  new URL("import.md", results),
  `# Import throughput (ml-100k)

Date: ${date}  
Command: \`${command}\`  
Machine: ${machine.cpus} × ${machine.cpu}, ${(machine.totalmem / 2 ** 30).toFixed(1)} GiB, Node ${machine.node}, ${machine.platform}  
Load average (1 min) at the start / end: ${machine.loadavgAtStart.toFixed(2)} / ${machine.loadavg.toFixed(2)} on ${machine.cpus} cores

Median of ${RUNS} runs. Target: ≥ 200,000 events/s into SQLite. Wall-clock figures depend on what
else runs on the machine; CPU seconds (user + system of this process) much less so. The import writes
its events in transactions of 100,000 (\`batchSize\`; WAL, synchronous=FULL: each commit is fsynced);
a batch at least as large as the log already stored rebuilds the two event indexes once after its rows.

Where the fresh-import time goes (\`node --cpu-prof\` of one import, 2026-12-05, load ~10): inside SQLite,
inserting the 100,000 rows (record encoding, two foreign-key lookups a row, AUTOINCREMENT) ~0.30 s; rebuilding
the \`event_id\` (TEXT, unique) and \`(customer, seq)\` indexes after them ~0.11 s; the commit (≈10 MB of pages
into the WAL, fsync, checkpoint) ~0.07 s; in JavaScript, garbage collection ~0.1 s (the 100k-event batch lives
until it is written) and parsing ~0.1 s. What would cut further: an integer key for event ids instead of the
TEXT unique index (smaller index, cheaper to build and to probe; a new migration), and an append path that takes
columns instead of one object per event.

| case | events | wall s | events/s (wall) | CPU s | events/CPU-s |
|---|---:|---:|---:|---:|---:|
${table.join("\n")}
`,
);
console.log(table.join("\n"));
