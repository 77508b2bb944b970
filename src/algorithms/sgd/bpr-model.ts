/**
 * A fitted BPR model: preference x̂(u,i) = b_i + p_u·q_i (a ranking score, not
 * a rating). NaN for unknown customers without evidence and for items no one
 * had evidence on in training.
 *
 * Fold-in: a query's history (ratings × the rating weight) and feedback
 * become its positives; `foldInEpochs` BPR passes over them, each positive
 * against a negative drawn by a generator with a fixed seed (so the same
 * query always gets the same scores), move p_u with the item side fixed,
 * starting from the fitted p_u of a known customer, from 0 for a new one;
 * with weighted sampling, each step is scaled by the positive's weight.
 * O(passes·|positives|·(k + log |positives|)).
 *
 * Explain: the customer's liked positives j (classic/positive-evidence.ts)
 * ranked by cos(q_i, q_j)·w_j, only those where it is positive.
 */
import type { Csr } from "../../core/csr.js";
import { Rng } from "../../core/rng.js";
import { citedEvidence, LikedItems } from "../classic/positive-evidence.js";
import { isKnownItem, scoresBuffer } from "../classic/query-ratings.js";
import type { Explanation, Query } from "../recommender.js";
import { negativeFor } from "./bpr-sampler.js";
import { type ItemValues, knownUser, row } from "./evidence.js";
import { FactorSimilarity } from "./factor-similarity.js";
import { EXPLAIN_ITEMS } from "./mf-model.js";

export interface BprState {
  readonly factors: number;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly itemBias: Float32Array;
  /** Weighted evidence, customers × items (the positives). */
  readonly positives: Csr;
  /** The training data's rating scale (its midpoint is the floor of a liked rating). */
  readonly scale: { readonly min: number; readonly max: number };
  /**
   * Per positive, 1 where the customer liked the item (classic/positive-evidence.ts): a 1-star rating is a
   * (small) positive to BPR but no reason to cite. Absent in snapshots from before it existed.
   */
  readonly liked?: Uint8Array;
}

export interface BprFoldIn {
  readonly epochs: number;
  readonly learningRate: number;
  readonly regularization: number;
  /** A rating of value v in a history is a positive of weight v × ratingWeight. */
  readonly ratingWeight: number;
  /** Positives count in proportion to their weights (the fit's "weighted" sampling). */
  readonly weighted: boolean;
}

const FOLD_IN_SEED = 0x5eed;

export class BprModel {
  readonly users: number;
  readonly items: number;
  readonly k: number;
  private readonly itemSeen: Uint8Array;
  private readonly similarity: FactorSimilarity;
  private readonly weighted: boolean;

  constructor(
    readonly state: BprState,
    private readonly foldIn: BprFoldIn,
  ) {
    this.weighted = foldIn.weighted;
    this.users = state.positives.rows;
    this.items = state.positives.cols;
    this.k = state.factors;
    this.itemSeen = new Uint8Array(this.items);
    for (let p = 0; p < state.positives.indptr[this.users]!; p++) this.itemSeen[state.positives.indices[p]!] = 1;
    this.similarity = new FactorSimilarity(state.itemFactors, this.k, this.itemSeen);
  }

  /** The query's positives: history × rating weight plus feedback, summed per item, sorted; else the fitted row. */
  evidence(query: Query): ItemValues {
    const user = knownUser(query, this.users);
    if (query.history === undefined && query.feedback === undefined) {
      return user >= 0 ? row(this.state.positives, user) : { items: new Int32Array(0), values: new Float32Array(0) };
    }
    const sums = new Map<number, number>();
    const add = (v: ItemValues | undefined, scale: number): void => {
      if (!v) return;
      for (let t = 0; t < Math.min(v.items.length, v.values.length); t++) {
        const i = v.items[t]!;
        const w = v.values[t]! * scale;
        if (isKnownItem(i, this.items) && w > 0 && Number.isFinite(w)) sums.set(i, (sums.get(i) ?? 0) + w);
      }
    };
    add(query.history, this.foldIn.ratingWeight);
    add(query.feedback, 1);
    const items = Int32Array.from(sums.keys()).sort();
    return { items, values: Float32Array.from(items, (i) => sums.get(i)!) };
  }

  private sameAsFitted(e: ItemValues, user: number): boolean {
    const fitted = row(this.state.positives, user);
    if (fitted.items.length !== e.items.length) return false;
    for (let t = 0; t < e.items.length; t++) {
      if (fitted.items[t] !== e.items[t] || Math.abs(fitted.values[t]! - e.values[t]!) > 1e-4) return false;
    }
    return true;
  }

  /** p_u, fitted or folded in; null without evidence. */
  userVector(query: Query): Float32Array | null {
    const user = knownUser(query, this.users);
    const k = this.k;
    if (query.history === undefined && query.feedback === undefined) {
      const fittedRow = user >= 0 && this.state.positives.indptr[user + 1]! > this.state.positives.indptr[user]!;
      return fittedRow ? this.state.userFactors.subarray(user * k, user * k + k) : null;
    }
    const e = this.evidence(query);
    if (e.items.length === 0) return null;
    if (user >= 0 && this.sameAsFitted(e, user)) return this.state.userFactors.subarray(user * k, user * k + k);
    const p = new Float64Array(k);
    if (user >= 0) for (let c = 0; c < k; c++) p[c] = this.state.userFactors[user * k + c]!;
    this.sgdSteps(e, p);
    return Float32Array.from(p);
  }

  private sgdSteps(e: ItemValues, p: Float64Array): void {
    const { epochs, learningRate: lr, regularization: reg } = this.foldIn;
    const { itemFactors: Q, itemBias } = this.state;
    const k = this.k;
    const own: Csr = {
      rows: 1,
      cols: this.items,
      indptr: Int32Array.from([0, e.items.length]),
      indices: e.items,
      values: e.values,
    };
    const rng = new Rng(FOLD_IN_SEED);
    // Each positive once per pass, its step scaled by weight / mean weight: weighted sampling in expectation.
    let mean = 0;
    for (const w of e.values) mean += w / e.values.length;
    for (let pass = 0; pass < epochs; pass++) {
      for (let t = 0; t < e.items.length; t++) {
        const i = e.items[t]!;
        const j = negativeFor(own, 0, rng);
        if (!this.itemSeen[i] || i === j) continue;
        let x = itemBias[i]! - itemBias[j]!;
        for (let c = 0; c < k; c++) x += p[c]! * (Q[i * k + c]! - Q[j * k + c]!);
        const g = (this.weighted ? e.values[t]! / mean : 1) / (1 + Math.exp(x));
        for (let c = 0; c < k; c++) p[c] = p[c]! + lr * (g * (Q[i * k + c]! - Q[j * k + c]!) - reg * p[c]!);
      }
    }
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const scores = scoresBuffer(items.length, out);
    const p = this.userVector(query);
    if (p === null) return scores.fill(Number.NaN);
    const { itemFactors: Q, itemBias } = this.state;
    const k = this.k;
    for (let t = 0; t < items.length; t++) {
      const i = items[t]!;
      if (!isKnownItem(i, this.items) || !this.itemSeen[i]) {
        scores[t] = Number.NaN;
        continue;
      }
      let x = itemBias[i]!;
      for (let c = 0; c < k; c++) x += p[c]! * Q[i * k + c]!;
      scores[t] = x;
    }
    return scores;
  }

  /** Cites the customer's liked positives j with cos(q_i, q_j)·w_j > 0, largest first. */
  explain(query: Query, item: number): Explanation {
    const e = this.evidence(query);
    const candidates: number[] = [];
    const values: number[] = [];
    const weights: number[] = [];
    if (isKnownItem(item, this.items) && this.itemSeen[item] && this.userVector(query) !== null) {
      for (let t = 0; t < e.items.length; t++) {
        const j = e.items[t]!;
        if (j === item || !this.itemSeen[j]) continue;
        candidates.push(j);
        values.push(e.values[t]!);
        weights.push(this.similarity.cosine(item, j) * e.values[t]!);
      }
    }
    return citedEvidence(candidates, values, weights, candidates.length, this.likedOf(query), EXPLAIN_ITEMS);
  }

  /** What the customer liked: by the query's ratings and feedback when it has any, else by the fitted flags. */
  private likedOf(query: Query): LikedItems {
    if (query.history !== undefined || query.feedback !== undefined) {
      return LikedItems.of(query.history, query.feedback, this.state.scale);
    }
    const user = knownUser(query, this.users);
    if (user < 0) return LikedItems.NONE;
    const fitted = row(this.state.positives, user);
    const flags = this.state.liked;
    if (flags === undefined) return LikedItems.fromPositive(fitted.items, fitted.values);
    const { indptr } = this.state.positives;
    return LikedItems.fromFlags(fitted.items, flags.subarray(indptr[user]!, indptr[user + 1]!));
  }

  similarItems(item: number, count: number): { items: Int32Array; similarities: Float32Array } {
    return this.similarity.similarItems(item, count);
  }
}
