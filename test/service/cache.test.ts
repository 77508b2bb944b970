/**
 * The answer cache never serves a stale answer: it is used only while the
 * customer's events, the models, the catalogue and the forget log are as they
 * were, and only for its time to live; another instance's changes reach it
 * through the tailer.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kindred } from "../../src/kindred.js";
import { createTail } from "../../src/service/tail.js";
import { openStore } from "../../src/storage/open.js";
import { seedCommunity, startTestService, type TestService } from "./harness.js";

let service: TestService;
let now = Date.now();
beforeAll(async () => {
  service = await startTestService({ clock: () => now, config: { cache: { ttlSeconds: 30 } } });
  await seedCommunity(service);
});
afterAll(async () => {
  await service.close();
});

const recs = (customer = "c0", query = "n=3") =>
  service.request("GET", `/customers/${customer}/recommendations?${query}`, { key: service.keys.read });
const cacheOf = (res: { headers: Headers }) => res.headers.get("x-kindred-cache");

describe("the answer cache", () => {
  it("serves a repeated question from the cache, byte for byte", async () => {
    const first = await recs();
    const second = await recs();
    expect(cacheOf(first)).toBe("miss");
    expect(cacheOf(second)).toBe("hit");
    expect(second.text).toBe(first.text);
    expect(second.headers.get("content-type")).toContain("application/json");
    expect(cacheOf(await recs("c0", "n=4"))).toBe("miss");
    expect(cacheOf(await recs("c1"))).toBe("miss");
  });

  it("misses once the customer's events change (instant learning)", async () => {
    await recs("c3");
    expect(cacheOf(await recs("c3"))).toBe("hit");
    await service.request("POST", "/events", { body: { customer: "c3", item: "m0", type: "rating", value: 1 } });
    const after = await recs("c3");
    expect(cacheOf(after)).toBe("miss");
  });

  it("misses after a catalogue write, and the answer follows it", async () => {
    const before = await recs("c4", "n=1");
    expect(cacheOf(await recs("c4", "n=1"))).toBe("hit");
    const top = before.body.items[0].item;
    await service.request("PUT", `/items/${top}`, { body: { title: "Gone", domain: "movies", available: false } });
    const after = await recs("c4", "n=1");
    expect(cacheOf(after)).toBe("miss");
    expect(after.body.items[0].item).not.toBe(top);
  });

  it("misses after a fit, an activation or a rollback", async () => {
    await recs("c5");
    expect(cacheOf(await recs("c5"))).toBe("hit");
    await service.request("POST", "/models/train", { body: { algorithm: "popular" } });
    await service.app.context.lifecycle.idle();
    expect(cacheOf(await recs("c5"))).toBe("miss");
    expect(cacheOf(await recs("c5"))).toBe("hit");
    await service.request("POST", "/models/rollback", { body: { algorithm: "popular" } });
    expect(cacheOf(await recs("c5"))).toBe("miss");
  });

  it("past its time to live, serves the answer once more while recomputing it, then expires", async () => {
    const first = await recs("c6");
    expect(cacheOf(await recs("c6"))).toBe("hit");
    now += 31_000;
    const stale = await recs("c6");
    expect(cacheOf(stale)).toBe("stale");
    expect(stale.text).toBe(first.text);
    // The background recomputation stored a fresh answer.
    await service.app.context.answers.settled();
    expect(cacheOf(await recs("c6"))).toBe("hit");
    // Beyond twice the time to live nothing is served without computing it.
    now += 61_000;
    expect(cacheOf(await recs("c6"))).toBe("miss");
  });

  it("never serves a stale answer from before the customer's latest event", async () => {
    await recs("c2");
    now += 31_000;
    await service.request("POST", "/events", { body: { customer: "c2", item: "m1", type: "rating", value: 5 } });
    expect(cacheOf(await recs("c2"))).toBe("miss");
  });

  it("learns of another instance's forgets and models by tailing the store", async () => {
    const tick = createTail(service.app.context);
    await tick();
    await recs("c1");
    expect(cacheOf(await recs("c1"))).toBe("hit");
    // Another process on the same store file.
    const other = await Kindred.fromStore(await openStore(join(service.dir, "kindred.db")), {
      retrain: { background: false, pollMs: 0 },
    });
    await other.forget("c7");
    await tick();
    expect(cacheOf(await recs("c1"))).toBe("miss");
    expect(cacheOf(await recs("c1"))).toBe("hit");
    await other.train("popular");
    await tick();
    expect(cacheOf(await recs("c1"))).toBe("miss");
    await other.store.close();
  });

  it("can be turned off", async () => {
    const off = await startTestService({ config: { cache: { enabled: false } } });
    await seedCommunity(off);
    const path = "/customers/c0/recommendations?n=2";
    await off.request("GET", path);
    expect((await off.request("GET", path)).headers.get("x-kindred-cache")).toBe("miss");
    await off.close();
  });
});
