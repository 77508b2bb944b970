/** The load bench's results as markdown: the table, the verdict against issue 4's target, memory, profile. */
import { markdownTable } from "../lib/results.js";
import { CONNECTIONS, RECOMMEND_CHAIN, WARMUP_SECONDS } from "./options.js";
import type { ProfileSummary } from "./profile.js";
import type { Run } from "./run.js";
import type { Step, StepId } from "./step.js";

export const find = (r: Run, id: StepId) => r.steps.find((s) => s.id === id) as Step;
export const meetsTarget = (s: Step) => s.requestsPerSecond >= 2000 && s.latencyMs.p99 < 25;

const verdict = (s: Step) =>
  `${meetsTarget(s) ? "met" : "NOT met"} (${s.requestsPerSecond.toLocaleString("en")} req/s, p99 ${s.latencyMs.p99} ms, ` +
  `${s.serverCpuMsPerRequest} ms of server CPU per request${s.cacheHitRate === null ? "" : `, ${Math.round(s.cacheHitRate * 100)}% cache hits`})`;

/** Mean of the samples in [from, to) as fractions of the series (e.g. the second and the last fifth). */
const meanOf = (xs: readonly number[], from: number, to: number) => {
  const part = xs.slice(
    Math.floor(xs.length * from),
    Math.max(Math.floor(xs.length * to), Math.floor(xs.length * from) + 1),
  );
  return Math.round(part.reduce((a, b) => a + b, 0) / Math.max(part.length, 1));
};

function table(runs: readonly Run[]): string {
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
      s.eventLoopMaxMs.length === 0 ? "–" : `${Math.max(...s.eventLoopMaxMs)}`,
      `${s.rssMB[0]} → ${Math.max(...s.rssMB)} → ${s.rssMB[s.rssMB.length - 1]}`,
      `${s.loadAverage[0]} / ${s.loadAverage[1]}`,
    ]),
  );
  return markdownTable(
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
      "event-loop max stall ms",
      "server RSS MB (start → max → end)",
      "load avg (before / after)",
    ],
    rows,
  );
}

/** Lowest of the samples in [from, to): the heap just after a collection (its sawtooth's floor). */
const floorOf = (xs: readonly number[], from: number, to: number) =>
  Math.round(Math.min(...xs.slice(Math.floor(xs.length * from), Math.max(Math.floor(xs.length * to), 1))));

function memory(r: Run): string {
  const m = find(r, "mixed");
  // Growth = the heap's floor (live data after a collection) rising by more than 10% from the second fifth of
  // the soak to the last; the means of sawtooth samples are listed too.
  const early = floorOf(m.heapUsedMB, 0.2, 0.4);
  const late = floorOf(m.heapUsedMB, 0.8, 1);
  const grew = late > early * 1.1;
  return (
    `- ${r.store}: ${grew ? "the heap GREW" : "no growth of the heap"} (V8 heap in use, lowest sample of the second ` +
    `fifth ${early} MB → of the last fifth ${late} MB; RSS includes the answer cache's bodies, bounded by its ` +
    `maxEntries).\n  ` +
    `- ${r.store}, mixed (${m.seconds} s), every 5 s: server RSS (MB) ${m.rssMB.join(", ")}; V8 heap in use (MB) ` +
    `${m.heapUsedMB.join(", ")}. Mean of the second fifth → the last fifth of the run: RSS ${meanOf(m.rssMB, 0.2, 0.4)} → ` +
    `${meanOf(m.rssMB, 0.8, 1)} MB, heap ${meanOf(m.heapUsedMB, 0.2, 0.4)} → ${meanOf(m.heapUsedMB, 0.8, 1)} MB. ` +
    `${r.fitsDuringMixed} refit(s) by the retrain policy during the run; import of ml-100k ${r.importSeconds.toFixed(1)} s`
  );
}

function profileSection(profile: ProfileSummary | undefined): string {
  if (!profile) return "";
  return `## Where the time goes (SQLite, no cache)

The uncached server under \`node --cpu-prof\` for 10 s of top-10 recommendations (${profile.requests} requests,
${profile.seconds} s of samples including idle), after a warm-up. Inclusive share of the sampled time by stage:

${markdownTable(
  ["stage", "share of samples"],
  profile.stages.map((s) => [s.stage, `${s.share}%`]),
)}

Self time by function (top 12):

${markdownTable(
  ["function and file", "self"],
  profile.selfTime.map((s) => [s.frame.replace(/\|/g, "\\|"), `${s.share}%`]),
)}
`;
}

export function markdown(runs: readonly Run[]): string {
  const sqlite = runs[0]!;
  const floor = find(sqlite, "floor");
  const computed = find(sqlite, "top10-nocache").serverCpuMsPerRequest;
  const computedKnn = find(sqlite, "top10-knn-nocache").serverCpuMsPerRequest;
  const mixedClean = runs.every((r) => {
    const m = find(r, "mixed");
    return m.errors + m.timeouts + m.non2xx === 0;
  });
  return `# HTTP load (autocannon, ${CONNECTIONS} connections)

\`kindred serve\` as its own process on ml-100k (100,000 ratings, 943 customers, 1,682 movies) with the engine's
default recommendation chain (${RECOMMEND_CHAIN.join(" → ")}; every model of the default chains fitted before the
server starts), explanations on; autocannon in the bench process on the same machine (2 cores shared with
the load generator and whatever else runs: see the load averages). Every request carries an API key
(sha256, cached lookup). Recommendations are for seeded-random customers among the 943; ratings are new
events (with idempotency ids), and the retrain policy refits in a worker thread when due. The answer cache
(src/service/answer-cache.ts) serves a repeated question while the customer's events, the models and the
catalogue are unchanged; "no cache" is a server started with KINDRED_CACHE=false: every answer computed.
Each server gets ${WARMUP_SECONDS} s of unmeasured recommendations (warm-up: JIT, pools, caches) before its
first measured step; the steps then run back to back on that server in the order of the table.
"server CPU ms/req" is the server process's CPU time (/proc) divided by the requests answered; "event-loop
max stall" is the longest delay of the server's event loop during the step (perf_hooks, from /metrics every 5 s):
a synchronous stretch that every request waiting meanwhile pays.

${table(runs)}

Target (SQLite, top-10 at ${CONNECTIONS} connections): ≥ 2,000 req/s with p99 < 25 ms:
- default chain, with the answer cache: ${verdict(find(sqlite, "top10"))};
- item-knn at the head, with the answer cache: ${verdict(find(sqlite, "top10-knn"))};
- default chain, every answer computed: ${verdict(find(sqlite, "top10-nocache"))};
- item-knn at the head, every answer computed: ${verdict(find(sqlite, "top10-knn-nocache"))}.

The HTTP floor (auth, routing, metrics, a small JSON answer, no store) costs ${floor.serverCpuMsPerRequest} ms of CPU per
request. A computed answer costs ${computed} ms (default chain) or ${computedKnn} ms (item-knn) of server CPU: one
core computes at most ${Math.round(1000 / Math.max(computed, 0.001))} or ${Math.round(1000 / Math.max(computedKnn, 0.001))} answers a second.

Mixed workload: ${mixedClean ? "zero errors and zero non-2xx responses" : "ERRORS (see the table)"}; ${find(sqlite, "mixed").total.toLocaleString("en")} requests on SQLite.
${runs.map(memory).join("\n")}

${profileSection(sqlite.profile)}`;
}
