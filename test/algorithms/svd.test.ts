import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import type { Recommender } from "../../src/algorithms/recommender.js";
import { KindredError, ValidationError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { rmseOf, syntheticCommunity } from "../helpers/data.js";
import { describeRecommenderContract } from "./contract.js";
import { styleCommunity } from "./mixed-feedback.js";
import { predictPairs } from "./predict-pairs.js";

// Mean RMSE over ml-100k u1–u5 with the defaults: 0.91 measured (bench/results/mf-sgd.md); Surprise SVD 0.938.
describeRecommenderContract("svd", { floor: { rmse: 0.915 } });

const range = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
const bits = (a: Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");

describe("svd", () => {
  const { dataset } = syntheticCommunity({ users: 300, items: 150, ratingsPerUser: 30 });
  const all = range(dataset.itemCount);
  const quick = { factors: 8, epochs: 30, validationFraction: 0 };

  it("learns: training error falls epoch by epoch and beats the global mean on held-out data", async () => {
    const losses: number[] = [];
    const model = registry.create("svd", { ...quick, schedule: "constant" });
    await model.fit(dataset, { rng: new Rng(2), onEpoch: (p) => losses.push(p.loss!) });
    expect(losses.length).toBe(30);
    expect(losses[29]!).toBeLessThan(losses[0]! * 0.8);
    const before = model.score({ user: 0 }, all);
    expect(before.every((s) => Number.isNaN(s) || (s >= 1 && s <= 5))).toBe(true);
  });

  it("stops early on the validation slice and refits for the best number of epochs", async () => {
    const model = registry.create("svd", { factors: 8, epochs: 400, learningRate: 0.05, patience: 2 });
    const report = await model.fit(dataset, { rng: new Rng(1) });
    expect(report.epochs!).toBeLessThan(400);
    expect(Number(report.details?.validationRmse)).toBeGreaterThan(0);
    expect(Number(report.details?.epochsSearched)).toBe(report.epochs! + 2);
  });

  it("gives the same model with the WebAssembly and the TypeScript kernels (to rounding)", async () => {
    const a = registry.create("svd", { ...quick, kernel: "wasm" });
    const b = registry.create("svd", { ...quick, kernel: "js" });
    await a.fit(dataset, { rng: new Rng(4) });
    await b.fit(dataset, { rng: new Rng(4) });
    const sa = a.score({ user: 3 }, all);
    const sb = b.score({ user: 3 }, all);
    for (let i = 0; i < all.length; i++) expect(Math.abs(sa[i]! - sb[i]!)).toBeLessThan(1e-3);
  });

  it("gives bit-identical models on one thread and on two (DSGD blocks share no customer or item)", async () => {
    const big = syntheticCommunity({ users: 2200, items: 400, ratingsPerUser: 30, seed: 9 }).dataset;
    expect(big.ratingCount).toBeGreaterThan(50_000); // large enough for the helper thread
    const fitWith = async (threads: number): Promise<Recommender> => {
      const m = registry.create("svd", { factors: 16, epochs: 12, validationFraction: 0 });
      await m.fit(big, { rng: new Rng(8), threads });
      return m;
    };
    const one = await fitWith(1);
    const two = await fitWith(2);
    for (const user of [0, 7, 1500]) expect(bits(two.score({ user }, all))).toBe(bits(one.score({ user }, all)));
  });

  it("folds in a new rating at once: scores move without a refit, towards the new rating", async () => {
    const model = registry.create("svd", quick);
    await model.fit(dataset, { rng: new Rng(5) });
    const start = dataset.ratings.indptr[10]!;
    const end = dataset.ratings.indptr[11]!;
    const items = dataset.ratings.indices.slice(start, end);
    const values = dataset.ratings.values.slice(start, end);
    // An item customer 10 has not rated, rated 5 just now.
    let fresh = 0;
    while (items.includes(fresh)) fresh++;
    const before = model.score({ user: 10, history: { items, values } }, Int32Array.from([fresh]))[0]!;
    const history = { items: Int32Array.from([...items, fresh]), values: Float32Array.from([...values, 5]) };
    const after = model.score({ user: 10, history }, Int32Array.from([fresh]))[0]!;
    expect(after).toBeGreaterThan(before + 0.05);
    // The same history as fitted gives exactly the fitted scores.
    expect(bits(model.score({ user: 10, history: { items, values } }, all))).toBe(bits(model.score({ user: 10 }, all)));
  });

  it("scores a brand-new customer from their first ratings, and explains with their own items", async () => {
    const model = registry.create("svd", quick);
    await model.fit(dataset, { rng: new Rng(6) });
    const history = { items: Int32Array.from([0, 1, 2]), values: Float32Array.from([5, 5, 1]) };
    const scores = model.score({ history }, all);
    expect(scores.filter(Number.isFinite).length).toBe(all.length);
    // Only the items they liked (the two 5s, not the 1) are cited, where they raise the score; some item has one.
    let cited = 0;
    for (const item of [40, 41, 42, 43, 44, 45]) {
      const e = model.explain!({ history }, item);
      expect(e.kind).toBe("items");
      if (e.kind !== "items") return;
      cited += e.items.length;
      for (const i of e.items) expect([0, 1]).toContain(i);
      for (let k = 0; k < e.weights.length; k++) expect(e.weights[k]!).toBeGreaterThan(0);
      for (let k = 1; k < e.weights.length; k++) expect(e.weights[k - 1]!).toBeGreaterThanOrEqual(e.weights[k]!);
    }
    expect(cited).toBeGreaterThan(0);
  });

  it("lists similar items by cosine in factor space, most similar first, never the item itself", async () => {
    const model = registry.create("svd", quick);
    await model.fit(dataset, { rng: new Rng(7) });
    const { items, similarities } = model.similarItems!(3, 5);
    expect(items.length).toBe(5);
    expect(items).not.toContain(3);
    for (let k = 1; k < 5; k++) expect(similarities[k - 1]!).toBeGreaterThanOrEqual(similarities[k]!);
    expect(model.similarItems!(-1, 5).items.length).toBe(0);
  });

  it("refuses a diverging fit with a ValidationError naming the learning rate", async () => {
    const model = registry.create("svd", { ...quick, learningRate: 1, regularization: 0, schedule: "constant" });
    await expect(model.fit(dataset, { rng: new Rng(1) })).rejects.toThrow(ValidationError);
    await expect(model.fit(dataset, { rng: new Rng(1) })).rejects.toMatchObject({
      field: "params.svd.learningRate",
    });
  });

  it("stops a running fit when its signal is aborted between epochs", async () => {
    const controller = new AbortController();
    const model = registry.create("svd", { ...quick, epochs: 1000 });
    const fit = model.fit(dataset, { signal: controller.signal, onEpoch: (p) => p.epoch === 3 && controller.abort() });
    await expect(fit).rejects.toMatchObject({ code: "CANCELLED" });
  });

  it("refuses a snapshot whose arrays do not match its shape", async () => {
    const model = registry.create("svd", quick);
    await model.fit(dataset, { rng: new Rng(1) });
    const snapshot = model.snapshot();
    const broken = { ...snapshot, arrays: { ...snapshot.arrays, itemFactors: new Float32Array(3) } };
    expect(() => registry.restore(broken)).toThrow(KindredError);
    const missing = { ...snapshot, arrays: { ...snapshot.arrays, userBias: new Float64Array(1) } };
    expect(() => registry.restore(missing)).toThrow(/userBias/);
  });

  it("fits an empty dataset without crashing, then scores NaN", async () => {
    const empty = syntheticCommunity({ users: 3, items: 3, ratingsPerUser: 0 }).dataset;
    const model = registry.create("svd", quick);
    await model.fit(empty);
    expect(model.score({ user: 0 }, range(empty.itemCount)).every(Number.isNaN)).toBe(true);
  });

  it("mixed feedback: learning from purchases as implicit evidence beats the ratings alone", async () => {
    const { train, test } = styleCommunity();
    const rmse = async (purchase: number): Promise<number> => {
      const m = registry.create("svd", { factors: 8, implicitWeights: { purchase } });
      await m.fit(train, { rng: new Rng(3) });
      return rmseOf(predictPairs(m, test), test.values).rmse;
    };
    const ratingsOnly = await rmse(0);
    const mixed = await rmse(1);
    expect(mixed).toBeLessThan(ratingsOnly - 0.05);
  });
});
