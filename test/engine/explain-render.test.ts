import { describe, expect, it } from "vitest";
import type { Explanation, Recommender } from "../../src/algorithms/recommender.js";
import { IdMap } from "../../src/core/id-map.js";
import { Catalogue } from "../../src/engine/catalogue.js";
import { ITEMS_LISTED, type RenderContext, renderExplanation } from "../../src/engine/explain-render.js";
import type { ModelBundle } from "../../src/engine/model-bundle.js";

const bundle = (kind: string, task: ModelBundle["task"] = "rating"): ModelBundle => ({
  kind,
  model: {} as Recommender,
  users: new IdMap(["ann", "bob", "cy", "gone", "dee"]),
  items: new IdMap(["sticky", "exile", "bought", "other"]),
  task,
});
const catalogue = new Catalogue(
  [
    { id: "sticky", title: "Sticky Fingers", domain: "default", categories: [], attributes: {}, available: true },
    { id: "exile", title: "Exile", domain: "default", categories: [], attributes: {}, available: true },
    { id: "bought", title: "Let It Bleed", domain: "default", categories: [], attributes: {}, available: true },
    { id: "other", title: null, domain: "default", categories: [], attributes: {}, available: true },
  ],
  [],
);
const ctx: RenderContext = {
  catalogue,
  names: new Map([
    ["ann", "Ann"],
    ["bob", "Bob"],
    ["cy", "cy"],
    ["dee", "Dee"],
  ]),
  evidence: new Map([
    ["sticky", "rated"],
    ["exile", "rated"],
    ["bought", "bought"],
  ]),
};

describe("explanations in the customer's words", () => {
  it("names the closest neighbours, skipping forgotten customers", () => {
    const e: Explanation = {
      kind: "neighbors",
      count: 37,
      average: 4.6,
      closest: Int32Array.from([0, 3, 1, 2, 4]),
      similarities: Float32Array.from([0.9, 0.8, 0.7, 0.6, 0.5]),
    };
    const r = renderExplanation(e, bundle("user-knn"), ctx);
    expect(r.text).toBe("37 customers whose ratings agree with yours rated it 4.6 on average; closest: Ann, Bob, cy");
    expect(r.neighbors?.map((n) => n.customer)).toEqual(["ann", "bob", "cy", "dee"]);
    expect(r.algorithm).toBe("user-knn");
  });

  it("says so when no neighbour or item of theirs counted", () => {
    const none = { closest: new Int32Array(0), similarities: new Float32Array(0) };
    const e: Explanation = { kind: "neighbors", count: 0, average: Number.NaN, ...none };
    expect(renderExplanation(e, bundle("user-knn"), ctx).text).toBe(
      "rated well by the community, adjusted to how you rate",
    );
    const empty = { items: new Int32Array(0), values: new Float32Array(0), weights: new Float32Array(0) };
    expect(renderExplanation({ kind: "items", ...empty }, bundle("item-knn"), ctx).text).toBe(
      "rated well by the community, adjusted to how you rate",
    );
    // A ranking model predicts no rating: nothing of theirs liked enough to cite, the community's choices count.
    expect(renderExplanation({ kind: "items", ...empty }, bundle("ials", "ranking"), ctx).text).toBe(
      "chosen by customers whose choices resemble yours",
    );
  });

  it("item-knn: because you rated ... and bought ...", () => {
    const e: Explanation = {
      kind: "items",
      items: Int32Array.from([0, 1, 2]),
      values: Float32Array.from([5, 4, 1]),
      weights: Float32Array.from([0.9, 0.5, 0.2]),
    };
    expect(renderExplanation(e, bundle("item-knn"), ctx).text).toBe(
      "because you rated Sticky Fingers 5 and Exile 4, and bought Let It Bleed",
    );
    expect(renderExplanation(e, bundle("svd"), ctx).text).toBe(
      "from the pattern of what you rated and bought, chiefly Sticky Fingers (rated 5), Exile (rated 4) and Let It Bleed (bought)",
    );
    const ratedOnly = {
      ...e,
      items: e.items.subarray(0, 2),
      values: e.values.subarray(0, 2),
      weights: e.weights.subarray(0, 2),
    };
    expect(renderExplanation(ratedOnly, bundle("ials"), ctx).text).toBe(
      "from the pattern of your ratings, chiefly Sticky Fingers (rated 5) and Exile (rated 4)",
    );
  });

  it("quotes the customer's own ratings, not the model's internal values (ials: confidence-scaled 0..1)", () => {
    const e: Explanation = {
      kind: "items",
      items: Int32Array.from([0, 1]),
      values: Float32Array.from([1, 0.6]),
      weights: Float32Array.from([0.9, 0.5]),
    };
    const own: RenderContext = {
      ...ctx,
      ratings: new Map([
        ["sticky", 5],
        ["exile", 3],
      ]),
    };
    expect(renderExplanation(e, bundle("ials"), own).text).toBe(
      "from the pattern of your ratings, chiefly Sticky Fingers (rated 5) and Exile (rated 3)",
    );
    expect(renderExplanation(e, bundle("item-knn"), own).text).toBe("because you rated Sticky Fingers 5 and Exile 3");
    // Without the customer's ratings at hand the model's value is all there is.
    expect(renderExplanation(e, bundle("ials"), ctx).text).toContain("(rated 0.6)");
  });

  it("item-cf: because you ...: customers who liked them also liked this", () => {
    const e: Explanation = {
      kind: "items",
      items: Int32Array.from([0, 2]),
      values: Float32Array.from([5, 1]),
      weights: Float32Array.from([0.4, 0.1]),
    };
    expect(renderExplanation(e, bundle("item-cf"), ctx).text).toBe(
      "because you rated Sticky Fingers 5, and bought Let It Bleed: customers who liked them also liked this",
    );
    const one = {
      ...e,
      items: e.items.subarray(0, 1),
      values: e.values.subarray(0, 1),
      weights: e.weights.subarray(0, 1),
    };
    expect(renderExplanation(one, bundle("item-cf"), ctx).text).toBe(
      "because you rated Sticky Fingers 5: customers who liked it also liked this",
    );
  });

  it("popular and baseline", () => {
    const popular = renderExplanation({ kind: "popular", count: 312, average: 4.42 }, bundle("popular"), ctx);
    expect(popular.text).toBe("popular with the whole community: 312 ratings, 4.4 on average");
    const implicit = renderExplanation({ kind: "popular", count: 12, average: Number.NaN }, bundle("popular"), ctx);
    expect(implicit.text).toBe("popular with the whole community: chosen 12 times");
    const baseline = renderExplanation(
      { kind: "baseline", globalMean: 3.5, userBias: 0.3, itemBias: 0.6 },
      bundle("baseline"),
      ctx,
    );
    expect(baseline.text).toBe("the community rates it 4.1 on average, and you tend to rate 0.3 higher than most");
  });
});

describe("the items an explanation lists", () => {
  it("keeps the strongest ITEMS_LISTED contributors, in the model's order", () => {
    const n = ITEMS_LISTED + 5;
    const e: Explanation = {
      kind: "items",
      items: Int32Array.from({ length: n }, (_, k) => k % 3),
      values: Float32Array.from({ length: n }, () => 4),
      weights: Float32Array.from({ length: n }, (_, k) => n - k),
    };
    const rendered = renderExplanation(e, bundle("ials"), ctx);
    if (rendered.kind !== "items") throw new Error("expected an items explanation");
    expect(rendered.items).toHaveLength(ITEMS_LISTED);
    expect((rendered.items ?? []).map((i) => i.weight)).toEqual(Array.from({ length: ITEMS_LISTED }, (_, k) => n - k));
  });
});
