/**
 * `als`: explicit matrix factorisation with biases by alternating least squares
 * and weighted-λ regularisation (Zhou, Wilkinson, Schreiber & Pan 2008,
 * "Large-scale parallel collaborative filtering for the Netflix Prize").
 *
 *   r̂_ui = μ + b_u + b_i + x_u·y_i,
 *   min Σ_(u,i) (r_ui − r̂_ui)² + λ (Σ_u n_u ‖x_u‖² + Σ_i n_i ‖y_i‖²) + λ_b (Σ_u n_u b_u² + Σ_i n_i b_i²),
 *
 * alternately solving every item row [y_i, b_i] with the users fixed and every user
 * row [x_u, b_u] with the items fixed, each a (k+1)×(k+1) Cholesky solve.
 * Cost per epoch: O(nnz·k² + (users + items)·k³), parallel over rows on all
 * cores; score O(k) per item; fold-in of one customer O(n·k² + k³).
 */
import { z } from "zod";
import type { Dataset } from "../core/dataset.js";
import { ValidationError } from "../core/errors.js";
import type { ModelSnapshot } from "../core/snapshot.js";
import { parseWith } from "../core/validate.js";
import { type Evidence, FactorModel, mergeEvidence } from "./als/factor-model.js";
import { explicitTrainingRmse, fitAls } from "./als/fit-loop.js";
import type { AlsParams } from "./als/problem.js";
import { checkSnapshotHeader, factorSnapshotArrays, readFactorArrays } from "./als/snapshot.js";
import { fitted } from "./classic/fit-guard.js";
import type { Explanation, FitOptions, FitReport, Query, Recommender } from "./recommender.js";
import type { AlgorithmDefinition } from "./registry.js";

export const alsConfigSchema = z.strictObject({
  factors: z.number().int().min(1).max(1024).default(20).describe("Latent factors k per customer and item."),
  epochs: z.number().int().min(1).max(1000).default(15).describe("ALS iterations (each solves items, then customers)."),
  regularization: z
    .number()
    .positive()
    .default(0.15)
    .describe("λ on the factors, multiplied by each row's rating count (weighted-λ, Zhou et al. 2008)."),
  biasRegularization: z
    .number()
    .nonnegative()
    .default(0.02)
    .describe("λ_b on the customer and item biases, also multiplied by the rating count."),
  biases: z.boolean().default(true).describe("Learn a bias per customer and per item next to the factors."),
  initScale: z.number().positive().default(0.1).describe("Standard deviation of the random initial customer factors."),
  clamp: z.boolean().default(true).describe("Clip predictions to the rating scale of the training data."),
});
export type AlsConfig = z.output<typeof alsConfigSchema>;

const VERSION = 1;

export class AlsRecommender implements Recommender<AlsConfig> {
  readonly kind = "als";
  private model: FactorModel | null = null;

  constructor(readonly config: AlsConfig) {}

  private params(mean: number): AlsParams {
    const c = this.config;
    return {
      mode: "explicit",
      factors: c.factors,
      regularization: c.regularization,
      biasRegularization: c.biasRegularization,
      biases: c.biases,
      mean,
      alpha: 0,
      solver: "cholesky",
      cgSteps: 0,
    };
  }

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    const start = performance.now();
    if (data.ratingCount === 0) throw new ValidationError("data.ratings", "als needs at least one rating to fit");
    const params = this.params(data.globalMean);
    const result = await fitAls(
      {
        params,
        byUser: data.ratings,
        byItem: data.ratingsByItem,
        epochs: this.config.epochs,
        initScale: this.config.initScale,
        loss: explicitTrainingRmse,
      },
      options,
      "als",
    );
    this.model = new FactorModel(
      params,
      { ...result, evidence: data.ratings },
      this.config.clamp ? [data.scale.min, data.scale.max] : undefined,
    );
    return {
      seconds: (performance.now() - start) / 1000,
      epochs: result.epochs,
      ...(result.loss === undefined ? {} : { loss: result.loss }),
      details: { threads: result.threads, trainingRmse: result.loss ?? Number.NaN },
    };
  }

  /** The query's ratings (fold-in), when it carries any. */
  private evidenceOf = (query: Query): Evidence | null => {
    if (!query.history || this.model === null) return null;
    return mergeEvidence([{ ...query.history, weight: 1 }], this.model.items, "last");
  };

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const m = fitted(this.model, "als");
    return m.score(m.resolve(query, this.evidenceOf), items, out);
  }

  explain(query: Query, item: number): Explanation {
    const m = fitted(this.model, "als");
    return m.explain(m.resolve(query, this.evidenceOf), item);
  }

  similarItems(item: number, k: number): { items: Int32Array; similarities: Float32Array } {
    return fitted(this.model, "als").similarItems(item, k);
  }

  snapshot(): ModelSnapshot {
    const m = fitted(this.model, "als");
    return {
      kind: "als",
      version: VERSION,
      config: { ...this.config },
      meta: {
        users: m.users,
        items: m.items,
        mean: m.params.mean,
        clampMin: m.clamp?.[0] ?? Number.NaN,
        clampMax: m.clamp?.[1] ?? Number.NaN,
      },
      arrays: factorSnapshotArrays(m.arrays),
    };
  }

  static restore(snapshot: ModelSnapshot): AlsRecommender {
    const meta = checkSnapshotHeader(snapshot, "als", VERSION);
    const config = parseWith(alsConfigSchema, snapshot.config, "snapshot.config");
    const recommender = new AlsRecommender(config);
    const params = recommender.params(meta("mean"));
    const arrays = readFactorArrays(snapshot, "als", meta("users"), meta("items"), config.factors, config.biases);
    const clamp: [number, number] | undefined = config.clamp ? [meta("clampMin"), meta("clampMax")] : undefined;
    recommender.model = new FactorModel(params, arrays, clamp);
    return recommender;
  }
}

export const alsDefinition: AlgorithmDefinition<AlsConfig> = {
  kind: "als",
  summary: "Biased matrix factorisation by alternating least squares, weighted-λ (Zhou et al. 2008).",
  task: "rating",
  configSchema: alsConfigSchema,
  searchSpace: {
    factors: { type: "int", low: 4, high: 128, log: true },
    regularization: { type: "float", low: 0.01, high: 1, log: true },
    biasRegularization: { type: "float", low: 0.001, high: 1, log: true },
    epochs: { type: "int", low: 5, high: 30 },
  },
  create: (config) => new AlsRecommender(config),
  restore: (snapshot) => AlsRecommender.restore(snapshot),
};
