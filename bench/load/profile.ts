/**
 * Where the time goes: the uncached server under `node --cpu-prof` for 10 s of recommendations, its samples
 * summed by function (self time) and by a few stages (inclusive time).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { WARMUP_SECONDS } from "./options.js";
import { startServer, stopServer } from "./server.js";
import { type CannonRequest, step } from "./step.js";

export interface ProfileSummary {
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

export async function profileRecommendations(
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
    await step(server, "warm-up", Math.min(WARMUP_SECONDS, 5), next, headers);
    requests = (await step(server, "profile", 10, next, headers)).total;
  } finally {
    await stopServer(server);
  }
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error("no CPU profile was written");
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
  rmSync(dir, { recursive: true, force: true });
  return summarise(profile, requests);
}

function summarise(profile: CpuProfile, requests: number): ProfileSummary {
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
