/**
 * Item-to-item k nearest neighbours (Sarwar, Karypis, Konstan & Riedl 2001,
 * "Item-based collaborative filtering recommendation algorithms"; the
 * baseline-centred form of Koren 2010, "Factor in the neighbors", eq. 5):
 *
 *   r̂(u,i) = c_u(i) + Σ_{j∈N_k(i;u)} s(i,j)·(r_uj − c_u(j)) / (λ + Σ_{j∈N_k(i;u)} s(i,j))
 *
 * where N_k(i;u) are the k items most similar to i among those u rated, taken
 * from i's M most similar items kept at fit; s is adjusted cosine, cosine,
 * pearson, pearson-baseline or msd with shrinkage (similarity/); the centre c
 * is the baseline μ + b_u + b_i, the item mean, or 0. λ (`supportDamping`)
 * keeps a deviation voted by one or two weakly similar items near the centre,
 * so an obscure item does not rank first on the word of one rated neighbour;
 * with fewer than `minSupport` voting neighbours the model scores NaN (the
 * chain falls back). With no neighbour rated the prediction is the centre.
 *
 * A `history` folds in directly: scoring only reads the customer's ratings.
 * Scoring many items (ranking) pushes each rated item's vote along the
 * reverse neighbour lists (every i that keeps j); only items with more than k
 * rated neighbours walk their own list to keep the k most similar. Scoring a
 * few (rating prediction) pulls each item's vote: for catalogues up to 2,048
 * items the rated items i keeps are found by ANDing two bitsets and placed in
 * list order through a dense list-position map (knn/item-knn-state.ts),
 * otherwise by walking i's list. Every path sums the same neighbours in the
 * same order (the push and pulls: knn/item-votes.ts).
 *
 * Cost: fit O(Σ_u |I(u)|²) for all item pairs (knn/item-similarities.ts),
 * memory O(items · M) (+ 2 bytes and 1 bit per item pair for the map); a
 * query O(|I(u)| · M) for the push plus O(M) per scored item that has more
 * than k rated neighbours, or per pulled item O(items/32 + rated neighbours)
 * with the map, O(M) without.
 */
import { z } from "zod";
import type { Dataset } from "../core/dataset.js";
import type { ModelSnapshot } from "../core/snapshot.js";
import { parseWith } from "../core/validate.js";
import { clampToScale, fitBiases, foldInUserBias } from "./classic/biases.js";
import { fitted, secondsSince, throwIfAborted } from "./classic/fit-guard.js";
import { isKnownItem, isKnownUser, queryRatings, scoresBuffer } from "./classic/query-ratings.js";
import { checkSnapshot } from "./classic/snapshot-io.js";
import {
  baselineOptionsSchema,
  centre,
  minOverlap,
  minSupport,
  neighbourCount,
  shrinkage,
  significance,
  supportDamping,
} from "./knn/config.js";
import { buildItemKnnState, type ItemKnnState, itemKnnArrays, readItemKnnState } from "./knn/item-knn-state.js";
import { itemNeighbourLists } from "./knn/item-similarities.js";
import { ItemVotes } from "./knn/item-votes.js";
import type { Explanation, FitOptions, FitReport, Query, Recommender } from "./recommender.js";
import type { AlgorithmDefinition } from "./registry.js";
import {
  type Centring,
  type CentringContext,
  centred,
  centredValues,
  ITEM_SIMILARITIES,
  type ItemSimilarityName,
  rowMeans,
} from "./similarity/transforms.js";

const KIND = "item-knn";
const VERSION = 1;

const SIMILARITY_NAMES = Object.keys(ITEM_SIMILARITIES) as [ItemSimilarityName, ...ItemSimilarityName[]];

// Defaults chosen by measurement, never on the u*.test folds: a staged grid search, 5-fold cross-validated
// inside u1.base (bench/knn.ts --tune → bench/results/knn.tuning.md). Shrinkage matters most: kept lists
// without it fill up with items that share one or two raters. Model size is capped at 400 for scoring speed.
export const itemKnnConfigSchema = z.strictObject({
  similarity: z
    .enum(SIMILARITY_NAMES)
    .default("adjusted-cosine")
    .describe("How alike two items are: adjusted-cosine, cosine, pearson, pearson-baseline, msd"),
  k: neighbourCount(80),
  modelSize: z
    .number()
    .int("must be an integer")
    .min(1, "must be at least 1")
    .max(100_000, "must be at most 100000")
    .default(400)
    .describe("M: most similar items kept per item at fit (the model's size; larger is slower to score)"),
  minOverlap: minOverlap(1),
  shrinkage: shrinkage(400),
  significance: significance(0),
  center: centre("baseline"),
  minSupport: minSupport(0),
  supportDamping: supportDamping(0.05),
  baseline: baselineOptionsSchema,
});
export type ItemKnnConfig = z.output<typeof itemKnnConfigSchema>;

const VOTE_CENTRING: Record<ItemKnnConfig["center"], Centring> = {
  baseline: "baseline",
  mean: "item-mean",
  none: "raw",
};

export class ItemKnn implements Recommender<ItemKnnConfig> {
  readonly kind = KIND;
  readonly config: Readonly<ItemKnnConfig>;
  private state: ItemKnnState | null = null;
  /** The current customer's ratings and the votes they cast (null until fitted). */
  private votes: ItemVotes | null = null;

  constructor(config: ItemKnnConfig, state: ItemKnnState | null = null) {
    this.config = config;
    if (state) this.install(state);
  }

  private install(state: ItemKnnState): void {
    this.state = state;
    this.votes = new ItemVotes(state, this.config.k);
  }

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    const start = performance.now();
    throwIfAborted(options.signal, KIND);
    const biases = fitBiases(data.ratings, data.ratingsByItem, this.config.baseline);
    const ratings = data.ratings;
    const byItem = data.ratingsByItem;
    const context: CentringContext = {
      midpoint: (data.scale.min + data.scale.max) / 2,
      globalMean: biases.globalMean,
      userBias: biases.userBias,
      itemBias: biases.itemBias,
      userMean: rowMeans(ratings, biases.globalMean),
      itemMean: rowMeans(byItem, biases.globalMean),
    };
    const spec = ITEM_SIMILARITIES[this.config.similarity];
    throwIfAborted(options.signal, KIND);
    const neighbours = itemNeighbourLists(
      ratings,
      centredValues(ratings, true, spec.centring, context),
      byItem,
      centredValues(byItem, false, spec.centring, context),
      { measure: spec.measure, ...this.config },
      this.config.modelSize,
    );
    this.install(buildItemKnnState(ratings, neighbours, biases, context.itemMean, data.scale));
    return {
      seconds: secondsSince(start),
      details: { items: data.itemCount, "similarities kept": neighbours.indices.length },
    };
  }

  /**
   * Loads the query's ratings, centred, into the votes' per-item buffers (knn/item-votes.ts). Returns the
   * votes and the customer's bias, or null if the query cannot be scored; the caller clears the votes.
   */
  private load(query: Query): { votes: ItemVotes; userBias: number } | null {
    const s = fitted(this.state, KIND);
    const votes = this.votes!;
    const view = queryRatings(query, s.ratings);
    if (view === null) return null;
    const userBias =
      query.history === undefined && isKnownUser(query.user, s.ratings.rows)
        ? s.biases.userBias[query.user]!
        : foldInUserBias(view.items, view.values, s.biases, this.config.baseline.regUser);
    const centring = VOTE_CENTRING[this.config.center];
    votes.clear(); // a no-op unless an earlier query threw before clearing
    for (let k = 0; k < view.items.length; k++) {
      const j = view.items[k]!;
      const rating = view.values[k]!;
      votes.rate(j, centred(centring, s.centring, Number.NaN, userBias, j, rating), rating);
    }
    return { votes, userBias };
  }

  private centre(userBias: number, item: number): number {
    const c = this.state!.centring;
    if (this.config.center === "baseline") return c.globalMean + userBias + c.itemBias[item]!;
    return this.config.center === "mean" ? c.itemMean[item]! : 0;
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const s = fitted(this.state, KIND);
    const scores = scoresBuffer(items.length, out);
    const loaded = this.load(query);
    if (loaded === null) return scores.fill(Number.NaN);
    const { votes } = loaded;
    // All of i's rated neighbours vote when there are at most k of them; otherwise only the k most similar.
    // Ranking many items: push every rated item's vote once. Predicting a few ratings: pull each item's
    // vote from its own list (the same neighbours), when that reads fewer similarities than the push.
    const pulling = votes.pullIsCheaper(items.length);
    if (!pulling) votes.push();
    const k = this.config.k;
    const itemCount = s.ratings.cols;
    const none = this.config.center === "none";
    const damping = none ? 0 : this.config.supportDamping; // shrinking a raw average towards 0 means nothing
    const least = this.config.minSupport;
    for (let t = 0; t < items.length; t++) {
      const i = items[t]!;
      if (!isKnownItem(i, itemCount)) {
        scores[t] = Number.NaN;
        continue;
      }
      const voters = pulling ? votes.pullOne(i) : Math.min(votes.votes[i]!, k);
      if (voters < least) {
        scores[t] = Number.NaN;
        continue;
      }
      if (!pulling && votes.votes[i]! > k) votes.pull(i);
      const den = votes.den[i]!;
      const base = this.centre(loaded.userBias, i);
      const raw = den > 0 ? base + votes.num[i]! / (den + damping) : none ? Number.NaN : base;
      scores[t] = clampToScale(raw, s.scale.min, s.scale.max);
    }
    votes.clear();
    return scores;
  }

  explain(query: Query, item: number): Explanation {
    const s = fitted(this.state, KIND);
    const shown = { items: [] as number[], values: [] as number[], weights: [] as number[] };
    const loaded = this.load(query);
    if (loaded !== null && isKnownItem(item, s.ratings.cols)) {
      const { dev, rating } = loaded.votes;
      const { indptr, indices, similarities } = s.neighbours;
      const most = Math.min(3, this.config.k); // the items that voted, at most three
      for (let p = indptr[item]!, end = indptr[item + 1]!; p < end && shown.items.length < most; p++) {
        const j = indices[p]!;
        if (Number.isNaN(dev[j]!)) continue;
        shown.items.push(j);
        shown.values.push(rating[j]!);
        shown.weights.push(similarities[p]!);
      }
    }
    loaded?.votes.clear();
    return {
      kind: "items",
      items: Int32Array.from(shown.items),
      values: Float32Array.from(shown.values),
      weights: Float32Array.from(shown.weights),
    };
  }

  similarItems(item: number, k: number): { items: Int32Array; similarities: Float32Array } {
    const s = fitted(this.state, KIND);
    if (!isKnownItem(item, s.ratings.cols) || !(k > 0)) {
      return { items: new Int32Array(0), similarities: new Float32Array(0) };
    }
    const start = s.neighbours.indptr[item]!;
    const end = Math.min(s.neighbours.indptr[item + 1]!, start + Math.floor(k));
    return { items: s.neighbours.indices.slice(start, end), similarities: s.neighbours.similarities.slice(start, end) };
  }

  snapshot(): ModelSnapshot {
    const s = fitted(this.state, KIND);
    return { kind: KIND, version: VERSION, config: { ...this.config }, ...itemKnnArrays(s) };
  }
}

export const itemKnnDefinition: AlgorithmDefinition<ItemKnnConfig> = {
  kind: KIND,
  summary: "Item-to-item k nearest neighbours (Sarwar et al. 2001; baseline-centred as in Koren 2010)",
  task: "rating",
  configSchema: itemKnnConfigSchema,
  searchSpace: {
    similarity: { type: "choice", values: SIMILARITY_NAMES },
    k: { type: "int", low: 5, high: 200, log: true },
    modelSize: { type: "int", low: 50, high: 2000, log: true },
    shrinkage: { type: "float", low: 0, high: 300 },
    center: { type: "choice", values: ["baseline", "mean"] },
    minSupport: { type: "int", low: 0, high: 5 },
    supportDamping: { type: "float", low: 0, high: 5 },
  },
  create: (config) => new ItemKnn(config),
  restore(snapshot) {
    checkSnapshot(snapshot, KIND, VERSION);
    return new ItemKnn(parseWith(itemKnnConfigSchema, snapshot.config, "snapshot.config"), readItemKnnState(snapshot));
  },
};
