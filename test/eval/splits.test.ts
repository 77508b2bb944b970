import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InteractionLog } from "../../src/core/interaction-log.js";
import { parseSplit, splitLog } from "../../src/eval/splits/index.js";
import type { Fold } from "../../src/eval/types.js";
import { hasMl100k, ML100K, syntheticCommunity } from "../helpers/data.js";

/** Every (customer, item, value) of a fold's test set and training set, in external ids. */
function pairsOf(fold: Fold): { train: Set<string>; test: string[] } {
  const { train } = fold;
  const trainPairs = new Set<string>();
  for (let u = 0; u < train.userCount; u++) {
    for (let p = train.ratings.indptr[u]!; p < train.ratings.indptr[u + 1]!; p++) {
      trainPairs.add(`${train.users.external(u)}|${train.items.external(train.ratings.indices[p]!)}`);
    }
  }
  const test: string[] = [];
  for (let k = 0; k < fold.test.users.length; k++) {
    const u = fold.test.users[k]!;
    const i = fold.test.items[k]!;
    test.push(`${u < 0 ? "?" : train.users.external(u)}|${i < 0 ? "?" : train.items.external(i)}`);
  }
  return { train: trainPairs, test };
}

const { log } = syntheticCommunity({ users: 60, items: 40, ratingsPerUser: 12, seed: 3 });
const ratings = log.length;

describe("splits", () => {
  it("parses the grammar and refuses bad specs naming the field", () => {
    expect(parseSplit("kfold:5")).toEqual({ kind: "kfold", folds: 5 });
    expect(parseSplit("holdout:0.2")).toEqual({ kind: "holdout", fraction: 0.2 });
    expect(parseSplit("last:1")).toEqual({ kind: "last", n: 1 });
    for (const bad of [
      "kfold",
      "kfold:1",
      "kfold:2.5",
      "holdout:1",
      "holdout:0",
      "temporal:x",
      "per-user:0",
      "shuffle",
    ]) {
      expect(() => parseSplit(bad)).toThrow(/^split: /);
    }
  });

  it.each(["kfold:5", "holdout:0.25", "per-user:3", "temporal:0.2", "last:2"])(
    "%s: no test pair is in training, and test ids are the training's dense ids",
    (spec) => {
      for (const fold of splitLog(log, spec, { seed: 9 })) {
        const { train, test } = pairsOf(fold);
        expect(test.length).toBeGreaterThan(0);
        for (const pair of test) expect(train.has(pair)).toBe(false);
        expect(fold.train.ratingCount + fold.test.users.length).toBe(ratings);
      }
    },
  );

  it("kfold partitions the data: every event is in exactly one test fold", () => {
    const folds = splitLog(log, "kfold:4", { seed: 1 });
    const seen = new Map<string, number>();
    for (const fold of folds) for (const pair of pairsOf(fold).test) seen.set(pair, (seen.get(pair) ?? 0) + 1);
    expect(seen.size).toBe(ratings);
    for (const count of seen.values()) expect(count).toBe(1);
    const sizes = folds.map((f) => f.test.users.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it("the same seed gives the same folds, another seed different ones (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const a = splitLog(log, "kfold:3", { seed });
        const b = splitLog(log, "kfold:3", { seed });
        expect(a.map((f) => pairsOf(f).test)).toEqual(b.map((f) => pairsOf(f).test));
        const c = splitLog(log, "kfold:3", { seed: seed + 1 });
        expect(c.map((f) => pairsOf(f).test)).not.toEqual(a.map((f) => pairsOf(f).test));
      }),
      { numRuns: 5 },
    );
  });

  it("per-user:N holds out N of each customer with more than N; last:N the latest", () => {
    const small = new InteractionLog();
    for (let i = 0; i < 5; i++) small.pushRating("a", `i${i}`, 1 + i, 100 - i); // a's latest is i0
    small.pushRating("b", "i0", 3, 1);
    small.pushRating("b", "i1", 4, 2);
    const [last] = splitLog(small, "last:2");
    expect(pairsOf(last!).test.sort()).toEqual(["a|i0", "a|i1"]);
    const [perUser] = splitLog(small, "per-user:2", { seed: 5 });
    expect(perUser!.test.users.length).toBe(2); // b has only 2: stays in training
    expect(pairsOf(perUser!).test.every((p) => p.startsWith("a|"))).toBe(true);
  });

  it("temporal holds out the latest share of all events", () => {
    const timed = new InteractionLog();
    for (let t = 0; t < 10; t++) timed.pushRating(`u${t % 3}`, `i${t}`, 1 + (t % 5), t * 1000);
    const [fold] = splitLog(timed, "temporal:0.3");
    const heldTimes = Array.from(fold!.test.values);
    expect(fold!.test.users.length).toBe(3);
    // The items of the last three events (i7, i8, i9) are unknown to training: -1.
    expect(Array.from(fold!.test.items)).toEqual([-1, -1, -1]);
    expect(heldTimes).toEqual([1 + (7 % 5), 1 + (8 % 5), 1 + (9 % 5)]);
  });

  it("keeps every event of a re-rated pair on one side", () => {
    const rerated = new InteractionLog();
    for (let u = 0; u < 20; u++) {
      for (let i = 0; i < 5; i++) {
        rerated.pushRating(`u${u}`, `i${i}`, 2, 1);
        rerated.pushRating(`u${u}`, `i${i}`, 4, 2);
      }
    }
    for (const fold of splitLog(rerated, "kfold:5", { seed: 3 })) {
      const { train, test } = pairsOf(fold);
      for (const pair of test) expect(train.has(pair)).toBe(false);
      expect(fold.train.ratings.values.every((v) => v === 4)).toBe(true); // the latest value
    }
  });

  it("a split that leaves a fold empty is a ValidationError naming the split", () => {
    const tiny = new InteractionLog();
    tiny.pushRating("a", "x", 3);
    tiny.pushRating("a", "y", 4);
    expect(() => splitLog(tiny, "kfold:3")).toThrow(/^split: "kfold:3" leaves fold \d with no test events/);
    expect(() => splitLog(tiny, "per-user:5")).toThrow(/split: "per-user:5" leaves fold 1 with no test events/);
    expect(() => splitLog(tiny, "holdout:0.1")).toThrow(/no test events/);
    expect(() => splitLog(tiny, "official")).toThrow(/split: "official" needs a dataset folder/);
    expect(() => splitLog(tiny, "official", { source: "/nonexistent/folder" })).toThrow(/split: "official" needs/);
  });
});

describe.skipIf(!hasMl100k)("official split on ml-100k (real data)", () => {
  it("reproduces u1..u5 exactly", () => {
    const log = new InteractionLog(undefined, undefined, 100_000);
    for (const line of readFileSync(`${ML100K}u.data`, "utf8").split("\n")) {
      if (!line) continue;
      const [u, i, r, t] = line.split("\t");
      log.pushRating(u!, i!, Number(r), Number(t) * 1000);
    }
    const folds = splitLog(log, "official", { source: ML100K });
    expect(folds.length).toBe(5);
    folds.forEach((fold, f) => {
      const lines = (name: string): string[] =>
        readFileSync(`${ML100K}u${f + 1}.${name}`, "utf8")
          .split("\n")
          .filter((l) => l.length > 0)
          .map((l) => l.split("\t").slice(0, 3).join("|"));
      const base = lines("base").sort();
      const train: string[] = [];
      const { ratings, users, items } = fold.train;
      for (let u = 0; u < ratings.rows; u++) {
        for (let p = ratings.indptr[u]!; p < ratings.indptr[u + 1]!; p++) {
          train.push(`${users.external(u)}|${items.external(ratings.indices[p]!)}|${ratings.values[p]}`);
        }
      }
      expect(train.sort()).toEqual(base);
      const test: string[] = [];
      for (let k = 0; k < fold.test.users.length; k++) {
        const u = fold.test.users[k]!;
        const i = fold.test.items[k]!;
        // Pairs with an id training never saw are -1 and cannot be compared by name; the count covers them.
        if (u >= 0 && i >= 0) test.push(`${users.external(u)}|${items.external(i)}|${fold.test.values[k]}`);
      }
      const expected = lines("test");
      expect(fold.test.users.length).toBe(expected.length);
      const known = new Set(test);
      expect(expected.filter((l) => known.has(l)).length).toBe(test.length);
    });
  });
});
