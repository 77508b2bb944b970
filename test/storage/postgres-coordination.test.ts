/**
 * Several processes over one PostgreSQL schema, each with its own store (its own pool and sessions): the
 * first API key is created exactly once however many race for it, and `lead(role)` has one holder at a
 * time, handed over when the holder closes or its session dies. Runs when KINDRED_TEST_PG names a server
 * (locally postgres://postgres@127.0.0.1:5432/test); a fresh random schema per test, dropped afterwards.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/storage/open.js";
import type { NewApiKey, Store } from "../../src/storage/store.js";
import { admin, PG, TestSchemas, urlFor, warnSkipped } from "../helpers/postgres.js";

warnSkipped("PostgreSQL coordination tests");
const schemas = new TestSchemas("kindred_coord");

const opened: Store[] = [];
async function stores(schema: string, n: number): Promise<Store[]> {
  // Opened one after another: this test is about what comes after opening (opening races are migrations').
  const list: Store[] = [];
  for (let i = 0; i < n; i++) list.push(await openStore(urlFor(schema)));
  opened.push(...list);
  return list;
}

const keyNumber = (i: number): NewApiKey => ({
  id: `k${i}`,
  name: `first ${i}`,
  hash: `hash-${i}`,
  scopes: ["admin"],
  channel: "api",
  createdAt: 1,
});

describe.skipIf(!PG)("PostgreSQL: several processes over one schema", () => {
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  afterAll(schemas.drop);

  it("creates exactly one first API key when several stores race on an empty schema", async () => {
    for (let round = 0; round < 3; round++) {
      const racers = await stores(schemas.fresh(), 4);
      const results = await Promise.all(racers.map((s, i) => s.createFirstApiKey(keyNumber(i))));
      const winners = results.filter((r) => r !== undefined);
      expect(winners).toHaveLength(1);
      expect((await racers[0]!.listApiKeys()).map((k) => k.id)).toEqual([winners[0]!.id]);
      for (const store of opened.splice(0)) await store.close();
    }
  });

  it("has one leader of a role at a time; the others take over when it closes", async () => {
    const [a, b, c] = await stores(schemas.fresh(), 3);
    const first = await Promise.all([a!.lead!("retrain"), b!.lead!("retrain"), c!.lead!("retrain")]);
    expect(first.filter(Boolean)).toHaveLength(1);
    const leaderIndex = first.indexOf(true);
    const all = [a!, b!, c!];
    const leader = all[leaderIndex]!;
    const others = all.filter((s) => s !== leader);

    // Asking again keeps it where it is; another role is independent.
    expect(await leader.lead!("retrain")).toBe(true);
    for (const s of others) expect(await s.lead!("retrain")).toBe(false);
    expect(await others[0]!.lead!("another-role")).toBe(true);

    await leader.close();
    const next = await Promise.all(others.map((s) => s.lead!("retrain")));
    expect(next.filter(Boolean)).toHaveLength(1);
  });

  it("frees the role when the leader's session dies, and the old leader learns it lost it", async () => {
    const schema = schemas.fresh();
    const [a, b] = await stores(schema, 2);
    expect(await a!.lead!("retrain")).toBe(true);
    expect(await b!.lead!("retrain")).toBe(false);
    // What a crashed leader process looks like from the server: its session ends. (Only the session holding
    // this schema's lock: other tests may run leaders of their own.)
    const killed = await admin(
      async (client) =>
        (
          await client.query(
            `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
               AND classid = (hashtext($1)::bigint & 4294967295)::oid AND objid = (hashtext($2)::bigint & 4294967295)::oid`,
            [`kindred:"${schema}"`, "lead:retrain"],
          )
        ).rowCount,
    );
    expect(killed).toBeGreaterThanOrEqual(1);
    expect(await b!.lead!("retrain")).toBe(true);
    // A: its next check either fails on the dead connection or reconnects and finds the role taken.
    expect(await a!.lead!("retrain").catch(() => false)).toBe(false);
    expect(await a!.lead!("retrain")).toBe(false);
  });
});
