/**
 * user-knn's query-time votes: given one customer's similarities to the
 * community, each scored item's k most similar raters vote with their
 * centred ratings. Ranking a catalogue lets every neighbour vote at once, in
 * order of similarity (vote); predicting a few items picks each item's
 * voters from its column (pickVoters). Both choose the same neighbours (ties
 * to the lower id) and sum them in the same order, so the bits do not depend
 * on the path.
 *
 * Cost per query: the vote O(users log users + ratings of the neighbours);
 * picking O(|U(i)| + neighbours/32) per item, after ranking a computed
 * customer's neighbours once, O(users log users) (the similarity table has
 * the ranks of fitted customers). The buffers are O(users + items),
 * allocated once per model.
 */
import { sortBestFirst } from "../../linalg/select-top.js";
import { isKnownItem } from "../classic/query-ratings.js";
import type { UserKnnState } from "./user-knn-state.js";
import { noVoteSlot, rankNeighbours } from "./user-similarity-table.js";

/** One customer's view of the community: their centre and similarity to every fitted customer. */
export interface UserContext {
  readonly userMean: number;
  readonly userBias: number;
  /** A view of the similarity table, or the model's scratch for a computed query. */
  readonly sims: Float64Array;
  /** Co-ratings per customer (null when read from the table: neighbors() computes them). */
  overlap: Int32Array | null;
  /** Each customer's vote order among the positive neighbours (null until pickVoters needs it). */
  rank: Int32Array | null;
  /** How many positive neighbours there are (valid with `rank`). */
  positives: number;
  /** True once the votes' num/den/support hold this customer's votes on every item. */
  voted: boolean;
}

export class UserVotes {
  // Neighbours in order, and per item the neighbours' weighted votes Σ s·dev, weights Σ s and their number
  // (valid while the context says `voted`).
  private readonly order: Int32Array;
  readonly num: Float64Array;
  readonly den: Float64Array;
  readonly support: Int32Array;
  // A computed context's neighbour ranks.
  private readonly rankScratch: Int32Array;
  // Scratch for pickVoters(): one bit per neighbour rank, and the column position of each rank's rater.
  private readonly rankBits: Int32Array;
  private readonly rankPos: Int32Array;
  /** One item's vote from pickVoters(): Σ s·dev and Σ s of its k nearest raters. */
  itemNum = 0;
  itemDen = 0;

  /** Buffers for `state`'s community and catalogue; at most `k` neighbours vote for an item. */
  constructor(
    private readonly state: UserKnnState,
    private readonly k: number,
  ) {
    const { rows, cols } = state.ratings;
    this.order = new Int32Array(rows);
    this.num = new Float64Array(cols);
    this.den = new Float64Array(cols);
    this.support = new Int32Array(cols);
    this.rankScratch = new Int32Array(rows);
    const slots = noVoteSlot(rows) + 1; // real ranks, then the non-neighbours' slot
    this.rankBits = new Int32Array((slots + 31) >>> 5);
    this.rankPos = new Int32Array(slots);
  }

  /**
   * Every item's vote at once: neighbours in order of similarity (ties to the lower id) each add their
   * centred rating to the items they rated that have fewer than k votes yet, which is exactly the k
   * most similar raters of every item. O(users log users + ratings of the neighbours), no heap.
   */
  vote(ctx: UserContext): void {
    if (ctx.voted) return;
    const s = this.state;
    const { sims } = ctx;
    const { num, den, support: count } = this;
    const users = sims.length;
    const order = this.order;
    let n = 0;
    for (let v = 0; v < users; v++) if (sims[v]! > 0) order[n++] = v;
    sortBestFirst(sims, order, n);
    count.fill(0);
    num.fill(0);
    den.fill(0);
    const k = this.k;
    const { indptr, indices } = s.ratings;
    const dev = s.devValue;
    for (let t = 0; t < n; t++) {
      const v = order[t]!;
      const sim = sims[v]!;
      for (let p = indptr[v]!, end = indptr[v + 1]!; p < end; p++) {
        const j = indices[p]!;
        if (count[j]! >= k) continue;
        count[j]!++;
        num[j]! += sim * dev[p]!;
        den[j]! += sim;
      }
    }
    ctx.voted = true;
  }

  /**
   * Item i's vote from its own column: its raters who are positive neighbours, the k of smallest rank (the
   * most similar, ties to the lower id, as in vote()), summed in rank order (so bit-identical to vote()) into
   * itemNum/itemDen; returns how many voted. Each rater's rank is set as a bit (a non-neighbour's in a slot
   * never read back, so the column scan has no branch), then the bits are read back in order:
   * O(|U(i)| + neighbours/32), no comparisons.
   */
  pickVoters(ctx: UserContext, item: number): number {
    const s = this.state;
    const { indptr, indices } = s.byItem;
    const { sims } = ctx;
    const rank = ctx.rank ?? this.rankNeighbours(ctx);
    const dev = s.devByItem;
    const bits = this.rankBits;
    const at = this.rankPos;
    for (let p = indptr[item]!, end = indptr[item + 1]!; p < end; p++) {
      const r = rank[indices[p]!]!;
      bits[r >>> 5]! |= 1 << (r & 31);
      at[r] = p;
    }
    const k = this.k;
    let used = 0;
    let num = 0;
    let den = 0;
    for (let w = 0, words = (ctx.positives + 31) >>> 5; w < words; w++) {
      let word = bits[w]!;
      if (word === 0) continue;
      bits[w] = 0;
      while (word !== 0 && used < k) {
        const low = word & -word;
        word ^= low;
        const p = at[(w << 5) + 31 - Math.clz32(low)]!;
        const sim = sims[indices[p]!]!;
        num += sim * dev[p]!;
        den += sim;
        used++;
      }
    }
    this.itemNum = num;
    this.itemDen = den;
    return used;
  }

  /** The vote order of a computed context's neighbours (the table has it precomputed). */
  private rankNeighbours(ctx: UserContext): Int32Array {
    ctx.positives = rankNeighbours(ctx.sims, this.order, this.rankScratch);
    ctx.rank = this.rankScratch;
    return this.rankScratch;
  }

  /** True when voting on the whole catalogue costs less than picking each item's voters from its column. */
  voteIsCheaper(ctx: UserContext, items: Int32Array): boolean {
    if (ctx.voted) return true;
    const s = this.state;
    const { indptr } = s.byItem;
    const cols = s.ratings.cols;
    const all = indptr[cols]!; // the vote reads at most every rating once
    let picking = 0;
    for (let k = 0; k < items.length && picking < all; k++) {
      const i = items[k]!;
      if (isKnownItem(i, cols)) picking += indptr[i + 1]! - indptr[i]!;
    }
    return picking >= all;
  }
}
