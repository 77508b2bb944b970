import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import type { SearchSpace } from "../../src/algorithms/registry.js";
import { Rng } from "../../src/core/rng.js";
import { fromAxis, sampleSpace } from "../../src/eval/search/sample.js";
import { proposeTpe } from "../../src/eval/search/tpe.js";
import { tune } from "../../src/eval/tune.js";
import { syntheticCommunity } from "../helpers/data.js";

const space: SearchSpace = {
  reg: { type: "float", low: 0.001, high: 10, log: true },
  k: { type: "int", low: 5, high: 50 },
  kind: { type: "choice", values: ["a", "b", "c"] },
};

describe("search", () => {
  it("samples inside the declared space (property)", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const p = sampleSpace(space, new Rng(seed));
        expect(p.reg).toBeGreaterThanOrEqual(0.001);
        expect(p.reg).toBeLessThanOrEqual(10);
        expect(Number.isInteger(p.k)).toBe(true);
        expect(p.k).toBeGreaterThanOrEqual(5);
        expect(p.k).toBeLessThanOrEqual(50);
        expect(["a", "b", "c"]).toContain(p.kind);
      }),
    );
    expect(fromAxis({ type: "int", low: 1, high: 3 }, 99)).toBe(3);
  });

  it("TPE concentrates on the good region of a known objective", () => {
    // Loss = (log10 reg + 1)² + [kind ≠ "b"]: best near reg = 0.1, kind = b.
    const loss = (p: Record<string, unknown>) => (Math.log10(p.reg as number) + 1) ** 2 + (p.kind === "b" ? 0 : 1);
    const rng = new Rng(1);
    const history: Array<{ params: ReturnType<typeof sampleSpace>; loss: number }> = [];
    for (let t = 0; t < 40; t++) {
      const params = proposeTpe(space, history, rng);
      history.push({ params, loss: loss(params) });
    }
    const late = history.slice(20);
    const early = history.slice(0, 8);
    const mean = (xs: typeof history) => xs.reduce((a, o) => a + o.loss, 0) / xs.length;
    expect(mean(late)).toBeLessThan(mean(early));
    expect(late.filter((o) => o.params.kind === "b").length).toBeGreaterThan(late.length / 2);
  });
});

describe("tune (reduced, synthetic data)", () => {
  const { log } = syntheticCommunity({ users: 100, items: 60, ratingsPerUser: 18, seed: 2 });

  it("searches the declared space on the training part, seeded, and scores the best on the outer fold", async () => {
    const options = {
      algorithm: "baseline",
      split: "holdout:0.2",
      inner: "kfold:2",
      trials: 4,
      workers: 0,
      seed: 7,
    } as const;
    const result = await tune(log, { ...options, method: "random" });
    expect(result.metric).toBe("rmse");
    expect(result.trials).toHaveLength(4);
    for (const t of result.trials) expect(Number.isFinite(t.value)).toBe(true);
    // Trial 1 is the starting config, so the choice is never worse (in tuning) than the defaults.
    const defaults = registry.resolveConfig("baseline", {});
    for (const [name, value] of Object.entries(result.trials[0]!.params)) expect(value).toEqual(defaults[name]);
    const best = Math.min(...result.trials.map((t) => t.value));
    expect(best).toBeLessThanOrEqual(result.trials[0]!.value);
    expect(result.best.value).toBe(best);
    expect(Object.keys(result.best.params)).toEqual(expect.arrayContaining(["regUser", "regItem"]));
    expect(Number.isFinite(result.outer.best)).toBe(true);
    expect(Number.isFinite(result.outer.defaults)).toBe(true);
    const again = await tune(log, { ...options, method: "random" });
    expect(again.trials.map((t) => t.value)).toEqual(result.trials.map((t) => t.value));
    const tpe = await tune(log, { ...options, method: "tpe" });
    expect(tpe.method).toBe("tpe");
  });

  it("refuses bad input", async () => {
    const base = { split: "holdout:0.2", trials: 1, workers: 0 } as const;
    await expect(tune(log, { ...base, algorithm: "nope" })).rejects.toThrow(/algorithm: unknown algorithm/);
    await expect(tune(log, { ...base, algorithm: "baseline", inner: "official" })).rejects.toThrow(/^inner: /);
    await expect(tune(log, { ...base, algorithm: "baseline", trials: 0 })).rejects.toThrow(/^trials: /);
    await expect(tune(log, { ...base, algorithm: "baseline", metric: "auc" as never })).rejects.toThrow(
      /metrics: unknown metric/,
    );
  });
});
