/**
 * A fitted ALS model (explicit or implicit): scoring, fold-in of a customer
 * from their current evidence, the explain decomposition, similar items, and
 * the arrays a snapshot holds. `als` and `ials` wrap it with their configs.
 *
 * Explain (Hu, Koren & Volinsky 2008, §5): the user vector is the solution
 * x_u = A_u⁻¹·Σ_j w_j ỹ_j of the row solve, so the score decomposes over the
 * customer's own items as ŝ_ui = Σ_j (ỹ_iᵀ A_u⁻¹ ỹ_j)·w_j, with w_j = c_j
 * (implicit) or r_uj − μ − b_j (explicit, ỹ = [y, 1]). The decomposition is of
 * the exact solve, so with a conjugate-gradient fit it explains the exact
 * solution that the fitted vector approximates. The factor L of A_u (A_u = L·Lᵀ) is the
 * fold-in's own: kept with the user vector, so explaining r items of one answer costs one
 * factorisation (O(n·k² + k³), shared with scoring) plus O(k² + n·k) per item.
 * decompose() returns every term; explain() only the liked items with a positive
 * term (classic/positive-evidence.ts), which is what a customer is shown.
 */
import type { Csr } from "../../core/csr.js";
import { choleskySolve } from "../../linalg/cholesky.js";
import { rowNorms } from "../../linalg/dense.js";
import { gramDense } from "../../linalg/gram.js";
import { topK } from "../../linalg/top-k.js";
import { citedEvidence, LikedItems } from "../classic/positive-evidence.js";
import type { Explanation, Query } from "../recommender.js";
import type { AlsParams } from "./problem.js";
import { RowSolver } from "./row-solver.js";

export interface FactorArrays {
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  /** Length 0 when the model has no biases. */
  readonly userBias: Float32Array;
  readonly itemBias: Float32Array;
  /** The training evidence, users × items (ratings, or weighted events). */
  readonly evidence: Csr;
  /**
   * Implicit models: per evidence entry, 1 where the customer liked the item (classic/positive-evidence.ts),
   * since the weighted evidence no longer says what they rated it. Absent in snapshots from before it existed.
   */
  readonly liked?: Uint8Array;
}

/** One customer's evidence: items and their values (ratings, or weighted event strengths). */
export interface Evidence {
  readonly items: Int32Array;
  readonly values: Float32Array;
}

export interface UserVector {
  /** k factors, then the user bias (explicit with biases). */
  readonly x: Float64Array;
  readonly evidence: Evidence;
  /**
   * L with A_u = L·Lᵀ (lower triangle, d×d) of the exact solve from `evidence`: set by fold-in, or by the
   * first explanation of a fitted vector; the explain decomposition reuses it.
   */
  factored?: Float64Array;
}

export class FactorModel {
  readonly users: number;
  readonly items: number;
  readonly k: number;
  private readonly withBias: boolean;
  private readonly solver: RowSolver;
  /** YᵀY of the item factors (implicit fold-in); computed once, deterministically, after fit or restore. */
  private readonly itemGram: Float64Array;
  private itemNorms: Float64Array | undefined;
  /** Scratch of explain (one call at a time): z = A_u⁻¹·ỹ_i and the contributions (no per-item allocations). */
  private readonly z: Float64Array;
  private contributions = new Float64Array(0);

  constructor(
    readonly params: AlsParams,
    readonly arrays: FactorArrays,
    /** Clamp explicit predictions to the rating scale [min, max] (no clamp when undefined). */
    readonly clamp: readonly [number, number] | undefined,
  ) {
    this.k = params.factors;
    this.users = arrays.evidence.rows;
    this.items = arrays.evidence.cols;
    this.withBias = params.mode === "explicit" && params.biases;
    // Fold-in and explain solve exactly (Cholesky): one k×k solve per query.
    this.solver = new RowSolver({ ...params, solver: "cholesky" });
    this.z = new Float64Array(this.solver.unknowns);
    this.itemGram =
      params.mode === "implicit"
        ? gramDense(arrays.itemFactors, this.items, this.k)
        : new Float64Array(this.k * this.k);
  }

  /** The customer's evidence in the training data (a view, not a copy). */
  trainingEvidence(user: number): Evidence {
    const { indptr, indices, values } = this.arrays.evidence;
    const start = indptr[user]!;
    const end = indptr[user + 1]!;
    return { items: indices.subarray(start, end), values: values.subarray(start, end) };
  }

  /** Solves a user vector from evidence against the fixed item factors (fold-in; one k×k solve). */
  foldIn(evidence: Evidence): UserVector {
    const d = this.solver.unknowns;
    const factors = new Float32Array(this.k);
    const bias = new Float32Array(1);
    const { itemFactors, itemBias } = this.arrays;
    this.solver.solve(
      evidence.items,
      evidence.values,
      0,
      evidence.items.length,
      itemFactors,
      itemBias,
      this.itemGram,
      factors,
      bias,
      0,
    );
    const x = new Float64Array(d);
    for (let f = 0; f < this.k; f++) x[f] = factors[f]!;
    if (d > this.k) x[this.k] = bias[0]!;
    // The solve left A_u factored: keep L for the explanations of this answer (no second factorisation).
    return { x, evidence, factored: this.solver.factoredMatrix.slice(0, d * d) };
  }

  /** The fitted vector of a known user. */
  fitted(user: number): UserVector {
    const d = this.solver.unknowns;
    const x = new Float64Array(d);
    for (let f = 0; f < this.k; f++) x[f] = this.arrays.userFactors[user * this.k + f]!;
    if (d > this.k) x[this.k] = this.arrays.userBias[user]!;
    return { x, evidence: this.trainingEvidence(user) };
  }

  /**
   * Who the query is about: evidence from the query (folded in) when `evidenceOf`
   * finds any, else the fitted vector of a known user, else null (cannot score).
   */
  resolve(query: Query, evidenceOf: (query: Query) => Evidence | null): UserVector | null {
    const evidence = evidenceOf(query);
    if (evidence !== null) return this.foldIn(evidence);
    const user = query.user ?? -1;
    if (Number.isInteger(user) && user >= 0 && user < this.users) return this.fitted(user);
    return null;
  }

  /** Scores items for a resolved user (NaN for unknown items, or every item when `user` is null). */
  score(user: UserVector | null, items: Int32Array, out?: Float32Array): Float32Array {
    const result = out ?? new Float32Array(items.length);
    const { k } = this;
    const { itemFactors, itemBias } = this.arrays;
    const mean = this.params.mode === "explicit" ? this.params.mean : 0;
    const userBias = this.withBias && user ? user.x[k]! : 0;
    for (let t = 0; t < items.length; t++) {
      const i = items[t]!;
      if (user === null || !(i >= 0 && i < this.items)) {
        result[t] = Number.NaN;
        continue;
      }
      let s = mean + userBias + (this.withBias ? itemBias[i]! : 0);
      const base = i * k;
      for (let f = 0; f < k; f++) s += user.x[f]! * itemFactors[base + f]!;
      if (this.clamp) s = Math.min(this.clamp[1], Math.max(this.clamp[0], s));
      result[t] = s;
    }
    return result;
  }

  /**
   * The explain decomposition over the customer's own items, every one of them, most positive contribution
   * first: the model's arithmetic (the contributions add up to the score). What a customer is shown is explain().
   */
  decompose(user: UserVector | null, item: number): Explanation {
    const n = this.contributionsTo(user, item);
    if (n === 0 || user === null) return citedNothing();
    const { items, values } = user.evidence;
    const contributions = this.contributions.subarray(0, n);
    const order = topK(contributions, n);
    return {
      kind: "items",
      items: Int32Array.from(order, (t) => items[t]!),
      values: Float32Array.from(order, (t) => values[t]!),
      weights: Float32Array.from(order, (t) => contributions[t]!),
    };
  }

  /** The decomposition cut to what a customer may be told: the liked items with a positive contribution. */
  explain(user: UserVector | null, item: number, liked: LikedItems): Explanation {
    const n = this.contributionsTo(user, item);
    if (n === 0 || user === null) return citedNothing();
    const { items, values } = user.evidence;
    return citedEvidence(items, values, this.contributions, n, liked, n);
  }

  /** The customer's liked items in the training evidence (explicit: it is their ratings; implicit: `liked` flags). */
  fittedLiked(user: number, scale: { readonly min: number; readonly max: number }): LikedItems {
    if (!(Number.isInteger(user) && user >= 0 && user < this.users)) return LikedItems.NONE;
    const row = this.trainingEvidence(user);
    if (this.params.mode === "explicit") return LikedItems.of(row, undefined, scale);
    const flags = this.arrays.liked;
    if (flags === undefined) return LikedItems.fromPositive(row.items, row.values);
    const { indptr } = this.arrays.evidence;
    return LikedItems.fromFlags(row.items, flags.subarray(indptr[user]!, indptr[user + 1]!));
  }

  /** Fills this.contributions[0..n) with each evidence item's share of the score; returns n (0: nothing to explain). */
  private contributionsTo(user: UserVector | null, item: number): number {
    const { k } = this;
    const d = this.solver.unknowns;
    const { itemFactors, itemBias } = this.arrays;
    if (user === null || !(item >= 0 && item < this.items) || user.evidence.items.length === 0) return 0;
    const { items, values } = user.evidence;
    const z = this.z;
    for (let f = 0; f < k; f++) z[f] = itemFactors[item * k + f]!;
    if (d > k) z[k] = 1;
    choleskySolve(this.factorOf(user), d, z, z);
    const n = items.length;
    if (this.contributions.length < n)
      this.contributions = new Float64Array(Math.max(n, 2 * this.contributions.length));
    const contributions = this.contributions;
    for (let t = 0; t < n; t++) {
      const j = items[t]!;
      if (!(j >= 0 && j < this.items)) {
        contributions[t] = 0;
        continue;
      }
      let s = d > k ? z[k]! : 0;
      for (let f = 0; f < k; f++) s += z[f]! * itemFactors[j * k + f]!;
      const v = values[t]!;
      const w =
        this.params.mode === "explicit"
          ? v - this.params.mean - (this.withBias ? itemBias[j]! : 0)
          : v > 0
            ? 1 + this.params.alpha * v
            : 0;
      contributions[t] = s * w;
    }
    return n;
  }

  /** L of the user's A_u: the fold-in's, or (a fitted vector) solved once exactly and kept on the vector. */
  private factorOf(user: UserVector): Float64Array {
    if (user.factored) return user.factored;
    const { items, values } = user.evidence;
    const { itemFactors, itemBias } = this.arrays;
    this.solver.solve(
      items,
      values,
      0,
      items.length,
      itemFactors,
      itemBias,
      this.itemGram,
      new Float32Array(this.k),
      new Float32Array(1),
      0,
    );
    const d = this.solver.unknowns;
    user.factored = this.solver.factoredMatrix.slice(0, d * d);
    return user.factored;
  }

  /** Items closest to `item` by cosine similarity of their factors, most similar first. */
  similarItems(item: number, count: number): { items: Int32Array; similarities: Float32Array } {
    if (!(item >= 0 && item < this.items) || count <= 0) {
      return { items: new Int32Array(0), similarities: new Float32Array(0) };
    }
    const { k } = this;
    const y = this.arrays.itemFactors;
    this.itemNorms ??= rowNorms(y, this.items, k);
    const norms = this.itemNorms;
    const sims = new Float64Array(this.items);
    const ni = norms[item]!;
    for (let j = 0; j < this.items; j++) {
      const nj = norms[j]!;
      if (ni === 0 || nj === 0) {
        sims[j] = Number.NaN;
        continue;
      }
      let s = 0;
      for (let f = 0; f < k; f++) s += y[item * k + f]! * y[j * k + f]!;
      sims[j] = s / (ni * nj);
    }
    const skip = new Uint8Array(this.items);
    skip[item] = 1;
    const top = topK(sims, count, skip);
    return { items: top, similarities: Float32Array.from(top, (j) => sims[j]!) };
  }
}

/** An explanation that cites nothing. */
function citedNothing(): Explanation {
  return { kind: "items", items: new Int32Array(0), values: new Float32Array(0), weights: new Float32Array(0) };
}

/**
 * Merges evidence parts (history ratings, feedback) into one list sorted by
 * item, dropping items outside [0, items) and non-finite values, each part
 * scaled by its weight; a repeated item keeps the sum of its values ("sum",
 * for event strengths) or the last one given ("last", for ratings).
 * Cost O(n log n) for n entries.
 */
export function mergeEvidence(
  parts: ReadonlyArray<{ readonly items: Int32Array; readonly values: Float32Array; readonly weight: number }>,
  itemCount: number,
  combine: "sum" | "last",
): Evidence {
  let total = 0;
  for (const part of parts) total += part.items.length;
  const items = new Int32Array(total);
  const values = new Float32Array(total);
  let n = 0;
  for (const part of parts) {
    if (part.weight === 0) continue;
    for (let t = 0; t < part.items.length; t++) {
      const i = part.items[t]!;
      const v = part.values[t]! * part.weight;
      if (!(i >= 0 && i < itemCount) || !Number.isFinite(v)) continue;
      items[n] = i;
      values[n] = v;
      n++;
    }
  }
  const order = new Int32Array(n);
  for (let t = 0; t < n; t++) order[t] = t;
  order.sort((a, b) => items[a]! - items[b]! || a - b);
  const outItems = new Int32Array(n);
  const outValues = new Float32Array(n);
  let m = 0;
  for (let t = 0; t < n; t++) {
    const p = order[t]!;
    if (m > 0 && outItems[m - 1] === items[p]) {
      outValues[m - 1] = combine === "sum" ? outValues[m - 1]! + values[p]! : values[p]!;
      continue;
    }
    outItems[m] = items[p]!;
    outValues[m] = values[p]!;
    m++;
  }
  return { items: outItems.slice(0, m), values: outValues.slice(0, m) };
}
