import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import { datasetFromTriples } from "../../src/core/dataset.js";
import { decodeSnapshot, encodeSnapshot } from "../../src/core/snapshot.js";
import { syntheticCommunity } from "../helpers/data.js";
import { describeRecommenderContract } from "./contract.js";

describeRecommenderContract("user-knn", { floor: { rmse: 0.935 } });
for (const similarity of ["msd", "cosine", "pearson", "constrained-pearson"]) {
  describeRecommenderContract("user-knn", { params: { similarity, center: "mean", shrinkage: 0 } });
}

describe("user-knn", () => {
  // u1 and u2 agree on a and b; u3 disagrees. Items: a=0, b=1, c=2, d=3.
  const data = datasetFromTriples([
    ["u1", "a", 5],
    ["u1", "b", 3],
    ["u1", "c", 4],
    ["u2", "a", 5],
    ["u2", "b", 3],
    ["u2", "d", 2],
    ["u3", "a", 1],
    ["u3", "b", 5],
    ["u3", "d", 5],
  ]);
  const d = Int32Array.from([3]);
  // Oracle (hand computation, Shardanand & Maes' MSD): sim(u1,u2) = 1/(1+0) = 1, sim(u1,u3) = 1/(1+(16+4)/2) = 1/11.
  const plain = { similarity: "msd", center: "none", shrinkage: 0, supportDamping: 0 };

  it("predicts the similarity-weighted vote of the k nearest raters", async () => {
    const model = registry.create("user-knn", plain);
    await model.fit(data);
    expect(model.score({ user: 0 }, d)[0]).toBeCloseTo((1 * 2 + (1 / 11) * 5) / (1 + 1 / 11), 5);
    const nearest = registry.create("user-knn", { ...plain, k: 1 });
    await nearest.fit(data);
    expect(nearest.score({ user: 0 }, d)[0]).toBeCloseTo(2, 6);
  });

  it("centres on the customers' means when asked (GroupLens)", async () => {
    const model = registry.create("user-knn", { ...plain, center: "mean" });
    await model.fit(data);
    const expected = 4 + (1 * (2 - 10 / 3) + (1 / 11) * (5 - 11 / 3)) / (1 + 1 / 11);
    expect(model.score({ user: 0 }, d)[0]).toBeCloseTo(expected, 5);
  });

  it("explains with the neighbours who rated the item, closest first, and lists neighbours", async () => {
    const model = registry.create("user-knn", plain);
    await model.fit(data);
    const e = model.explain?.({ user: 0 }, 3);
    expect(e?.kind).toBe("neighbors");
    if (e?.kind !== "neighbors") return;
    expect(e.count).toBe(2);
    expect(e.average).toBeCloseTo(3.5, 6);
    expect(Array.from(e.closest)).toEqual([1, 2]);
    expect(e.similarities[1]).toBeCloseTo(1 / 11, 6);
    expect(model.neighbors?.({ user: 0 }, 5)).toEqual([
      { user: 1, similarity: 1, overlap: 2 },
      { user: 2, similarity: expect.closeTo(1 / 11, 6), overlap: 2 },
    ]);
    expect(model.neighbors?.({}, 5)).toEqual([]);
  });

  it("folds in a new customer from their history, and cannot score an unrated item without a centre", async () => {
    const model = registry.create("user-knn", plain);
    await model.fit(data);
    const history = { items: Int32Array.from([0, 1]), values: Float32Array.from([5, 3]) };
    expect(model.score({ history }, d)[0]).toBeCloseTo((2 + 5 / 11) / (12 / 11), 5);
    // The customer who agrees with u3 instead leans towards u3's 5.
    const other = { items: Int32Array.from([0, 1]), values: Float32Array.from([1, 5]) };
    expect(model.score({ history: other }, d)[0]).toBeGreaterThan(4);
    // Only u1 rated c, and u1 is not their own neighbour: no vote, and with center "none" no fallback.
    expect(Number.isNaN(model.score({ user: 0 }, Int32Array.from([2]))[0]!)).toBe(true);
  });

  it("ignores neighbours below minOverlap and shrinks small overlaps", async () => {
    const strict = registry.create("user-knn", { ...plain, minOverlap: 3 });
    await strict.fit(data);
    expect(strict.neighbors?.({ user: 0 }, 5)).toEqual([]);
    const shrunk = registry.create("user-knn", { ...plain, shrinkage: 2 });
    await shrunk.fit(data);
    expect(shrunk.neighbors?.({ user: 0 }, 1)[0]?.similarity).toBeCloseTo(2 / 4, 6);
  });
});

describe("user-knn similarity cache", () => {
  it("is not fooled by a history whose arrays are refilled in place", async () => {
    const data = datasetFromTriples([
      ["u1", "a", 5],
      ["u1", "b", 1],
      ["u2", "a", 1],
      ["u2", "b", 5],
      ["u1", "c", 5],
      ["u2", "c", 1],
    ]);
    const model = registry.create("user-knn", { similarity: "msd", center: "none", shrinkage: 0 });
    await model.fit(data);
    const history = { items: Int32Array.from([0, 1]), values: Float32Array.from([5, 1]) };
    const query = { history };
    const c = Int32Array.from([2]);
    const likeU1 = model.score(query, c)[0]!;
    history.values.set([1, 5]);
    const likeU2 = model.score(query, c)[0]!;
    expect(likeU1).toBeGreaterThan(likeU2);
  });
});

describe("user-knn scoring", () => {
  it("equals the brute-force vote of the k most similar raters (oracle: direct formula over neighbors())", async () => {
    const { dataset } = syntheticCommunity({ users: 60, items: 40, ratingsPerUser: 15 });
    for (const k of [1, 4, 100]) {
      const model = registry.create("user-knn", {
        similarity: "pearson",
        center: "none",
        shrinkage: 5,
        k,
        minSupport: 0,
      });
      await model.fit(dataset);
      const all = Int32Array.from({ length: dataset.itemCount }, (_, i) => i);
      for (const user of [0, 7, 33]) {
        const neighbours = model.neighbors?.({ user }, 1000) ?? [];
        const scores = model.score({ user }, all);
        for (const item of all) {
          const raters = neighbours.filter((n) => {
            const row = dataset.ratings;
            for (let p = row.indptr[n.user]!; p < row.indptr[n.user + 1]!; p++)
              if (row.indices[p] === item) return true;
            return false;
          });
          const chosen = raters.slice(0, k); // neighbors() is most similar first, ties to the lower id
          let num = 0;
          let den = 0;
          for (const n of chosen) {
            const row = dataset.ratings;
            for (let p = row.indptr[n.user]!; p < row.indptr[n.user + 1]!; p++) {
              if (row.indices[p] === item) num += n.similarity * row.values[p]!;
            }
            den += n.similarity;
          }
          if (den > 0) expect(scores[item]).toBeCloseTo(Math.min(5, Math.max(1, num / den)), 4);
          else expect(Number.isNaN(scores[item]!)).toBe(true);
        }
      }
    }
  });
});

describe("user-knn support", () => {
  // u1 and u2 agree on a and b (msd similarity 1); only u1 rated c, so c has one neighbour's word for u2.
  const data = datasetFromTriples([
    ["u1", "a", 5],
    ["u1", "b", 3],
    ["u1", "c", 5],
    ["u2", "a", 5],
    ["u2", "b", 3],
    ["u2", "d", 2],
    ["u3", "a", 1],
    ["u3", "b", 5],
    ["u3", "d", 5],
    ["u3", "c", 1],
  ]);
  const c = Int32Array.from([2]);
  const d = Int32Array.from([3]);
  const plain = { similarity: "msd", shrinkage: 0, center: "baseline", minSupport: 0, supportDamping: 0 } as const;

  it("damps a thinly supported deviation towards the baseline: dev·Σs/(Σs + λ) (oracle: the baseline model)", async () => {
    const baseline = registry.create("baseline", {});
    await baseline.fit(data);
    const base = baseline.score({ user: 1 }, c)[0]!;
    const undamped = registry.create("user-knn", { ...plain, supportDamping: 0 });
    await undamped.fit(data);
    const damped = registry.create("user-knn", { ...plain, supportDamping: 9 });
    await damped.fit(data);
    // u2's neighbours who rated c: u1 (similarity 1) and u3 (msd over a, b, d: 1/(1 + 29/3) = 3/32, the opposite view).
    const s = [1, 3 / 32];
    const full = undamped.score({ user: 1 }, c)[0]! - base;
    const shrunk = damped.score({ user: 1 }, c)[0]! - base;
    expect(Math.abs(full)).toBeGreaterThan(0.3);
    expect(shrunk).toBeCloseTo((full * (s[0]! + s[1]!)) / (s[0]! + s[1]! + 9), 5);
  });

  it("scores NaN when fewer than minSupport neighbours rated the item, so the chain falls back", async () => {
    const strict = registry.create("user-knn", { ...plain, minSupport: 2 });
    await strict.fit(data);
    // For u1, d was rated by u2 and u3 (two neighbours); c only by u3 among u1's neighbours (u1 rated it itself).
    expect(Number.isFinite(strict.score({ user: 0 }, d)[0]!)).toBe(true);
    const history = { items: Int32Array.from([0, 1]), values: Float32Array.from([5, 3]) };
    const fresh = strict.score({ history }, Int32Array.from([2, 3]));
    expect(Number.isFinite(fresh[0]!) && Number.isFinite(fresh[1]!)).toBe(true);
    const stricter = registry.create("user-knn", { ...plain, minSupport: 3 });
    await stricter.fit(data);
    expect(Number.isNaN(stricter.score({ history }, c)[0]!)).toBe(true);
    expect(Number.isNaN(stricter.score({ user: 0 }, d)[0]!)).toBe(true);
  });

  it("refuses a negative minSupport or supportDamping, naming the field", () => {
    expect(() => registry.create("user-knn", { minSupport: -1 })).toThrow(/params\.user-knn\.minSupport/);
    expect(() => registry.create("user-knn", { supportDamping: -0.5 })).toThrow(/params\.user-knn\.supportDamping/);
  });
});

describe("user-knn: a few items (picked per item) score as the whole catalogue (voted at once)", () => {
  // msd on a 1–5 scale gives many exactly tied similarities, and k = 3 makes most items choose among more raters
  // than k, so ties at the k-th place are exercised; the oracle is the catalogue-wide vote of an identical model.
  const { dataset } = syntheticCommunity({ users: 150, items: 60, ratingsPerUser: 20 });
  const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
  const all = Int32Array.from({ length: dataset.itemCount }, (_, i) => i);

  for (const params of [
    { similarity: "msd", k: 3 },
    { similarity: "constrained-pearson", k: 40 },
    { similarity: "pearson", k: 5, center: "mean", minSupport: 2 },
  ]) {
    it(`${JSON.stringify(params)}: bit-identical, for fitted customers (table) and histories (computed)`, async () => {
      const few = registry.create("user-knn", params);
      const many = registry.create("user-knn", params);
      await few.fit(dataset);
      await many.fit(dataset);
      const row = dataset.ratings;
      for (const user of [0, 1, 17, 42, 99, 149]) {
        const history = {
          items: row.indices.slice(row.indptr[user]!, row.indptr[user]! + 12),
          values: row.values.slice(row.indptr[user]!, row.indptr[user]! + 12),
        };
        for (const query of [{ user }, { history }]) {
          const voted = many.score(query, all);
          // One item per call: each call picks that item's voters from its column.
          const picked = Float32Array.from(all, (i) => few.score(query, Int32Array.of(i))[0]!);
          expect(bits(picked)).toEqual(bits(voted));
        }
      }
    });
  }

  it("a restored model picks the same voters, and neighbors() reports the same overlaps", async () => {
    const model = registry.create("user-knn", { similarity: "msd", k: 3 });
    await model.fit(dataset);
    const restored = registry.restore(decodeSnapshot(encodeSnapshot(model.snapshot())));
    const some = Int32Array.from([0, 5, 9, 33, 59]);
    for (const user of [3, 77]) {
      expect(bits(restored.score({ user }, some))).toEqual(bits(model.score({ user }, some)));
      const neighbours = model.neighbors?.({ user }, 5) ?? [];
      expect(restored.neighbors?.({ user }, 5)).toEqual(neighbours);
      // Oracle for the overlap: the co-rated items counted directly.
      const rated = (u: number) => new Set(row(u));
      const row = (u: number) =>
        Array.from(dataset.ratings.indices.subarray(dataset.ratings.indptr[u]!, dataset.ratings.indptr[u + 1]!));
      for (const n of neighbours) expect(n.overlap).toBe(row(n.user).filter((i) => rated(user).has(i)).length);
    }
  });
});
