import { describe, expect, it } from "vitest";
import type { Query, Recommender } from "../../src/algorithms/recommender.js";
import { IdMap } from "../../src/core/id-map.js";
import type { Item } from "../../src/core/types.js";
import { Catalogue } from "../../src/engine/catalogue.js";
import { type ChainModel, rankChain, scoreChain } from "../../src/engine/chain-scores.js";

/** A model with fixed scores per dense item (NaN = cannot score). */
function fixed(kind: string, scores: number[], task: "rating" | "ranking" = "rating"): ChainModel["bundle"] {
  const model = {
    kind,
    config: {},
    fit: async () => ({ seconds: 0 }),
    score: (_q: Query, items: Int32Array) => Float32Array.from(items, (i) => scores[i] ?? Number.NaN),
    snapshot: () => ({ kind, version: 1, config: {}, meta: {}, arrays: {} }),
  } satisfies Recommender;
  return { kind, model, users: new IdMap(), items: new IdMap(["m1", "m2", "f1", "f2"]), task };
}

const item = (id: string, domain: string, available = true): Item => ({
  id,
  title: id.toUpperCase(),
  domain,
  categories: [domain === "music" ? "rock" : "drama"],
  attributes: {},
  available,
});

const catalogue = new Catalogue(
  [item("m1", "music"), item("m2", "music"), item("f1", "films"), item("f2", "films"), item("gone", "music", false)],
  [
    { name: "music", scale: { min: 1, max: 5, step: 1 } },
    { name: "films", scale: { min: 1, max: 7, step: 1 } },
  ],
);
const link = (bundle: ChainModel["bundle"]): ChainModel => ({
  bundle,
  query: {},
  align: catalogue.alignTo(bundle.items),
});
const all = Int32Array.from([0, 1, 2, 3, 4]);

describe("scores over the fallback chain", () => {
  it("fills the head's holes from the next model, remembering which scored what", () => {
    const head = link(fixed("head", [4, Number.NaN, Number.NaN, 6]));
    const tail = link(fixed("tail", [1, 3, 2, 1]));
    const { scores, source } = scoreChain([head, tail], catalogue, all);
    expect(Array.from(scores)).toEqual([4, 3, 2, 6, Number.NaN]);
    expect(Array.from(source)).toEqual([0, 1, 1, 0, -1]);
  });

  it("clamps rating predictions to each item's own domain scale, but not ranking scores", () => {
    const rating = scoreChain([link(fixed("r", [9, 0, 9, 0]))], catalogue, all);
    expect(Array.from(rating.scores.subarray(0, 4))).toEqual([5, 1, 7, 1]);
    const ranking = scoreChain([link(fixed("p", [9, 0, 9, 0], "ranking"))], catalogue, all);
    expect(Array.from(ranking.scores.subarray(0, 4))).toEqual([9, 0, 9, 0]);
  });

  it("ranks every item the head scored above the fallback's, by score within each", () => {
    const head = link(fixed("head", [0.001, Number.NaN, 0.002, Number.NaN], "ranking"));
    const tail = link(fixed("tail", [5, 5, 5, 4.5]));
    const result = scoreChain([head, tail], catalogue, all);
    expect(Array.from(rankChain(result, 2, 10))).toEqual([2, 0, 1, 3]);
    expect(Array.from(rankChain(result, 2, 1))).toEqual([2]);
  });

  it("the catalogue excludes unavailable items and those outside the filters", () => {
    expect(Array.from(catalogue.excluded())).toEqual([0, 0, 0, 0, 1]);
    expect(Array.from(catalogue.excluded("films"))).toEqual([1, 1, 0, 0, 1]);
    expect(Array.from(catalogue.excluded(undefined, "rock"))).toEqual([0, 0, 1, 1, 1]);
    expect(catalogue.scaleHull()).toEqual({ min: 1, max: 7, step: 1 });
  });
});

describe("ranking across domains", () => {
  it("compares rating predictions by their place on each item's own scale", () => {
    // 4.5 of 1–5 (0.875) beats 6 of 1–7 (0.83); 7 of 1–7 (1.0) beats both.
    const result = scoreChain([link(fixed("r", [4.5, 2, 6, 7]))], catalogue, all);
    expect(Array.from(rankChain(result, 1, 4))).toEqual([3, 0, 2, 1]);
    expect(Array.from(result.scores.subarray(0, 4))).toEqual([4.5, 2, 6, 7]);
  });
});
