/**
 * Explanations in the customer's words: the models' evidence (dense ids)
 * rendered with item titles and customers' names.
 *
 *   user-knn  "37 customers whose ratings agree with yours rated it 4.6 on average; closest: Ann, Bob, Cy"
 *   item-knn  "because you rated Sticky Fingers 5 and Exile 4"
 *   item-cf   "because you rated Sticky Fingers 5 and bought Exile: customers who liked them also liked this"
 *   factors   "from the pattern of your ratings, chiefly Sticky Fingers (rated 5) and Exile (rated 4)"
 *             ("... of what you rated and bought, ..." when the evidence is not only ratings)
 *   popular   "popular with the whole community: 312 ratings, 4.4 on average"
 *   baseline  "the community rates it 4.1 on average, and you tend to rate 0.3 higher than most"
 *
 * Neighbours the store no longer knows (forgotten customers) are never named.
 */
import type { Explanation } from "../algorithms/recommender.js";
import type { Catalogue } from "./catalogue.js";
import type { Evidence } from "./fold-in.js";
import type { ModelBundle } from "./model-bundle.js";
import type { RenderedExplanation } from "./types.js";

/** What rendering needs to know about names and the customer's own evidence. */
export interface RenderContext {
  readonly catalogue: Catalogue;
  /** Display names of customers by id; absent = forgotten (not named). */
  readonly names: ReadonlyMap<string, string>;
  readonly evidence: ReadonlyMap<string, Evidence>;
  /**
   * The customer's own current ratings: an explanation quotes these, not the model's internal value for the
   * item (ials sees a rating as a confidence-scaled preference such as 0.6, which means nothing to them).
   */
  readonly ratings?: ReadonlyMap<string, number>;
}

const CLOSEST_NAMED = 3;
/** No neighbour or item of the customer's counted: the score is the community's, adjusted to how they rate. */
const NO_ITEMS = "rated well by the community, adjusted to how you rate";
/** The same for a ranking model (it predicts no rating): the item fits the choices of customers like them. */
const NO_ITEMS_RANKING = "chosen by customers whose choices resemble yours";
const ITEMS_NAMED = 3;
/** Contributing items listed in an explanation's `items` (the text names the first ITEMS_NAMED). */
export const ITEMS_LISTED = 10;

export const one = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const avg = (x: number): string => x.toFixed(1);

/** "A", "A and B", "A, B and C". */
export function listing(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? "";
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** Customer ids an explanation may name (so their names can be fetched in one go). */
export function neighbourIds(explanation: Explanation, bundle: ModelBundle): string[] {
  if (explanation.kind !== "neighbors") return [];
  return Array.from(explanation.closest, (u) => bundle.users.external(u));
}

export function renderExplanation(
  explanation: Explanation,
  bundle: ModelBundle,
  ctx: RenderContext,
): RenderedExplanation {
  const algorithm = bundle.kind;
  switch (explanation.kind) {
    case "neighbors": {
      const neighbors: Array<{ customer: string; similarity: number }> = [];
      explanation.closest.forEach((u, k) => {
        const customer = bundle.users.external(u);
        if (ctx.names.has(customer)) neighbors.push({ customer, similarity: explanation.similarities[k] ?? 0 });
      });
      const who =
        explanation.count === 1
          ? "1 customer whose ratings agree"
          : `${explanation.count} customers whose ratings agree`;
      const named = neighbors.slice(0, CLOSEST_NAMED).map((n) => ctx.names.get(n.customer)!);
      const closest = named.length > 0 ? `; closest: ${named.join(", ")}` : "";
      return {
        text:
          explanation.count > 0 && Number.isFinite(explanation.average)
            ? `${who} with yours rated it ${avg(explanation.average)} on average${closest}`
            : NO_ITEMS,
        kind: "neighbors",
        algorithm,
        count: explanation.count,
        average: explanation.average,
        neighbors,
      };
    }
    case "items": {
      // The strongest contributors only (the model lists them strongest first): a factor model's list holds
      // every item of the customer's, ~190 KB of JSON for one explained top 10 on ml-100k.
      const listed = explanation.items.subarray(0, ITEMS_LISTED);
      const items = Array.from(listed, (d, k) => {
        const item = bundle.items.external(d);
        const p = ctx.catalogue.ids.get(item);
        const value = explanation.values[k] ?? Number.NaN;
        return {
          item,
          title: p >= 0 ? ctx.catalogue.items[p]!.title : null,
          // What the customer gave it where they rated it (not a model's internal scaling of that rating).
          value: ctx.evidence.get(item) === "rated" ? (ctx.ratings?.get(item) ?? value) : value,
          weight: explanation.weights[k] ?? Number.NaN,
        };
      });
      const shown = items.slice(0, ITEMS_NAMED);
      const text =
        shown.length === 0
          ? bundle.task === "ranking"
            ? NO_ITEMS_RANKING
            : NO_ITEMS
          : algorithm === "item-knn"
            ? itemKnnText(shown, ctx)
            : algorithm === "item-cf"
              ? `${itemKnnText(shown, ctx)}: customers who liked ${shown.length === 1 ? "it" : "them"} also liked this`
              : patternText(shown, ctx);
      return { text, kind: "items", algorithm, items };
    }
    case "popular": {
      const { count, average } = explanation;
      const text = Number.isFinite(average)
        ? `popular with the whole community: ${count} ${count === 1 ? "rating" : "ratings"}, ${avg(average)} on average`
        : `popular with the whole community: chosen ${count} ${count === 1 ? "time" : "times"}`;
      return { text, kind: "popular", algorithm, count, ...(Number.isFinite(average) ? { average } : {}) };
    }
    case "baseline": {
      const item = explanation.globalMean + explanation.itemBias;
      const lean = explanation.userBias;
      const you =
        Math.abs(lean) < 0.05
          ? ""
          : `, and you tend to rate ${avg(Math.abs(lean))} ${lean > 0 ? "higher" : "lower"} than most`;
      return {
        text: `the community rates it ${avg(item)} on average${you}`,
        kind: "baseline",
        algorithm,
        average: item,
      };
    }
  }
}

type ShownItem = { item: string; title: string | null; value: number };

const yourRating = (i: ShownItem, ctx: RenderContext): number => ctx.ratings?.get(i.item) ?? i.value;

function did(i: ShownItem, ctx: RenderContext): string {
  const e = ctx.evidence.get(i.item);
  return e === "rated" ? `rated ${one(yourRating(i, ctx))}` : (e ?? "rated");
}

/** "from the pattern of your ratings, chiefly A (rated 5) and B (rated 4)"; "of what you rated and bought" for mixed evidence. */
function patternText(items: readonly ShownItem[], ctx: RenderContext): string {
  const verbs = [...new Set(items.map((i) => ctx.evidence.get(i.item) ?? "rated"))];
  const what = verbs.length === 1 && verbs[0] === "rated" ? "your ratings" : `what you ${listing(verbs)}`;
  return `from the pattern of ${what}, chiefly ${listing(items.map((i) => `${i.title ?? i.item} (${did(i, ctx)})`))}`;
}

/** "because you rated A 5 and B 4, and bought C". */
function itemKnnText(items: readonly ShownItem[], ctx: RenderContext): string {
  const rated = items.filter((i) => (ctx.evidence.get(i.item) ?? "rated") === "rated");
  const groups: string[] = [];
  if (rated.length > 0)
    groups.push(`rated ${listing(rated.map((i) => `${i.title ?? i.item} ${one(yourRating(i, ctx))}`))}`);
  for (const verb of ["bought", "liked", "viewed", "disliked"] as const) {
    const these = items.filter((i) => ctx.evidence.get(i.item) === verb);
    if (these.length > 0) groups.push(`${verb} ${listing(these.map((i) => i.title ?? i.item))}`);
  }
  return groups.length > 0
    ? `because you ${groups.join(", and ")}`
    : "rated well by the community, adjusted to how you rate";
}
