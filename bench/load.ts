/**
 * Load on the HTTP service, measured with autocannon against `kindred serve`
 * running as its own process on ml-100k (../shared/data: 100,000 ratings, 943
 * customers, 1,682 movies with genres), the engine's default chains, explanations on:
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
 *   options: --seconds N (steps 1–2), --connections N, --no-pg, --no-profile
 *
 * Then, unless --no-profile, where the time goes: the uncached server under `node --cpu-prof` for 10 s of
 * recommendations, its samples summed by function (self time) and by a few stages (inclusive time).
 *
 * Writes bench/results/load.md and .json.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { Rng } from "../src/core/rng.js";
import { resolveOptions } from "../src/engine/config.js";
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
const PROFILE = !process.argv.includes("--no-profile");
/** The models the service answers with by default (both chains); each is fitted before the server starts. */
const CHAIN = resolveOptions({}).chain;
const RECOMMEND_CHAIN = resolveOptions({}).chains.recommend;

if (!existsSync(`${ML100K}u.data`)) {
  console.error(`SKIPPED: this benchmark needs ${ML100K} (../shared/data is absent)`);
  process.exit(0);
}

// ---- the server process ---------------------------------------------------------------------------------

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

async function startServer(db: string, env: Record<string, string> = {}, nodeFlags: string[] = []): Promise<Server> {
  const args = [...nodeFlags, "--import", "tsx", "src/cli/entry.ts", "serve", "--json", "--db", db];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, KINDRED_PORT: "0", ...env },
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
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.on("exit", resolve));
  server.child.kill("SIGTERM");
  await exited;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The answer cache's hit and miss counters, from /metrics. */
async function cacheCounts(server: Server, headers: Record<string, string>): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${server.url}/metrics`, { headers })).text();
  const count = (outcome: string) =>
    Number(new RegExp(`kindred_answer_cache_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { hit: count("hit"), miss: count("miss") };
}

async function heapUsedMB(server: Server, headers: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`, { headers })).text();
  return Number(/kindred_process_memory_bytes\{kind="heap_used"\} (\d+)/.exec(text)?.[1] ?? 0) / 2 ** 20;
}

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
  readonly id: StepId;
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
  /** Share of recommendation answers served from the answer cache during the step (null: none asked). */
  readonly cacheHitRate: number | null;
  /** Server RSS (MB) sampled every 5 s. */
  readonly rssMB: number[];
  /** The server's V8 heap in use (MB, from /metrics) sampled every 5 s: live data plus garbage not yet collected. */
  readonly heapUsedMB: number[];
  readonly loadAverage: [number, number];
}

type StepId = "warm-up" | "floor" | "top10" | "top10-knn" | "mixed" | "top10-nocache" | "top10-knn-nocache" | "profile";

const STEP_NAMES: Record<StepId, string> = {
  "warm-up": "warm-up",
  floor: "floor: GET /models/training",
  top10: "top-10 recommendations, explained (default chain)",
  "top10-knn": "top-10 recommendations, explained, ?algorithm=item-knn",
  mixed: "mixed: 90% recommendations, 10% ratings",
  "top10-nocache": "top-10, explained (default chain), no cache",
  "top10-knn-nocache": "top-10, explained, ?algorithm=item-knn, no cache",
  profile: "profiled (default chain, no cache)",
};

async function step(
  server: Server,
  id: StepId,
  seconds: number,
  next: () => CannonRequest,
  headers: Record<string, string>,
): Promise<Step> {
  const pid = server.child.pid as number;
  const rss: number[] = [rssMB(pid)];
  const heap: number[] = [];
  const sampleHeap = () =>
    heapUsedMB(server, headers)
      .then((mb) => heap.push(mb))
      .catch(() => undefined);
  await sampleHeap();
  const sampler = setInterval(() => {
    rss.push(rssMB(pid));
    void sampleHeap();
  }, 5000);
  const loadBefore = os.loadavg()[0]!;
  const cacheBefore = await cacheCounts(server, headers);
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: seconds,
    headers,
    // A fresh headers object per request: autocannon writes Content-Length into the one it is given, which
    // would otherwise stick to the GETs after a POST (and make the server wait for bodies never sent).
    requests: [{ setupRequest: (request: CannonRequest) => ({ ...request, headers: { ...headers }, ...next() }) }],
  });
  const cpu = cpuMs(pid) - cpuBefore;
  clearInterval(sampler);
  const cacheAfter = await cacheCounts(server, headers);
  const hits = cacheAfter.hit - cacheBefore.hit;
  const asked = hits + cacheAfter.miss - cacheBefore.miss;
  rss.push(rssMB(pid));
  const total = result.requests.total;
  const name = STEP_NAMES[id];
  const out: Step = {
    id,
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
    cacheHitRate: asked > 0 ? Math.round((hits / asked) * 1000) / 1000 : null,
    rssMB: rss.map((m) => Math.round(m)),
    heapUsedMB: heap.map((m) => Math.round(m)),
    loadAverage: [Math.round(loadBefore * 100) / 100, Math.round(os.loadavg()[0]! * 100) / 100],
  };
  console.error(
    `${name}: ${out.requestsPerSecond} req/s, p50 ${out.latencyMs.p50} ms, p99 ${out.latencyMs.p99} ms, ` +
      `errors ${out.errors}, non-2xx ${out.non2xx}, server CPU ${out.serverCpuMsPerRequest} ms/request, ` +
      `cache hits ${out.cacheHitRate ?? "-"}`,
  );
  return out;
}

// ---- where the time goes --------------------------------------------------------------------------------

interface ProfileSummary {
  readonly seconds: number;
  readonly requests: number;
  /** Share of the server's sampled time, by function (self time), largest first. */
  readonly selfTime: Array<{ frame: string; share: number }>;
  /** Share of sampled time spent inside each stage (inclusive). */
  readonly stages: Array<{ stage: string; share: number }>;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

const STAGES: ReadonlyArray<readonly [string, RegExp]> = [
  ["engine recommend() (all of it)", /^recommend recommend\.ts$/],
  ["  scoring the catalogue (scoreChain)", /^scoreChain /],
  ["  the customer's events from the store", /^customerEvents /],
  ["  explanations", /^explainAll /],
  ["HTTP: Hono app (routing, middleware, validation)", /^fetch hono-base\.js$/],
  ["HTTP: writing responses to sockets", /^writev $/],
  ["garbage collector", /^\(garbage collector\) $/],
];

async function profileRecommendations(
  target: string,
  next: () => CannonRequest,
  headers: Record<string, string>,
): Promise<ProfileSummary> {
  const dir = mkdtempSync(join(os.tmpdir(), "kindred-prof-"));
  const server = await startServer(target, { KINDRED_CACHE: "false", KINDRED_RETRAIN: "false" }, [
    "--cpu-prof",
    "--cpu-prof-dir",
    dir,
  ]);
  let requests = 0;
  try {
    await step(server, "warm-up", 5, next, headers);
    requests = (await step(server, "profile", 10, next, headers)).total;
  } finally {
    await stopServer(server);
  }
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error("no CPU profile was written");
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
  rmSync(dir, { recursive: true, force: true });
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || "(anonymous)"} ${f.url.split("/").pop() ?? ""}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, k) => {
    const dt = profile.timeDeltas[k] ?? 0;
    total += dt;
    self.set(name(id), (self.get(name(id)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const frame = name(x);
      if (!seen.has(frame)) inclusive.set(frame, (inclusive.get(frame) ?? 0) + dt);
      seen.add(frame);
    }
  });
  const share = (t: number) => Math.round((t / total) * 1000) / 10;
  return {
    seconds: Math.round(total / 1e5) / 10,
    requests,
    selfTime: [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([frame, t]) => ({ frame, share: share(t) })),
    stages: STAGES.map(([stage, pattern]) => ({
      stage,
      share: share([...inclusive].filter(([frame]) => pattern.test(frame)).reduce((sum, [, t]) => sum + t, 0)),
    })),
  };
}

// ---- a run on one store ---------------------------------------------------------------------------------

interface Run {
  readonly store: "SQLite" | "PostgreSQL";
  readonly importSeconds: number;
  readonly steps: Step[];
  readonly fitsDuringMixed: number;
  readonly profile?: ProfileSummary | undefined;
}

async function prepare(target: string): Promise<{ key: string; importSeconds: number }> {
  const kindred = await Kindred.open(target, { retrain: { background: false } });
  const started = performance.now();
  await importInto(kindred.store, ML100K);
  const importSeconds = (performance.now() - started) / 1000;
  for (const kind of CHAIN) await kindred.train(kind);
  const { key } = await createKey(kindred.store, { scopes: ["read", "events:write"], channel: "load" });
  await kindred.close();
  return { key, importSeconds };
}

async function run(label: Run["store"], target: string): Promise<Run> {
  console.error(`${label}: importing ml-100k and fitting ${CHAIN.join(", ")} ...`);
  const { key, importSeconds } = await prepare(target);
  const server = await startServer(target);
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const rng = new Rng(7);
  const customer = () => String(1 + Math.floor(rng.next() * 943));
  const recommend = (): CannonRequest => ({ method: "GET", path: `/customers/${customer()}/recommendations?n=10` });
  const recommendKnn = (): CannonRequest => ({
    method: "GET",
    path: `/customers/${customer()}/recommendations?n=10&algorithm=item-knn`,
  });
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
    await step(server, "warm-up", 10, recommend, headers);
    steps.push(await step(server, "floor", STEP_SECONDS, () => ({ path: "/models/training" }), headers));
    steps.push(await step(server, "top10", STEP_SECONDS, recommend, headers));
    steps.push(await step(server, "top10-knn", STEP_SECONDS, recommendKnn, headers));
    const modelsBefore = (await fetchJson(`${server.url}/models`, headers)).models.length as number;
    steps.push(await step(server, "mixed", MIXED_SECONDS, mixed, headers));
    const modelsAfter = (await fetchJson(`${server.url}/models`, headers)).models.length as number;
    await stopServer(server);
    // The same on a server without the answer cache: every answer computed (the engine's own capacity).
    const uncached = await startServer(target, { KINDRED_CACHE: "false", KINDRED_RETRAIN: "false" });
    try {
      await step(uncached, "warm-up", 5, recommend, headers);
      steps.push(await step(uncached, "top10-nocache", STEP_SECONDS, recommend, headers));
      steps.push(await step(uncached, "top10-knn-nocache", STEP_SECONDS, recommendKnn, headers));
    } finally {
      await stopServer(uncached);
    }
    const profile =
      PROFILE && label === "SQLite" ? await profileRecommendations(target, recommend, headers) : undefined;
    return { store: label, importSeconds, steps, fitsDuringMixed: modelsAfter - modelsBefore, profile };
  } catch (error) {
    if (server.child.exitCode === null) await stopServer(server);
    throw error;
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

const sqlite = runs[0]!;
const find = (r: Run, id: StepId) => r.steps.find((s) => s.id === id) as Step;
const floor = find(sqlite, "floor");
const meets = (s: Step) => s.requestsPerSecond >= 2000 && s.latencyMs.p99 < 25;
const verdict = (s: Step) =>
  `${meets(s) ? "met" : "NOT met"} (${s.requestsPerSecond.toLocaleString("en")} req/s, p99 ${s.latencyMs.p99} ms, ` +
  `${s.serverCpuMsPerRequest} ms of server CPU per request${s.cacheHitRate === null ? "" : `, ${Math.round(s.cacheHitRate * 100)}% cache hits`})`;
const mixedClean = runs.every((r) => {
  const m = find(r, "mixed");
  return m.errors + m.timeouts + m.non2xx === 0;
});
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
    s.cacheHitRate === null ? "–" : `${Math.round(s.cacheHitRate * 100)}%`,
    `${s.rssMB[0]} → ${Math.max(...s.rssMB)} → ${s.rssMB[s.rssMB.length - 1]}`,
    `${s.loadAverage[0]} / ${s.loadAverage[1]}`,
  ]),
);
/** Mean of the samples in [from, to) as fractions of the series (e.g. the second and the last fifth). */
const meanOf = (xs: readonly number[], from: number, to: number) => {
  const part = xs.slice(
    Math.floor(xs.length * from),
    Math.max(Math.floor(xs.length * to), Math.floor(xs.length * from) + 1),
  );
  return Math.round(part.reduce((a, b) => a + b, 0) / Math.max(part.length, 1));
};
const memory = runs.map((r) => {
  const m = find(r, "mixed");
  return (
    `- ${r.store}, mixed (${m.seconds} s), every 5 s: server RSS (MB) ${m.rssMB.join(", ")}; V8 heap in use (MB) ` +
    `${m.heapUsedMB.join(", ")}. Mean of the second fifth → the last fifth of the run: RSS ${meanOf(m.rssMB, 0.2, 0.4)} → ` +
    `${meanOf(m.rssMB, 0.8, 1)} MB, heap ${meanOf(m.heapUsedMB, 0.2, 0.4)} → ${meanOf(m.heapUsedMB, 0.8, 1)} MB. ` +
    `${r.fitsDuringMixed} refit(s) by the retrain policy during the run; import of ml-100k ${r.importSeconds.toFixed(1)} s`
  );
});
const profile = sqlite.profile;
const profileText = profile
  ? `## Where the time goes (SQLite, no cache)

The uncached server under \`node --cpu-prof\` for 10 s of top-10 recommendations (${profile.requests} requests,
${profile.seconds} s of samples including idle). Inclusive share of the sampled time by stage:

${markdownTable(
  ["stage", "share of samples"],
  profile.stages.map((s) => [s.stage, `${s.share}%`]),
)}

Self time by function (top 12):

${markdownTable(
  ["function and file", "self"],
  profile.selfTime.map((s) => [s.frame.replace(/\|/g, "\\|"), `${s.share}%`]),
)}
`
  : "";
const markdown = `# HTTP load (autocannon, ${CONNECTIONS} connections)

\`kindred serve\` as its own process on ml-100k (100,000 ratings, 943 customers, 1,682 movies) with the engine's
default recommendation chain (${RECOMMEND_CHAIN.join(" → ")}; every model of the default chains fitted before the
server starts), explanations on; autocannon in the bench process on the same machine (2 cores shared with
the load generator and whatever else runs: see the load averages). Every request carries an API key
(sha256, cached lookup). Recommendations are for seeded-random customers among the 943; ratings are new
events (with idempotency ids), and the retrain policy refits in a worker thread when due. The answer cache
(src/service/answer-cache.ts) serves a repeated question while the customer's events, the models and the
catalogue are unchanged; "no cache" is a server started with KINDRED_CACHE=false: every answer computed.
"server CPU ms/req" is the server process's CPU time (/proc) divided by the requests answered.

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
    "cache hits",
    "server RSS MB (start → max → end)",
    "load avg (before / after)",
  ],
  rows,
)}

Target (SQLite, top-10 at ${CONNECTIONS} connections): ≥ 2,000 req/s with p99 < 25 ms:
- default chain, with the answer cache: ${verdict(find(sqlite, "top10"))};
- item-knn at the head, with the answer cache: ${verdict(find(sqlite, "top10-knn"))};
- default chain, every answer computed: ${verdict(find(sqlite, "top10-nocache"))};
- item-knn at the head, every answer computed: ${verdict(find(sqlite, "top10-knn-nocache"))}.

The HTTP floor (auth, routing, metrics, a small JSON answer, no store) costs ${floor.serverCpuMsPerRequest} ms of CPU per
request. A computed answer costs ${find(sqlite, "top10-nocache").serverCpuMsPerRequest} ms (default chain) or
${find(sqlite, "top10-knn-nocache").serverCpuMsPerRequest} ms (item-knn) of server CPU: one core computes at most
${Math.round(1000 / Math.max(find(sqlite, "top10-nocache").serverCpuMsPerRequest, 0.001))} or
${Math.round(1000 / Math.max(find(sqlite, "top10-knn-nocache").serverCpuMsPerRequest, 0.001))} answers a second.

Mixed workload: ${mixedClean ? "zero errors and zero non-2xx responses" : "ERRORS (see the table)"}; ${find(sqlite, "mixed").total.toLocaleString("en")} requests on SQLite.
${memory.join("\n")}

${profileText}`;
const written = writeResults("load", {
  data: {
    connections: CONNECTIONS,
    stepSeconds: STEP_SECONDS,
    mixedSeconds: MIXED_SECONDS,
    chains: resolveOptions({}).chains,
    runs,
  },
  markdown,
  machine: startMachine,
});
console.error(`wrote ${written.md} and ${written.json}`);
