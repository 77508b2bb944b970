import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { balancedSplit, blockRatings, stratum } from "../../src/algorithms/sgd/blocks.js";
import { runEpochs } from "../../src/algorithms/sgd/epoch-loop.js";
import { implicitEvidence, implicitNorms } from "../../src/algorithms/sgd/implicit.js";
import { LearningRate } from "../../src/algorithms/sgd/schedule.js";
import { holdOut } from "../../src/algorithms/sgd/validation.js";
import { csrFromCoo } from "../../src/core/csr.js";
import { Dataset } from "../../src/core/dataset.js";
import { ValidationError } from "../../src/core/errors.js";
import { InteractionLog } from "../../src/core/interaction-log.js";
import { Rng } from "../../src/core/rng.js";
import { EVENT_TYPE_CODE } from "../../src/core/types.js";
import { syntheticCommunity } from "../helpers/data.js";

const loop = { kind: "svd", epochs: 50, schedule: "constant" as const, decay: 1, patience: 3 };

describe("SGD learning-rate schedules", () => {
  it("constant stays 1; exponential is decay^epoch", () => {
    const constant = new LearningRate("constant", 0.5);
    const exponential = new LearningRate("exponential", 0.9);
    expect([0, 1, 5].map((e) => constant.at(e))).toEqual([1, 1, 1]);
    expect(exponential.at(3)).toBeCloseTo(0.729, 12);
  });

  it("bold driver: ×1.05 after a better epoch, ×decay after a worse one (Battiti 1989)", () => {
    const bold = new LearningRate("bold-driver", 0.5);
    bold.observe(10);
    expect(bold.at(1)).toBe(1);
    bold.observe(9);
    expect(bold.at(2)).toBeCloseTo(1.05, 12);
    bold.observe(9.5);
    expect(bold.at(3)).toBeCloseTo(0.525, 12);
  });
});

describe("SGD epoch loop", () => {
  it("stops after `patience` epochs without a better validation error and reports the best epoch", async () => {
    const errors = [5, 4, 3, 3.5, 3.2, 3.1, 2.9, 1];
    let epoch = 0;
    let bestSeen = 0;
    const progress: number[] = [];
    const result = await runEpochs(
      {
        train: () => 10 - epoch++,
        validate: () => errors[epoch - 1]!,
        onBest: () => (bestSeen = epoch),
      },
      { ...loop, onEpoch: (p) => progress.push(p.loss!) },
    );
    // 3 at epoch 3, then 3.5, 3.2, 3.1: three epochs without a better one (patience 3), so 2.9 is never reached.
    expect(result).toMatchObject({ epochs: 6, bestEpoch: 3, validation: 3 });
    expect(bestSeen).toBe(3);
    expect(progress).toEqual(errors.slice(0, 6)); // progress reports the validation error
  });

  it("runs every epoch without validation and passes the schedule's scale", async () => {
    const scales: number[] = [];
    const result = await runEpochs(
      {
        train: (_e, s) => {
          scales.push(s);
          return 1;
        },
      },
      { ...loop, epochs: 4, schedule: "exponential", decay: 0.5 },
    );
    expect(result).toMatchObject({ epochs: 4, bestEpoch: 4 });
    expect(scales).toEqual([1, 0.5, 0.25, 0.125]);
  });

  it("turns a diverging loss into a ValidationError on the learning rate", async () => {
    await expect(runEpochs({ train: () => Number.NaN }, loop)).rejects.toThrow(ValidationError);
    await expect(runEpochs({ train: () => Number.POSITIVE_INFINITY }, loop)).rejects.toMatchObject({
      field: "params.svd.learningRate",
    });
  });

  it("rejects with CANCELLED when aborted between epochs", async () => {
    const controller = new AbortController();
    const run = runEpochs(
      {
        train: (e) => {
          if (e === 2) controller.abort();
          return 1;
        },
      },
      { ...loop, signal: controller.signal },
    );
    await expect(run).rejects.toMatchObject({ code: "CANCELLED" });
  });
});

describe("SGD validation slice", () => {
  it("holds out about the fraction asked, never a customer's last rating, and loses nothing", () => {
    const { dataset } = syntheticCommunity({ users: 120, items: 60, ratingsPerUser: 6 });
    const m = dataset.ratings;
    const { train, heldOut } = holdOut(m, 0.3, new Rng(3));
    const total = m.indptr[m.rows]!;
    expect(train.indptr[train.rows]! + heldOut.users.length).toBe(total);
    expect(Math.abs(heldOut.users.length - 0.3 * total)).toBeLessThanOrEqual(1);
    for (let u = 0; u < m.rows; u++) {
      if (m.indptr[u + 1]! > m.indptr[u]!) expect(train.indptr[u + 1]! - train.indptr[u]!).toBeGreaterThan(0);
    }
    // A single rating per customer: nothing can be held out.
    const one = csrFromCoo(3, 3, Int32Array.from([0, 1, 2]), Int32Array.from([0, 1, 2]), Float32Array.from([1, 2, 3]));
    expect(holdOut(one, 0.5, new Rng(1)).heldOut.users.length).toBe(0);
  });
});

describe("DSGD blocks", () => {
  it("balances two groups by weight within the largest single weight", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 200 }), (ws) => {
        const weights = Int32Array.from(ws);
        const group = balancedSplit(weights);
        let a = 0;
        let b = 0;
        weights.forEach((w, k) => {
          if (group[k]) b += w;
          else a += w;
        });
        expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.max(...ws));
      }),
    );
  });

  it("puts every rating in one block; the two blocks of a stratum share no customer and no item", () => {
    const { dataset } = syntheticCommunity();
    const m = dataset.ratings;
    const { blockOf, sizes } = blockRatings(m);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(m.indptr[m.rows]);
    for (const s of [0, 1]) {
      const [a, b] = stratum(s);
      const users = [new Set<number>(), new Set<number>()];
      const items = [new Set<number>(), new Set<number>()];
      for (let u = 0; u < m.rows; u++) {
        for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
          const side = blockOf[p] === a ? 0 : blockOf[p] === b ? 1 : -1;
          if (side < 0) continue;
          users[side]!.add(u);
          items[side]!.add(m.indices[p]!);
        }
      }
      for (const u of users[0]!) expect(users[1]!.has(u)).toBe(false);
      for (const i of items[0]!) expect(items[1]!.has(i)).toBe(false);
    }
  });
});

describe("implicit evidence N(u)", () => {
  it("sums each event type's weight (ratings as indicators, purchases by quantity); η_u = (Σw²)^−½", () => {
    const log = new InteractionLog();
    const u = log.users.add("u");
    const [a, b, c] = ["a", "b", "c"].map((i) => log.items.add(i)) as [number, number, number];
    log.push(u, a, EVENT_TYPE_CODE.rating, 5, 1);
    log.push(u, a, EVENT_TYPE_CODE.purchase, 2, 2);
    log.push(u, b, EVENT_TYPE_CODE.view, 1, 3);
    log.push(u, c, EVENT_TYPE_CODE.dislike, 1, 4);
    const data = Dataset.fromLog(log);
    const m = implicitEvidence(data, data.ratings, { rating: 1, purchase: 0.5, view: 0.25, dislike: 0 })!;
    expect(Array.from(m.indices)).toEqual([a, b]);
    expect(Array.from(m.values)).toEqual([1 + 0.5 * 2, 0.25]);
    expect(implicitNorms(m)[0]).toBeCloseTo(1 / Math.sqrt(4 + 0.0625), 6);
    expect(implicitEvidence(data, data.ratings, { rating: 0, purchase: 0 })).toBeNull();
  });
});
