/**
 * Two service processes over one PostgreSQL schema stay consistent: an event
 * posted to one is in the other's next answers, a customer forgotten on one
 * is gone from the other. Runs when KINDRED_TEST_PG names a server (a fresh
 * schema per run, dropped afterwards); skips loudly otherwise.
 */
import { afterAll, describe, expect, it } from "vitest";
import { PG, TestSchemas, urlFor, warnSkipped } from "../../helpers/postgres.js";
import { call, FIXTURE, type ServiceProcess, spawnService } from "./spawn.js";

warnSkipped("two service instances over PostgreSQL");
const schemas = new TestSchemas("kindred_svc");
const running: ServiceProcess[] = [];

afterAll(async () => {
  for (const p of running) {
    p.child.kill("SIGTERM");
    await p.exited;
  }
  await schemas.drop();
});

describe.skipIf(!PG)("two instances over one PostgreSQL", () => {
  it("answer from each other's writes at once", async () => {
    const env = { KINDRED_DATABASE_URL: urlFor(schemas.fresh()), KINDRED_RETRAIN: "false", KINDRED_TAIL_MS: "200" };
    const a = await spawnService([FIXTURE], env);
    running.push(a);
    const b = await spawnService([FIXTURE], env);
    running.push(b);
    const key = a.adminKey as string;
    expect(key).toMatch(/^kdr_/);
    expect(b.adminKey).toBeNull(); // the store already had a key: B shares A's keys

    // A community on A: two taste groups (even customers like even movies, odd ones odd movies).
    expect((await call(a.url, key, "POST", "/domains", { name: "movies" })).status).toBe(200);
    const items = Array.from({ length: 12 }, (_, i) => ({ id: `m${i}`, title: `Movie ${i}`, domain: "movies" }));
    expect((await call(a.url, key, "POST", "/items", items)).status).toBe(200);
    const events = [];
    for (let u = 0; u < 8; u++) {
      for (let i = 0; i < 12; i++) {
        if ((u + i) % 3 === 0) continue;
        events.push({ customer: `c${u}`, item: `m${i}`, type: "rating", value: u % 2 === i % 2 ? 5 : 1 });
      }
    }
    expect((await call(a.url, key, "POST", "/events", events)).status).toBe(200);

    // B answers a newcomer from the fallback chain, then sees the ratings posted to A in its next answer.
    const before = await call(b.url, key, "GET", "/customers/newbie/recommendations?n=4&algorithm=item-knn");
    expect(before.status).toBe(200);
    const posted = await call(a.url, key, "POST", "/events", [
      { customer: "newbie", item: "m1", type: "rating", value: 5 },
      { customer: "newbie", item: "m3", type: "rating", value: 5 },
      { customer: "newbie", item: "m0", type: "rating", value: 1 },
    ]);
    expect(posted.status).toBe(200);
    const after = await call(b.url, key, "GET", "/customers/newbie/recommendations?n=4&algorithm=item-knn");
    const ids = after.body.items.map((i: { item: string }) => i.item);
    expect(ids).not.toEqual(before.body.items.map((i: { item: string }) => i.item));
    expect(ids).not.toContain("m1");
    expect(Number(ids[0].slice(1)) % 2).toBe(1);
    const memory = await call(b.url, key, "GET", "/customers/newbie/memory");
    expect(memory.body.ratings).toHaveLength(3);

    // Forgotten on A: gone from B's memory and from B's neighbours.
    const neighbours = await call(b.url, key, "GET", "/customers/c0/neighbors?k=10&algorithm=user-knn");
    expect(neighbours.body.neighbors.map((n: { customer: string }) => n.customer)).toContain("c2");
    expect((await call(a.url, key, "DELETE", "/customers/c2")).status).toBe(200);
    expect((await call(b.url, key, "GET", "/customers/c2/memory")).status).toBe(404);
    const without = await call(b.url, key, "GET", "/customers/c0/neighbors?k=10&algorithm=user-knn");
    expect(without.body.neighbors.map((n: { customer: string }) => n.customer)).not.toContain("c2");

    // A key created through B works on A (keys live in the shared store).
    const created = await call(b.url, key, "POST", "/keys", { scopes: ["read"], channel: "b" });
    expect((await call(a.url, created.body.key, "GET", "/models")).status).toBe(200);
  }, 120_000);
});
