/**
 * The two default chains: recommend() ranks with a top-N model first, predict() and styles() answer on the
 * rating scale with rating models; the older single `chain` option still sets both; a model that cannot
 * learn from the store's data is passed over by a default chain, but not when asked for by name.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import { ValidationError } from "../../src/core/errors.js";
import { chainFor, DEFAULT_CHAINS, resolveOptions } from "../../src/engine/config.js";
import { Engine } from "../../src/engine/engine.js";
import { recommend } from "../../src/engine/recommend.js";
import { Kindred } from "../../src/kindred.js";
import { openShop, type TempDb, tempDb } from "./community.js";

describe("resolveOptions: chains by purpose", () => {
  it("defaults to a ranking chain for recommend and a rating chain for predict, popular last", () => {
    const o = resolveOptions();
    expect(o.chains.recommend).toEqual([...DEFAULT_CHAINS.recommend]);
    expect(o.chains.predict).toEqual([...DEFAULT_CHAINS.predict]);
    expect(registry.get(o.chains.recommend[0]!).task).toBe("ranking");
    for (const kind of o.chains.predict) expect(registry.get(kind).task).toBe("rating");
    // `chain` lists every model the defaults use once (what `kindred train` fits), popular last.
    expect(new Set(o.chain)).toEqual(new Set([...o.chains.recommend, ...o.chains.predict]));
    expect(o.chain.length).toBe(new Set(o.chain).size);
    expect(o.chain.at(-1)).toBe("popular");
  });

  it("takes the older single chain for both purposes, and chains.<purpose> over it", () => {
    const legacy = resolveOptions({ chain: ["popular", "user-knn"] });
    expect(legacy.chains).toEqual({ recommend: ["user-knn", "popular"], predict: ["user-knn", "popular"] });
    const mixed = resolveOptions({ chain: ["user-knn"], chains: { recommend: ["item-cf"] } });
    expect(mixed.chains).toEqual({ recommend: ["item-cf", "popular"], predict: ["user-knn", "popular"] });
    expect(chainFor(mixed, undefined, "recommend")).toEqual(["item-cf", "popular"]);
    expect(chainFor(mixed, "baseline", "recommend")).toEqual(["baseline", "item-cf", "popular"]);
    expect(chainFor(mixed, "popular", "predict")).toEqual(["popular"]);
    expect(chainFor(mixed)).toEqual(["user-knn", "popular"]); // predict is the default purpose
  });

  it("refuses an empty or malformed chain, naming the field", () => {
    expect(() => resolveOptions({ chains: { recommend: [] } })).toThrow(ValidationError);
    expect(() => resolveOptions({ chains: { recommend: [] } })).toThrow(/options\.chains\.recommend/);
    expect(() => resolveOptions({ chains: { rank: ["ials"] } } as never)).toThrow(/options\.chains/);
    expect(() => resolveOptions({ chain: [] })).toThrow(/options\.chain/);
  });
});

describe("the engine's default chains on a record shop", () => {
  let db: TempDb;
  let k: Kindred;

  beforeAll(async () => {
    db = tempDb();
    k = await openShop(db.path);
  });
  afterAll(async () => {
    await k?.close();
    db?.remove();
  });

  it("recommend ranks with the ranking chain's head, explained with the customer's own items", async () => {
    const result = await k.recommend("c0", { n: 5 });
    expect(result.algorithm).toBe(DEFAULT_CHAINS.recommend[0]);
    expect(result.items.length).toBe(5);
    const rated = new Set((await k.memory("c0")).ratings.map((r) => r.item));
    for (const item of result.items) {
      expect(rated.has(item.item)).toBe(false);
      expect(item.explanation?.algorithm).toBe(DEFAULT_CHAINS.recommend[0]);
      expect(item.explanation?.kind).toBe("items");
      // The customer's own items, by title, with what they did: "... Rock Album 3 (rated 5) ...".
      expect(item.explanation?.text).toMatch(/(Rock|Jazz) Album \d+|Film \d+/);
    }
  });

  it("predict and styles answer on the rating scale with the rating chain", async () => {
    const predicted = await k.predict("c0", ["r3", "j3", "f2"]);
    for (const p of predicted.predictions) {
      expect(p.algorithm).toBe(DEFAULT_CHAINS.predict[0]);
      expect(p.score).toBeGreaterThanOrEqual(1);
    }
    const [rock, jazz, film] = predicted.predictions.map((p) => p.score!);
    expect(rock!).toBeLessThanOrEqual(5);
    expect(jazz!).toBeLessThanOrEqual(5);
    expect(film!).toBeLessThanOrEqual(7);
    expect(rock!).toBeGreaterThan(jazz!);
    const { styles } = await k.styles("c0", { domain: "music" });
    expect(styles[0]?.category).toBe("rock");
    for (const s of styles) expect(s.affinity >= 1 && s.affinity <= 5).toBe(true);
  });

  it("item-cf explains as customers who liked the customer's items", async () => {
    const result = await k.recommend("c1", { n: 3, algorithm: "item-cf" });
    expect(result.algorithm).toBe("item-cf");
    const why = result.items[0]?.explanation;
    expect(why?.algorithm).toBe("item-cf");
    expect(why?.text).toMatch(
      /^because you rated Jazz Album \d+ [45](, Jazz Album \d+ [45])*( and Jazz Album \d+ [45])?: customers who liked (it|them) also liked this$/,
    );
  });
});

describe("a default chain passes over a model that cannot learn from the data", () => {
  let db: TempDb;
  let k: Kindred;

  beforeAll(async () => {
    db = tempDb();
    // ease refuses when its dense item × item solve would exceed maxMemoryMB (TOO_LARGE): here, always.
    k = await Kindred.open(db.path, {
      chains: { recommend: ["ease", "item-cf"] },
      params: { ease: { maxMemoryMB: 1 } },
      retrain: { background: false, pollMs: 0 },
    });
    await k.putItems(Array.from({ length: 400 }, (_, n) => ({ id: `i${n}`, title: `Item ${n}` })));
    // 400 items with purchases: ease would need 12 · 400² bytes ≈ 1.9 MB for its solve.
    await k.addEvents(
      Array.from({ length: 800 }, (_, n) => ({
        customer: `c${n % 40}`,
        item: `i${n % 400}`,
        type: "purchase" as const,
      })),
    );
  });
  afterAll(async () => {
    await k?.close();
    db?.remove();
  });

  it("answers from the rest of the chain and never saves the refusing model", async () => {
    const result = await k.recommend("c0", { n: 3 });
    expect(result.algorithm).toBe("ease"); // the head that was configured
    for (const item of result.items) expect(["item-cf", "popular"]).toContain(item.explanation?.algorithm);
    expect((await k.models()).map((m) => m.kind)).not.toContain("ease");
  });

  it("does not refit a refusing model on every query, only once new events arrive", async () => {
    // A second engine on the same store, to look at its host.
    const options = resolveOptions({
      chains: { recommend: ["ease", "item-cf"] },
      params: { ease: { maxMemoryMB: 1 } },
      retrain: { background: false, pollMs: 0 },
    });
    const engine = new Engine(k.store, registry, options);
    try {
      await recommend(engine, "c1", { n: 2 });
      const first = engine.host.refused.get("ease");
      expect(first?.error.code).toBe("TOO_LARGE");
      expect(first?.seq).toBe((await k.store.stats()).lastSeq);
      await recommend(engine, "c2", { n: 2 });
      expect(engine.host.refused.get("ease")).toBe(first); // not tried again
      await k.addEvents([{ customer: "c1", item: "i1", type: "view" }]);
      await recommend(engine, "c1", { n: 2 });
      const second = engine.host.refused.get("ease");
      expect(second).not.toBe(first); // tried again on the new data, refused again
      expect(second?.seq).toBe((await k.store.stats()).lastSeq);
    } finally {
      engine.close();
    }
  });

  it("still fails when that model is asked for by name", async () => {
    await expect(k.recommend("c0", { n: 3, algorithm: "ease" })).rejects.toMatchObject({ code: "TOO_LARGE" });
  });
});
