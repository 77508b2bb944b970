/**
 * Shapes shared by the evaluation: folds (a training Dataset and held-out
 * pairs in its dense ids), tasks and the options a run is given.
 */
import type { Dataset } from "../core/dataset.js";

/**
 * Held-out events in the dense ids of the fold's training Dataset: -1 where
 * the training data never saw the customer or the item. `types` holds
 * EVENT_TYPE_CODE of each event (ratings are code 0).
 */
export interface TestPairs {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly values: Float32Array;
  readonly types: Uint8Array;
}

export interface Fold {
  /** "1", "2", ... for the split's folds. */
  readonly name: string;
  readonly train: Dataset;
  readonly test: TestPairs;
}

export type EvalTask = "rating" | "ranking" | "both";

export interface RankingOptions {
  /** Length of each customer's list (default 10). */
  readonly k: number;
  /**
   * Rating threshold: a held-out rating counts as relevant when value >= relevant.
   * Undefined = every held-out event is relevant (implicit events always are).
   */
  readonly relevant?: number | undefined;
}

/** The buckets of the learning-relationship curve: how many items the customer had in training. */
export const HISTORY_BUCKETS: ReadonlyArray<{ readonly label: string; readonly min: number; readonly max: number }> = [
  { label: "0", min: 0, max: 0 },
  { label: "1–5", min: 1, max: 5 },
  { label: "6–10", min: 6, max: 10 },
  { label: "11–20", min: 11, max: 20 },
  { label: "21–50", min: 21, max: 50 },
  { label: "51–100", min: 51, max: 100 },
  { label: "100+", min: 101, max: Number.POSITIVE_INFINITY },
];

/** Index into HISTORY_BUCKETS of a training-history length. */
export function historyBucket(count: number): number {
  for (let b = HISTORY_BUCKETS.length - 1; b >= 0; b--) if (count >= HISTORY_BUCKETS[b]!.min) return b;
  return 0;
}
