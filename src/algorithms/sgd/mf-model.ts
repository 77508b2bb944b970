/**
 * A fitted biased-MF / SVD++ model (svd and svdpp share it):
 *   r̂(u,i) = clamp(μ + b_u + b_i + q_i·(p_u + η_u Σ_{j∈N(u)} w_j y_j)),
 * with y empty for plain biased MF. Scores NaN for unknown customers without
 * evidence and for items that had no training rating.
 *
 * Fold-in (instant learning): a query's history and feedback replace the
 * fitted evidence; the implicit sum is recomputed from them (y fixed) and a
 * few SGD passes over the history move b_u and p_u (item factors fixed),
 * starting from the fitted values of a known customer, from 0 for a new one.
 * O(passes·|history|·k), well under a millisecond for a typical customer.
 *
 * Explain: the customer's own items that support the score most: for a rated
 * item j, cos(q_i, q_j)·(r_uj − μ − b_u − b_j) (a surprise in their ratings
 * on an item like this one), plus, for items in N(u), the exact share of the
 * implicit term, η_u w_j q_i·y_j. O(|evidence|·k). Only items the customer liked
 * with a positive share are cited (classic/positive-evidence.ts): a 1-star
 * rating on an item unlike this one is arithmetic, not a reason.
 */
import type { Csr } from "../../core/csr.js";
import { citedEvidence, LikedItems } from "../classic/positive-evidence.js";
import { isKnownItem, scoresBuffer } from "../classic/query-ratings.js";
import type { Explanation, Query } from "../recommender.js";
import { type ItemValues, knownUser, NO_ITEMS, positiveOnly, ratingsOf, row, sameAsRow } from "./evidence.js";
import { FactorSimilarity } from "./factor-similarity.js";
import type { MfArrays } from "./mf-trainer.js";

export interface MfState extends MfArrays {
  readonly factors: number;
  readonly globalMean: number;
  readonly scaleMin: number;
  readonly scaleMax: number;
  /** The training ratings (customers × items). */
  readonly ratings: Csr;
  /** N(u) weights, or null without implicit evidence (then implicitFactors is empty). */
  readonly implicit: Csr | null;
}

export interface FoldInParams {
  readonly epochs: number;
  readonly learningRate: number;
  readonly biasLearningRate: number;
  readonly regularization: number;
  readonly biasRegularization: number;
  /** Weight of a rated item in N(u) (SVD++: the rating weight; 0 when ratings are not implicit evidence). */
  readonly ratedWeight: number;
}

export interface UserVector {
  /** p_u + z_u, k floats. */
  readonly p: Float32Array;
  readonly bias: number;
}

/** Items an explanation names at most. */
export const EXPLAIN_ITEMS = 10;

export class MfModel {
  readonly users: number;
  readonly items: number;
  readonly k: number;
  /** p_u + z_u per fitted customer. */
  private readonly effective: Float32Array;
  private readonly itemRated: Uint8Array;
  private readonly userHasEvidence: Uint8Array;
  private readonly similarity: FactorSimilarity;

  constructor(
    readonly state: MfState,
    private readonly foldIn: FoldInParams,
  ) {
    this.users = state.ratings.rows;
    this.items = state.ratings.cols;
    this.k = state.factors;
    this.itemRated = new Uint8Array(this.items);
    for (let p = 0; p < state.ratings.indptr[this.users]!; p++) this.itemRated[state.ratings.indices[p]!] = 1;
    this.userHasEvidence = new Uint8Array(this.users);
    for (let u = 0; u < this.users; u++) {
      const rated = state.ratings.indptr[u + 1]! > state.ratings.indptr[u]!;
      const implicit = state.implicit !== null && state.implicit.indptr[u + 1]! > state.implicit.indptr[u]!;
      this.userHasEvidence[u] = rated || implicit ? 1 : 0;
    }
    this.similarity = new FactorSimilarity(state.itemFactors, this.k, this.itemRated);
    this.effective = state.implicit === null ? state.userFactors : this.fittedEffective(state.implicit);
  }

  get hasImplicit(): boolean {
    return this.state.implicit !== null;
  }

  private fittedEffective(implicit: Csr): Float32Array {
    const out = Float32Array.from(this.state.userFactors);
    const z = new Float64Array(this.k);
    for (let u = 0; u < this.users; u++) {
      this.implicitSum(row(implicit, u), NO_ITEMS, 0, z);
      for (let c = 0; c < this.k; c++) out[u * this.k + c] = out[u * this.k + c]! + z[c]!;
    }
    return out;
  }

  /** z = η Σ w_j y_j over `implicit` plus the rated items at `ratedWeight`. */
  private implicitSum(implicit: ItemValues, rated: ItemValues, ratedWeight: number, z: Float64Array): void {
    z.fill(0);
    const Y = this.state.implicitFactors;
    const k = this.k;
    let squares = 0;
    const add = (j: number, w: number): void => {
      squares += w * w;
      for (let c = 0; c < k; c++) z[c] = z[c]! + w * Y[j * k + c]!;
    };
    for (let t = 0; t < implicit.items.length; t++) add(implicit.items[t]!, implicit.values[t]!);
    if (ratedWeight > 0) for (let t = 0; t < rated.items.length; t++) add(rated.items[t]!, ratedWeight);
    if (squares > 0) {
      const norm = 1 / Math.sqrt(squares);
      for (let c = 0; c < k; c++) z[c] = z[c]! * norm;
    }
  }

  /** The query's ratings and implicit evidence (history/feedback replace the fitted rows). */
  evidence(query: Query): { ratings: ItemValues; implicit: ItemValues; user: number } {
    const user = knownUser(query, this.users);
    const ratings = ratingsOf(query, this.state.ratings);
    let implicit = NO_ITEMS;
    if (this.state.implicit !== null) {
      if (query.feedback !== undefined) implicit = positiveOnly(query.feedback, this.items);
      else if (user >= 0) {
        // Fitted N(u) less the rated items (they are re-added from the query's ratings at ratedWeight).
        implicit = this.fittedFeedback(user);
      }
    }
    return { ratings, implicit, user };
  }

  /** The fitted N(u) row without the contribution of rated items (what the customer bought, viewed, liked). */
  private fittedFeedback(user: number): ItemValues {
    const implicit = this.state.implicit!;
    const fitted = row(implicit, user);
    const w = this.foldIn.ratedWeight;
    if (w === 0) return fitted;
    const rated = row(this.state.ratings, user);
    const values = Float32Array.from(fitted.values);
    for (let t = 0, r = 0; t < fitted.items.length; t++) {
      while (r < rated.items.length && rated.items[r]! < fitted.items[t]!) r++;
      if (r < rated.items.length && rated.items[r] === fitted.items[t]) values[t] = values[t]! - w;
    }
    return positiveOnly({ items: fitted.items, values }, this.items);
  }

  /** The customer's vector and bias, fitted or folded in; null when there is no evidence to score from. */
  userVector(query: Query): UserVector | null {
    const k = this.k;
    if (query.history === undefined && query.feedback === undefined) {
      const known = knownUser(query, this.users);
      if (known < 0 || !this.userHasEvidence[known]) return null;
      return { p: this.effective.subarray(known * k, known * k + k), bias: this.state.userBias[known]! };
    }
    const { ratings, implicit, user } = this.evidence(query);
    const sameRatings = user >= 0 && sameAsRow(ratings, this.state.ratings, user);
    if (sameRatings && (query.feedback === undefined || !this.hasImplicit)) {
      if (!this.userHasEvidence[user]) return null;
      return { p: this.effective.subarray(user * k, user * k + k), bias: this.state.userBias[user]! };
    }
    const implicitCount = implicit.items.length + (this.foldIn.ratedWeight > 0 ? ratings.items.length : 0);
    if (ratings.items.length === 0 && (implicitCount === 0 || !this.hasImplicit)) return null;
    const z = new Float64Array(k);
    if (this.hasImplicit) this.implicitSum(implicit, ratings, this.foldIn.ratedWeight, z);
    const p = new Float64Array(k);
    let bias = 0;
    if (user >= 0) {
      for (let c = 0; c < k; c++) p[c] = this.state.userFactors[user * k + c]!;
      bias = this.state.userBias[user]!;
    }
    // Same ratings, new implicit evidence: keep the fitted p_u and b_u, only z changes.
    if (!sameRatings) bias = this.sgdSteps(ratings, z, p, bias);
    const out = new Float32Array(k);
    for (let c = 0; c < k; c++) out[c] = p[c]! + z[c]!;
    return { p: out, bias };
  }

  /** Fold-in: SGD passes over the ratings with item factors and z fixed; updates p in place, returns b_u. */
  private sgdSteps(ratings: ItemValues, z: Float64Array, p: Float64Array, bias: number): number {
    const {
      epochs,
      learningRate: lr,
      biasLearningRate: lrB,
      regularization: reg,
      biasRegularization: regB,
    } = this.foldIn;
    const { itemFactors: Q, itemBias, globalMean: mu } = this.state;
    const k = this.k;
    for (let e = 0; e < epochs; e++) {
      for (let t = 0; t < ratings.items.length; t++) {
        const i = ratings.items[t]!;
        if (!this.itemRated[i]) continue;
        let dot = 0;
        for (let c = 0; c < k; c++) dot += Q[i * k + c]! * (p[c]! + z[c]!);
        const err = ratings.values[t]! - (mu + bias + itemBias[i]! + dot);
        bias += lrB * (err - regB * bias);
        for (let c = 0; c < k; c++) p[c] = p[c]! + lr * (err * Q[i * k + c]! - reg * p[c]!);
      }
    }
    return bias;
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const scores = scoresBuffer(items.length, out);
    const v = this.userVector(query);
    if (v === null) return scores.fill(Number.NaN);
    const { itemFactors: Q, itemBias, globalMean, scaleMin, scaleMax } = this.state;
    const k = this.k;
    const p = v.p;
    const base = globalMean + v.bias;
    for (let t = 0; t < items.length; t++) {
      const i = items[t]!;
      if (!isKnownItem(i, this.items) || !this.itemRated[i]) {
        scores[t] = Number.NaN;
        continue;
      }
      let dot = 0;
      const at = i * k;
      for (let c = 0; c < k; c++) dot += p[c]! * Q[at + c]!;
      const s = base + itemBias[i]! + dot;
      scores[t] = Math.min(scaleMax, Math.max(scaleMin, s));
    }
    return scores;
  }

  /** cos(q_a, q_b) (0 when either is zero). */
  cosine(a: number, b: number): number {
    return this.similarity.cosine(a, b);
  }

  explain(query: Query, item: number): Explanation {
    const empty: Explanation = {
      kind: "items",
      items: new Int32Array(0),
      values: new Float32Array(0),
      weights: new Float32Array(0),
    };
    if (!isKnownItem(item, this.items) || !this.itemRated[item]) return empty;
    const v = this.userVector(query);
    if (v === null) return empty;
    const { ratings, implicit } = this.evidence(query);
    const { itemBias, globalMean, implicitFactors: Y } = this.state;
    const k = this.k;
    const Q = this.state.itemFactors;
    const candidates: number[] = [];
    const values: number[] = [];
    const weights: number[] = [];
    const wr = this.foldIn.ratedWeight;
    let squares = 0;
    for (const w of implicit.values) squares += w * w;
    if (this.hasImplicit && wr > 0) squares += wr * wr * ratings.items.length;
    const norm = squares > 0 ? 1 / Math.sqrt(squares) : 0;
    const implicitShare = (j: number, w: number): number => {
      if (!this.hasImplicit || w === 0) return 0;
      let dot = 0;
      for (let c = 0; c < k; c++) dot += Q[item * k + c]! * Y[j * k + c]!;
      return norm * w * dot;
    };
    for (let t = 0; t < ratings.items.length; t++) {
      const j = ratings.items[t]!;
      if (j === item || !this.itemRated[j]) continue;
      const surprise = ratings.values[t]! - globalMean - v.bias - itemBias[j]!;
      candidates.push(j);
      values.push(ratings.values[t]!);
      weights.push(this.cosine(item, j) * surprise + implicitShare(j, wr));
    }
    // An item both rated and bought is one piece of evidence: its implicit share joins its rating's weight
    // (the explanation quotes the rating), rather than listing the item twice.
    const ratedAt = new Map<number, number>();
    for (let c = 0; c < candidates.length; c++) ratedAt.set(candidates[c]!, c);
    for (let t = 0; t < implicit.items.length; t++) {
      const j = implicit.items[t]!;
      if (j === item) continue;
      const c = ratedAt.get(j);
      if (c !== undefined) {
        weights[c] = weights[c]! + implicitShare(j, implicit.values[t]!);
        continue;
      }
      candidates.push(j);
      values.push(implicit.values[t]!);
      weights.push(implicitShare(j, implicit.values[t]!));
    }
    const liked = LikedItems.of(ratings, implicit, { min: this.state.scaleMin, max: this.state.scaleMax });
    return citedEvidence(candidates, values, weights, candidates.length, liked, EXPLAIN_ITEMS);
  }

  /** Items closest in factor space (cosine of q), most similar first; only items with training ratings. */
  similarItems(item: number, count: number): { items: Int32Array; similarities: Float32Array } {
    return this.similarity.similarItems(item, count);
  }
}
