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
 * same order.
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

/** Neighbours summed per block by the branch-free pull before it checks whether k have voted. */
const PULL_BLOCK = 32;

const VOTE_CENTRING: Record<ItemKnnConfig["center"], Centring> = {
  baseline: "baseline",
  mean: "item-mean",
  none: "raw",
};

export class ItemKnn implements Recommender<ItemKnnConfig> {
  readonly kind = KIND;
  readonly config: Readonly<ItemKnnConfig>;
  private state: ItemKnnState | null = null;
  /** The current customer's deviation per item (NaN = not rated) and rating; reset after each query. */
  private dev = new Float64Array(0);
  private rating = new Float64Array(0);
  private loaded = new Int32Array(0);
  /** The same deviations with 0 where not rated, and 1/0 for rated/not: a branch-free pull (see pullAll). */
  private devOrZero = new Float64Array(0);
  private rated = new Float64Array(0);
  /** Per item: the pushed votes Σ s·dev, weights Σ s and their count. */
  private num = new Float64Array(0);
  private den = new Float64Array(0);
  private votes = new Int32Array(0);
  /** Scratch for pullByPosition: one bit per list place; the customer's rated items as a bitset. */
  private placeBits = new Int32Array(0);
  private ratedBits = new Int32Array(0);

  constructor(config: ItemKnnConfig, state: ItemKnnState | null = null) {
    this.config = config;
    if (state) this.install(state);
  }

  private install(state: ItemKnnState): void {
    this.state = state;
    const items = state.ratings.cols;
    this.dev = new Float64Array(items).fill(Number.NaN);
    this.rating = new Float64Array(items);
    this.loaded = new Int32Array(items);
    this.devOrZero = new Float64Array(items);
    this.rated = new Float64Array(items);
    this.num = new Float64Array(items);
    this.den = new Float64Array(items);
    this.votes = new Int32Array(items);
    this.placeBits = new Int32Array((state.noListSlot >>> 5) + 1);
    this.ratedBits = new Int32Array(state.listWords);
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
   * Loads the query's ratings into the per-item buffers: dev (NaN = not rated)
   * and rating, and the list of distinct items loaded (to push from, and to
   * reset afterwards). Returns the count loaded and the customer's bias, or
   * null if the query cannot be scored.
   */
  private load(query: Query): { count: number; userBias: number } | null {
    const s = fitted(this.state, KIND);
    const view = queryRatings(query, s.ratings);
    if (view === null) return null;
    const userBias =
      query.history === undefined && isKnownUser(query.user, s.ratings.rows)
        ? s.biases.userBias[query.user]!
        : foldInUserBias(view.items, view.values, s.biases, this.config.baseline.regUser);
    const centring = VOTE_CENTRING[this.config.center];
    let count = 0;
    for (let k = 0; k < view.items.length; k++) {
      const j = view.items[k]!;
      if (Number.isNaN(this.dev[j]!)) this.loaded[count++] = j; // a repeated item counts once (the last value)
      this.dev[j] = centred(centring, s.centring, Number.NaN, userBias, j, view.values[k]!);
      this.rating[j] = view.values[k]!;
      this.devOrZero[j] = this.dev[j]!;
      this.rated[j] = 1;
      this.ratedBits[j >>> 5]! |= 1 << (j & 31);
    }
    return { count, userBias };
  }

  private unload(count: number): void {
    for (let k = 0; k < count; k++) {
      const j = this.loaded[k]!;
      this.dev[j] = Number.NaN;
      this.devOrZero[j] = 0;
      this.rated[j] = 0;
      this.ratedBits[j >>> 5] = 0;
    }
  }

  private centre(userBias: number, item: number): number {
    const c = this.state!.centring;
    if (this.config.center === "baseline") return c.globalMean + userBias + c.itemBias[item]!;
    return this.config.center === "mean" ? c.itemMean[item]! : 0;
  }

  /**
   * Push: every rated item j adds its vote to each item i that keeps j among its
   * M neighbours (the reverse lists), O(|I(u)| · M) instead of walking all lists.
   */
  private push(count: number): void {
    const { indptr, indices, values } = this.state!.reverse;
    const { num, den, votes, dev } = this;
    num.fill(0);
    den.fill(0);
    votes.fill(0);
    for (let k = 0; k < count; k++) {
      const j = this.loaded[k]!;
      const d = dev[j]!;
      for (let q = indptr[j]!, end = indptr[j + 1]!; q < end; q++) {
        const i = indices[q]!;
        const sim = values[q]!;
        num[i]! += sim * d;
        den[i]! += sim;
        votes[i]!++;
      }
    }
  }

  /** True when pulling each of `wanted` items' votes reads fewer similarities than pushing from `count` rated items. */
  private pullIsCheaper(count: number, wanted: number): boolean {
    const { neighbours, reverse } = this.state!;
    const pulling = wanted * (neighbours.indices.length / Math.max(1, neighbours.indptr.length - 1));
    let pushing = 0;
    for (let k = 0; k < count && pushing <= pulling; k++) {
      const j = this.loaded[k]!;
      pushing += reverse.indptr[j + 1]! - reverse.indptr[j]!;
    }
    return pulling < pushing;
  }

  /**
   * Pull without a branch per neighbour: every listed item adds s·dev and s times 1 if rated, 0 if not (adding
   * an exact zero changes no bit, so the sums are those of pull()). Only the k most similar rated items may
   * vote: the list is summed in blocks, and the block that would pass k is undone and walked one by one up to
   * the k-th. Same neighbours, same order, same bits as pull(), without its misprediction per listed item.
   */
  private pullAll(item: number): number {
    const { indptr, indices, similarities } = this.state!.neighbours;
    const { devOrZero, rated } = this;
    const k = this.config.k;
    let num = 0;
    let den = 0;
    let used = 0;
    const end = indptr[item + 1]!;
    for (let p = indptr[item]!; p < end; p += PULL_BLOCK) {
      const stop = Math.min(end, p + PULL_BLOCK);
      const num0 = num;
      const den0 = den;
      const used0 = used;
      for (let q = p; q < stop; q++) {
        const j = indices[q]!;
        const sim = similarities[q]!;
        const r = rated[j]!;
        num += sim * devOrZero[j]!;
        den += sim * r;
        used += r;
      }
      if (used <= k) continue;
      num = num0;
      den = den0;
      used = used0;
      for (let q = p; q < stop && used < k; q++) {
        const j = indices[q]!;
        if (rated[j] === 0) continue;
        const sim = similarities[q]!;
        num += sim * devOrZero[j]!;
        den += sim;
        used++;
      }
      break;
    }
    this.num[item] = num;
    this.den[item] = den;
    return used;
  }

  /** One item's pull: from the list-position map when the customer rated fewer items than i keeps, else the walk. */
  private pullOne(item: number, count: number): number {
    const s = this.state!;
    const { indptr } = s.neighbours;
    const wordsToAnd = s.listWords + (count >>> 2); // the bitset AND plus the rated items it turns up, roughly
    if (s.listPosition !== null && wordsToAnd < indptr[item + 1]! - indptr[item]!) return this.pullByPosition(item);
    return this.pullAll(item);
  }

  /**
   * The same vote as pull(), without walking i's list: the customer's rated items that i keeps are the AND of
   * two bitsets over the catalogue (i's list members, the customer's rated items); each one's place in i's list
   * (the list-position map) is set as a bit, then the places are read back in list order and the first k
   * summed: the same neighbours summed in the same order as pull(), O(items/32 + matches) instead of O(M).
   */
  private pullByPosition(item: number): number {
    const s = this.state!;
    const { indptr, indices, similarities } = s.neighbours;
    const positions = s.listPosition!;
    const members = s.listMembers!;
    const words = s.listWords;
    const bits = this.placeBits;
    const { ratedBits, devOrZero } = this;
    const row = item * s.ratings.cols;
    for (let w = 0, at = item * words; w < words; w++) {
      let both = members[at + w]! & ratedBits[w]!;
      while (both !== 0) {
        const low = both & -both;
        both ^= low;
        const q = positions[row + (w << 5) + 31 - Math.clz32(low)]!;
        bits[q >>> 5]! |= 1 << (q & 31);
      }
    }
    const start = indptr[item]!;
    const k = this.config.k;
    let num = 0;
    let den = 0;
    let used = 0;
    for (let w = 0, places = (indptr[item + 1]! - start + 31) >>> 5; w < places; w++) {
      let word = bits[w]!;
      if (word === 0) continue;
      bits[w] = 0;
      while (word !== 0 && used < k) {
        const low = word & -word;
        word ^= low;
        const p = start + (w << 5) + 31 - Math.clz32(low);
        const sim = similarities[p]!;
        num += sim * devOrZero[indices[p]!]!;
        den += sim;
        used++;
      }
    }
    this.num[item] = num;
    this.den[item] = den;
    return used;
  }

  /** Pull: walk i's list (most similar first) and take the first k items the customer rated; returns how many. */
  private pull(item: number): number {
    const { indptr, indices, similarities } = this.state!.neighbours;
    const dev = this.dev;
    const k = this.config.k;
    let num = 0;
    let den = 0;
    let used = 0;
    for (let p = indptr[item]!, end = indptr[item + 1]!; p < end && used < k; p++) {
      const d = dev[indices[p]!]!;
      if (Number.isNaN(d)) continue; // the customer did not rate this neighbour
      const sim = similarities[p]!;
      num += sim * d;
      den += sim;
      used++;
    }
    this.num[item] = num;
    this.den[item] = den;
    return used;
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const s = fitted(this.state, KIND);
    const scores = scoresBuffer(items.length, out);
    const loaded = this.load(query);
    if (loaded === null) return scores.fill(Number.NaN);
    // All of i's rated neighbours vote when there are at most k of them; otherwise only the k most similar.
    // Ranking many items: push every rated item's vote once. Predicting a few ratings: pull each item's
    // vote from its own list (the same neighbours), when that reads fewer similarities than the push.
    const pulling = this.pullIsCheaper(loaded.count, items.length);
    if (!pulling) this.push(loaded.count);
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
      const voters = pulling ? this.pullOne(i, loaded.count) : Math.min(this.votes[i]!, k);
      if (voters < least) {
        scores[t] = Number.NaN;
        continue;
      }
      if (!pulling && this.votes[i]! > k) this.pull(i);
      const den = this.den[i]!;
      const base = this.centre(loaded.userBias, i);
      const raw = den > 0 ? base + this.num[i]! / (den + damping) : none ? Number.NaN : base;
      scores[t] = clampToScale(raw, s.scale.min, s.scale.max);
    }
    this.unload(loaded.count);
    return scores;
  }

  explain(query: Query, item: number): Explanation {
    const s = fitted(this.state, KIND);
    const shown = { items: [] as number[], values: [] as number[], weights: [] as number[] };
    const loaded = this.load(query);
    if (loaded !== null && isKnownItem(item, s.ratings.cols)) {
      const { indptr, indices, similarities } = s.neighbours;
      const most = Math.min(3, this.config.k); // the items that voted, at most three
      for (let p = indptr[item]!, end = indptr[item + 1]!; p < end && shown.items.length < most; p++) {
        const j = indices[p]!;
        if (Number.isNaN(this.dev[j]!)) continue;
        shown.items.push(j);
        shown.values.push(this.rating[j]!);
        shown.weights.push(similarities[p]!);
      }
    }
    if (loaded !== null) this.unload(loaded.count);
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
