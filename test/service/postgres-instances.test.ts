/**
 * Several service instances (each with its own engine and store, as separate processes would have) over
 * one PostgreSQL schema: started at the same moment on an empty schema, exactly one creates and shows the
 * first admin key; with the retrain policy on in all of them, one at a time runs it (the others keep the
 * snapshots it stores), another takes over when it closes, and an instance with retraining off never runs
 * it. Runs when KINDRED_TEST_PG names a server (a fresh schema per test, dropped afterwards); skips loudly.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { NewEvent } from "../../src/core/types.js";
import { Kindred } from "../../src/kindred.js";
import { hashSecret } from "../../src/service/auth/keys.js";
import { resolveConfig, type ServiceConfigInput } from "../../src/service/config.js";
import { type RunningService, startService } from "../../src/service/serve.js";
import { PG, TestSchemas, urlFor, warnSkipped } from "../helpers/postgres.js";

warnSkipped("service instances over one PostgreSQL");
const schemas = new TestSchemas("kindred_inst");

const running: RunningService[] = [];
const logged: string[] = [];
async function start(
  database: string,
  retrain: ServiceConfigInput["retrain"] = {},
  kindred?: Kindred,
): Promise<RunningService> {
  const config = resolveConfig({
    database,
    port: 0,
    // The timers never fire during a test: it runs the policy checks itself.
    tailMs: 3_600_000,
    retrain: { everyEvents: 10, algorithms: ["popular"], checkMs: 3_600_000, ...retrain },
  });
  const service = await startService(config, {
    log: (message) => logged.push(message),
    ...(kindred ? { kindred } : {}),
  });
  running.push(service);
  return service;
}

function ratings(from: number, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, k) => ({
    customer: `c${(from + k) % 7}`,
    item: `i${(from + 3 * k) % 11}`,
    type: "rating" as const,
    value: 1 + ((from + k) % 5),
    quantity: null,
    amount: null,
    timestamp: 1_700_000_000_000 + from + k,
    channel: "test",
    eventId: null,
  }));
}

describe.skipIf(!PG)("service instances over one PostgreSQL", () => {
  afterEach(async () => {
    for (const service of running.splice(0)) await service.close();
  });
  afterAll(schemas.drop);

  it("started at once on an empty schema, create and show exactly one first admin key", async () => {
    const database = urlFor(schemas.fresh());
    // Engines opened first (opening serialises on the schema's migration lock), so the starts race for real.
    const engines = await Promise.all(
      Array.from({ length: 4 }, () => Kindred.open(database, { retrain: { background: false } })),
    );
    try {
      const services = await Promise.all(engines.map((kindred) => start(database, {}, kindred)));
      const shown = services.map((s) => s.adminKey).filter((k) => k !== undefined);
      expect(shown).toHaveLength(1);
      const keys = await engines[0]!.store.listApiKeys();
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ scopes: ["admin"], hash: hashSecret(shown[0]!) });
    } finally {
      for (const service of running.splice(0)) await service.close();
      for (const kindred of engines) await kindred.close();
    }
  });

  it("run the retrain policy on one instance at a time; another takes over when it closes", async () => {
    const database = urlFor(schemas.fresh());
    const off = await start(database, { enabled: false });
    const [a, b] = await Promise.all([start(database), start(database)]);
    const store = off.kindred.store;
    await store.appendEvents(ratings(0, 60));

    // Retraining off: never runs the policy, never takes the leadership (the others still can).
    expect(await off.app.context.lifecycle.checkPolicy()).toBeUndefined();
    expect(off.app.context.lifecycle.leading()).toBeUndefined();

    const started = await Promise.all([a!.app.context.lifecycle.checkPolicy(), b!.app.context.lifecycle.checkPolicy()]);
    expect(started.filter((kind) => kind !== undefined)).toEqual(["popular"]);
    const [leader, follower] = started[0] === "popular" ? [a!, b!] : [b!, a!];
    expect(leader.app.context.lifecycle.leading()).toBe(true);
    expect(follower.app.context.lifecycle.leading()).toBe(false);
    await leader.app.context.lifecycle.idle();
    expect(leader.app.context.lifecycle.status()).toMatchObject({ state: "succeeded", reason: "policy" });
    const [stored] = await store.listModels("popular");
    expect(stored).toMatchObject({ active: true, trainedThroughSeq: 60 });

    // The follower answers with the leader's snapshot (it stores no model of its own), and does not refit
    // however far the log runs ahead while the leader lives.
    const answer = await follower.kindred.recommend("c1", { algorithm: "popular", n: 3, explain: false });
    expect(answer.items.length).toBeGreaterThan(0);
    await store.appendEvents(ratings(60, 30));
    expect(await follower.app.context.lifecycle.checkPolicy()).toBeUndefined();
    expect(await off.app.context.lifecycle.checkPolicy()).toBeUndefined();
    expect((await store.listModels("popular")).map((m) => m.id)).toEqual([stored!.id]);

    // The leader goes away: the follower's next check takes the leadership and refits.
    await leader.close();
    expect(await follower.app.context.lifecycle.checkPolicy()).toBe("popular");
    expect(follower.app.context.lifecycle.leading()).toBe(true);
    await follower.app.context.lifecycle.idle();
    const models = await store.listModels("popular");
    expect(models).toHaveLength(2);
    expect(models[0]).toMatchObject({ active: true, trainedThroughSeq: 90 });
    expect(logged.some((m) => m.includes("now runs the retrain policy"))).toBe(true);
  }, 60_000);
});
