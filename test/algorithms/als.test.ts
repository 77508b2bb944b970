import { describe, expect, it } from "vitest";
import { AlsRecommender, alsConfigSchema } from "../../src/algorithms/als.js";
import { registry } from "../../src/algorithms/index.js";
import { datasetFromTriples } from "../../src/core/dataset.js";
import { KindredError, ValidationError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { syntheticCommunity } from "../helpers/data.js";
import { describeRecommenderContract } from "./contract.js";

// Mean RMSE measured 0.917 on ml-100k u1–u5 (bench/results/mf-als.md); the floor leaves room for seeds.
describeRecommenderContract("als", { floor: { rmse: 0.925 } });

const { dataset } = syntheticCommunity({ users: 150, items: 80, seed: 11 });
const all = Int32Array.from({ length: dataset.itemCount }, (_, i) => i);
const make = (params: object = {}): AlsRecommender => new AlsRecommender(alsConfigSchema.parse(params));
const bits = (a: Float32Array): number[] => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

function history(user: number): { items: Int32Array; values: Float32Array } {
  const { indptr, indices, values } = dataset.ratings;
  return {
    items: indices.slice(indptr[user]!, indptr[user + 1]!),
    values: values.slice(indptr[user]!, indptr[user + 1]!),
  };
}

describe("als", () => {
  it("fits the same factors on one thread and on two worker threads (rows are independent)", async () => {
    const one = make({ factors: 6, epochs: 4 });
    const two = make({ factors: 6, epochs: 4 });
    await one.fit(dataset, { rng: new Rng(5), threads: 1 });
    const report = await two.fit(dataset, { rng: new Rng(5), threads: 2 });
    expect(report.details?.threads).toBe(2);
    for (const user of [0, 9, 77]) expect(bits(two.score({ user }, all))).toEqual(bits(one.score({ user }, all)));
  });

  it("learns: reports training RMSE each epoch, ending well below the first epoch's", async () => {
    const losses: number[] = [];
    await make({ epochs: 6 }).fit(dataset, { onEpoch: (p) => losses.push(p.loss!) });
    expect(losses.length).toBe(6);
    // ALS decreases the regularised objective, not the RMSE itself, so compare ends, not every step.
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    expect(losses.at(-1)!).toBeLessThan(0.6);
  });

  it("folds in a customer's own history to their fitted scores (users are solved last, exactly)", async () => {
    const model = make({ factors: 8, clamp: false });
    await model.fit(dataset, { rng: new Rng(2) });
    for (const user of [3, 40]) {
      const fittedScores = model.score({ user }, all);
      const folded = model.score({ history: history(user) }, all);
      for (let i = 0; i < all.length; i++) expect(folded[i]).toBeCloseTo(fittedScores[i]!, 4);
    }
  });

  it("reflects a new rating at once, without refitting, for a known and a brand-new customer", async () => {
    const model = make();
    await model.fit(dataset, { rng: new Rng(2) });
    const own = history(5);
    const target = all.find((i) => !own.items.includes(i))!;
    const before = model.score({ user: 5, history: own }, Int32Array.of(target))[0]!;
    const withRating = {
      items: Int32Array.from([...own.items, target]),
      values: Float32Array.from([...own.values, 5]),
    };
    const after = model.score({ user: 5, history: withRating }, Int32Array.of(target))[0]!;
    expect(after).toBeGreaterThan(before);
    const newcomer = model.score({ history: { items: Int32Array.of(0, 1), values: Float32Array.of(5, 1) } }, all);
    expect(newcomer.every(Number.isFinite)).toBe(true);
  });

  it("decomposes: μ + b_i + the items' contributions add up to the score (Hu et al. 2008 §5); explain shows its positive part", async () => {
    const model = make({ factors: 5, clamp: false });
    await model.fit(dataset, { rng: new Rng(4) });
    const snapshot = model.snapshot();
    const itemBias = snapshot.arrays.itemBias as Float32Array;
    const mean = snapshot.meta.mean as number;
    for (const [user, item] of [
      [1, 3],
      [20, 50],
    ] as const) {
      const e = model.decompose({ user }, item);
      if (e.kind !== "items") throw new Error("expected an items explanation");
      const total = mean + itemBias[item]! + e.weights.reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(model.score({ user }, Int32Array.of(item))[0]!, 3);
      for (let t = 1; t < e.weights.length; t++) expect(e.weights[t]!).toBeLessThanOrEqual(e.weights[t - 1]!);
      expect(Array.from(e.items).sort()).toEqual(Array.from(history(user).items).sort());
      // What a customer is shown: the positive terms of that decomposition, on items they liked, in its order.
      const shown = model.explain({ user }, item);
      if (shown.kind !== "items") throw new Error("expected an items explanation");
      const positive = Array.from(e.items).filter((_, t) => e.weights[t]! > 0);
      expect(positive).toEqual(expect.arrayContaining(Array.from(shown.items)));
      expect(Array.from(shown.items)).toEqual(positive.filter((i) => shown.items.includes(i)));
    }
  });

  it("finds similar items by the cosine of their factors, most similar first, never the item itself", async () => {
    const model = make();
    await model.fit(dataset, { rng: new Rng(4) });
    const { items, similarities } = model.similarItems(7, 5);
    expect(items.length).toBe(5);
    expect(items).not.toContain(7);
    for (let t = 1; t < 5; t++) expect(similarities[t]!).toBeLessThanOrEqual(similarities[t - 1]!);
    for (const s of similarities) expect(Math.abs(s)).toBeLessThanOrEqual(1 + 1e-6);
    expect(model.similarItems(-1, 5).items.length).toBe(0);
    expect(model.similarItems(dataset.itemCount, 5).items.length).toBe(0);
  });

  it("refuses bad input clearly: no ratings, bad config, a damaged snapshot", async () => {
    await expect(make().fit(datasetFromTriples([]))).rejects.toBeInstanceOf(ValidationError);
    expect(() => registry.create("als", { factors: 0 })).toThrow(/params\.als\.factors/);
    expect(() => registry.create("als", { regularization: -1 })).toThrow(/params\.als\.regularization/);
    const model = make({ factors: 4, epochs: 2 });
    await model.fit(dataset);
    const snapshot = model.snapshot();
    const short = { ...snapshot, arrays: { ...snapshot.arrays, itemFactors: new Float32Array(3) } };
    expect(() => registry.restore(short)).toThrow(/als snapshot: array "itemFactors" has length 3/);
    expect(() => registry.restore({ ...snapshot, meta: {} })).toThrow(KindredError);
  });

  it("stops between epochs when the signal is aborted mid-fit", async () => {
    const controller = new AbortController();
    const fit = make({ epochs: 50 }).fit(dataset, {
      signal: controller.signal,
      onEpoch: (p) => {
        if (p.epoch === 2) controller.abort();
      },
    });
    await expect(fit).rejects.toMatchObject({ code: "CANCELLED" });
  });
});
