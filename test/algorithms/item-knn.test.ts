import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import { datasetFromTriples } from "../../src/core/dataset.js";
import { syntheticCommunity } from "../helpers/data.js";
import { describeRecommenderContract } from "./contract.js";

describeRecommenderContract("item-knn", { floor: { rmse: 0.93 } });
for (const similarity of ["adjusted-cosine", "cosine", "pearson", "msd"]) {
  describeRecommenderContract("item-knn", { params: { similarity, center: "mean", shrinkage: 0 } });
}

describe("item-knn", () => {
  // Dense ids by first appearance: a=0, b=1, d=2, c=3. a and b are rated alike by everyone; d against a.
  const data = datasetFromTriples([
    ["u1", "a", 5],
    ["u1", "b", 5],
    ["u1", "d", 1],
    ["u2", "a", 2],
    ["u2", "b", 2],
    ["u2", "d", 4],
    ["u3", "a", 4],
    ["u3", "b", 4],
    ["u3", "c", 3],
    ["u4", "a", 4],
    ["u4", "c", 1],
  ]);
  const plain = { similarity: "cosine", center: "none", shrinkage: 0, supportDamping: 0 };

  it("computes similarities over co-raters and keeps positive ones, most similar first (oracle: hand computation)", async () => {
    const model = registry.create("item-knn", plain);
    await model.fit(data);
    // cos(a,b) over u1..u3 = (25+4+16)/√(45·45) = 1; cos(a,d) over u1,u2 = (5+8)/√(29·17); cos(a,c) over u3,u4 = (12+4)/√(32·10).
    const similar = model.similarItems?.(0, 10);
    expect(Array.from(similar?.items ?? [])).toEqual([1, 3, 2]);
    expect(similar?.similarities[0]).toBeCloseTo(1, 6);
    expect(similar?.similarities[1]).toBeCloseTo(16 / Math.sqrt(320), 6);
    expect(similar?.similarities[2]).toBeCloseTo(13 / Math.sqrt(29 * 17), 6);
    expect(model.similarItems?.(0, 1).items.length).toBe(1);
    expect(model.similarItems?.(99, 3).items.length).toBe(0);
  });

  it("predicts from the customer's own rated items among the target's k nearest", async () => {
    const model = registry.create("item-knn", { ...plain, k: 1 });
    await model.fit(data);
    // u4 rated a=4 and c=1; b's nearest rated by u4 is a (sim 1): prediction 4, explained by a alone (k = 1).
    expect(model.score({ user: 3 }, Int32Array.from([1]))[0]).toBeCloseTo(4, 6);
    const e = model.explain?.({ user: 3 }, 1);
    expect(e?.kind).toBe("items");
    if (e?.kind === "items") {
      expect(Array.from(e.items)).toEqual([0]);
      expect(Array.from(e.values)).toEqual([4]);
      expect(e.weights[0]).toBeCloseTo(1, 6);
    }
  });

  it("folds in a history: a new customer who loves b is predicted to love a", async () => {
    const model = registry.create("item-knn", { ...plain, center: "baseline" });
    await model.fit(data);
    const loves = model.score(
      { history: { items: Int32Array.from([1]), values: Float32Array.from([5]) } },
      Int32Array.from([0]),
    );
    const hates = model.score(
      { history: { items: Int32Array.from([1]), values: Float32Array.from([1]) } },
      Int32Array.from([0]),
    );
    expect(loves[0]!).toBeGreaterThan(hates[0]! + 1);
    // Scoring one customer leaves nothing behind for the next.
    const fitted = model.score({ user: 0 }, Int32Array.from([2]));
    model.score(
      { history: { items: Int32Array.from([0, 1]), values: Float32Array.from([1, 1]) } },
      Int32Array.from([2]),
    );
    expect(model.score({ user: 0 }, Int32Array.from([2]))).toEqual(fitted);
  });

  it("keeps at most modelSize neighbours per item", async () => {
    const model = registry.create("item-knn", { ...plain, modelSize: 1 });
    await model.fit(data);
    for (let i = 0; i < 4; i++) expect(model.similarItems?.(i, 10).items.length ?? 0).toBeLessThanOrEqual(1);
  });
});

describe("item-knn scoring paths", () => {
  it("equals the brute-force vote of the k most similar rated neighbours (oracle: direct formula)", async () => {
    const { dataset } = syntheticCommunity({ users: 60, items: 40, ratingsPerUser: 15 });
    for (const k of [2, 5, 40]) {
      const model = registry.create("item-knn", {
        similarity: "pearson",
        center: "none",
        shrinkage: 10,
        k,
        modelSize: 15,
      });
      await model.fit(dataset);
      const all = Int32Array.from({ length: dataset.itemCount }, (_, i) => i);
      for (const user of [0, 7, 33]) {
        const rated = new Map<number, number>();
        for (let p = dataset.ratings.indptr[user]!; p < dataset.ratings.indptr[user + 1]!; p++) {
          rated.set(dataset.ratings.indices[p]!, dataset.ratings.values[p]!);
        }
        const scores = model.score({ user }, all);
        for (const item of all) {
          const list = model.similarItems?.(item, 1000);
          let num = 0;
          let den = 0;
          let used = 0;
          list?.items.forEach((j, t) => {
            if (used >= k || !rated.has(j)) return;
            num += list.similarities[t]! * rated.get(j)!;
            den += list.similarities[t]!;
            used++;
          });
          if (den > 0) expect(scores[item]).toBeCloseTo(Math.min(5, Math.max(1, num / den)), 4);
          else expect(Number.isNaN(scores[item]!)).toBe(true);
        }
      }
    }
  });
});

describe("item-knn support", () => {
  // Dense ids: a=0, b=1, d=2, c=3. u4 rated a=4 and c=1: b is voted by a and c, d by a alone.
  const data = datasetFromTriples([
    ["u1", "a", 5],
    ["u1", "b", 5],
    ["u1", "d", 1],
    ["u2", "a", 2],
    ["u2", "b", 2],
    ["u2", "d", 4],
    ["u3", "a", 4],
    ["u3", "b", 4],
    ["u3", "c", 3],
    ["u4", "a", 4],
    ["u4", "c", 1],
  ]);
  const plain = { similarity: "cosine", center: "mean", shrinkage: 0, minSupport: 0, supportDamping: 0 } as const;
  const b = Int32Array.from([1]);
  const d = Int32Array.from([2]);

  it("damps the vote of one neighbour towards the item mean: mean + s·dev/(s + λ) (oracle: hand computation)", async () => {
    const model = registry.create("item-knn", { ...plain, supportDamping: 0.5 });
    await model.fit(data);
    // s(d, a) = cos over u1, u2 = (5·1 + 2·4)/√(29·17); mean_d = 2.5, mean_a = 3.75; u4 rated a 4.
    const s = 13 / Math.sqrt(29 * 17);
    expect(model.score({ user: 3 }, d)[0]).toBeCloseTo(2.5 + (s * 0.25) / (s + 0.5), 5);
    const undamped = registry.create("item-knn", plain);
    await undamped.fit(data);
    expect(undamped.score({ user: 3 }, d)[0]).toBeCloseTo(2.75, 5);
  });

  it("scores NaN when fewer than minSupport of the customer's items vote", async () => {
    const model = registry.create("item-knn", { ...plain, minSupport: 2 });
    await model.fit(data);
    expect(Number.isNaN(model.score({ user: 3 }, d)[0]!)).toBe(true);
    expect(Number.isFinite(model.score({ user: 3 }, b)[0]!)).toBe(true);
    // k caps the support: with k = 1 no item can have two votes.
    const capped = registry.create("item-knn", { ...plain, minSupport: 2, k: 1 });
    await capped.fit(data);
    expect(Number.isNaN(capped.score({ user: 3 }, b)[0]!)).toBe(true);
  });

  it("scores a few items (pulled from each item's list) exactly as when scoring the whole catalogue (pushed)", async () => {
    // k below the rated neighbours of most items and lists longer than one pull block, so both the branch-free
    // blocks and the block undone at the k-th voter are exercised; minSupport makes the count matter too.
    const { dataset } = syntheticCommunity({ users: 200, items: 300, ratingsPerUser: 80, seed: 5 });
    for (const params of [
      { k: 5, modelSize: 120 },
      { k: 40, modelSize: 200, minSupport: 3 },
    ]) {
      const model = registry.create("item-knn", params);
      await model.fit(dataset);
      const all = Int32Array.from({ length: dataset.itemCount }, (_, i) => i);
      for (const user of [0, 7, 42, 199]) {
        const full = model.score({ user }, all).slice();
        const few = Int32Array.of(3, 150, 299, 77);
        const scores = model.score({ user }, few);
        expect(Array.from(scores)).toEqual(Array.from(few, (i) => full[i]!));
      }
    }
  });

  it("refuses a negative minSupport or supportDamping, naming the field", () => {
    expect(() => registry.create("item-knn", { minSupport: -1 })).toThrow(/params\.item-knn\.minSupport/);
    expect(() => registry.create("item-knn", { supportDamping: -1 })).toThrow(/params\.item-knn\.supportDamping/);
  });
});
