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
  return { ratings, neighbours, reverse, biases, centring, scale };
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
