import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import { denseScores, densify, deviations, sparseScores } from "../../src/algorithms/slope-one.js";
import { datasetFromTriples } from "../../src/core/dataset.js";
import { KindredError } from "../../src/core/errors.js";
import { syntheticCommunity } from "../helpers/data.js";
import { describeRecommenderContract } from "./contract.js";

// Measured 0.940 mean on ml-100k u1–u5 (bench/results/mf-sgd.md); Surprise's SlopeOne reports 0.946.
describeRecommenderContract("slope-one", { floor: { rmse: 0.945 } });

describe("slope-one", () => {
  // a, b, c are dense items 0, 1, 2; u1, u2, u3 customers 0, 1, 2.
  const data = datasetFromTriples([
    ["u1", "a", 5],
    ["u1", "b", 3],
    ["u1", "c", 2],
    ["u2", "a", 3],
    ["u2", "b", 4],
    ["u3", "b", 2],
    ["u3", "c", 5],
  ]);

  it("matches the weighted Slope One formula by hand (Lemire & Maclachlan 2005, §4)", async () => {
    const model = registry.create("slope-one");
    await model.fit(data);
    // dev(a,b) = ((5−3) + (3−4))/2 = 0.5 over 2 customers; dev(a,c) = (5−2)/1 = 3 over 1.
    // r̂(u3, a) = ((0.5 + 2)·2 + (3 + 5)·1) / (2 + 1) = 13/3.
    expect(model.score({ user: 2 }, Int32Array.from([0]))[0]).toBeCloseTo(13 / 3, 5);
    const e = model.explain!({ user: 2 }, 0);
    expect(e.kind).toBe("items");
    if (e.kind === "items") {
      // Shares of the prediction: c gives 8/3, b gives 5/3; they sum to it.
      expect(Array.from(e.items)).toEqual([2, 1]);
      expect(e.weights[0]! + e.weights[1]!).toBeCloseTo(13 / 3, 5);
    }
  });

  it("gives the same sums from the dense matrices and from the sparse rows (pulled or pushed)", () => {
    const { dataset } = syntheticCommunity();
    const n = dataset.itemCount;
    const pairs = deviations(dataset, { minSupport: 1, maxPairs: 1e8 }, undefined);
    const dense = densify(pairs, n)!;
    const all = Int32Array.from({ length: n }, (_, i) => i);
    for (const user of [0, 5, 9]) {
      const start = dataset.ratings.indptr[user]!;
      const end = dataset.ratings.indptr[user + 1]!;
      const own = {
        items: dataset.ratings.indices.slice(start, end),
        values: dataset.ratings.values.slice(start, end),
      };
      const sums = () => ({ num: new Float64Array(n), den: new Float64Array(n) });
      const d = sums();
      denseScores(dense, n, own, all, d.num, d.den);
      const pushed = sums(); // every item a target: pushing the rated rows reads fewer pairs
      sparseScores(pairs, n, own, all, pushed.num, pushed.den);
      for (const j of [0, 17, 50]) {
        const pulled = sums(); // one target: pulling its row reads fewer pairs
        sparseScores(pairs, n, own, Int32Array.from([j]), pulled.num, pulled.den);
        expect(pulled.den[j]).toBe(d.den[j]);
        expect(pulled.num[j]).toBeCloseTo(d.num[j]!, 3);
        expect(pushed.num[j]).toBeCloseTo(d.num[j]!, 3);
      }
    }
  });

  it("learns from a new rating at once, without a refit", async () => {
    const model = registry.create("slope-one");
    await model.fit(data);
    // A new customer who rated only c: a is predicted from dev(a,c) alone.
    expect(
      model.score(
        { history: { items: Int32Array.from([2]), values: Float32Array.from([1]) } },
        Int32Array.from([0]),
      )[0],
    ).toBeCloseTo(4, 5);
    // Then rates b 5 as well: the prediction moves.
    const both = { items: Int32Array.from([1, 2]), values: Float32Array.from([5, 1]) };
    expect(model.score({ history: both }, Int32Array.from([0]))[0]).toBeCloseTo(((0.5 + 5) * 2 + (3 + 1)) / 3, 5);
  });

  it("scores NaN when none of the customer's items was co-rated with the target; drops pairs below minSupport", async () => {
    const model = registry.create("slope-one", { minSupport: 2 });
    await model.fit(data);
    // (a,b) and (b,c) are co-rated twice, (a,c) once: dropped. u3's a now comes from b alone: 0.5 + 2.
    expect(model.score({ user: 2 }, Int32Array.from([0]))[0]).toBeCloseTo(2.5, 5);
    // A customer who rated only a cannot be scored on c any more.
    const onlyA = { history: { items: Int32Array.from([0]), values: Float32Array.from([4]) } };
    expect(Number.isNaN(model.score(onlyA, Int32Array.from([2]))[0]!)).toBe(true);
  });

  it("refuses a catalogue with more pairs than maxPairs (TOO_LARGE), not by running out of memory", async () => {
    const { dataset } = syntheticCommunity();
    await expect(registry.create("slope-one", { maxPairs: 1000 }).fit(dataset)).rejects.toSatisfy(
      (e: unknown) => e instanceof KindredError && e.code === "TOO_LARGE" && /maxPairs/.test(e.message),
    );
  });
});
