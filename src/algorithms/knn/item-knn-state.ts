/**
 * The fitted state of item-knn: each item's neighbour list (the model), the
 * ratings of the fitted customers (to score them without a history), the
 * baseline biases and item means (the centres). A snapshot stores exactly
 * these; the derived centring context and reverse lists are rebuilt by this
 * one function.
 */
import { type Csr, transpose } from "../../core/csr.js";
import type { ModelSnapshot, NumericArray } from "../../core/snapshot.js";
import type { RatingScale } from "../../core/types.js";
import type { Biases } from "../classic/biases.js";
import { csrArrays, snapshotArray, snapshotCount, snapshotCsr, snapshotNumber } from "../classic/snapshot-io.js";
import { type CentringContext, rowMeans } from "../similarity/transforms.js";
import type { NeighbourLists } from "./item-similarities.js";

export interface ItemKnnState {
  readonly ratings: Csr;
  readonly neighbours: NeighbourLists;
  /** Derived: the transpose of the lists, row j = the items that keep j as a neighbour, with similarities. */
  readonly reverse: Csr;
  readonly biases: Biases;
  readonly centring: CentringContext;
  readonly scale: RatingScale;
  /**
   * Derived, for catalogues up to LIST_POSITION_CELLS pairs: row i, column j = j's place in i's list, or
   * `noListSlot` when i does not keep j. A prediction then reads the customer's rated items in i's row instead
   * of walking i's whole list (item-knn's pullByPosition). Null for a bigger catalogue or longer lists.
   */
  readonly listPosition: Int16Array | null;
  /** With listPosition: row i (listWords 32-bit words) has bit j set when i keeps j in its list. */
  readonly listMembers: Int32Array | null;
  readonly listWords: number;
  /** The place given to items not in a list: the first slot of a 32-slot word past every real place. */
  readonly noListSlot: number;
}

/** Most item pairs (items²) given a dense list-position map: 2 bytes each, 8 MB at 2,048 items. */
export const LIST_POSITION_CELLS = 2048 * 2048;

function listPositions(
  n: number,
  neighbours: NeighbourLists,
): { map: Int16Array | null; members: Int32Array | null; words: number; none: number } {
  let longest = 0;
  for (let i = 0; i < n; i++) longest = Math.max(longest, neighbours.indptr[i + 1]! - neighbours.indptr[i]!);
  const none = ((longest + 31) >>> 5) << 5;
  const words = (n + 31) >>> 5;
  if (n * n > LIST_POSITION_CELLS || none > 32767) return { map: null, members: null, words, none };
  const map = new Int16Array(n * n).fill(none);
  const members = new Int32Array(n * words);
  for (let i = 0; i < n; i++) {
    const start = neighbours.indptr[i]!;
    for (let p = start, end = neighbours.indptr[i + 1]!; p < end; p++) {
      const j = neighbours.indices[p]!;
      map[i * n + j] = p - start;
      members[i * words + (j >>> 5)]! |= 1 << (j & 31);
    }
  }
  return { map, members, words, none };
}

export function buildItemKnnState(
  ratings: Csr,
  neighbours: NeighbourLists,
  biases: Biases,
  itemMean: Float64Array,
  scale: RatingScale,
): ItemKnnState {
  const centring: CentringContext = {
    midpoint: (scale.min + scale.max) / 2,
    globalMean: biases.globalMean,
    userBias: biases.userBias,
    itemBias: biases.itemBias,
    userMean: rowMeans(ratings, biases.globalMean),
    itemMean,
  };
  const n = ratings.cols;
  const reverse = transpose({ rows: n, cols: n, ...neighbours, values: neighbours.similarities });
  const positions = listPositions(n, neighbours);
  return {
    ratings,
    neighbours,
    reverse,
    biases,
    centring,
    scale,
    listPosition: positions.map,
    listMembers: positions.members,
    listWords: positions.words,
    noListSlot: positions.none,
  };
}

export function itemKnnArrays(s: ItemKnnState): {
  meta: Record<string, unknown>;
  arrays: Record<string, NumericArray>;
} {
  return {
    meta: {
      users: s.ratings.rows,
      items: s.ratings.cols,
      globalMean: s.biases.globalMean,
      scaleMin: s.scale.min,
      scaleMax: s.scale.max,
      scaleStep: s.scale.step,
    },
    arrays: {
      ...csrArrays("ratings", s.ratings),
      neighboursIndptr: s.neighbours.indptr,
      neighboursIndices: s.neighbours.indices,
      neighboursValues: s.neighbours.similarities,
      userBias: s.biases.userBias,
      itemBias: s.biases.itemBias,
      itemMean: s.centring.itemMean,
    },
  };
}

export function readItemKnnState(snapshot: ModelSnapshot): ItemKnnState {
  const users = snapshotCount(snapshot, "users");
  const items = snapshotCount(snapshot, "items");
  const lists = snapshotCsr(snapshot, "neighbours", items, items);
  return buildItemKnnState(
    snapshotCsr(snapshot, "ratings", users, items),
    { indptr: lists.indptr, indices: lists.indices, similarities: lists.values },
    {
      globalMean: snapshotNumber(snapshot, "globalMean"),
      userBias: snapshotArray(snapshot, "userBias", Float64Array, users),
      itemBias: snapshotArray(snapshot, "itemBias", Float64Array, items),
    },
    snapshotArray(snapshot, "itemMean", Float64Array, items),
    {
      min: snapshotNumber(snapshot, "scaleMin"),
      max: snapshotNumber(snapshot, "scaleMax"),
      step: snapshotNumber(snapshot, "scaleStep"),
    },
  );
}
