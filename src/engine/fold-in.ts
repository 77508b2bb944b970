/**
 * Fold-in (instant learning): the customer's own events, read from the store
 * at query time, become the model's Query in its dense ids. A rating given a
 * second ago counts in the next answer, in every process, without a refit.
 *
 * - history: current ratings (the latest per item wins), sorted by dense id;
 * - feedback: purchases (× quantity), views, likes and dislikes, each times
 *   its configured weight, summed per item;
 * - seen: items rated or bought (excluded from recommendations), including
 *   items the model does not know (they are ignored for scoring only).
 */
import type { Query } from "../algorithms/recommender.js";
import type { IdMap } from "../core/id-map.js";
import type { StoredEvent } from "../core/types.js";
import type { ResolvedOptions } from "./config.js";

export type Evidence = "rated" | "bought" | "liked" | "viewed" | "disliked";

export interface CustomerState {
  readonly customer: string;
  /** Every event, oldest first (empty for a new or forgotten customer). */
  readonly events: readonly StoredEvent[];
  /** Current rating per item. */
  readonly ratings: ReadonlyMap<string, number>;
  /** Weighted implicit evidence per item. */
  readonly feedback: ReadonlyMap<string, number>;
  /** What the customer did with an item, strongest first: rated > bought > liked > viewed > disliked. */
  readonly evidence: ReadonlyMap<string, Evidence>;
  /** Items rated or bought. */
  readonly seen: ReadonlySet<string>;
}

const STRENGTH: Record<Evidence, number> = { rated: 5, bought: 4, liked: 3, viewed: 2, disliked: 1 };

export function customerState(
  customer: string,
  events: readonly StoredEvent[],
  weights: ResolvedOptions["feedbackWeights"],
): CustomerState {
  const ratings = new Map<string, number>();
  const feedback = new Map<string, number>();
  const evidence = new Map<string, Evidence>();
  const seen = new Set<string>();
  const note = (item: string, e: Evidence): void => {
    const had = evidence.get(item);
    if (had === undefined || STRENGTH[e] > STRENGTH[had]) evidence.set(item, e);
  };
  for (const e of events) {
    if (e.type === "rating") {
      ratings.set(e.item, e.value ?? Number.NaN);
      seen.add(e.item);
      note(e.item, "rated");
      continue;
    }
    const units = e.type === "purchase" ? (e.quantity ?? 1) : 1;
    feedback.set(e.item, (feedback.get(e.item) ?? 0) + units * weights[e.type]);
    if (e.type === "purchase") seen.add(e.item);
    note(
      e.item,
      e.type === "purchase" ? "bought" : e.type === "like" ? "liked" : e.type === "view" ? "viewed" : "disliked",
    );
  }
  return { customer, events, ratings, feedback, evidence, seen };
}

function toDense(values: ReadonlyMap<string, number>, items: IdMap): { items: Int32Array; values: Float32Array } {
  const pairs: Array<[number, number]> = [];
  for (const [item, value] of values) {
    const dense = items.get(item);
    if (dense >= 0 && Number.isFinite(value)) pairs.push([dense, value]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return {
    items: Int32Array.from(pairs, (p) => p[0]),
    values: Float32Array.from(pairs, (p) => p[1]),
  };
}

/** The Query for one model: its dense user id (-1 when new to it) and the current evidence in its dense item ids. */
export function queryFor(state: CustomerState, users: IdMap, items: IdMap): Query {
  // A customer with no events is new or forgotten: never use a row the model may still hold for them.
  const user = state.events.length > 0 ? users.get(state.customer) : -1;
  const query: { user: number; history?: Query["history"]; feedback?: Query["feedback"] } = { user };
  // The store's current ratings replace whatever row the model was fitted on; a customer new to the model
  // with no ratings gets no history at all, so rating models answer NaN and the chain's fallback speaks.
  if (user >= 0 || state.ratings.size > 0) query.history = toDense(state.ratings, items);
  if (state.feedback.size > 0) query.feedback = toDense(state.feedback, items);
  return query;
}
