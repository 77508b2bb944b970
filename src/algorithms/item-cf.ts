/**
 * `item-cf`: item-based top-N recommendation from implicit evidence
 * (Deshpande & Karypis 2004, "Item-based top-N recommendation algorithms",
 * ACM TOIS 22(1); LensKit's ItemKNN with feedback="implicit"):
 *
 *   score(u, c) = Σ_{j ∈ E(u), c ∈ N_M(j)} x_uj · s̃(j → c)
 *   s(j → c)   = (Σ_v x̂_vj·x̂_vc / (‖x̂_j‖^2α · ‖x̂_c‖^2(1−α)))^q,   x̂_v = x_v / ‖x_v‖^2β
 *
 * where E(u) is the customer's positive evidence x_uj (ratings at or above
 * `minRating`, as their value or 1; purchases, views and likes with their
 * weights), N_M(j) the M items with the largest s(j → ·), and s̃ those M
 * values rescaled to sum 1 (`normalise`). α = ½ is the cosine (α → 1 favours
 * popular items, Aiolli 2013), q > 1 lets the closest pairs dominate, and β
 * weighs down customers who chose many items (β = ½: unit rows, as Deshpande
 * & Karypis did); see knn/cooccurrence.ts. In words: "customers who liked what
 * you liked also liked c". A preference score, not a rating; items none of the
 * customer's items reaches score NaN, so the fallback chain (popular) ranks
 * them after.
 *
 * A `history`/`feedback` folds in directly: scoring only reads the customer's
 * evidence. Cost: fit O(Σ_u |I(u)|²), memory O(nnz + items · M); a query
 * O(|E(u)| · M) for the push plus O(1) per scored item; explain O(|E(u)| · M).
 */
import { z } from "zod";
import { transpose } from "../core/csr.js";
import type { Dataset } from "../core/dataset.js";
import type { ModelSnapshot } from "../core/snapshot.js";
import { parseWith } from "../core/validate.js";
import { fitted, secondsSince, throwIfAborted } from "./classic/fit-guard.js";
import { isKnownItem, isKnownUser, scoresBuffer } from "./classic/query-ratings.js";
import { checkSnapshot } from "./classic/snapshot-io.js";
import { cooccurrenceLists, scaleRows } from "./knn/cooccurrence.js";
import {
  type EvidenceSettings,
  evidenceMatrix,
  type ItemCfState,
  itemCfArrays,
  ratingEvidence,
  readItemCfState,
} from "./knn/item-cf-state.js";
import type { Explanation, FitOptions, FitReport, Query, Recommender } from "./recommender.js";
import type { AlgorithmDefinition } from "./registry.js";

const KIND = "item-cf";
const VERSION = 1;

const weight = (value: number, what: string) =>
  z
    .number()
    .min(0, "must be at least 0")
    .max(1000, "must be at most 1000")
    .default(value)
    .describe(`Evidence per ${what}`);

// Defaults chosen by measurement, never on the u*.test folds: NDCG@10 in a 5-fold cross-validation inside
// u1.base (bench/knn.ts --tune → bench/results/knn.tuning.md).
export const itemCfConfigSchema = z.strictObject({
  neighbours: z
    .number()
    .int("must be an integer")
    .min(1, "must be at least 1")
    .max(5000, "must be at most 5000")
    .default(400)
    .describe("M: most similar items kept per item; each of the customer's items votes for its M nearest"),
  alpha: z
    .number()
    .min(0, "must be at least 0")
    .max(1, "must be at most 1")
    .default(0.6)
    .describe(
      "α of s(j → c) = Σ x_j·x_c / (‖x_j‖^2α ‖x_c‖^2(1−α)): 0.5 = cosine, towards 1 favours popular items (P(c | j)), towards 0 rare ones",
    ),
  exponent: z
    .number()
    .min(0.1, "must be at least 0.1")
    .max(10, "must be at most 10")
    .default(2)
    .describe(
      "q: similarities are raised to this power, so the closest pairs dominate the vote (Aiolli 2013; 1 = off)",
    ),
  activityExponent: z
    .number()
    .min(0, "must be at least 0")
    .max(2, "must be at most 2")
    .default(0.5)
    .describe(
      "β: for the similarities each customer's evidence is divided by ‖x_u‖^2β, so customers who chose many items count less (0 = off, 0.5 = unit length as in Deshpande & Karypis)",
    ),
  normalise: z
    .boolean()
    .default(true)
    .describe("Rescale each item's kept similarities to sum 1, so every item the customer chose votes on one scale"),
  minRating: z
    .number()
    .nullable()
    .default(null)
    .describe(
      "Ratings below this are no evidence of liking (null: all but the bottom of the scale, so a 1-star rating does not recommend look-alikes; 0: every rating counts)",
    ),
  ratings: z
    .enum(["binary", "value"])
    .default("value")
    .describe(
      'What a rating counts as: "binary" (weights.rating, whatever the stars) or "value" (weights.rating × stars)',
    ),
  weights: z
    .strictObject({
      rating: weight(1, "rating"),
      purchase: weight(1, "unit bought"),
      view: weight(0.2, "view"),
      like: weight(1, "like"),
    })
    .prefault({})
    .describe(
      "Weight of each event type as positive evidence (dislikes never are); the engine's fold-in weights alike",
    ),
});
export type ItemCfConfig = z.output<typeof itemCfConfigSchema>;

/** One customer's positive evidence: items, weights, and what to show (their rating, or the weight). */
interface CustomerEvidence {
  readonly items: Int32Array;
  readonly weights: Float64Array;
  readonly shown: Float32Array;
  readonly count: number;
}

export class ItemCf implements Recommender<ItemCfConfig> {
  readonly kind = KIND;
  readonly config: Readonly<ItemCfConfig>;
  private state: ItemCfState | null = null;
  /** Per item: the pushed score Σ x·s (0 = not reached); reset after each query. */
  private acc = new Float64Array(0);
  private reached = new Int32Array(0);
  /** Per item: position in the current evidence + 1 (0 = absent), to merge repeated items. */
  private slot = new Int32Array(0);

  constructor(config: ItemCfConfig, state: ItemCfState | null = null) {
    this.config = config;
    if (state) this.install(state);
  }

  private settings(): EvidenceSettings {
    return { weights: this.config.weights, ratings: this.config.ratings };
  }

  private install(state: ItemCfState): void {
    this.state = state;
    const items = state.evidence.cols;
    this.acc = new Float64Array(items);
    this.reached = new Int32Array(items);
    this.slot = new Int32Array(items);
  }

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    const start = performance.now();
    throwIfAborted(options.signal, KIND);
    const threshold = this.config.minRating ?? data.scale.min + data.scale.step / 2;
    const evidence = evidenceMatrix(data, threshold, this.settings());
    throwIfAborted(options.signal, KIND);
    const x = scaleRows(evidence, this.config.activityExponent);
    const neighbours = cooccurrenceLists(x, transpose(x), {
      alpha: this.config.alpha,
      exponent: this.config.exponent,
      neighbours: this.config.neighbours,
      normalise: this.config.normalise,
    });
    this.install({ evidence, neighbours, threshold });
    return {
      seconds: secondsSince(start),
      details: {
        items: data.itemCount,
        evidence: evidence.indptr[evidence.rows]!,
        "similarities kept": neighbours.indices.length,
      },
    };
  }

  /**
   * The query's positive evidence: its history (ratings, under the rating rule) and feedback (already
   * weighted by the engine) summed per item, else the fitted row of a known customer; null when the
   * customer is unknown without evidence.
   */
  private evidenceOf(query: Query): CustomerEvidence | null {
    const s = fitted(this.state, KIND);
    const n = s.evidence.cols;
    if (query.history === undefined && query.feedback === undefined) {
      if (!isKnownUser(query.user, s.evidence.rows)) return null;
      const start = s.evidence.indptr[query.user]!;
      const end = s.evidence.indptr[query.user + 1]!;
      const values = s.evidence.values.subarray(start, end);
      return {
        items: s.evidence.indices.subarray(start, end),
        weights: Float64Array.from(values),
        shown: values,
        count: end - start,
      };
    }
    const total = (query.history?.items.length ?? 0) + (query.feedback?.items.length ?? 0);
    const items = new Int32Array(total);
    const weights = new Float64Array(total);
    const shown = new Float32Array(total);
    let count = 0;
    const add = (item: number, w: number, show: number, replace: boolean): void => {
      if (!isKnownItem(item, n) || !Number.isFinite(w)) return;
      const at = this.slot[item]! - 1;
      if (at >= 0) {
        weights[at] = replace ? w : weights[at]! + w;
        if (replace) shown[at] = show;
        return;
      }
      this.slot[item] = count + 1;
      items[count] = item;
      weights[count] = w;
      shown[count++] = show;
    };
    const h = query.history;
    if (h) {
      const settings = this.settings();
      for (let k = 0; k < Math.min(h.items.length, h.values.length); k++) {
        const v = h.values[k]!;
        if (Number.isFinite(v)) add(h.items[k]!, ratingEvidence(v, s.threshold, settings), v, true);
      }
    }
    const f = query.feedback;
    if (f)
      for (let k = 0; k < Math.min(f.items.length, f.values.length); k++)
        add(f.items[k]!, f.values[k]!, f.values[k]!, false);
    // Keep the positive entries only (a 1-star rating or a dislike is no evidence of liking).
    let kept = 0;
    for (let t = 0; t < count; t++) {
      this.slot[items[t]!] = 0;
      if (!(weights[t]! > 0)) continue;
      items[kept] = items[t]!;
      weights[kept] = weights[t]!;
      shown[kept++] = shown[t]!;
    }
    return kept === 0 ? null : { items, weights, shown, count: kept };
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const s = fitted(this.state, KIND);
    const scores = scoresBuffer(items.length, out);
    const e = this.evidenceOf(query);
    if (e === null) return scores.fill(Number.NaN);
    const { indptr, indices, similarities } = s.neighbours;
    const { acc, reached } = this;
    let touched = 0;
    for (let t = 0; t < e.count; t++) {
      const j = e.items[t]!;
      const w = e.weights[t]!;
      for (let p = indptr[j]!, end = indptr[j + 1]!; p < end; p++) {
        const c = indices[p]!;
        if (acc[c] === 0) reached[touched++] = c;
        acc[c]! += w * similarities[p]!;
      }
    }
    const n = s.evidence.cols;
    for (let t = 0; t < items.length; t++) {
      const i = items[t]!;
      const v = isKnownItem(i, n) ? acc[i]! : 0;
      scores[t] = v > 0 ? v : Number.NaN;
    }
    for (let t = 0; t < touched; t++) acc[reached[t]!] = 0;
    return scores;
  }

  /** The customer's items that pushed `item` most, with their contribution x·s (at most three). */
  explain(query: Query, item: number): Explanation {
    const s = fitted(this.state, KIND);
    const e = this.evidenceOf(query);
    const shown: Array<{ item: number; value: number; weight: number }> = [];
    if (e !== null && isKnownItem(item, s.evidence.cols)) {
      const { indptr, indices, similarities } = s.neighbours;
      for (let t = 0; t < e.count; t++) {
        const j = e.items[t]!;
        for (let p = indptr[j]!, end = indptr[j + 1]!; p < end; p++) {
          if (indices[p] !== item) continue;
          shown.push({ item: j, value: e.shown[t]!, weight: e.weights[t]! * similarities[p]! });
          break;
        }
      }
      shown.sort((a, b) => b.weight - a.weight || a.item - b.item);
    }
    const top = shown.slice(0, 3);
    return {
      kind: "items",
      items: Int32Array.from(top, (x) => x.item),
      values: Float32Array.from(top, (x) => x.value),
      weights: Float32Array.from(top, (x) => x.weight),
    };
  }

  similarItems(item: number, k: number): { items: Int32Array; similarities: Float32Array } {
    const s = fitted(this.state, KIND);
    if (!isKnownItem(item, s.evidence.cols) || !(k > 0)) {
      return { items: new Int32Array(0), similarities: new Float32Array(0) };
    }
    const start = s.neighbours.indptr[item]!;
    const end = Math.min(s.neighbours.indptr[item + 1]!, start + Math.floor(k));
    return { items: s.neighbours.indices.slice(start, end), similarities: s.neighbours.similarities.slice(start, end) };
  }

  snapshot(): ModelSnapshot {
    const s = fitted(this.state, KIND);
    return { kind: KIND, version: VERSION, config: { ...this.config }, ...itemCfArrays(s) };
  }
}

export const itemCfDefinition: AlgorithmDefinition<ItemCfConfig> = {
  kind: KIND,
  summary:
    "Item-based top-N from implicit evidence (Deshpande & Karypis 2004): customers who chose what you chose also chose…",
  task: "ranking",
  configSchema: itemCfConfigSchema,
  searchSpace: {
    neighbours: { type: "int", low: 10, high: 1000, log: true },
    alpha: { type: "float", low: 0, high: 1 },
    activityExponent: { type: "float", low: 0, high: 1 },
    exponent: { type: "float", low: 0.5, high: 4 },
    normalise: { type: "choice", values: [true, false] },
  },
  create: (config) => new ItemCf(config),
  restore(snapshot) {
    checkSnapshot(snapshot, KIND, VERSION);
    return new ItemCf(parseWith(itemCfConfigSchema, snapshot.config, "snapshot.config"), readItemCfState(snapshot));
  },
};
