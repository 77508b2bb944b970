import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import { AliasTable, BprSampler } from "../../src/algorithms/sgd/bpr-sampler.js";
import { findInRow } from "../../src/core/csr.js";
import { Rng } from "../../src/core/rng.js";
import { hasMl100k, ml100kFold, syntheticCommunity } from "../helpers/data.js";
import { describeRecommenderContract } from "./contract.js";
import { styleCommunity } from "./mixed-feedback.js";
import { ndcgOf } from "./sgd-ranking.js";

describeRecommenderContract("bpr", { ranking: true });

const range = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

describe("bpr", () => {
  const quick = { factors: 8, epochs: 30 };

  it("draws positives in proportion to their weights (alias table)", () => {
    const table = new AliasTable(Float32Array.from([1, 2, 3, 4]));
    const rng = new Rng(1);
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 100_000; k++) counts[table.draw(rng)]!++;
    for (const [k, c] of counts.entries()) expect(Math.abs(c / 100_000 - (k + 1) / 10)).toBeLessThan(0.01);
  });

  it("samples negatives the customer has no evidence on", () => {
    const { dataset } = syntheticCommunity();
    const sampler = new BprSampler(dataset.ratings, false);
    const out = { users: new Int32Array(5000), pos: new Int32Array(5000), neg: new Int32Array(5000) };
    sampler.sample(new Rng(2), out, 5000);
    for (let s = 0; s < 5000; s++) {
      expect(findInRow(dataset.ratings, out.users[s]!, out.pos[s]!)).toBeGreaterThanOrEqual(0);
      expect(findInRow(dataset.ratings, out.users[s]!, out.neg[s]!)).toBe(-1);
    }
  });

  it("takes any event type as positive evidence: purchases alone rank a customer's style first", async () => {
    const { train } = styleCommunity();
    const model = registry.create("bpr", { ...quick, weights: { rating: 0, purchase: 1 } });
    const report = await model.fit(train, { rng: new Rng(3) });
    expect(report.details?.positives).toBe(train.feedback.purchase.indptr[train.userCount]);
    // Customer 0's style is the style of most of their purchases.
    const bought = train.feedback.purchase;
    let even = 0;
    for (let p = bought.indptr[0]!; p < bought.indptr[1]!; p++) if (bought.indices[p]! % 2 === 0) even++;
    const style = even * 2 > bought.indptr[1]! - bought.indptr[0]! ? 0 : 1;
    const scores = model.score({ user: 0 }, range(train.itemCount));
    const top = Array.from(range(train.itemCount))
      .sort((a, b) => scores[b]! - scores[a]!)
      .slice(0, 10);
    expect(top.filter((i) => i % 2 === style).length).toBeGreaterThanOrEqual(8);
  });

  it("folds in a brand-new customer from purchases only, deterministically", async () => {
    const { train } = styleCommunity();
    const model = registry.create("bpr", { ...quick, weights: { rating: 1, purchase: 1 } });
    await model.fit(train, { rng: new Rng(4) });
    const feedback = { items: Int32Array.from([1, 3, 5, 7, 9]), values: new Float32Array(5).fill(1) };
    const a = model.score({ feedback }, range(train.itemCount));
    const b = model.score({ feedback }, range(train.itemCount));
    expect(Array.from(a)).toEqual(Array.from(b));
    let odd = 0;
    let even = 0;
    for (const [i, s] of a.entries()) {
      if (i % 2 === 1) odd += s;
      else even += s;
    }
    expect(odd).toBeGreaterThan(even);
    const e = model.explain!({ feedback }, 11);
    expect(e.kind === "items" && e.items.length > 0 && e.items.every((i) => i % 2 === 1)).toBe(true);
  });

  it("gives the same model with the WebAssembly and the TypeScript kernels (to rounding)", async () => {
    const { dataset } = syntheticCommunity();
    const a = registry.create("bpr", { ...quick, kernel: "wasm" });
    const b = registry.create("bpr", { ...quick, kernel: "js" });
    await a.fit(dataset, { rng: new Rng(5) });
    await b.fit(dataset, { rng: new Rng(5) });
    const sa = a.score({ user: 2 }, range(dataset.itemCount));
    const sb = b.score({ user: 2 }, range(dataset.itemCount));
    for (let i = 0; i < sa.length; i++) expect(Math.abs(sa[i]! - sb[i]!)).toBeLessThan(1e-3);
  });

  it("refuses a diverging fit with a ValidationError naming the learning rate", async () => {
    const { dataset } = syntheticCommunity();
    const model = registry.create("bpr", { ...quick, learningRate: 1, regularization: 0, initStd: 10 });
    await expect(model.fit(dataset)).rejects.toMatchObject({ field: "params.bpr.learningRate" });
  });

  // Gorse 2020 reports BPR at NDCG@10 0.376 on the same folds and protocol.
  describe.skipIf(!hasMl100k)("quality floor on ml-100k u1–u5 (NDCG@10, full ranking, every rating a positive)", () => {
    it("reaches NDCG@10 ≥ 0.41 on average", async () => {
      const scores: number[] = [];
      for (let k = 1; k <= 5; k++) {
        const fold = ml100kFold(k);
        const model = registry.create("bpr");
        await model.fit(fold.train, { rng: new Rng(k) });
        scores.push(ndcgOf(model, fold.train, fold.test));
      }
      const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
      console.log(`bpr NDCG@10 on ml-100k u1–u5: ${scores.map((s) => s.toFixed(4)).join(" ")} mean ${mean.toFixed(4)}`);
      expect(mean).toBeGreaterThanOrEqual(0.41);
    });
  });
});
