/**
 * User-to-user k nearest neighbours (Ringo: Shardanand & Maes 1995;
 * GroupLens: Resnick et al. 1994, Herlocker et al. 1999; KNNBaseline: Koren 2010).
 *
 *   r̂(u,i) = c_u(i) + Σ_{v∈N_k(u,i)} s(u,v)·(r_vi − c_v(i)) / (λ + Σ_{v∈N_k(u,i)} s(u,v))
 *
 * where N_k(u,i) are the k customers most similar to u among those who rated
 * i (positive similarity, at least `minOverlap` co-ratings), s is one of msd,
 * cosine, pearson, constrained pearson or pearson-baseline (similarity/) with
 * shrinkage, and the centre c is the baseline μ + b_u + b_i, the customer's
 * mean, or 0. λ (`supportDamping`) keeps the word of one or two neighbours
 * near the centre (an obscure item one neighbour loved does not top the
 * list); with fewer than `minSupport` neighbours who rated i the model scores
 * NaN (the chain falls back). With no neighbour the prediction is the centre.
 *
 * A query with a `history` computes its similarities from those ratings
 * (knn/user-similarities.ts), so it folds in at once: a new customer with
 * three ratings already has neighbours. A fitted customer queried without one
 * reads them from a table filled at fit by the same computation (after a
 * restore, row by row as customers are asked; knn/user-similarity-table.ts;
 * communities up to 2,048 customers, beyond that every query computes them).
 * Scoring a few items (rating prediction) picks each item's k most similar
 * raters from its column (O(|U(i)| + neighbours/32) per item); scoring many (ranking a catalogue) lets the neighbours vote in
 * order of similarity, each on the items they rated that still have fewer
 * than k votes: the k nearest raters of every item in one pass. Both choose
 * the same neighbours (ties to the lower id; both in knn/user-votes.ts). The
 * last query's similarities and votes are cached, so score-then-explain for
 * one customer computes them once.
 *
 * Cost: fit O(epochs · nnz) for the biases and centred copies plus
 * O(Σ_j |U(j)|²) time and O(users²) memory for the table; a query
 * O(Σ_{j∈I(u)} |U(j)|) for the similarities (none from the table), then
 * O(|U(i)| + neighbours/32) per scored item, or O(users log users + nnz) for the votes
 * when that is cheaper; explain O(|U(i)| log k).
 */
import { z } from "zod";
import type { Dataset } from "../core/dataset.js";
import type { ModelSnapshot } from "../core/snapshot.js";
import { parseWith } from "../core/validate.js";
import { selectTop, sortBestFirst } from "../linalg/select-top.js";
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
import { buildUserKnnState, readUserKnnArrays, type UserKnnState, userKnnArrays } from "./knn/user-knn-state.js";
import { UserSimilarityWorkspace } from "./knn/user-similarities.js";
import { customerSimilarities, meanRating } from "./knn/user-similarity-table.js";
import { type UserContext, UserVotes } from "./knn/user-votes.js";
import type { Explanation, FitOptions, FitReport, Neighbor, Query, Recommender } from "./recommender.js";
import type { AlgorithmDefinition } from "./registry.js";
import { USER_SIMILARITIES } from "./similarity/transforms.js";

const KIND = "user-knn";
const VERSION = 1;

// Defaults chosen by measurement, never on the u*.test folds: a staged grid search, 5-fold cross-validated
// inside u1.base (bench/knn.ts --tune → bench/results/knn.tuning.md). Constrained Pearson and Pearson-baseline
// tie within 0.0001 there; both beat msd, pearson and cosine, and baseline centring beats mean centring by 0.015.
export const userKnnConfigSchema = z.strictObject({
  similarity: z
    .enum(Object.keys(USER_SIMILARITIES) as [keyof typeof USER_SIMILARITIES, ...(keyof typeof USER_SIMILARITIES)[]])
    .default("constrained-pearson")
    .describe(
      "How alike two customers are: msd, cosine, pearson, constrained-pearson (around the scale midpoint), pearson-baseline",
    ),
  k: neighbourCount(40),
  minOverlap: minOverlap(1),
  shrinkage: shrinkage(50),
  significance: significance(0),
  center: centre("baseline"),
  minSupport: minSupport(0),
  supportDamping: supportDamping(0.5),
  baseline: baselineOptionsSchema,
});
export type UserKnnConfig = z.output<typeof userKnnConfigSchema>;

/** A 32-bit FNV-1a hash of a history's items and value bits (0 for none). */
function historyFingerprint(history: Query["history"]): number {
  if (history === undefined) return 0;
  let h = 0x811c9dc5 ^ history.items.length;
  const bits = new Int32Array(history.values.buffer, history.values.byteOffset, history.values.length);
  for (let k = 0; k < history.items.length; k++) h = Math.imul(h ^ history.items[k]!, 0x01000193);
  for (let k = 0; k < bits.length; k++) h = Math.imul(h ^ bits[k]!, 0x01000193);
  return h;
}

export class UserKnn implements Recommender<UserKnnConfig> {
  readonly kind = KIND;
  readonly config: Readonly<UserKnnConfig>;
  private state: UserKnnState | null = null;
  private workspace: UserSimilarityWorkspace | null = null;
  // Scratch for one item's candidate neighbours (sized to the most rated item).
  private candKey = new Float64Array(0);
  private candPos = new Int32Array(0);
  private chosen = new Int32Array(0);
  /** The query-time votes and their scratch (null until fitted). */
  private votes: UserVotes | null = null;
  // Scratch for a computed query's similarities and overlaps.
  private sims = new Float64Array(0);
  private overlap = new Int32Array(0);
  // One-entry cache: the last query's similarities, keyed by user, history object and a fingerprint of the
  // history's contents (so a caller that refills the same arrays is not served stale similarities).
  private cacheUser: number | undefined;
  private cacheHistory: Query["history"];
  private cacheFingerprint = 0;
  private cache: UserContext | null = null;

  constructor(config: UserKnnConfig, state: UserKnnState | null = null) {
    this.config = config;
    if (state) this.install(state);
  }

  private install(state: UserKnnState): void {
    this.state = state;
    this.workspace = new UserSimilarityWorkspace(state.ratings.rows);
    this.candKey = new Float64Array(state.maxRaters);
    this.candPos = new Int32Array(state.maxRaters);
    this.chosen = new Int32Array(Math.min(this.config.k, state.maxRaters));
    this.votes = new UserVotes(state, this.config.k);
    this.sims = new Float64Array(state.ratings.rows);
    this.overlap = new Int32Array(state.ratings.rows);
    this.cache = null;
  }

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    const start = performance.now();
    throwIfAborted(options.signal, KIND);
    const biases = fitBiases(data.ratings, data.ratingsByItem, this.config.baseline);
    throwIfAborted(options.signal, KIND);
    this.install(buildUserKnnState(this.config, data.ratings, biases, data.scale, true));
    return { seconds: secondsSince(start), details: { users: data.userCount, ratings: data.ratingCount } };
  }

  /** The query's centre and similarities (null: an unknown customer without history). */
  private context(query: Query): UserContext | null {
    const s = fitted(this.state, KIND);
    const fingerprint = historyFingerprint(query.history);
    if (
      this.cache &&
      this.cacheUser === query.user &&
      this.cacheHistory === query.history &&
      this.cacheFingerprint === fingerprint
    ) {
      return this.cache;
    }
    const view = queryRatings(query, s.ratings);
    if (view === null) return null;
    const known = isKnownUser(query.user, s.ratings.rows);
    const userBias =
      query.history === undefined && known
        ? s.centring.userBias[query.user]!
        : foldInUserBias(view.items, view.values, s.biases, this.config.baseline.regUser);
    if (query.history === undefined && known && s.table !== null) {
      const { sims, rank, positives } = s.table.row(query.user);
      this.cache = {
        userMean: meanRating(view.values, s.centring.globalMean),
        userBias,
        sims,
        overlap: null,
        rank,
        positives,
        voted: false,
      };
    } else {
      const self = known ? query.user : -1;
      const { sims, overlap } = this;
      const userMean = customerSimilarities(s, this.workspace!, view.items, view.values, userBias, self, sims, overlap);
      this.cache = { userMean, userBias, sims, overlap, rank: null, positives: 0, voted: false };
    }
    this.cacheUser = query.user;
    this.cacheHistory = query.history;
    this.cacheFingerprint = fingerprint;
    return this.cache;
  }

  /** Chooses item i's k nearest raters into `chosen`; returns how many, with keys in candKey and CSR positions in candPos. */
  private choose(ctx: UserContext, item: number): number {
    const s = this.state!;
    const { candKey, candPos } = this;
    let count = 0;
    for (let p = s.byItem.indptr[item]!, end = s.byItem.indptr[item + 1]!; p < end; p++) {
      const sim = ctx.sims[s.byItem.indices[p]!]!;
      if (sim > 0) {
        candKey[count] = sim;
        candPos[count++] = p;
      }
    }
    return selectTop(candKey, count, this.config.k, this.chosen);
  }

  private centre(ctx: UserContext, item: number): number {
    const s = this.state!;
    if (this.config.center === "baseline") return s.centring.globalMean + ctx.userBias + s.centring.itemBias[item]!;
    return this.config.center === "mean" ? ctx.userMean : 0;
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const s = fitted(this.state, KIND);
    const scores = scoresBuffer(items.length, out);
    const ctx = this.context(query);
    if (ctx === null) return scores.fill(Number.NaN);
    const votes = this.votes!;
    const voting = votes.voteIsCheaper(ctx, items);
    if (voting) votes.vote(ctx);
    const itemCount = s.ratings.cols;
    const none = this.config.center === "none";
    const damping = none ? 0 : this.config.supportDamping; // shrinking a raw average towards 0 means nothing
    const least = this.config.minSupport;
    for (let k = 0; k < items.length; k++) {
      const i = items[k]!;
      if (!isKnownItem(i, itemCount)) {
        scores[k] = Number.NaN;
        continue;
      }
      let support: number;
      let num: number;
      let den: number;
      if (voting) {
        support = votes.support[i]!;
        num = votes.num[i]!;
        den = votes.den[i]!;
      } else {
        support = votes.pickVoters(ctx, i);
        num = votes.itemNum;
        den = votes.itemDen;
      }
      if (support < least) {
        scores[k] = Number.NaN;
        continue;
      }
      const base = this.centre(ctx, i);
      const raw = den > 0 ? base + num / (den + damping) : none ? Number.NaN : base;
      scores[k] = clampToScale(raw, s.scaleMin, s.scaleMax);
    }
    return scores;
  }

  explain(query: Query, item: number): Explanation {
    const s = fitted(this.state, KIND);
    const ctx = this.context(query);
    const none: Explanation = {
      kind: "neighbors",
      count: 0,
      average: Number.NaN,
      closest: new Int32Array(0),
      similarities: new Float32Array(0),
    };
    if (ctx === null || !isKnownItem(item, s.ratings.cols)) return none;
    const kept = this.choose(ctx, item);
    sortBestFirst(this.candKey, this.chosen, kept);
    let sum = 0;
    for (let t = 0; t < kept; t++) sum += s.byItem.values[this.candPos[this.chosen[t]!]!]!;
    const shown = Math.min(3, kept);
    const closest = new Int32Array(shown);
    const similarities = new Float32Array(shown);
    for (let t = 0; t < shown; t++) {
      const c = this.chosen[t]!;
      closest[t] = s.byItem.indices[this.candPos[c]!]!;
      similarities[t] = this.candKey[c]!;
    }
    return { kind: "neighbors", count: kept, average: kept > 0 ? sum / kept : Number.NaN, closest, similarities };
  }

  neighbors(query: Query, k: number): Neighbor[] {
    fitted(this.state, KIND);
    const ctx = this.context(query);
    if (ctx === null || !(k > 0)) return [];
    const users = ctx.sims.length;
    const keys = new Float64Array(users);
    const ids = new Int32Array(users);
    let count = 0;
    for (let v = 0; v < users; v++) {
      const sim = ctx.sims[v]!;
      if (sim > 0) {
        keys[count] = sim;
        ids[count++] = v;
      }
    }
    const best = new Int32Array(Math.min(k, count));
    const kept = selectTop(keys, count, k, best);
    sortBestFirst(keys, best, kept);
    const overlap = ctx.overlap ?? this.overlapOf(ctx, query.user!);
    return Array.from(best.subarray(0, kept), (c) => ({
      user: ids[c]!,
      similarity: keys[c]!,
      overlap: overlap[ids[c]!]!,
    }));
  }

  /** Co-ratings of a fitted customer read from the table: computed once, as a query without the table would. */
  private overlapOf(ctx: UserContext, user: number): Int32Array {
    const s = this.state!;
    const start = s.ratings.indptr[user]!;
    const end = s.ratings.indptr[user + 1]!;
    const items = s.ratings.indices.subarray(start, end);
    const values = s.ratings.values.subarray(start, end);
    const bias = s.centring.userBias[user]!;
    customerSimilarities(s, this.workspace!, items, values, bias, user, this.sims, this.overlap);
    ctx.overlap = this.overlap;
    return this.overlap;
  }

  snapshot(): ModelSnapshot {
    const s = fitted(this.state, KIND);
    return { kind: KIND, version: VERSION, config: { ...this.config }, ...userKnnArrays(s) };
  }
}

export const userKnnDefinition: AlgorithmDefinition<UserKnnConfig> = {
  kind: KIND,
  summary:
    "User-to-user k nearest neighbours (GroupLens/Ringo, KNNBaseline); folds a new customer in from a few ratings",
  task: "rating",
  configSchema: userKnnConfigSchema,
  searchSpace: {
    similarity: { type: "choice", values: Object.keys(USER_SIMILARITIES) },
    k: { type: "int", low: 5, high: 200, log: true },
    minOverlap: { type: "int", low: 1, high: 10 },
    shrinkage: { type: "float", low: 0, high: 300 },
    center: { type: "choice", values: ["baseline", "mean"] },
    minSupport: { type: "int", low: 0, high: 5 },
    supportDamping: { type: "float", low: 0, high: 5 },
  },
  create: (config) => new UserKnn(config),
  restore(snapshot) {
    checkSnapshot(snapshot, KIND, VERSION);
    const config = parseWith(userKnnConfigSchema, snapshot.config, "snapshot.config");
    const { ratings, biases, scale } = readUserKnnArrays(snapshot);
    return new UserKnn(config, buildUserKnnState(config, ratings, biases, scale, false));
  },
};
