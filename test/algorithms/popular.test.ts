import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import { datasetFromTriples } from "../../src/core/dataset.js";
import { describeRecommenderContract } from "./contract.js";

describeRecommenderContract("popular", { personalised: false });
describeRecommenderContract("popular", { personalised: false, params: { rankBy: "count" }, ranking: true });

describe("popular", () => {
  // Items: a rated 5,5 (n=2), b rated 3 (n=1), c rated 1,1,1,1 (n=4); μ = 17/7.
  const data = datasetFromTriples([
    ["u1", "a", 5],
    ["u2", "a", 5],
    ["u1", "b", 3],
    ["u1", "c", 1],
    ["u2", "c", 1],
    ["u3", "c", 1],
    ["u4", "c", 1],
  ]);
  const items = Int32Array.from([0, 1, 2]);

  it("scores the damped mean (s + m·μ)/(n + m) (oracle: hand computation)", async () => {
    const model = registry.create("popular", { damping: 2 });
    await model.fit(data);
    const mu = 17 / 7;
    const expected = [(10 + 2 * mu) / 4, (3 + 2 * mu) / 3, (4 + 2 * mu) / 6];
    const scores = model.score({}, items);
    for (const [k, e] of expected.entries()) expect(scores[k]).toBeCloseTo(e, 5);
    expect(model.explain?.({}, 0)).toEqual({ kind: "popular", count: 2, average: 5 });
  });

  it("with damping 0 scores the raw average; by count scores distinct customers", async () => {
    const raw = registry.create("popular", { damping: 0 });
    await raw.fit(data);
    expect(Array.from(raw.score({}, items))).toEqual([5, 3, 1]);
    const byCount = registry.create("popular", { rankBy: "count" });
    await byCount.fit(data);
    expect(Array.from(byCount.score({}, items))).toEqual([2, 1, 4]);
  });

  it("rejects a negative damping, naming the field", () => {
    expect(() => registry.create("popular", { damping: -1 })).toThrow(/params\.popular\.damping: must be at least 0/);
    expect(() => registry.create("popular", { rankBy: "stars" })).toThrow(/params\.popular\.rankBy/);
  });
});
