import { describe, expect, it } from "vitest";
import { holdoutRatings, ridgeWeights } from "../../src/algorithms/blend.js";
import { registry } from "../../src/algorithms/index.js";
import { nnz } from "../../src/core/csr.js";
import { Dataset } from "../../src/core/dataset.js";
import { ValidationError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { hasMl100k, ml100kFold, rmseOf, syntheticCommunity } from "../helpers/data.js";
import { describeRecommenderContract } from "./contract.js";
import { predictPairs } from "./predict-pairs.js";

const quick = { members: [{ kind: "baseline" }, { kind: "als", params: { factors: 4, epochs: 5 } }] };
describeRecommenderContract("blend", { params: quick });

const { dataset } = syntheticCommunity({ users: 150, items: 80, seed: 11 });

describe("blend", () => {
  it("fits ridge weights that recover a known linear combination (oracle: the generating weights)", () => {
    const rng = new Rng(3);
    const rows = 500;
    const width = 3;
    const features = new Float64Array(rows * width);
    const targets = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      const a = rng.normal(3, 1);
      const b = rng.normal(3, 1);
      features.set([1, a, b], r * width);
      targets[r] = 0.5 + 0.3 * a + 0.6 * b;
    }
    const w = ridgeWeights(features, targets, width, 0);
    expect(Array.from(w)).toEqual([expect.closeTo(0.5, 3), expect.closeTo(0.3, 4), expect.closeTo(0.6, 4)]);
    // The ridge pulls member weights towards 0, never the intercept.
    const shrunk = ridgeWeights(features, targets, width, 1e6);
    expect(Math.abs(shrunk[1]!) + Math.abs(shrunk[2]!)).toBeLessThan(0.1);
    expect(shrunk[0]).toBeCloseTo(3.2, 1);
  });

  it("holds out a seeded slice of the training ratings only, keeping ids", () => {
    const { rest, held } = holdoutRatings(dataset, 0.2, new Rng(1));
    expect(nnz(held) + rest.ratingCount).toBe(dataset.ratingCount);
    expect(nnz(held) / dataset.ratingCount).toBeGreaterThan(0.15);
    expect(nnz(held) / dataset.ratingCount).toBeLessThan(0.25);
    expect(rest.users).toBe(dataset.users);
    expect(rest.itemCount).toBe(dataset.itemCount);
    const again = holdoutRatings(dataset, 0.2, new Rng(1)).held;
    expect(Array.from(again.indices)).toEqual(Array.from(held.indices));
  });

  it("beats its best member on held-out ratings", async () => {
    const { train, test } = syntheticSplit();
    const rmse = async (kind: string, params: object): Promise<number> => {
      const model = registry.create(kind, params);
      await model.fit(train, { rng: new Rng(2) });
      return rmseOf(predictPairs(model, test), test.values).rmse;
    };
    const members = [{ kind: "baseline" }, { kind: "user-knn" }, { kind: "als", params: { factors: 8 } }];
    const blended = await rmse("blend", { members });
    const best = Math.min(await rmse("baseline", {}), await rmse("user-knn", {}), await rmse("als", { factors: 8 }));
    expect(blended).toBeLessThan(best);
  });

  it("names the member at fault in bad configs", () => {
    expect(() => registry.create("blend", { members: [{ kind: "nope" }] })).toThrow(
      /params\.blend\.members\.0\.kind: unknown algorithm "nope"/,
    );
    expect(() => registry.create("blend", { members: [{ kind: "als", params: { factors: -1 } }] })).toThrow(
      /params\.blend\.members\.0\.params\.factors/,
    );
    expect(() => registry.create("blend", { members: [{ kind: "blend" }] })).toThrow(ValidationError);
    expect(() => registry.create("blend", { members: [] })).toThrow(/params\.blend\.members/);
  });
});

/** A synthetic split (always available): a seeded 20% of the ratings held out. */
function syntheticSplit() {
  const { log } = syntheticCommunity({ users: 300, items: 150, ratingsPerUser: 40, seed: 21, noise: 0.6 });
  const rng = new Rng(9);
  const trainPositions: number[] = [];
  const testPositions: number[] = [];
  for (let p = 0; p < log.length; p++) (rng.next() < 0.2 ? testPositions : trainPositions).push(p);
  const held = log.select(testPositions); // shares the id maps: dense ids agree with the training dataset
  return {
    train: Dataset.fromLog(log.select(trainPositions)),
    test: {
      users: held.user.slice(0, held.length),
      items: held.item.slice(0, held.length),
      values: held.value.slice(0, held.length),
    },
  };
}

describe.skipIf(!hasMl100k)(
  "blend quality on ml-100k (the issue's floor for the best overall model: mean RMSE over u1–u5 ≤ 0.895)",
  () => {
    it("the default blend meets the floor and beats its best member (svdpp) on every fold", async () => {
      const rmse = async (kind: string, fold: number): Promise<number> => {
        const { train, test } = ml100kFold(fold);
        const model = registry.create(kind, {});
        await model.fit(train, { rng: new Rng(fold) });
        const result = rmseOf(predictPairs(model, test), test.values);
        expect(result.unscored).toBeLessThan(0.01);
        return result.rmse;
      };
      const blended: number[] = [];
      for (let fold = 1; fold <= 5; fold++) {
        const [blend, svdpp] = [await rmse("blend", fold), await rmse("svdpp", fold)];
        console.log(`ml-100k u${fold} RMSE: default blend ${blend.toFixed(4)}, svdpp ${svdpp.toFixed(4)}`);
        expect(blend).toBeLessThan(svdpp - 0.005);
        blended.push(blend);
      }
      expect(blended.reduce((a, b) => a + b, 0) / blended.length).toBeLessThanOrEqual(0.895);
    }, 300_000);
  },
);
