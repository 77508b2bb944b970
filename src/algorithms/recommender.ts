/**
 * The one contract every algorithm implements (after LensKit's): a validated
 * config, fit on a Dataset, score items for a query (NaN = cannot score),
 * optionally explain, and snapshot to bytes. Algorithms never rank: the
 * engine ranks once, with one top-k heap.
 */
import type { Dataset } from "../core/dataset.js";
import type { Rng } from "../core/rng.js";
import type { ModelSnapshot } from "../core/snapshot.js";

/**
 * Who to score for. `user` is a dense id from the fitted dataset (absent or
 * -1 for a customer the model has never seen). `history` is the customer's
 * current ratings when they differ from (or are missing in) the fitted data:
 * models fold it in at once, without refitting. `feedback` is the same for
 * implicit evidence (purchases, views, likes), already weighted.
 */
export interface Query {
  readonly user?: number;
  readonly history?: { readonly items: Int32Array; readonly values: Float32Array };
  readonly feedback?: { readonly items: Int32Array; readonly values: Float32Array };
}

export interface FitOptions {
  /** The seeded generator for every random choice in the fit. */
  readonly rng?: Rng;
  /** Aborts the fit (it rejects with a KindredError "CANCELLED"). */
  readonly signal?: AbortSignal;
  /** Called after each epoch/iteration of iterative models. */
  readonly onEpoch?: (progress: EpochProgress) => void;
  /** Worker threads the fit may use (default: all cores). */
  readonly threads?: number;
}

export interface EpochProgress {
  readonly epoch: number;
  readonly epochs: number;
  /** Training loss or validation error, when the algorithm computes one. */
  readonly loss?: number;
}

export interface FitReport {
  readonly seconds: number;
  readonly epochs?: number;
  readonly loss?: number;
  /** Anything else worth reporting (e.g. "similarities kept": 1.2e6). */
  readonly details?: Readonly<Record<string, number | string>>;
}

/**
 * The evidence behind a score, in dense ids; the engine renders it into the
 * customer's words with titles and names.
 */
export type Explanation =
  | {
      readonly kind: "neighbors";
      /** Neighbours who rated the item, and their average rating of it. */
      readonly count: number;
      readonly average: number;
      /** The closest of them (dense user ids), most similar first, with similarities. */
      readonly closest: Int32Array;
      readonly similarities: Float32Array;
    }
  | {
      readonly kind: "items";
      /** The customer's own items that drove the score, most influential first. */
      readonly items: Int32Array;
      /** The customer's value for each (their rating, or purchase weight). */
      readonly values: Float32Array;
      /** Each item's contribution or similarity. */
      readonly weights: Float32Array;
    }
  | {
      readonly kind: "popular";
      readonly count: number;
      readonly average: number;
    }
  | {
      readonly kind: "baseline";
      readonly globalMean: number;
      readonly userBias: number;
      readonly itemBias: number;
    };

export interface Neighbor {
  readonly user: number;
  readonly similarity: number;
  readonly overlap: number;
}

export interface Recommender<C extends object = Record<string, unknown>> {
  /** Registry key: "user-knn", "svd", ... */
  readonly kind: string;
  readonly config: Readonly<C>;
  fit(data: Dataset, options?: FitOptions): Promise<FitReport>;
  /** Scores of `items` for one query; NaN where the model cannot score. Fills and returns `out` when given. */
  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array;
  /**
   * Optional: what ranking orders by, higher first, when it differs from score()'s rating predictions
   * (popular ranks by customer count but predicts the damped mean). Same shape as score(); callers that
   * rank use rankingScores() below, which falls back to score().
   */
  rank?(query: Query, items: Int32Array, out?: Float32Array): Float32Array;
  explain?(query: Query, item: number): Explanation;
  /** Customers whose tastes are closest (user-based models). */
  neighbors?(query: Query, k: number): Neighbor[];
  /** Items most like `item`, most similar first (item-based and factor models). */
  similarItems?(item: number, k: number): { items: Int32Array; similarities: Float32Array };
  snapshot(): ModelSnapshot;
}

/** The scores a ranking orders by: the model's rank() when it has one, else its score(). */
export function rankingScores(model: Recommender, query: Query, items: Int32Array, out?: Float32Array): Float32Array {
  return model.rank ? model.rank(query, items, out) : model.score(query, items, out);
}
