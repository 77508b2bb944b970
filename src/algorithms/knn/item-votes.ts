/**
 * item-knn's query-time votes: one customer's rated items, loaded into
 * per-item buffers, vote for the scored items either by a push along the
 * reverse neighbour lists (ranking many items) or by a pull from each scored
 * item's own list (predicting a few). Every path takes the same neighbours
 * (the k most similar rated items in i's list) and sums them in list order,
 * so the bits do not depend on the path.
 *
 * Cost per query: the push O(|I(u)| · M) plus O(M) for each scored item with
 * more than k rated neighbours; a pull O(items/32 + rated neighbours) with the
 * list-position map (knn/item-knn-state.ts), O(M) without. Loading and
 * clearing are O(|I(u)|); the buffers are O(items), allocated once per model.
 */
import type { ItemKnnState } from "./item-knn-state.js";

/** Neighbours summed per block by the branch-free pull before it checks whether k have voted. */
const PULL_BLOCK = 32;

export class ItemVotes {
  /** The current customer's deviation per item (NaN = not rated) and rating; reset by clear(). */
  readonly dev: Float64Array;
  readonly rating: Float64Array;
  /** The distinct items loaded (to push from, and to reset), `count` of them. */
  private readonly loaded: Int32Array;
  private count = 0;
  /** The same deviations with 0 where not rated, and 1/0 for rated/not: a branch-free pull (see pullAll). */
  private readonly devOrZero: Float64Array;
  private readonly rated: Float64Array;
  /** Per item: the votes Σ s·dev, weights Σ s (pushed or pulled) and the count of pushed votes. */
  readonly num: Float64Array;
  readonly den: Float64Array;
  readonly votes: Int32Array;
  /** Scratch for pullByPosition: one bit per list place; the customer's rated items as a bitset. */
  private readonly placeBits: Int32Array;
  private readonly ratedBits: Int32Array;

  /** Buffers for `state`'s catalogue; at most `k` neighbours vote for an item. */
  constructor(
    private readonly state: ItemKnnState,
    private readonly k: number,
  ) {
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

  /** Loads one of the customer's ratings with its deviation from the centre; a repeated item keeps the last. */
  rate(item: number, deviation: number, rating: number): void {
    if (Number.isNaN(this.dev[item]!)) this.loaded[this.count++] = item;
    this.dev[item] = deviation;
    this.rating[item] = rating;
    this.devOrZero[item] = deviation;
    this.rated[item] = 1;
    this.ratedBits[item >>> 5]! |= 1 << (item & 31);
  }

  /** Forgets the loaded customer: every buffer back to "not rated". */
  clear(): void {
    for (let k = 0; k < this.count; k++) {
      const j = this.loaded[k]!;
      this.dev[j] = Number.NaN;
      this.devOrZero[j] = 0;
      this.rated[j] = 0;
      this.ratedBits[j >>> 5] = 0;
    }
    this.count = 0;
  }

  /**
   * Push: every rated item j adds its vote to each item i that keeps j among its
   * M neighbours (the reverse lists), O(|I(u)| · M) instead of walking all lists.
   */
  push(): void {
    const { indptr, indices, values } = this.state.reverse;
    const { num, den, votes, dev } = this;
    num.fill(0);
    den.fill(0);
    votes.fill(0);
    for (let k = 0; k < this.count; k++) {
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

  /** True when pulling each of `wanted` items' votes reads fewer similarities than pushing from the rated items. */
  pullIsCheaper(wanted: number): boolean {
    const { neighbours, reverse } = this.state;
    const pulling = wanted * (neighbours.indices.length / Math.max(1, neighbours.indptr.length - 1));
    let pushing = 0;
    for (let k = 0; k < this.count && pushing <= pulling; k++) {
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
    const { indptr, indices, similarities } = this.state.neighbours;
    const { devOrZero, rated } = this;
    const k = this.k;
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

  /**
   * One item's pull into num/den; returns how many voted. From the list-position map when the customer rated
   * fewer items than i keeps, else the walk.
   */
  pullOne(item: number): number {
    const s = this.state;
    const { indptr } = s.neighbours;
    const wordsToAnd = s.listWords + (this.count >>> 2); // the bitset AND plus the rated items it turns up, roughly
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
    const s = this.state;
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
    const k = this.k;
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
  pull(item: number): number {
    const { indptr, indices, similarities } = this.state.neighbours;
    const dev = this.dev;
    const k = this.k;
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
}
