import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import { InteractionLog } from "../../src/core/interaction-log.js";
import { trainingHistory } from "../../src/eval/fold-eval.js";
import { rankFold } from "../../src/eval/rank-fold.js";
import { evaluate } from "../../src/eval/run.js";
import { splitLog } from "../../src/eval/splits/index.js";
import { syntheticCommunity } from "../helpers/data.js";
import { fixtureRegistry, oracleAnswers } from "./fixtures.js";

const { log } = syntheticCommunity({ users: 120, items: 80, ratingsPerUser: 20, seed: 11 });
const folds = splitLog(log, "kfold:3", { seed: 5 });

describe("cross-validation (reduced, synthetic data)", () => {
  it("evaluates built-in algorithms per fold, with mean ± std, timings, memory and the curve", async () => {
    const result = await evaluate(folds, { algorithms: ["popular", "baseline"], workers: 0, k: 5 });
    expect(result.results.map((r) => r.algorithm)).toEqual(["popular", "baseline"]);
    for (const r of result.results) {
      expect(r.folds).toHaveLength(3);
      expect(r.metrics.rmse).toBeGreaterThan(0);
      expect(r.spread.rmse!.std).toBeGreaterThanOrEqual(0);
      expect(r.fitSeconds).toBeGreaterThanOrEqual(0);
      expect(r.peakMemoryMB).toBeGreaterThan(0);
      for (const name of [
        "precision",
        "recall",
        "ndcg",
        "map",
        "mrr",
        "hitRate",
        "coverage",
        "personalisation",
      ] as const) {
        expect(r.metrics[name]).toBeGreaterThanOrEqual(0);
        expect(r.metrics[name]).toBeLessThanOrEqual(1);
      }
      // The curve pools every scored held-out rating and every ranked customer.
      const scored = r.folds.reduce((a, f) => a + f.counts.testRatings * (1 - f.metrics.unscorable!), 0);
      expect(r.curve.reduce((a, p) => a + p.ratings, 0)).toBeCloseTo(scored, 6);
      expect(r.curve.reduce((a, p) => a + p.users, 0)).toBe(r.folds.reduce((a, f) => a + f.counts.rankedUsers, 0));
    }
    // Personal biases beat the item average on data generated with user biases.
    expect(result.results[1]!.metrics.rmse!).toBeLessThan(result.results[0]!.metrics.rmse!);
  });

  it("gives the same numbers in worker threads (shared-memory folds) as in-process", async () => {
    const options = { algorithms: ["baseline", "popular"], k: 5, seed: 3 } as const;
    const inProcess = await evaluate(folds, { ...options, workers: 0 });
    const threaded = await evaluate(folds, { ...options, workers: 2 });
    for (let a = 0; a < 2; a++) {
      expect(threaded.results[a]!.metrics).toEqual(inProcess.results[a]!.metrics);
      expect(threaded.results[a]!.curve).toEqual(inProcess.results[a]!.curve);
    }
  });

  it("an oracle that knows the held-out items ranks perfectly; every rated item relevant", async () => {
    const [fold] = splitLog(log, "per-user:3", { seed: 2 });
    oracleAnswers.clear();
    for (let k = 0; k < fold!.test.users.length; k++) {
      const u = fold!.train.users.external(fold!.test.users[k]!);
      const i = fold!.test.items[k]!;
      if (i < 0) continue;
      if (!oracleAnswers.has(u)) oracleAnswers.set(u, new Set());
      oracleAnswers.get(u)!.add(fold!.train.items.external(i));
    }
    const result = await evaluate([fold!], {
      algorithms: ["oracle"],
      registry: fixtureRegistry(),
      k: 3,
      task: "ranking",
    });
    const m = result.results[0]!.metrics;
    // Items training never saw cannot be ranked by anyone; the synthetic data leaves few such pairs.
    expect(m.ndcg).toBeGreaterThan(0.97);
    expect(m.hitRate).toBe(1);
    expect(m.mrr).toBe(1);
    expect(result.results[0]!.metrics.rmse).toBeUndefined(); // a ranking model has no rating metrics
  });

  it("ranking never recommends a customer's training items, even when a model scores them highest", async () => {
    const registry = fixtureRegistry();
    const fold = folds[0]!;
    const model = registry.create("own-items", {});
    await model.fit(fold.train);
    const ranking = rankFold(model, fold, trainingHistory(fold), undefined, { k: 10 });
    const { users, items, offsets } = ranking.lists;
    expect(users.length).toBeGreaterThan(0);
    for (let j = 0; j < users.length; j++) {
      const u = users[j]!;
      const own = new Set(
        fold.train.ratings.indices.subarray(fold.train.ratings.indptr[u]!, fold.train.ratings.indptr[u + 1]!),
      );
      for (let p = offsets[j]!; p < offsets[j + 1]!; p++) expect(own.has(items[p]!)).toBe(false);
      expect(offsets[j + 1]! - offsets[j]!).toBe(10);
    }
  });

  it("--relevant keeps only held-out ratings at or above the threshold", async () => {
    const all = await evaluate(folds, { algorithms: ["popular"], workers: 0, task: "ranking" });
    const high = await evaluate(folds, { algorithms: ["popular"], workers: 0, task: "ranking", relevant: 5 });
    const ranked = (r: typeof all) => r.results[0]!.folds.reduce((a, f) => a + f.counts.rankedUsers, 0);
    expect(ranked(high)).toBeLessThan(ranked(all));
    expect(high.relevant).toBe(5);
  });

  it("refuses bad input with ValidationErrors naming the field", async () => {
    const run = (options: Partial<Parameters<typeof evaluate>[1]>) =>
      evaluate(folds, { algorithms: ["baseline"], workers: 0, ...options });
    await expect(run({ algorithms: ["nope"] })).rejects.toThrow(/algorithm: unknown algorithm "nope"/);
    await expect(run({ algorithms: [] })).rejects.toThrow(/algorithms: lists no algorithm/);
    await expect(run({ algorithms: ["baseline", "baseline"] })).rejects.toThrow(/listed twice/);
    await expect(run({ k: 0 })).rejects.toThrow(/^k: /);
    await expect(run({ params: { nope: {} } })).rejects.toThrow(ValidationError);
    await expect(run({ params: { baseline: { regUser: -1 } } })).rejects.toThrow(/params\.baseline\.regUser/);
    await expect(evaluate([], { algorithms: ["baseline"] })).rejects.toThrow(/split: produced no folds/);

    const flat = new InteractionLog();
    for (let u = 0; u < 10; u++) for (let i = 0; i < 5; i++) flat.pushRating(`u${u}`, `i${i}`, 4);
    const flatFolds = splitLog(flat, "kfold:2");
    await expect(evaluate(flatFolds, { algorithms: ["baseline"], workers: 0, task: "rating" })).rejects.toThrow(
      /data: every rating has the same value \(4\)/,
    );
    // Under "both", ranking (still meaningful on such data) runs alone, and the result says why.
    const both = await evaluate(flatFolds, { algorithms: ["baseline"], workers: 0 });
    expect(both.task).toBe("ranking");
    expect(both.notes[0]).toMatch(/rating metrics skipped: data: every rating has the same value/);
    expect(both.results[0]!.metrics.rmse).toBeUndefined();
    expect(both.results[0]!.metrics.ndcg).toBeGreaterThanOrEqual(0);
  });
});
