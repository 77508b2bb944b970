/**
 * Load on the HTTP service, measured with autocannon against `kindred serve`
 * running as its own process on ml-100k (../shared/data: 100,000 ratings, 943
 * customers, 1,682 movies with genres), explanations on:
 *
 *   1. floor     GET /models/training: auth, routing, metrics, JSON; no store, no engine (the HTTP ceiling)
 *   2. top-10    GET /customers/{random}/recommendations?n=10 at 64 connections (target ≥ 2,000 req/s, p99 < 25 ms)
 *   3. mixed     90% top-10 recommendations, 10% POST /events (a rating): zero errors, memory sampled throughout
 *
 * on SQLite, and the same on PostgreSQL when KINDRED_TEST_PG is set (a fresh schema, dropped afterwards).
 * The server's CPU time per request (from /proc) is recorded: on a shared machine it is the number that
 * says what one core can serve, whatever else runs.
 *
 *   node --import tsx bench/load.ts                  # 20 s per step, 60 s mixed
 *   node --import tsx bench/load.ts --minutes 5      # the 5-minute mixed soak
 *   options: --seconds N (steps 1–2), --connections N, --no-pg
 *
 * Writes bench/results/load.md and .json.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { Rng } from "../src/core/rng.js";
import { importInto } from "../src/importers/index.js";
import { Kindred } from "../src/kindred.js";
import { createKey } from "../src/service/auth/keys.js";
import { machine } from "./lib/machine.js";
import { markdownTable, writeResults } from "./lib/results.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const ML100K = fileURLToPath(new URL("../../shared/data/ml-100k/", import.meta.url));

// autocannon ships no types: the few fields used here.
interface Histogram {
  average: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
interface CannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  [key: string]: unknown;
}
interface CannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
}
type Autocannon = (options: Record<string, unknown>) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

// ---- arguments ------------------------------------------------------------------------------------------

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}
const STEP_SECONDS = flag("seconds", 20);
const MIXED_SECONDS = Math.round(flag("minutes", 1) * 60);
const CONNECTIONS = flag("connections", 64);
const PG_URL = process.argv.includes("--no-pg") ? undefined : process.env.KINDRED_TEST_PG;

if (!existsSync(`${ML100K}u.data`)) {
  console.error(`SKIPPED: this benchmark needs ${ML100K} (../shared/data is absent)`);
  process.exit(0);
}

// ---- the server process ---------------------------------------------------------------------------------

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

async function startServer(db: string): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/entry.ts", "serve", "--json", "--db", db], {
    cwd: ROOT,
    env: { ...process.env, KINDRED_PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  for (let waited = 0; ; waited += 100) {
    const line = out.split("\n").find((l) => l.startsWith("{"));
    if (line) {
      const url = (JSON.parse(line) as { url: string }).url;
      // Ready = the models are loaded (the warm-up runs right after the port opens).
      for (let w = 0; w < 600; w++) {
        if ((await fetch(`${url}/health`)).status === 200) return { child, url };
        await sleep(100);
      }
      throw new Error("the service never became ready");
    }
    if (child.exitCode !== null || waited > 60_000) throw new Error(`the service did not start:\n${out}`);
    await sleep(100);
  }
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.on("exit", resolve));
  server.child.kill("SIGTERM");
  await exited;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** utime + stime of a process, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

function rssMB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

// ---- one step -------------------------------------------------------------------------------------------

interface Step {
  readonly name: string;
  readonly seconds: number;
  readonly connections: number;
  readonly requestsPerSecond: number;
  readonly total: number;
  readonly latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly serverCpuMsPerRequest: number;
  /** Server RSS (MB) sampled every 5 s. */
  readonly rssMB: number[];
  readonly loadAverage: [number, number];
}

async function step(
  server: Server,
  name: string,
  seconds: number,
  next: () => CannonRequest,
  headers: Record<string, string>,
): Promise<Step> {
  const pid = server.child.pid as number;
  const rss: number[] = [rssMB(pid)];
  const sampler = setInterval(() => rss.push(rssMB(pid)), 5000);
  const loadBefore = os.loadavg()[0]!;
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: seconds,
    headers,
    requests: [{ setupRequest: (request: CannonRequest) => ({ ...request, ...next() }) }],
  });
  const cpu = cpuMs(pid) - cpuBefore;
  clearInterval(sampler);
  rss.push(rssMB(pid));
  const total = result.requests.total;
  const out: Step = {
    name,
    seconds,
    connections: CONNECTIONS,
    requestsPerSecond: Math.round(result.requests.average),
    total,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: Math.round(result.latency.mean * 100) / 100,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    serverCpuMsPerRequest: total > 0 ? Math.round((cpu / total) * 1000) / 1000 : 0,
    rssMB: rss.map((m) => Math.round(m)),
    loadAverage: [Math.round(loadBefore * 100) / 100, Math.round(os.loadavg()[0]! * 100) / 100],
  };
  console.error(
    `${name}: ${out.requestsPerSecond} req/s, p50 ${out.latencyMs.p50} ms, p99 ${out.latencyMs.p99} ms, ` +
      `errors ${out.errors}, non-2xx ${out.non2xx}, server CPU ${out.serverCpuMsPerRequest} ms/request`,
  );
  return out;
}

// ---- a run on one store ---------------------------------------------------------------------------------

interface Run {
  readonly store: "SQLite" | "PostgreSQL";
  readonly importSeconds: number;
  readonly steps: Step[];
  readonly fitsDuringMixed: number;
}

async function prepare(target: string): Promise<{ key: string; importSeconds: number }> {
  const kindred = await Kindred.open(target, { retrain: { background: false } });
  const started = performance.now();
  await importInto(kindred.store, ML100K);
  const importSeconds = (performance.now() - started) / 1000;
  for (const kind of ["item-knn", "popular"]) await kindred.train(kind);
  const { key } = await createKey(kindred.store, { scopes: ["read", "events:write"], channel: "load" });
  await kindred.close();
  return { key, importSeconds };
}

async function run(label: Run["store"], target: string): Promise<Run> {
  console.error(`${label}: importing ml-100k and fitting item-knn and popular ...`);
  const { key, importSeconds } = await prepare(target);
  const server = await startServer(target);
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const rng = new Rng(7);
  const customer = () => String(1 + Math.floor(rng.next() * 943));
  const recommend = (): CannonRequest => ({ method: "GET", path: `/customers/${customer()}/recommendations?n=10` });
  let ratings = 0;
  const mixed = (): CannonRequest => {
    if (rng.next() >= 0.1) return recommend();
    ratings++;
    const event = {
      customer: customer(),
      item: String(1 + Math.floor(rng.next() * 1682)),
      type: "rating",
      value: 1 + Math.floor(rng.next() * 5),
      eventId: `load-${label}-${ratings}`,
    };
    return { method: "POST", path: "/events", body: JSON.stringify(event) };
  };
  try {
    const steps: Step[] = [];
    await step(server, "warm-up", 5, recommend, headers);
    steps.push(
      await step(server, "floor: GET /models/training", STEP_SECONDS, () => ({ path: "/models/training" }), headers),
    );
    steps.push(await step(server, "top-10 recommendations, explained", STEP_SECONDS, recommend, headers));
    const modelsBefore = (await fetchJson(`${server.url}/models`, headers)).models.length as number;
    steps.push(await step(server, "mixed: 90% recommendations, 10% ratings", MIXED_SECONDS, mixed, headers));
    const modelsAfter = (await fetchJson(`${server.url}/models`, headers)).models.length as number;
    return { store: label, importSeconds, steps, fitsDuringMixed: modelsAfter - modelsBefore };
  } finally {
    await stopServer(server);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: JSON from the service
async function fetchJson(url: string, headers: Record<string, string>): Promise<any> {
  return (await fetch(url, { headers })).json();
}

// ---- main -----------------------------------------------------------------------------------------------

const startMachine = machine();
const runs: Run[] = [];
const dir = mkdtempSync(join(os.tmpdir(), "kindred-load-"));
try {
  runs.push(await run("SQLite", join(dir, "kindred.db")));
  if (PG_URL) {
    const schema = `load_${randomBytes(4).toString("hex")}`;
    const url = new URL(PG_URL);
    url.searchParams.set("schema", schema);
    try {
      runs.push(await run("PostgreSQL", url.toString()));
    } finally {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  } else {
    console.error("PostgreSQL: skipped (set KINDRED_TEST_PG to run it)");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// ---- results --------------------------------------------------------------------------------------------

const top10 = runs[0]!.steps[1]!;
const met = top10.requestsPerSecond >= 2000 && top10.latencyMs.p99 < 25;
const rows = runs.flatMap((r) =>
  r.steps.map((s) => [
    r.store,
    s.name,
    `${s.seconds}`,
    s.requestsPerSecond.toLocaleString("en"),
    `${s.latencyMs.p50}`,
    `${s.latencyMs.p90}`,
    `${s.latencyMs.p99}`,
    `${s.errors + s.timeouts}`,
    `${s.non2xx}`,
    `${s.serverCpuMsPerRequest}`,
    `${s.rssMB[0]} → ${Math.max(...s.rssMB)} → ${s.rssMB[s.rssMB.length - 1]}`,
    `${s.loadAverage[0]} / ${s.loadAverage[1]}`,
  ]),
);
const memory = runs.map((r) => {
  const m = r.steps[2]!;
  return `- ${r.store}, mixed (${m.seconds} s): server RSS every 5 s (MB): ${m.rssMB.join(", ")}; ${r.fitsDuringMixed} background refit(s) during the run; import ${r.importSeconds.toFixed(1)} s`;
});
const markdown = `# HTTP load (autocannon, ${CONNECTIONS} connections)

\`kindred serve\` as its own process on ml-100k (100,000 ratings, 943 customers, 1,682 movies), item-knn with
popular behind, explanations on; autocannon in the bench process on the same machine. Every request carries an
API key (sha256 lookup, cached). Recommendations are for seeded-random customers; ratings are new events
(idempotent ids), so the retrain policy refits in a worker thread during the mixed run.

${markdownTable(
  [
    "store",
    "step",
    "s",
    "req/s",
    "p50 ms",
    "p90 ms",
    "p99 ms",
    "errors",
    "non-2xx",
    "server CPU ms/req",
    "server RSS MB (start → max → end)",
    "load avg (before / after)",
  ],
  rows,
)}

Target (SQLite, top-10): ≥ 2,000 req/s with p99 < 25 ms: ${met ? "met" : "NOT met"} (${top10.requestsPerSecond} req/s, p99 ${top10.latencyMs.p99} ms).

${memory.join("\n")}
`;
const written = writeResults("load", {
  data: { connections: CONNECTIONS, stepSeconds: STEP_SECONDS, mixedSeconds: MIXED_SECONDS, runs },
  markdown,
  machine: startMachine,
});
console.error(`wrote ${written.md} and ${written.json}`);
