/**
 * The facade's behaviour on a real SQLite store with the registry's
 * algorithms: candidates and filters, the fallback chain, explanations,
 * instant learning without refits, cold start, forgetting, memory, styles,
 * and bad input that writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "../src/core/errors.js";
import type { Kindred } from "../src/kindred.js";
import { FILMS, JAZZ, openShop, ROCK, type TempDb, tempDb, UNAVAILABLE } from "./engine/community.js";

let db: TempDb;
let k: Kindred;

beforeAll(async () => {
  db = tempDb();
  k = await openShop(db.path, { chain: ["user-knn", "item-knn", "popular"] });
  // Fit every model once up front (in workers): the tests below then answer without fitting.
  for (const kind of ["user-knn", "item-knn", "popular"]) await k.train(kind);
});

afterAll(async () => {
  await k?.close();
  db?.remove();
});

const ids = (r: { items: Array<{ item: string }> }): string[] => r.items.map((i) => i.item);

describe("recommend", () => {
  it("leaves out what the customer rated or bought, and unavailable items", async () => {
    await k.addEvents([{ customer: "c0", item: "j11", type: "purchase", quantity: 1 }]);
    const rated = (await k.memory("c0")).ratings.map((r) => r.item);
    const result = await k.recommend("c0", { n: 100 });
    expect(result.items.length).toBeGreaterThan(0);
    for (const item of ids(result)) {
      expect(rated).not.toContain(item);
      expect(item).not.toBe("j11");
      expect(item).not.toBe(UNAVAILABLE);
    }
    const withSeen = ids(await k.recommend("c0", { n: 100, includeSeen: true }));
    expect(withSeen).toEqual(expect.arrayContaining([...rated.filter((i) => i !== UNAVAILABLE), "j11"]));
    expect(withSeen).not.toContain(UNAVAILABLE);
  });

  it("respects domain and category filters", async () => {
    const films = ids(await k.recommend("c2", { n: 100, domain: "films" }));
    expect(films.length).toBeGreaterThan(0);
    for (const item of films) expect(FILMS).toContain(item);
    const jazz = ids(await k.recommend("c2", { n: 100, category: "jazz" }));
    expect(jazz.length).toBeGreaterThan(0);
    for (const item of jazz) expect(JAZZ).toContain(item);
    await expect(k.recommend("c2", { domain: "wine" })).rejects.toThrow(/domain: unknown domain "wine"/);
    await expect(k.recommend("c2", { category: "polka" })).rejects.toThrow(ValidationError);
  });

  it("ranks the customer's taste first and keeps predictions on each item's own scale", async () => {
    const rockLover = await k.recommend("c4", { n: 3, domain: "music" });
    expect(rockLover.items.every((i) => ROCK.includes(i.item))).toBe(true);
    const jazzLover = await k.recommend("c5", { n: 3, domain: "music" });
    expect(jazzLover.items.every((i) => JAZZ.includes(i.item))).toBe(true);
    const all = await k.recommend("c4", { n: 100 });
    for (const r of all.items) {
      expect(r.score).toBeGreaterThanOrEqual(1);
      expect(r.score).toBeLessThanOrEqual(FILMS.includes(r.item) ? 7 : 5);
    }
  });

  it("explains user-knn with neighbours by name and item-knn with the customer's own titles", async () => {
    const byUsers = await k.recommend("c0", { n: 5, algorithm: "user-knn" });
    const first = byUsers.items[0]!.explanation!;
    expect(first.algorithm).toBe("user-knn");
    expect(first.text).toMatch(/^\d+ customers? whose ratings agree with yours rated it \d\.\d on average; closest: /);
    // Named customers appear by name (attributes.name), the others by id.
    const named = first.neighbors!.map((n) => n.customer);
    expect(named.length).toBeGreaterThan(0);
    expect(first.text).not.toMatch(/closest: .*\bc[0-7]\b/);
    const byItems = await k.recommend("c0", { n: 5, algorithm: "item-knn" });
    const why = byItems.items[0]!.explanation!;
    expect(why.algorithm).toBe("item-knn");
    expect(why.text).toMatch(/^because you rated (Rock|Jazz) Album \d+ \d/);
    expect(why.items![0]!.title).toMatch(/Album/);
  });

  it("fills what the head cannot score from the next model, and says which model scored it", async () => {
    // A new album the fitted user-knn has never seen; popular is refitted to know it.
    await k.putItems([{ id: "fresh", title: "Fresh Album", domain: "music", categories: ["rock"] }]);
    await k.addEvents([10, 12, 14, 16].map((c) => ({ customer: `c${c}`, item: "fresh", type: "rating", value: 5 })));
    await k.train("popular");
    const result = await k.recommend("c0", { n: 100, algorithm: "user-knn" });
    expect(result.algorithm).toBe("user-knn");
    const fresh = result.items.find((i) => i.item === "fresh");
    expect(fresh?.explanation?.algorithm).toBe("popular");
    expect(fresh?.explanation?.text).toMatch(/^popular with the whole community: 4 ratings, 5\.0 on average/);
    // Items the head could score rank before the fallback's.
    const sources = result.items.map((i) => i.explanation!.algorithm);
    expect(sources.indexOf("popular")).toBeGreaterThan(sources.lastIndexOf("user-knn"));
    const p = await k.predict("c0", ["fresh", "r0"], { algorithm: "user-knn" });
    expect(p.predictions.map((x) => x.algorithm)).toEqual(["popular", "user-knn"]);
  });
});

describe("instant learning", () => {
  it("a new rating changes the next recommendations without a refit", async () => {
    const before = await k.models();
    const first = await k.recommend("c1", { n: 5, algorithm: "item-knn", domain: "music" });
    // c1 loves jazz; now rates every rock album it has not rated 5 and every unrated jazz album 1.
    const rated = new Set((await k.memory("c1")).ratings.map((r) => r.item));
    const changes = [...ROCK, ...JAZZ]
      .filter((i) => !rated.has(i) && i !== UNAVAILABLE)
      .slice(0, 6)
      .map((item) => ({ customer: "c1", item, type: "rating" as const, value: ROCK.includes(item) ? 5 : 1 }));
    await k.addEvents(changes);
    const second = await k.recommend("c1", { n: 5, algorithm: "item-knn", domain: "music" });
    expect(ids(second)).not.toEqual(ids(first));
    for (const c of changes) expect(ids(second)).not.toContain(c.item);
    const after = await k.models();
    expect(after.map((m) => [m.id, m.trainedThroughSeq])).toEqual(before.map((m) => [m.id, m.trainedThroughSeq]));
  });

  it("a brand-new customer gets cold-start answers, then personalised ones after rating", async () => {
    const cold = await k.recommend("newbie", { n: 5 });
    expect(cold.items.length).toBe(5);
    expect(cold.items.every((i) => i.explanation?.algorithm === "popular")).toBe(true);
    await k.rate("newbie", "j0", 5);
    await k.rate("newbie", "j1", 5);
    await k.rate("newbie", "r0", 1);
    await k.rate("newbie", "r1", 1);
    const warm = await k.recommend("newbie", { n: 3, domain: "music" });
    expect(warm.items.every((i) => i.explanation?.algorithm === "user-knn")).toBe(true);
    expect(warm.items.every((i) => JAZZ.includes(i.item))).toBe(true);
    const neighbours = await k.neighbors("newbie", { k: 5 });
    expect(neighbours.neighbors.length).toBe(5);
    // Jazz lovers are the odd customers.
    expect(neighbours.neighbors.filter((n) => Number(n.customer.slice(1)) % 2 === 1).length).toBeGreaterThan(3);
  });
});

describe("forgetting", () => {
  it("a forgotten customer vanishes from neighbours and explanations", async () => {
    await k.rate("twin", "r0", 5);
    await k.rate("twin", "r1", 5);
    const closest = (await k.neighbors("twin", { k: 3 })).neighbors[0]!.customer;
    expect(await k.forget(closest)).toBe(true);
    expect((await k.neighbors("twin", { k: 40 })).neighbors.map((n) => n.customer)).not.toContain(closest);
    const result = await k.recommend("twin", { n: 20, algorithm: "user-knn" });
    for (const r of result.items) {
      expect(r.explanation?.neighbors?.map((n) => n.customer) ?? []).not.toContain(closest);
    }
    await expect(k.memory(closest)).rejects.toBeInstanceOf(NotFoundError);
    expect(await k.forget(closest)).toBe(false);
  });
});

describe("memory and styles", () => {
  it("remembers current ratings (latest wins, newest first), purchases and channels", async () => {
    await k.rate("mem", "r0", 2, { timestamp: 1000 });
    await k.rate("mem", "r1", 4, { timestamp: 2000, channel: "web" });
    await k.rate("mem", "r0", 5, { timestamp: 3000 });
    await k.addEvents([{ customer: "mem", item: "j0", type: "purchase", quantity: 2, amount: 30 }], {
      channel: "store:soho",
    });
    const m = await k.memory("mem");
    expect(m.ratings.map((r) => [r.item, r.value, r.title])).toEqual([
      ["r0", 5, "Rock Album 0"],
      ["r1", 4, "Rock Album 1"],
    ]);
    expect(m.purchases).toEqual({ count: 1, quantity: 2, amount: 30 });
    expect(m.channels).toEqual({ api: 2, web: 1, "store:soho": 1 });
    expect(m.events.length).toBe(4);
  });

  it("ranks a rock lover's styles rock first, with what they rated", async () => {
    const s = await k.styles("c6", { domain: "music" });
    expect(s.styles.map((x) => x.category)).toEqual(["rock", "jazz"]);
    const rock = s.styles[0]!;
    expect(rock.rated).toBe(7);
    expect(rock.ratedMean).toBeGreaterThanOrEqual(4);
    expect(rock.affinity).toBeGreaterThan(s.styles[1]!.affinity);
  });

  it("finds similar items by item-knn", async () => {
    const s = await k.similar("r0", { k: 5 });
    expect(s.items.length).toBe(5);
    expect(s.items.filter((i) => ROCK.includes(i.item)).length).toBeGreaterThanOrEqual(4);
    expect(s.items.map((i) => i.item)).not.toContain(UNAVAILABLE);
  });
});

describe("bad input writes nothing", () => {
  const eventCount = async (): Promise<number> => (await k.store.stats()).events;

  it("a rating off its item's domain scale names the field; the batch is not written", async () => {
    const before = await eventCount();
    const batch = [
      { customer: "c0", item: "f0", type: "rating", value: 7 }, // films: 1–7, fine
      { customer: "c0", item: "r2", type: "rating", value: 3 },
      { customer: "c0", item: "j3", type: "rating", value: 4 },
      { customer: "c0", item: "r3", type: "rating", value: 7 }, // music: 1–5
    ] as const;
    await expect(k.addEvents([...batch])).rejects.toThrow(
      'events[3].value: 7 is off the scale of domain "music" (1 to 5 in steps of 1)',
    );
    await expect(k.rate("c0", "r3", 4.5)).rejects.toThrow(/^value: 4.5 is off the scale/);
    expect(await eventCount()).toBe(before);
  });

  it("a malformed event or an empty batch is refused", async () => {
    const before = await eventCount();
    await expect(
      k.addEvents([{ customer: "c0", item: "r2", type: "rating", value: 3 }, { customer: "c0", item: "r2" } as never]),
    ).rejects.toThrow(/^events\[1\]\.type: /);
    await expect(k.addEvents([{ customer: "c0", item: "r2", type: "rating" }])).rejects.toThrow(
      "events[0].value: a rating needs a value",
    );
    await expect(k.addEvents([])).rejects.toThrow("events: must contain at least one event");
    await expect(k.addEvents("nope" as never)).rejects.toThrow("events: must be an array");
    expect(await eventCount()).toBe(before);
  });

  it("unknown items are NotFound; bad options and ids name the field", async () => {
    await expect(k.predict("c0", ["r0", "no-such-item"])).rejects.toThrow('item "no-such-item" is not known');
    await expect(k.similar("no-such-item")).rejects.toBeInstanceOf(NotFoundError);
    await expect(k.recommend("", {})).rejects.toThrow(/^customer: /);
    await expect(k.recommend("c0", { n: 0 })).rejects.toThrow(/^options\.n: /);
    await expect(k.recommend("c0", { algorithm: "nope" })).rejects.toThrow(/^algorithm: unknown algorithm "nope"/);
    await expect(k.predict("c0", [])).rejects.toThrow(/^items: must name at least one item/);
    await expect(k.neighbors("c0", { algorithm: "popular" })).rejects.toThrow(/^algorithm: popular does not find/);
    await expect(k.memory("nobody")).rejects.toBeInstanceOf(NotFoundError);
    await expect(k.putItems([{ id: "x", title: "X" }, { id: "" }])).rejects.toThrow(/^items\[1\]\.id: /);
    await expect(k.train("nope")).rejects.toBeInstanceOf(ValidationError);
  });
});
