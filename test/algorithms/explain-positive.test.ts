/**
 * Factor models explain a recommendation only by what the customer liked
 * (src/algorithms/classic/positive-evidence.ts): a rating at or above
 * max(scale midpoint, their own mean), or unrated items they bought, with a
 * positive contribution, largest first; nothing liked → an empty explanation.
 */
import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import type { Explanation, Query, Recommender } from "../../src/algorithms/recommender.js";
import { Dataset } from "../../src/core/dataset.js";
import { InteractionLog } from "../../src/core/interaction-log.js";
import { Rng } from "../../src/core/rng.js";
import { EVENT_TYPE_CODE } from "../../src/core/types.js";

const ITEMS = 24;
/** Items 0–11 are of style A, 12–23 of style B. */
const styleOf = (i: number): number => (i < ITEMS / 2 ? 1 : -1);

/** The target customer (style A): loves A items, hates B items, bought item 4 (unrated) and item 13 (rated 1). */
const TARGET_RATINGS: ReadonlyArray<readonly [number, number]> = [
  [0, 5],
  [1, 5],
  [2, 5],
  [3, 5],
  [12, 1],
  [13, 1],
  [14, 2],
  [15, 2],
];
const TARGET_BOUGHT = [4, 13];
/** Their threshold: max(midpoint 3, mean 3.25). */
const TARGET_THRESHOLD = 3.25;
/** A customer whose every rating is 1. */
const LOW_RATINGS: ReadonlyArray<readonly [number, number]> = [
  [0, 1],
  [5, 1],
  [12, 1],
  [17, 1],
];

/** Two taste groups: each customer rates 8 items, 5 (±) in their style and 1 (±) out of it, and buys 3 in it. */
function community(): Dataset {
  const rng = new Rng(11);
  const log = new InteractionLog();
  for (let i = 0; i < ITEMS; i++) log.items.add(`i${i}`);
  let time = 0;
  const target = log.users.add("target");
  for (const [i, r] of TARGET_RATINGS) log.push(target, i, EVENT_TYPE_CODE.rating, r, time++);
  for (const i of TARGET_BOUGHT) log.push(target, i, EVENT_TYPE_CODE.purchase, 1, time++);
  const low = log.users.add("low");
  for (const [i, r] of LOW_RATINGS) log.push(low, i, EVENT_TYPE_CODE.rating, r, time++);
  for (let u = 0; u < 80; u++) {
    const user = log.users.add(`u${u}`);
    const style = u % 2 === 0 ? 1 : -1;
    const rated = new Set<number>();
    while (rated.size < 8) rated.add(rng.int(ITEMS));
    for (const i of rated) {
      const r = styleOf(i) === style ? 5 - rng.int(2) : 1 + rng.int(2);
      log.push(user, i, EVENT_TYPE_CODE.rating, r, time++);
    }
    for (let k = 0; k < 3; k++) {
      const i = rng.int(ITEMS / 2) + (style === 1 ? 0 : ITEMS / 2);
      log.push(user, i, EVENT_TYPE_CODE.purchase, 1, time++);
    }
  }
  return Dataset.fromLog(log);
}

const dense = (pairs: ReadonlyArray<readonly [number, number]>) => ({
  items: Int32Array.from(pairs, (p) => p[0]),
  values: Float32Array.from(pairs, (p) => p[1]),
});

const CONFIGS: Record<string, object> = {
  als: { factors: 4, epochs: 10 },
  ials: { factors: 4, epochs: 10, regularization: 1 },
  svd: { factors: 4, epochs: 40, validationFraction: 0 },
  svdpp: { factors: 4, epochs: 40, validationFraction: 0, implicitWeights: { rating: 1, purchase: 1 } },
  bpr: { factors: 4, epochs: 40 },
  ease: { lambda: 5 },
};

function cited(e: Explanation): { items: Int32Array; values: Float32Array; weights: Float32Array } {
  if (e.kind !== "items") throw new Error(`expected an items explanation, got ${e.kind}`);
  return e;
}

describe.each(Object.keys(CONFIGS))("%s explains only by what the customer liked", (kind) => {
  const data = community();
  const id = (item: number): number => data.items.get(`i${item}`);
  const target = data.users.get("target");
  const low = data.users.get("low");
  const targetRating = new Map(TARGET_RATINGS.map(([i, r]) => [id(i), r]));
  const bought = new Set(TARGET_BOUGHT.map(id));
  const history = dense(TARGET_RATINGS.map(([i, r]) => [id(i), r] as const));
  const feedback = dense(TARGET_BOUGHT.map((i) => [id(i), 1] as const));
  const unrated = Int32Array.from({ length: ITEMS }, (_, i) => id(i)).filter((i) => !targetRating.has(i));
  const fittedModel = (async () => {
    const model: Recommender = registry.create(kind, CONFIGS[kind]);
    await model.fit(data, { rng: new Rng(3) });
    return model;
  })();

  const queries: Record<string, Query> = {
    fitted: { user: target },
    "current ratings and purchases (as the engine asks)": { user: target, history, feedback },
    "a newcomer with the same events": { history, feedback },
  };

  it.each(Object.keys(queries))("cites no item rated below the threshold, for %s", async (name) => {
    const model = await fittedModel;
    const query = queries[name]!;
    for (const item of unrated) {
      const e = cited(model.explain!(query, item));
      e.items.forEach((j, t) => {
        const rating = targetRating.get(j);
        // Rated: at or above their threshold (an item they rated 1 and also bought is still a 1). Unrated: bought.
        if (rating !== undefined) expect(rating).toBeGreaterThanOrEqual(TARGET_THRESHOLD);
        else expect(bought.has(j)).toBe(true);
        expect(e.weights[t]!).toBeGreaterThan(0);
        if (t > 0) expect(e.weights[t]!).toBeLessThanOrEqual(e.weights[t - 1]!);
      });
    }
  });

  it("explains the item it would recommend first by liked items (not empty)", async () => {
    const model = await fittedModel;
    for (const query of Object.values(queries)) {
      const scores = model.rank ? model.rank(query, unrated) : model.score(query, unrated);
      let best = 0;
      for (let t = 1; t < unrated.length; t++) if (scores[t]! > scores[best]!) best = t;
      expect(styleOf(Number(data.items.external(unrated[best]!).slice(1)))).toBe(1);
      expect(cited(model.explain!(query, unrated[best]!)).items.length).toBeGreaterThan(0);
    }
  });

  it("cites an item the customer both rated and bought once (rating models: quoting the rating)", async () => {
    const model = await fittedModel;
    // Item 0 is rated 5 and bought too: one piece of evidence, not two lines.
    const both = { items: Int32Array.of(id(0), ...feedback.items), values: Float32Array.of(1, ...feedback.values) };
    for (const query of [
      { user: target, history, feedback: both },
      { history, feedback: both },
    ]) {
      for (const item of unrated) {
        const e = cited(model.explain!(query, item));
        expect(new Set(e.items).size).toBe(e.items.length);
        // Ranking models (ials, bpr, ease) show their merged evidence value; the engine quotes the rating.
        const ratingModel = ["als", "svd", "svdpp"].includes(kind);
        e.items.forEach((j, t) => {
          if (j === id(0) && ratingModel) expect(e.values[t]).toBe(5);
        });
      }
    }
  });

  it("gives a customer who rated everything 1 an empty explanation, without failing", async () => {
    const model = await fittedModel;
    const lowHistory = dense(LOW_RATINGS.map(([i, r]) => [id(i), r] as const));
    for (const query of [{ user: low }, { user: low, history: lowHistory }, { history: lowHistory }]) {
      for (let item = 0; item < data.itemCount; item++) {
        expect(cited(model.explain!(query, item)).items.length).toBe(0);
      }
    }
  });

  it("explains the same after a snapshot round trip, and restores a snapshot saved without the liked flags", async () => {
    const model = await fittedModel;
    const snapshot = model.snapshot();
    const restored = registry.restore(snapshot);
    for (const item of unrated)
      expect(restored.explain!({ user: target }, item)).toEqual(model.explain!({ user: target }, item));
    const { liked: _a, positivesLiked: _b, ...arrays } = snapshot.arrays;
    // svd and svdpp kept their scale from the start; the others gained it with the flags.
    const { scaleMin: _c, scaleMax: _d, ...withoutScale } = snapshot.meta;
    const meta = kind === "svd" || kind === "svdpp" ? snapshot.meta : withoutScale;
    const older = registry.restore({ ...snapshot, arrays, meta });
    for (const item of unrated) {
      expect(() => older.explain!({ user: target }, item)).not.toThrow();
      // The engine always sends the current ratings, which need no flags: the same answer as before.
      expect(older.explain!(queries["current ratings and purchases (as the engine asks)"]!, item)).toEqual(
        model.explain!(queries["current ratings and purchases (as the engine asks)"]!, item),
      );
    }
  });
});

describe("the filter matters: the models' own arithmetic does credit low ratings", () => {
  it("als, ials and ease decompose some score with a positive term from an item rated below the threshold", async () => {
    const data = community();
    const target = data.users.get("target");
    const low = new Set(TARGET_RATINGS.filter(([, r]) => r < TARGET_THRESHOLD).map(([i]) => data.items.get(`i${i}`)));
    for (const kind of ["als", "ials", "ease"]) {
      const model = registry.create(kind, CONFIGS[kind]) as Recommender & {
        decompose(q: Query, item: number): Explanation;
      };
      await model.fit(data, { rng: new Rng(3) });
      let credited = 0;
      for (let item = 0; item < data.itemCount; item++) {
        const e = cited(model.decompose({ user: target }, item));
        e.items.forEach((j, t) => {
          if (low.has(j) && e.weights[t]! > 0) credited++;
        });
      }
      expect(credited, kind).toBeGreaterThan(0);
    }
  });
});
