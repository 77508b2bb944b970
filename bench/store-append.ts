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
const SCAN_RUNS = 5;

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

interface Row {
  driver: string;
  case: string;
  events: number;
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds of this process (user + system): less sensitive to other load on a shared machine. */
  cpuSeconds: number;
  perSecond: number;
}

interface Timing {
  seconds: number;
  cpuSeconds: number;
}

async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const cpu = process.cpuUsage(cpu0);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

async function appendAll(store: Store, events: NewEvent[]): Promise<Timing> {
  return timed(async () => {
    for (let k = 0; k < events.length; k += BATCH) await store.appendEvents(events.slice(k, k + BATCH));
  });
}

async function measure(driver: string, open: () => Promise<Store>): Promise<Row[]> {
  const rows: Row[] = [];
  const store = await open();
  try {
    for (const [label, withIds, seed] of [
      ["append, no eventId", false, 1],
      ["append, every event with an eventId", true, 2],
    ] as const) {
      const events = synthetic(EVENTS, withIds, seed);
      const t = await appendAll(store, events);
      rows.push({
        driver,
        case: `${label} (batches of ${BATCH})`,
        events: EVENTS,
        ...t,
        perSecond: EVENTS / t.seconds,
      });
    }
  } finally {
    await store.close();
  }
  // Load time of the first 100k events, as a process that just opened the store sees it: median of SCAN_RUNS.
  const times: Timing[] = [];
  for (let r = 0; r < SCAN_RUNS; r++) {
    const reader = await open();
    try {
      times.push(
        await timed(async () => {
          const loaded = await reader.scanEvents(0, EVENTS);
          if (loaded.length !== EVENTS) throw new Error(`scanEvents returned ${loaded.length}`);
        }),
      );
    } finally {
      await reader.close();
    }
  }
  times.sort((a, b) => a.seconds - b.seconds);
  const t = times[Math.floor(SCAN_RUNS / 2)]!;
  rows.push({
    driver,
    case: `scanEvents(0, 100000) on a just-opened store (median of ${SCAN_RUNS})`,
    events: EVENTS,
    ...t,
    perSecond: EVENTS / t.seconds,
  });
  return rows;
}

const loadAtStart = os.loadavg()[0]!;
const results: Row[] = [];
const dir = mkdtempSync(join(os.tmpdir(), "kindred-bench-"));
try {
  results.push(...(await measure("sqlite (file, WAL, synchronous=FULL)", () => openStore(join(dir, "bench.db")))));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pgUrl = process.env.KINDRED_TEST_PG;
if (pgUrl) {
  const schema = `kindred_bench_${process.pid}`;
  const url = `${pgUrl}${pgUrl.includes("?") ? "&" : "?"}schema=${schema}`;
  try {
    results.push(...(await measure("postgres", () => openStore(url))));
  } finally {
    const pg = (await import("pg")).default;
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
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
  "| driver | case | events | wall s | CPU s | events/s (wall) |",
  "|---|---|---:|---:|---:|---:|",
  ...results.map(
    (r) =>
      `| ${r.driver} | ${r.case} | ${r.events.toLocaleString("en")} | ${r.seconds.toFixed(3)} | ${r.cpuSeconds.toFixed(3)} | ${Math.round(r.perSecond).toLocaleString("en")} |`,
  ),
  "",
].join("\n");
writeFileSync(new URL("results/store-append.md", import.meta.url), md);
console.log(md);
