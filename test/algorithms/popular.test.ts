import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import { rankingScores } from "../../src/algorithms/recommender.js";
import { datasetFromTriples } from "../../src/core/dataset.js";
import { InteractionLog } from "../../src/core/interaction-log.js";
import { decodeSnapshot, encodeSnapshot } from "../../src/core/snapshot.js";
import { trainingHistory } from "../../src/eval/fold-eval.js";
import { rankFold } from "../../src/eval/rank-fold.js";
import { splitLog } from "../../src/eval/splits/index.js";
import { hasMl100k, ML100K } from "../helpers/data.js";
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

  it("with damping 0 scores the raw average; by count ranks by distinct customers", async () => {
    const raw = registry.create("popular", { damping: 0 });
    await raw.fit(data);
    expect(Array.from(raw.score({}, items))).toEqual([5, 3, 1]);
    const byCount = registry.create("popular", { rankBy: "count" });
    await byCount.fit(data);
    expect(Array.from(byCount.rank?.({}, items) ?? [])).toEqual([2, 1, 4]);
  });

  it("by default ranks by customer count but predicts the damped mean; rankBy damped-mean ranks by it", async () => {
    const byDefault = registry.create("popular", { damping: 2 });
    await byDefault.fit(data);
    const mu = 17 / 7;
    const damped = [(10 + 2 * mu) / 4, (3 + 2 * mu) / 3, (4 + 2 * mu) / 6];
    expect(Array.from(rankingScores(byDefault, {}, items))).toEqual([2, 1, 4]);
    const predicted = byDefault.score({}, items);
    for (const [k, e] of damped.entries()) expect(predicted[k]).toBeCloseTo(e, 5);
    const byMean = registry.create("popular", { damping: 2, rankBy: "damped-mean" });
    await byMean.fit(data);
    expect(Array.from(rankingScores(byMean, {}, items))).toEqual(Array.from(predicted));
    expect(Array.from(byMean.score({}, items))).toEqual(Array.from(predicted));
    const out = new Float32Array(4);
    expect(byDefault.rank?.({}, Int32Array.from([0, -1, 3, 2]), out)).toBe(out);
    expect(Array.from(out).map((v) => (Number.isNaN(v) ? "NaN" : v))).toEqual([2, "NaN", "NaN", 4]);
  });

  it("restores its ranking bit-identically from a snapshot", async () => {
    const model = registry.create("popular", {});
    await model.fit(data);
    const restored = registry.restore(decodeSnapshot(encodeSnapshot(model.snapshot())));
    expect(Array.from(restored.rank?.({}, items) ?? [])).toEqual(Array.from(model.rank?.({}, items) ?? [1]));
  });

  it("rejects a negative damping, naming the field", () => {
    expect(() => registry.create("popular", { damping: -1 })).toThrow(/params\.popular\.damping: must be at least 0/);
    expect(() => registry.create("popular", { rankBy: "stars" })).toThrow(/params\.popular\.rankBy/);
  });
});

describe.skipIf(!hasMl100k)("popular (by count, the default) through the evaluation harness (ml-100k u1)", () => {
  it("gets the NDCG@10 of an independent hand computation (oracle: plain loops over u1.base / u1.test)", async () => {
    const read = (file: string): number[][] =>
      readFileSync(`${ML100K}${file}`, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => line.split("\t").map(Number));
    // Oracle: rank every item by its number of raters in u1.base (ties to the lower MovieLens id), skip what the
    // customer rated, and score the top 10 against all of their u1.test items.
    const count = new Map<number, number>();
    const seen = new Map<number, Set<number>>();
    for (const [u, i] of read("u1.base")) {
      count.set(i!, (count.get(i!) ?? 0) + 1);
      seen.set(u!, (seen.get(u!) ?? new Set()).add(i!));
    }
    const relevant = new Map<number, Set<number>>();
    for (const [u, i] of read("u1.test")) relevant.set(u!, (relevant.get(u!) ?? new Set()).add(i!));
    const ranked = [...count.keys()].sort((a, b) => count.get(b)! - count.get(a)! || a - b);
    let sum = 0;
    let users = 0;
    for (const [u, items] of relevant) {
      if (!seen.has(u)) continue;
      const top = ranked.filter((i) => !seen.get(u)!.has(i)).slice(0, 10);
      let dcg = 0;
      top.forEach((i, r) => {
        if (items.has(i)) dcg += 1 / Math.log2(r + 2);
      });
      let ideal = 0;
      for (let r = 0; r < Math.min(10, items.size); r++) ideal += 1 / Math.log2(r + 2);
      sum += dcg / ideal;
      users++;
    }
    const log = new InteractionLog(undefined, undefined, 100_000);
    for (const [u, i, r, t] of read("u.data")) log.pushRating(String(u), String(i), r!, t! * 1000);
    const fold = splitLog(log, "official", { source: ML100K })[0]!;
    const model = registry.create("popular", {}); // the default ranks by count
    await model.fit(fold.train);
    const result = rankFold(model, fold, trainingHistory(fold), undefined, { k: 10 });
    expect(result.rankedUsers).toBe(users);
    // Ties in count may be broken differently (dense ids follow first appearance), so allow a hair.
    expect(result.metrics.ndcg).toBeCloseTo(sum / users, 3);
  });
});
