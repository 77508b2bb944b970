/**
 * The fitted state of user-knn: the ratings (both orientations), the
 * baseline biases, centred copies of every rating (what similarities sum,
 * what neighbours vote with) and, for communities small enough, every fitted
 * customer's similarities (./user-similarity-table.ts). Only the ratings and
 * biases are stored in a snapshot; everything else is derived by this one
 * deterministic function, so fit and restore give identical bits.
 */
import { type Csr, transpose } from "../../core/csr.js";
import type { ModelSnapshot, NumericArray } from "../../core/snapshot.js";
import type { RatingScale } from "../../core/types.js";
import type { Biases } from "../classic/biases.js";
import { csrArrays, snapshotArray, snapshotCount, snapshotCsr, snapshotNumber } from "../classic/snapshot-io.js";
import {
  type Centring,
  type CentringContext,
  centredValues,
  rowMeans,
  USER_SIMILARITIES,
  type UserSimilarityName,
} from "../similarity/transforms.js";
import type { SimilarityOptions } from "./user-similarities.js";
import { type UserSimilarityTable, userSimilarityTable } from "./user-similarity-table.js";

export interface UserKnnState {
  readonly ratings: Csr;
  readonly byItem: Csr;
  readonly biases: Biases;
  readonly centring: CentringContext;
  /** Each rating as the similarity sums see it, aligned with byItem.values. */
  readonly simValue: Float32Array;
  /** What simValue subtracts from a rating (the query customer's ratings are centred alike). */
  readonly simCentring: Centring;
  /** Each rating's deviation from its rater's centre, aligned with ratings.values (user-major). */
  readonly devValue: Float32Array;
  /** The same deviations aligned with byItem.values (the per-item vote of a few predictions reads these). */
  readonly devByItem: Float32Array;
  readonly similarity: SimilarityOptions;
  /** Every fitted customer's similarities, or null for a community too big to tabulate. */
  readonly table: UserSimilarityTable | null;
  /** Raters of the most rated item (scratch size). */
  readonly maxRaters: number;
  readonly scale: RatingScale;
  readonly scaleMin: number;
  readonly scaleMax: number;
}

export interface UserKnnSettings {
  readonly similarity: UserSimilarityName;
  readonly center: "baseline" | "mean" | "none";
  readonly shrinkage: number;
  readonly significance: number;
  readonly minOverlap: number;
}

const VOTE_CENTRING: Record<UserKnnSettings["center"], Centring> = {
  baseline: "baseline",
  mean: "user-mean",
  none: "raw",
};

/**
 * The state for `ratings`; `eagerTable` computes every customer's similarity row now (at fit, in the fit
 * worker), otherwise each row is computed the first time it is read (after a restore, on the answering thread).
 */
export function buildUserKnnState(
  config: UserKnnSettings,
  ratings: Csr,
  biases: Biases,
  scale: RatingScale,
  eagerTable: boolean,
): UserKnnState {
  const byItem = transpose(ratings);
  const centring: CentringContext = {
    midpoint: (scale.min + scale.max) / 2,
    globalMean: biases.globalMean,
    userBias: biases.userBias,
    itemBias: biases.itemBias,
    userMean: rowMeans(ratings, biases.globalMean),
    itemMean: rowMeans(byItem, biases.globalMean),
  };
  const spec = USER_SIMILARITIES[config.similarity];
  let maxRaters = 0;
  for (let i = 0; i < byItem.rows; i++) maxRaters = Math.max(maxRaters, byItem.indptr[i + 1]! - byItem.indptr[i]!);
  const simValue = centredValues(byItem, false, spec.centring, centring);
  const devValue = centredValues(ratings, true, VOTE_CENTRING[config.center], centring);
  const similarity: SimilarityOptions = {
    measure: spec.measure,
    shrinkage: config.shrinkage,
    significance: config.significance,
    minOverlap: config.minOverlap,
  };
  const inputs = { byItem, simValue, simCentring: spec.centring, centring, similarity };
  return {
    ratings,
    byItem,
    biases,
    centring,
    simValue,
    simCentring: spec.centring,
    devValue,
    // The same float32 values as devValue, moved to byItem's order (byItem is transpose(ratings) too).
    devByItem: transpose({ ...ratings, values: devValue }).values,
    similarity,
    table: userSimilarityTable(inputs, ratings, eagerTable),
    maxRaters,
    scale,
    scaleMin: scale.min,
    scaleMax: scale.max,
  };
}

/** The meta and arrays a snapshot stores (the rest is derived on restore). */
export function userKnnArrays(s: UserKnnState): {
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
    arrays: { ...csrArrays("ratings", s.ratings), userBias: s.biases.userBias, itemBias: s.biases.itemBias },
  };
}

export function readUserKnnArrays(snapshot: ModelSnapshot): { ratings: Csr; biases: Biases; scale: RatingScale } {
  const users = snapshotCount(snapshot, "users");
  const items = snapshotCount(snapshot, "items");
  return {
    ratings: snapshotCsr(snapshot, "ratings", users, items),
    biases: {
      globalMean: snapshotNumber(snapshot, "globalMean"),
      userBias: snapshotArray(snapshot, "userBias", Float64Array, users),
      itemBias: snapshotArray(snapshot, "itemBias", Float64Array, items),
    },
    scale: {
      min: snapshotNumber(snapshot, "scaleMin"),
      max: snapshotNumber(snapshot, "scaleMax"),
      step: snapshotNumber(snapshot, "scaleStep"),
    },
  };
}
