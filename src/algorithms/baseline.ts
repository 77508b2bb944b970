/**
 * Baseline predictor: global mean plus regularised user and item biases,
 *   r̂(u,i) = clamp(μ + b_u + b_i),
 * fitted by ALS (Koren 2010, "Factor in the neighbors: scalable and accurate
 * collaborative filtering", TKDD 4(1), eq. 2–3; Surprise's BaselineOnly,
 * whose λ_i = 10, λ_u = 15, 10 epochs give RMSE 0.944 on ml-100k folds).
 * See classic/biases.ts for the two half-steps.
 *
 * Fold-in: a query with `history` gets b_u solved from that history against
 * the fixed item biases, so a new customer is scored after one rating.
 *
 * Cost: fit O(epochs · nnz); score O(1) per item (O(|history|) once per query).
 */
import { z } from "zod";
import type { Dataset } from "../core/dataset.js";
import type { ModelSnapshot } from "../core/snapshot.js";
import { parseWith } from "../core/validate.js";
import { type Biases, clampToScale, fitBiases } from "./classic/biases.js";
import { fitted, secondsSince, throwIfAborted } from "./classic/fit-guard.js";
import { isKnownItem, isKnownUser, scoresBuffer } from "./classic/query-ratings.js";
import { checkSnapshot, snapshotArray, snapshotNumber } from "./classic/snapshot-io.js";
import type { Explanation, FitOptions, FitReport, Query, Recommender } from "./recommender.js";
import type { AlgorithmDefinition } from "./registry.js";

const KIND = "baseline";
const VERSION = 1;

// Defaults chosen by measurement, never on the u*.test folds: 5-fold cross-validation inside u1.base over
// λ_u ∈ {2,3,5,7,10,15,20} × λ_i ∈ {1,2,3,5,10} (bench/knn.ts --tune → bench/results/knn.tuning.md).
export const baselineConfigSchema = z.strictObject({
  regUser: z
    .number()
    .min(0, "must be at least 0")
    .max(1e6, "must be at most 1e6")
    .default(5)
    .describe("λ_u: how strongly user biases are pulled towards 0 (pseudo-ratings at the mean)"),
  regItem: z
    .number()
    .min(0, "must be at least 0")
    .max(1e6, "must be at most 1e6")
    .default(2)
    .describe("λ_i: how strongly item biases are pulled towards 0 (pseudo-ratings at the mean)"),
  epochs: z
    .number()
    .int("must be an integer")
    .min(1, "must be at least 1")
    .max(1000, "must be at most 1000")
    .default(10)
    .describe("ALS sweeps over items then users"),
});
export type BaselineConfig = z.output<typeof baselineConfigSchema>;

interface BaselineState extends Biases {
  readonly scaleMin: number;
  readonly scaleMax: number;
}

/** The user bias for a query: folded in from its history, else the fitted one; NaN for an unknown customer. */
export function queryUserBias(query: Query, biases: Biases, regUser: number): number {
  const history = query.history;
  if (history !== undefined) {
    const n = Math.min(history.items.length, history.values.length);
    let sum = 0;
    let used = 0;
    for (let k = 0; k < n; k++) {
      const i = history.items[k]!;
      const v = history.values[k]!;
      if (!isKnownItem(i, biases.itemBias.length) || !Number.isFinite(v)) continue;
      sum += v - biases.globalMean - biases.itemBias[i]!;
      used++;
    }
    return used === 0 ? 0 : sum / (regUser + used);
  }
  return isKnownUser(query.user, biases.userBias.length) ? biases.userBias[query.user]! : Number.NaN;
}

export class Baseline implements Recommender<BaselineConfig> {
  readonly kind = KIND;
  readonly config: Readonly<BaselineConfig>;
  private state: BaselineState | null;

  constructor(config: BaselineConfig, state: BaselineState | null = null) {
    this.config = config;
    this.state = state;
  }

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    const start = performance.now();
    throwIfAborted(options.signal, KIND);
    const biases = fitBiases(data.ratings, data.ratingsByItem, this.config);
    this.state = { ...biases, scaleMin: data.scale.min, scaleMax: data.scale.max };
    return { seconds: secondsSince(start), epochs: this.config.epochs };
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const s = fitted(this.state, KIND);
    const scores = scoresBuffer(items.length, out);
    const base = s.globalMean + queryUserBias(query, s, this.config.regUser);
    const n = s.itemBias.length;
    for (let k = 0; k < items.length; k++) {
      const i = items[k]!;
      scores[k] = isKnownItem(i, n) ? clampToScale(base + s.itemBias[i]!, s.scaleMin, s.scaleMax) : Number.NaN;
    }
    return scores;
  }

  explain(query: Query, item: number): Explanation {
    const s = fitted(this.state, KIND);
    return {
      kind: "baseline",
      globalMean: s.globalMean,
      userBias: queryUserBias(query, s, this.config.regUser),
      itemBias: isKnownItem(item, s.itemBias.length) ? s.itemBias[item]! : Number.NaN,
    };
  }

  /** The fitted biases (shared with models that centre on the baseline). */
  biases(): Biases {
    return fitted(this.state, KIND);
  }

  snapshot(): ModelSnapshot {
    const s = fitted(this.state, KIND);
    return {
      kind: KIND,
      version: VERSION,
      config: { ...this.config },
      meta: { globalMean: s.globalMean, scaleMin: s.scaleMin, scaleMax: s.scaleMax },
      arrays: { userBias: s.userBias, itemBias: s.itemBias },
    };
  }
}

export const baselineDefinition: AlgorithmDefinition<BaselineConfig> = {
  kind: KIND,
  summary: "Global mean plus regularised user and item biases (Koren 2010), fitted by ALS",
  task: "rating",
  configSchema: baselineConfigSchema,
  searchSpace: {
    regUser: { type: "float", low: 0.5, high: 50, log: true },
    regItem: { type: "float", low: 0.5, high: 50, log: true },
    epochs: { type: "int", low: 2, high: 30 },
  },
  create: (config) => new Baseline(config),
  restore(snapshot) {
    checkSnapshot(snapshot, KIND, VERSION);
    const config = parseWith(baselineConfigSchema, snapshot.config, "snapshot.config");
    const state: BaselineState = {
      globalMean: snapshotNumber(snapshot, "globalMean"),
      scaleMin: snapshotNumber(snapshot, "scaleMin"),
      scaleMax: snapshotNumber(snapshot, "scaleMax"),
      userBias: snapshotArray(snapshot, "userBias", Float64Array),
      itemBias: snapshotArray(snapshot, "itemBias", Float64Array),
    };
    return new Baseline(config, state);
  },
};
