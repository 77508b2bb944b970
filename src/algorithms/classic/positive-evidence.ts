/**
 * What an explanation may cite: only the customer's positive evidence. A
 * factor model's score decomposes over all of a customer's items, and a
 * 1-star rating can push a score up (a negative surprise times a negative
 * similarity), but "because you rated Operation Dumbo Drop (rated 1)" is
 * wrong to a customer. Every factor model (als, ials, svd, svdpp, bpr, ease)
 * filters its decomposition through citedEvidence() below, so they all cite
 * by one rule; scoring never reads this file.
 *
 * The rule. An item is liked when
 *   - the customer rated it, and the rating is at or above
 *     max(midpoint of the rating scale, the customer's own mean rating):
 *     the mean adapts to how they rate (a generous rater's 3 is a complaint),
 *     and the midpoint floor keeps a harsh or a one-rating customer's low
 *     ratings from ever reading as praise (a customer whose ratings are all 1
 *     has a mean of 1, but nothing they rated was liked); or
 *   - they did not rate it, and their net weighted feedback on it is
 *     positive (bought, liked, viewed; a dislike weighs against).
 * A rated item is judged by its rating alone, since that is what the
 * explanation quotes ("rated 1"), even if they also bought it.
 * An explanation then lists the liked items whose contribution to this
 * item's score is positive, largest first; when none qualifies it is empty,
 * and the engine says so in words ("rated well by the community ...", or
 * "chosen by customers whose choices resemble yours" for a ranking model).
 */
import { type Csr, findSorted } from "../../core/csr.js";
import type { RatingScale } from "../../core/types.js";
import { topK } from "../../linalg/top-k.js";

export interface ItemValues {
  readonly items: Int32Array;
  readonly values: Float32Array;
}

export type ItemsExplanation = {
  readonly kind: "items";
  readonly items: Int32Array;
  readonly values: Float32Array;
  readonly weights: Float32Array;
};

type Scale = Pick<RatingScale, "min" | "max">;

/** The rating at or above which a rating counts as liked: max(scale midpoint, mean of `ratings`). */
export function likedRatingThreshold(ratings: ArrayLike<number>, scale: Scale): number {
  const midpoint = (scale.min + scale.max) / 2;
  let sum = 0;
  let n = 0;
  for (let t = 0; t < ratings.length; t++) {
    const r = ratings[t]!;
    if (!Number.isFinite(r)) continue;
    sum += r;
    n++;
  }
  return n === 0 ? midpoint : Math.max(midpoint, sum / n);
}

/** Positions 0..n-1 sorted by item id, ties in input order (the later entry of an item wins where it matters). */
function orderByItem(items: Int32Array, n: number): Int32Array {
  const order = new Int32Array(n);
  for (let t = 0; t < n; t++) order[t] = t;
  return order.sort((a, b) => items[a]! - items[b]! || a - b);
}

const contains = (sorted: Int32Array, item: number): boolean => findSorted(sorted, 0, sorted.length, item) >= 0;

/** One customer's liked items (dense ids), for the explanations of one answer. */
export class LikedItems {
  static readonly NONE = new LikedItems(new Int32Array(0));

  private constructor(
    /** Liked item ids, ascending, without repeats. */
    private readonly sorted: Int32Array,
  ) {}

  /**
   * From the customer's current ratings and weighted feedback (a query's history and feedback; either may be
   * absent). A repeated rated item keeps its last rating; repeated feedback on an item is summed.
   */
  static of(ratings: ItemValues | undefined, feedback: ItemValues | undefined, scale: Scale): LikedItems {
    const liked: number[] = [];
    const rated: number[] = [];
    if (ratings !== undefined) {
      const n = Math.min(ratings.items.length, ratings.values.length);
      const threshold = likedRatingThreshold(ratings.values.subarray(0, n), scale);
      const order = orderByItem(ratings.items, n);
      for (let s = 0; s < n; s++) {
        const t = order[s]!;
        const item = ratings.items[t]!;
        if (s + 1 < n && ratings.items[order[s + 1]!] === item) continue; // a later rating of the item wins
        if (!Number.isFinite(ratings.values[t]!)) continue;
        rated.push(item);
        if (ratings.values[t]! >= threshold) liked.push(item);
      }
    }
    if (feedback !== undefined) {
      const ratedSorted = Int32Array.from(rated);
      const n = Math.min(feedback.items.length, feedback.values.length);
      const order = orderByItem(feedback.items, n);
      for (let s = 0; s < n; ) {
        const item = feedback.items[order[s]!]!;
        let net = 0;
        for (; s < n && feedback.items[order[s]!] === item; s++) net += feedback.values[order[s]!]!;
        if (net > 0 && !contains(ratedSorted, item)) liked.push(item);
      }
    }
    const sorted = Int32Array.from(liked).sort();
    return new LikedItems(sorted);
  }

  /** From one fitted evidence row and its flags (likedFlags below): the items flagged liked. */
  static fromFlags(items: Int32Array, flags: Uint8Array): LikedItems {
    const liked: number[] = [];
    for (let t = 0; t < items.length; t++) if (flags[t]) liked.push(items[t]!);
    return new LikedItems(Int32Array.from(liked).sort());
  }

  /** Every item with positive evidence counts as liked: for fitted evidence saved without flags (older snapshots). */
  static fromPositive(items: Int32Array, values: Float32Array): LikedItems {
    const liked: number[] = [];
    for (let t = 0; t < items.length; t++) if (values[t]! > 0) liked.push(items[t]!);
    return new LikedItems(Int32Array.from(liked).sort());
  }

  has(item: number): boolean {
    return contains(this.sorted, item);
  }

  get size(): number {
    return this.sorted.length;
  }
}

/**
 * For each entry of a fitted evidence matrix (customers × items, rows sorted by item), 1 where the customer
 * liked the item by the rule above, judged against their training `ratings` (same rows, sorted by item):
 * a rated item by its rating, an unrated one by a positive evidence value. O(nnz · log(row length)).
 */
export function likedFlags(evidence: Csr, ratings: Csr, scale: Scale): Uint8Array {
  const flags = new Uint8Array(evidence.indptr[evidence.rows]!);
  for (let u = 0; u < evidence.rows; u++) {
    const rStart = u < ratings.rows ? ratings.indptr[u]! : 0;
    const rEnd = u < ratings.rows ? ratings.indptr[u + 1]! : 0;
    const threshold = likedRatingThreshold(ratings.values.subarray(rStart, rEnd), scale);
    for (let p = evidence.indptr[u]!; p < evidence.indptr[u + 1]!; p++) {
      const at = findSorted(ratings.indices, rStart, rEnd, evidence.indices[p]!);
      flags[p] = (at >= 0 ? ratings.values[at]! >= threshold : evidence.values[p]! > 0) ? 1 : 0;
    }
  }
  return flags;
}

/**
 * The explanation from a score's decomposition over the customer's items: entries t < n whose item is liked
 * and whose weight (contribution) is positive and finite, largest weight first, at most `limit` of them.
 */
export function citedEvidence(
  items: ArrayLike<number>,
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
  n: number,
  liked: LikedItems,
  limit: number,
): ItemsExplanation {
  const keep: number[] = [];
  for (let t = 0; t < n; t++) {
    const w = weights[t]!;
    if (w > 0 && Number.isFinite(w) && liked.has(items[t]!)) keep.push(t);
  }
  const kept = Float64Array.from(keep, (t) => weights[t]!);
  const best = topK(kept, Math.min(limit, keep.length));
  return {
    kind: "items",
    items: Int32Array.from(best, (b) => items[keep[b]!]!),
    values: Float32Array.from(best, (b) => values[keep[b]!]!),
    weights: Float32Array.from(best, (b) => weights[keep[b]!]!),
  };
}
