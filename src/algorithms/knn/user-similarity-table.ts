/**
 * One customer's similarities to every fitted customer (the per-query step
 * of user-knn), and the table of them for every fitted customer at once.
 *
 * The table is what makes rating prediction for fitted customers cheap: on
 * ml-100k the per-query similarity sums cost ≈ 55 ms for the 943 customers of
 * a fold, more than the whole 50 ms budget for predicting its 20,000 held-out
 * ratings (issue 5). It is filled by the very same per-customer computation
 * (same inputs, same summation order), so a score read from it is
 * bit-identical to one computed on the fly. Fit fills every row (in the fit
 * worker); a restored model fills each row the first time its customer is
 * asked (≈ 0.25 ms per row on ml-100k) instead of all at once on the thread
 * that answers requests (≈ 240 ms for ml-100k, ≈ 1 s at 2,048 customers),
 * with the same bits either way. A query with a `history` (a fold-in) still
 * computes its similarities on the fly.
 *
 * Beside each similarity the table keeps the neighbour's rank among the
 * customer's positive neighbours (most similar first, ties to the lower id):
 * the order in which neighbours vote, so one item's k nearest raters are its
 * raters of smallest rank (user-knn's pickVoters) and their votes are summed
 * in the same order as the whole-catalogue vote, bit for bit.
 *
 * Memory: 12 bytes per pair of customers (a Float64 similarity and an Int32
 * rank), so it is only built up to TABLE_CELLS pairs (48 MB at 2,048
 * customers); a bigger community computes every query on the fly as before.
 */
import type { Csr } from "../../core/csr.js";
import { sortBestFirst } from "../../linalg/select-top.js";
import { type Centring, type CentringContext, centred } from "../similarity/transforms.js";
import { type SimilarityOptions, UserSimilarityWorkspace } from "./user-similarities.js";

/** Most customer pairs (users²) kept in a precomputed table. */
export const TABLE_CELLS = 2048 * 2048;

/** What the similarity sums need from the fitted state. */
export interface SimilarityInputs {
  readonly byItem: Csr;
  /** The other customers' centred ratings, aligned with byItem.values. */
  readonly simValue: Float32Array;
  readonly simCentring: Centring;
  readonly centring: CentringContext;
  readonly similarity: SimilarityOptions;
}

/** The mean of a customer's ratings (`fallback` when they have none), summed in order. */
export function meanRating(values: Float32Array, fallback: number): number {
  const n = values.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += values[k]!;
  return n > 0 ? sum / n : fallback;
}

/**
 * Fills `sims` and `overlap` (length users) for the customer who rated `items` with `values`
 * (bias `userBias`; `self` is their fitted id or -1). Returns their mean rating.
 */
export function customerSimilarities(
  inputs: SimilarityInputs,
  workspace: UserSimilarityWorkspace,
  items: Int32Array,
  values: Float32Array,
  userBias: number,
  self: number,
  sims: Float64Array,
  overlap: Int32Array,
): number {
  const n = items.length;
  const userMean = meanRating(values, inputs.centring.globalMean);
  const x = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    x[k] = centred(inputs.simCentring, inputs.centring, userMean, userBias, items[k]!, values[k]!);
  }
  workspace.compute(inputs.byItem, inputs.simValue, items, x, self, inputs.similarity, sims, overlap);
  return userMean;
}

/**
 * The rank given to customers who are not neighbours: the first slot of a 32-slot word past every real rank,
 * so a bitset over ranks can set it without a branch and never read it back.
 */
export function noVoteSlot(users: number): number {
  return ((users + 31) >>> 5) << 5;
}

/**
 * Ranks the positive similarities (most similar first, ties to the lower id) into `rank` (noVoteSlot
 * elsewhere); `order` is scratch of the same length. Returns how many are positive.
 */
export function rankNeighbours(sims: Float64Array, order: Int32Array, rank: Int32Array): number {
  const none = noVoteSlot(sims.length);
  let n = 0;
  for (let v = 0; v < sims.length; v++) {
    rank[v] = none;
    if (sims[v]! > 0) order[n++] = v;
  }
  sortBestFirst(sims, order, n);
  for (let t = 0; t < n; t++) rank[order[t]!] = t;
  return n;
}

/**
 * Similarities and neighbour ranks of every fitted customer to every other, row-major (row u = customer u),
 * each row computed the first time it is read (or all at once by fillAll()).
 */
export class UserSimilarityTable {
  readonly users: number;
  private readonly sims: Float64Array;
  /** v's place among u's positive neighbours (0 = most similar), noVoteSlot(users) when v is not one. */
  private readonly rank: Int32Array;
  /** How many positive neighbours each customer has (their ranks are 0 .. positives − 1). */
  private readonly positives: Int32Array;
  private readonly filled: Uint8Array;
  private readonly overlap: Int32Array;
  private readonly order: Int32Array;
  private readonly workspace: UserSimilarityWorkspace;

  constructor(
    private readonly inputs: SimilarityInputs,
    private readonly ratings: Csr,
  ) {
    const users = ratings.rows;
    this.users = users;
    this.sims = new Float64Array(users * users);
    this.rank = new Int32Array(users * users);
    this.positives = new Int32Array(users);
    this.filled = new Uint8Array(users);
    this.overlap = new Int32Array(users);
    this.order = new Int32Array(users);
    this.workspace = new UserSimilarityWorkspace(users);
  }

  /** Customer u's similarities, neighbour ranks and count of positive neighbours (views into the table). */
  row(u: number): { sims: Float64Array; rank: Int32Array; positives: number } {
    const users = this.users;
    const sims = this.sims.subarray(u * users, (u + 1) * users);
    const rank = this.rank.subarray(u * users, (u + 1) * users);
    if (this.filled[u] === 0) {
      const { ratings, inputs } = this;
      const start = ratings.indptr[u]!;
      const end = ratings.indptr[u + 1]!;
      customerSimilarities(
        inputs,
        this.workspace,
        ratings.indices.subarray(start, end),
        ratings.values.subarray(start, end),
        inputs.centring.userBias[u]!,
        u,
        sims,
        this.overlap,
      );
      this.positives[u] = rankNeighbours(sims, this.order, rank);
      this.filled[u] = 1;
    }
    return { sims, rank, positives: this.positives[u]! };
  }

  /** Computes every row now. O(Σ_j |raters of j|² + users² log users). */
  fillAll(): void {
    for (let u = 0; u < this.users; u++) this.row(u);
  }
}

/**
 * The table for every customer of `ratings` (every row computed now when `eager`, else on first use), or
 * null past TABLE_CELLS.
 */
export function userSimilarityTable(
  inputs: SimilarityInputs,
  ratings: Csr,
  eager: boolean,
): UserSimilarityTable | null {
  const users = ratings.rows;
  if (users * users > TABLE_CELLS) return null;
  const table = new UserSimilarityTable(inputs, ratings);
  if (eager) table.fillAll();
  return table;
}
