/**
 * The demo community: seeded, plausible, and with a real community effect:
 * on held-out ratings user-knn (neighbours who share the taste group) beats
 * popular, and beats the baseline of biases alone.
 */
import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import { Dataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";
import { EVENT_TYPE_CODE } from "../../src/core/types.js";
import { generateCommunity, MUSIC_STYLES, SHOE_STYLES, writeCommunity } from "../../src/demo/index.js";
import { MemorySink } from "../../src/importers/index.js";
import { rmseOf } from "../helpers/data.js";

describe("demo community", () => {
  const community = generateCommunity({ customers: 1500 });

  it("is the same for the same seed and differs for another", () => {
    const again = generateCommunity({ customers: 1500 });
    expect(again.events).toEqual(community.events);
    expect(again.items).toEqual(community.items);
    const other = generateCommunity({ customers: 1500, seed: 7 });
    expect(other.events.slice(0, 50)).not.toEqual(community.events.slice(0, 50));
  });

  it("has a music and a shoe catalogue in styles, customers with names and shoe sizes", () => {
    const music = community.items.filter((i) => i.domain === "music");
    const shoes = community.items.filter((i) => i.domain === "shoes");
    expect(music.length).toBeGreaterThan(150);
    expect(shoes.length).toBeGreaterThan(50);
    expect(new Set(music.map((i) => i.categories[0]))).toEqual(new Set(MUSIC_STYLES));
    expect(new Set(shoes.map((i) => i.categories[0]))).toEqual(new Set(SHOE_STYLES));
    expect(shoes.every((i) => Array.isArray(i.attributes.sizes) && (i.attributes.sizes as number[]).length > 0)).toBe(
      true,
    );
    expect(
      music.every((i) => typeof i.attributes.artist === "string" && i.title!.includes(String(i.attributes.artist))),
    ).toBe(true);
    expect(new Set(community.items.map((i) => i.id)).size).toBe(community.items.length);
    for (const c of community.customers) {
      expect(c.attributes.name).toMatch(/^\S+ \S+$/);
      expect(c.specs.shoeSize).toBeGreaterThanOrEqual(36);
      expect(c.specs.shoeSize).toBeLessThanOrEqual(46);
    }
  });

  it("rates on the scorecard 1–5 and buys in store and on the web; shoes only in the customer's size", () => {
    const ratings = community.events.filter((e) => e.type === "rating");
    const purchases = community.events.filter((e) => e.type === "purchase");
    expect(ratings.length).toBeGreaterThan(30 * 1500 * 0.8);
    expect(new Set(ratings.map((e) => e.value))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(ratings.every((e) => e.channel === "scorecard")).toBe(true);
    expect(new Set(purchases.map((e) => e.channel))).toEqual(new Set(["store:soho", "web"]));
    expect(purchases.every((e) => (e.amount ?? 0) > 0)).toBe(true);
    const size = new Map(community.customers.map((c) => [c.id, c.specs.shoeSize as number]));
    const sizes = new Map(community.items.map((i) => [i.id, i.attributes.sizes as number[] | undefined]));
    for (const p of purchases) {
      const stocked = sizes.get(p.item);
      if (stocked) expect(stocked).toContain(size.get(p.customer));
    }
    const times = community.events.map((e) => e.timestamp);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(community.events.map((e) => e.eventId)).size).toBe(community.events.length);
  });

  it("has a real community effect: user-knn beats popular and the baseline on held-out ratings", async () => {
    const sink = new MemorySink();
    await writeCommunity(sink, community);
    const log = sink.log;
    const ratings = log.positionsOf("rating");
    new Rng(11).shuffle(ratings);
    const cut = Math.floor(ratings.length * 0.8);
    const train = Dataset.fromLog(log.select(ratings.subarray(0, cut)), { min: 1, max: 5, step: 1 });
    const test = log.select(ratings.subarray(cut));
    expect(test.type.every((t) => t === EVENT_TYPE_CODE.rating)).toBe(true);
    const rmse: Record<string, number> = {};
    for (const kind of ["popular", "baseline", "user-knn"]) {
      const model = registry.create(kind);
      await model.fit(train, { rng: new Rng(1) });
      const predictions = new Float32Array(test.length);
      const one = new Int32Array(1);
      for (let k = 0; k < test.length; k++) {
        one[0] = test.item[k]!;
        predictions[k] = model.score({ user: test.user[k]! }, one)[0]!;
      }
      const { rmse: value, unscored } = rmseOf(predictions, test.value.subarray(0, test.length));
      expect(unscored).toBeLessThan(0.01);
      rmse[kind] = value;
    }
    console.info("demo hold-out RMSE", JSON.stringify(rmse));
    expect(rmse["user-knn"]!).toBeLessThan(rmse.popular! - 0.05);
    expect(rmse["user-knn"]!).toBeLessThan(rmse.baseline!);
  });
});
