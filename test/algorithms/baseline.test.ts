import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import { datasetFromTriples } from "../../src/core/dataset.js";
import { describeRecommenderContract } from "./contract.js";

describeRecommenderContract("baseline", { floor: { rmse: 0.945 } });

describe("baseline", () => {
  const data = datasetFromTriples([
    ["u1", "a", 5],
    ["u1", "b", 4],
    ["u2", "a", 3],
    ["u2", "c", 1],
    ["u3", "b", 2],
  ]);

  it("matches one hand-computed ALS sweep (oracle: Surprise's baseline_als, items first)", async () => {
    const model = registry.create("baseline", { regUser: 1, regItem: 2, epochs: 1 });
    await model.fit(data);
    const mu = 3;
    // b_i with b_u = 0: a = (2 + 0)/(2+2) = 0.5, b = (1 - 1)/(2+2) = 0, c = -2/(1+2).
    const bi = [0.5, 0, -2 / 3];
    // b_u: u1 = ((5-3-0.5) + (4-3-0))/(1+2), u2 = ((3-3-0.5) + (1-3+2/3))/(1+2), u3 = (2-3-0)/(1+1).
    const bu = [2.5 / 3, (-0.5 - 4 / 3) / 3, -0.5];
    const scores = model.score({ user: 1 }, Int32Array.from([0, 1, 2]));
    for (const [k, b] of bi.entries()) expect(scores[k]).toBeCloseTo(Math.min(5, Math.max(1, mu + bu[1]! + b)), 5);
    expect(model.explain?.({ user: 0 }, 0)).toMatchObject({ kind: "baseline", globalMean: mu });
    const e = model.explain?.({ user: 0 }, 0);
    if (e?.kind === "baseline") expect(e.userBias).toBeCloseTo(bu[0]!, 6);
  });

  it("folds in a new customer's bias from their history against fixed item biases", async () => {
    const model = registry.create("baseline", { regUser: 1, regItem: 2, epochs: 1 });
    await model.fit(data);
    const history = { items: Int32Array.from([0]), values: Float32Array.from([1]) };
    // b_u = (1 - 3 - 0.5)/(1 + 1) = -1.25; score of c = 3 - 1.25 - 2/3.
    expect(model.score({ history }, Int32Array.from([2]))[0]).toBeCloseTo(3 - 1.25 - 2 / 3, 5);
    // History entries on unknown items are ignored, not errors.
    const noisy = { items: Int32Array.from([0, 99, -1]), values: Float32Array.from([1, 5, 5]) };
    expect(model.score({ history: noisy }, Int32Array.from([2]))[0]).toBeCloseTo(3 - 1.25 - 2 / 3, 5);
  });

  it("clamps predictions to the scale", async () => {
    const model = registry.create("baseline", { regUser: 0, regItem: 0, epochs: 5 });
    await model.fit(data);
    for (const s of model.score({ user: 0 }, Int32Array.from([0, 1, 2]))) expect(s >= 1 && s <= 5).toBe(true);
  });
});
