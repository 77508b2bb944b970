/**
 * What the engine answers, in external ids and the customer's words. These
 * shapes are the library's results, the CLI's `--json` output and the HTTP
 * service's response bodies alike.
 */
import type { Explanation } from "../algorithms/recommender.js";
import type { Customer, StoredEvent } from "../core/types.js";

export interface RecommendOptions {
  /** How many items (default 10). */
  readonly n?: number;
  /** Head of the fallback chain (default: the engine's configured chain). */
  readonly algorithm?: string;
  readonly domain?: string;
  readonly category?: string;
  /** Attach an explanation to every item (default true). */
  readonly explain?: boolean;
  /** Also recommend items the customer already rated or bought (default false). */
  readonly includeSeen?: boolean;
}

export interface RenderedExplanation {
  /** One sentence in the customer's words, e.g. "37 customers whose ratings agree with yours rated it 4.6 on average". */
  readonly text: string;
  /** The evidence's kind; "score" when the model gives no evidence beyond its score. */
  readonly kind: Explanation["kind"] | "score";
  /** The model that produced the score (a fallback model when the head could not score). */
  readonly algorithm: string;
  readonly count?: number;
  readonly average?: number;
  /** The closest neighbours who rated it (user-based models). */
  readonly neighbors?: ReadonlyArray<{ readonly customer: string; readonly similarity: number }>;
  /** The customer's own items that drove it (item-based and factor models). */
  readonly items?: ReadonlyArray<{
    readonly item: string;
    readonly title: string | null;
    readonly value: number;
    readonly weight: number;
  }>;
}

export interface Recommendation {
  readonly item: string;
  readonly title: string | null;
  /** On the rating scale for rating models; a preference score for ranking models. */
  readonly score: number;
  readonly explanation?: RenderedExplanation;
}

export interface RecommendResult {
  readonly customer: string;
  /** The head of the chain that was asked for. */
  readonly algorithm: string;
  readonly items: Recommendation[];
}

export interface PredictResult {
  readonly customer: string;
  /** score is null when no model in the chain could score the item. */
  readonly predictions: Array<{
    readonly item: string;
    readonly score: number | null;
    readonly algorithm: string | null;
  }>;
}

export interface NeighborsResult {
  readonly customer: string;
  readonly neighbors: Array<{ readonly customer: string; readonly similarity: number; readonly overlap: number }>;
}

export interface SimilarResult {
  readonly item: string;
  readonly items: Array<{ readonly item: string; readonly title: string | null; readonly similarity: number }>;
}

export interface StylesResult {
  readonly customer: string;
  /** Categories (genres, styles) by predicted affinity, highest first. */
  readonly styles: Array<{
    readonly category: string;
    /** Predicted mean rating of the category's items the customer has not rated. */
    readonly affinity: number;
    /** How many of the category's items the customer already rated, and their mean. */
    readonly rated: number;
    readonly ratedMean: number | null;
  }>;
}

export interface CustomerMemory {
  readonly customer: Customer;
  /** Current ratings (the latest per item), newest first. */
  readonly ratings: Array<{
    readonly item: string;
    readonly title: string | null;
    readonly value: number;
    readonly timestamp: number;
    readonly channel: string;
  }>;
  readonly purchases: { readonly count: number; readonly quantity: number; readonly amount: number };
  /** Events per channel. */
  readonly channels: Record<string, number>;
  /** The whole history, oldest first. */
  readonly events: StoredEvent[];
}
