/** One measured step of the load bench: autocannon against a running server, with its CPU, memory and cache. */
import { createRequire } from "node:module";
import os from "node:os";
import { CONNECTIONS } from "./options.js";
import { cacheCounts, cpuMs, rssMB, type Server, serverGauges } from "./server.js";

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
export interface CannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
}
type Autocannon = (options: Record<string, unknown>) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export type StepId =
  | "warm-up"
  | "floor"
  | "top10"
  | "top10-knn"
  | "mixed"
  | "top10-nocache"
  | "top10-knn-nocache"
  | "profile";

export const STEP_NAMES: Record<StepId, string> = {
  "warm-up": "warm-up",
  floor: "floor: GET /models/training",
  top10: "top-10 recommendations, explained (default chain)",
  "top10-knn": "top-10 recommendations, explained, ?algorithm=item-knn",
  mixed: "mixed: 90% recommendations, 10% ratings",
  "top10-nocache": "top-10, explained (default chain), no cache",
  "top10-knn-nocache": "top-10, explained, ?algorithm=item-knn, no cache",
  profile: "profiled (default chain, no cache)",
};

export interface Step {
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
  /** The server's longest event-loop stall (ms) in each 5 s window: a synchronous stretch that delays every request. */
  readonly eventLoopMaxMs: number[];
  /** p99 of the server's event-loop delay (ms) in each 5 s window. */
  readonly eventLoopP99Ms: number[];
  readonly loadAverage: [number, number];
}

/** Runs `next()`'s requests for `seconds` at CONNECTIONS connections and measures the server meanwhile. */
export async function step(
  server: Server,
  id: StepId,
  seconds: number,
  next: () => CannonRequest,
  headers: Record<string, string>,
): Promise<Step> {
  const pid = server.child.pid as number;
  const rss: number[] = [rssMB(pid)];
  const heap: number[] = [];
  const loopMax: number[] = [];
  const loopP99: number[] = [];
  let sampled = 0;
  const sample = () =>
    serverGauges(server, headers)
      .then((g) => {
        heap.push(g.heapMB);
        // The first scrape only resets the window (what came before the step is not the step's).
        if (sampled++ > 0) {
          loopMax.push(g.loopMaxMs);
          loopP99.push(g.loopP99Ms);
        }
      })
      .catch(() => undefined);
  await sample();
  const sampler = setInterval(() => {
    rss.push(rssMB(pid));
    void sample();
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
  await sample();
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
    eventLoopMaxMs: loopMax.map((m) => Math.round(m)),
    eventLoopP99Ms: loopP99.map((m) => Math.round(m)),
    loadAverage: [Math.round(loadBefore * 100) / 100, Math.round(os.loadavg()[0]! * 100) / 100],
  };
  console.error(
    `${name}: ${out.requestsPerSecond} req/s, p50 ${out.latencyMs.p50} ms, p99 ${out.latencyMs.p99} ms, ` +
      `errors ${out.errors}, non-2xx ${out.non2xx}, server CPU ${out.serverCpuMsPerRequest} ms/request, ` +
      `cache hits ${out.cacheHitRate ?? "-"}, event-loop max stall ${Math.max(0, ...out.eventLoopMaxMs)} ms`,
  );
  return out;
}
