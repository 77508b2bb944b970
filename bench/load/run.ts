/**
 * The load bench on one store: import ml-100k, fit the default chains, serve, warm up, then the measured steps
 * (floor, top-10 with the answer cache, the mixed soak) and the same top-10 on a server without the cache.
 */
import { Rng } from "../../src/core/rng.js";
import { importInto } from "../../src/importers/index.js";
import { Kindred } from "../../src/kindred.js";
import { createKey } from "../../src/service/auth/keys.js";
import { CHAIN, CUSTOMERS, MIXED_SECONDS, ML100K, MOVIES, PROFILE, STEP_SECONDS, WARMUP_SECONDS } from "./options.js";
import { type ProfileSummary, profileRecommendations } from "./profile.js";
import { fetchJson, startServer, stopServer } from "./server.js";
import { type CannonRequest, type Step, step } from "./step.js";

export interface Run {
  readonly store: "SQLite" | "PostgreSQL";
  readonly importSeconds: number;
  /** Unmeasured seconds of recommendations on each server before its first measured step. */
  readonly warmupSeconds: number;
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

/** The requests of each step, from one seeded generator (the same sequence on every run). */
function workload(label: string) {
  const rng = new Rng(7);
  const customer = () => String(1 + Math.floor(rng.next() * CUSTOMERS));
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
      item: String(1 + Math.floor(rng.next() * MOVIES)),
      type: "rating",
      value: 1 + Math.floor(rng.next() * 5),
      eventId: `load-${label}-${ratings}`,
    };
    return { method: "POST", path: "/events", body: JSON.stringify(event) };
  };
  return { recommend, recommendKnn, mixed };
}

export async function run(label: Run["store"], target: string): Promise<Run> {
  console.error(`${label}: importing ml-100k and fitting ${CHAIN.join(", ")} ...`);
  const { key, importSeconds } = await prepare(target);
  const server = await startServer(target);
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const { recommend, recommendKnn, mixed } = workload(label);
  try {
    const steps: Step[] = [];
    await step(server, "warm-up", WARMUP_SECONDS, recommend, headers);
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
      await step(uncached, "warm-up", WARMUP_SECONDS, recommend, headers);
      steps.push(await step(uncached, "top10-nocache", STEP_SECONDS, recommend, headers));
      steps.push(await step(uncached, "top10-knn-nocache", STEP_SECONDS, recommendKnn, headers));
    } finally {
      await stopServer(uncached);
    }
    const profile =
      PROFILE && label === "SQLite" ? await profileRecommendations(target, recommend, headers) : undefined;
    return {
      store: label,
      importSeconds,
      warmupSeconds: WARMUP_SECONDS,
      steps,
      fitsDuringMixed: modelsAfter - modelsBefore,
      profile,
    };
  } catch (error) {
    if (server.child.exitCode === null) await stopServer(server);
    throw error;
  }
}
