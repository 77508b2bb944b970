/**
 * Store throughput: appendEvents (100k synthetic events in batches of 10k) and
 * scanEvents (loading all 100k), on a SQLite file and, when KINDRED_TEST_PG is
 * set, on PostgreSQL (a fresh schema, dropped afterwards).
 *
 *   node --import tsx bench/store-append.ts
 *   KINDRED_TEST_PG=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/store-append.ts
 *
 * Writes bench/results/store-append.md and .json.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Rng } from "../src/core/rng.js";
import type { NewEvent } from "../src/core/types.js";
import { openStore } from "../src/storage/open.js";
import type { Store } from "../src/storage/store.js";

const EVENTS = 100_000;
const BATCH = 10_000;
const REPS = 3; // fresh stores per driver
const SCANS_PER_REP = 2;

function synthetic(n: number, withIds: boolean, seed: number): NewEvent[] {
  const rng = new Rng(seed);
  const out: NewEvent[] = [];
  for (let k = 0; k < n; k++) {
    const purchase = rng.next() < 0.2;
    out.push({
      customer: `c${Math.floor(rng.next() * 5000)}`,
      item: `i${Math.floor(rng.next() * 2000)}`,
      type: purchase ? "purchase" : "rating",
      value: purchase ? null : 1 + Math.floor(rng.next() * 5),
      quantity: purchase ? 1 : null,
      amount: purchase ? Math.round(rng.next() * 10_000) / 100 : null,
      timestamp: 1_600_000_000_000 + k * 1000,
      channel: "bench",
      eventId: withIds ? `e${seed}-${k}` : null,
    });
  }
  return out;
}

interface Timing {
  seconds: number;
  /** CPU seconds of this process (user + system, GC threads included): steadier than wall time on a shared machine. */
  cpuSeconds: number;
}

interface Row {
  driver: string;
  case: string;
  events: number;
  runs: number;
  bestSeconds: number;
  medianSeconds: number;
  medianCpuSeconds: number;
  /** Events per second at the best and at the median wall time. */
  bestPerSecond: number;
  medianPerSecond: number;
}

async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const cpu = process.cpuUsage(cpu0);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function summarise(driver: string, label: string, times: Timing[]): Row {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const best = Math.min(...times.map((t) => t.seconds));
  const mid = median(times.map((t) => t.seconds));
  return {
    driver,
    case: label,
    events: EVENTS,
    runs: times.length,
    bestSeconds: best,
    medianSeconds: mid,
    medianCpuSeconds: median(times.map((t) => t.cpuSeconds)),
    bestPerSecond: EVENTS / best,
    medianPerSecond: EVENTS / mid,
  };
}

const CASES = [
  { label: `appendEvents, no eventId, batches of ${BATCH}`, withIds: false, seed: 1 },
  { label: `appendEvents, every event with an eventId, batches of ${BATCH}`, withIds: true, seed: 2 },
] as const;
const SCAN_LABEL = `scanEvents(0, ${EVENTS}) on a just-opened store`;
const COLUMNS_LABEL = `scanEventColumns(0, ${EVENTS}) on a just-opened store (what dataset builds read)`;

/** REPS rounds, each on a fresh store: both append cases (the store ends with 200k events), then scans. */
async function measure(driver: string, fresh: () => string, open: (target: string) => Promise<Store>): Promise<Row[]> {
  const appends: Timing[][] = CASES.map(() => []);
  const scans: Timing[] = [];
  const columnScans: Timing[] = [];
  const data = CASES.map((c) => synthetic(EVENTS, c.withIds, c.seed));
  for (let rep = 0; rep < REPS; rep++) {
    const target = fresh();
    const store = await open(target);
    try {
      for (let c = 0; c < CASES.length; c++) {
        const events = data[c]!;
        appends[c]!.push(
          await timed(async () => {
            for (let k = 0; k < events.length; k += BATCH) await store.appendEvents(events.slice(k, k + BATCH));
          }),
        );
      }
    } finally {
      await store.close();
    }
    for (let r = 0; r < SCANS_PER_REP; r++) {
      const reader = await open(target);
      try {
        scans.push(
          await timed(async () => {
            const loaded = await reader.scanEvents(0, EVENTS);
            if (loaded.length !== EVENTS) throw new Error(`scanEvents returned ${loaded.length}`);
          }),
        );
        columnScans.push(
          await timed(async () => {
            const loaded = await reader.scanEventColumns(0, EVENTS);
            if (loaded.length !== EVENTS) throw new Error(`scanEventColumns returned ${loaded.length}`);
          }),
        );
      } finally {
        await reader.close();
      }
    }
  }
  return [
    ...CASES.map((c, k) => summarise(driver, c.label, appends[k]!)),
    summarise(driver, SCAN_LABEL, scans),
    summarise(driver, COLUMNS_LABEL, columnScans),
  ];
}

const loadAtStart = os.loadavg()[0]!;
const results: Row[] = [];
const dir = mkdtempSync(join(os.tmpdir(), "kindred-bench-"));
let files = 0;
try {
  results.push(
    ...(await measure("sqlite (file, WAL, synchronous=FULL)", () => join(dir, `bench-${++files}.db`), openStore)),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pgUrl = process.env.KINDRED_TEST_PG;
if (pgUrl) {
  const schemas: string[] = [];
  const fresh = () => {
    const schema = `kindred_bench_${process.pid}_${schemas.length + 1}`;
    schemas.push(schema);
    return `${pgUrl}${pgUrl.includes("?") ? "&" : "?"}schema=${schema}`;
  };
  try {
    results.push(...(await measure("postgres", fresh, openStore)));
  } finally {
    const pg = (await import("pg")).default;
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
} else {
  console.warn("SKIPPED PostgreSQL: set KINDRED_TEST_PG to measure it");
}

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? "unknown",
  totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  /** Other work on the machine while this ran (1-minute load average at the start and the end). */
  loadAverage: [loadAtStart, os.loadavg()[0]!].map((l) => Math.round(l * 100) / 100),
};
const command = `${pgUrl ? `KINDRED_TEST_PG=${pgUrl.replace(/:[^:@/]*@/, ":***@")} ` : ""}node --import tsx bench/store-append.ts`;
const date = new Date().toISOString();
writeFileSync(
  new URL("results/store-append.json", import.meta.url),
  `${JSON.stringify({ date, command, machine, results }, null, 2)}\n`,
);
const md = [
  "# Store append and load throughput",
  "",
  `Date: ${date}  `,
  `Command: \`${command}\`  `,
  `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.totalMemGiB} GiB, Node ${machine.node}, ${machine.platform}  `,
  `Load average (1 min) at start / end: ${machine.loadAverage.join(" / ")} — on a shared machine, wall time includes waiting`,
  "for the CPU; CPU seconds (user + system of this process, GC threads included) are the steadier figure.",
  "",
  `${EVENTS.toLocaleString("en")} synthetic events (5,000 customers, 2,000 items, 80% ratings, 20% purchases), appended with`,
  "`appendEvents` in batches of 10,000 (one transaction each), then loaded with `scanEvents(0, 100000)`.",
  "",
  `Each driver: ${REPS} rounds on a fresh store; scans: ${SCANS_PER_REP} per round, each by a newly opened store.`,
  "",
  "| driver | case | runs | best wall s | median wall s | median CPU s | events/s (best) | events/s (median) |",
  "|---|---|---:|---:|---:|---:|---:|---:|",
  ...results.map(
    (r) =>
      `| ${r.driver} | ${r.case} | ${r.runs} | ${r.bestSeconds.toFixed(3)} | ${r.medianSeconds.toFixed(3)} | ${r.medianCpuSeconds.toFixed(3)} | ${Math.round(r.bestPerSecond).toLocaleString("en")} | ${Math.round(r.medianPerSecond).toLocaleString("en")} |`,
  ),
  "",
].join("\n");
writeFileSync(new URL("results/store-append.md", import.meta.url), md);
console.log(md);
