/**
 * `als`: explicit matrix factorisation with biases by alternating least squares
 * and weighted-λ regularisation (Zhou, Wilkinson, Schreiber & Pan 2008,
 * "Large-scale parallel collaborative filtering for the Netflix Prize").
 *
 *   r̂_ui = μ + b_u + b_i + x_u·y_i,
 *   min Σ_(u,i) (r_ui − r̂_ui)² + λ (Σ_u n_u ‖x_u‖² + Σ_i n_i ‖y_i‖²) + λ_b (Σ_u n_u b_u² + Σ_i n_i b_i²),
 *
 * alternately solving every item row [y_i, b_i] with the customers fixed and
 * every customer row [x_u, b_u] with the items fixed, each a (k+1)×(k+1)
 * Cholesky solve (see als/row-solver.ts).
 * Cost per epoch: O(nnz·k² + (users + items)·k³), parallel over rows on all
 * cores; score O(k) per item; fold-in of one customer O(n·k² + k³).
 */
import { z } from "zod";
import type { Dataset } from "../core/dataset.js";
import { ValidationError } from "../core/errors.js";
import type { ModelSnapshot } from "../core/snapshot.js";
import { parseWith } from "../core/validate.js";
import { type Evidence, FactorModel, mergeEvidence } from "./als/factor-model.js";
import { FactorRecommender } from "./als/factor-recommender.js";
import { explicitTrainingRmse, fitAls } from "./als/fit-loop.js";
import type { AlsParams } from "./als/problem.js";
import type { FitOptions, FitReport, Query } from "./recommender.js";
import type { AlgorithmDefinition } from "./registry.js";

// Defaults chosen on an inner 80/20 holdout of u1.base, never on u*.test (bench/mf-als.ts --tune).
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

export class AlsRecommender extends FactorRecommender<AlsConfig> {
  readonly kind = "als";

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
      this.kind,
    );
    const clamp = this.config.clamp ? ([data.scale.min, data.scale.max] as const) : undefined;
    this.scale = data.scale;
    this.model = new FactorModel(params, { ...result, evidence: data.ratings }, clamp);
    return {
      seconds: (performance.now() - start) / 1000,
      epochs: result.epochs,
      ...(result.loss === undefined ? {} : { loss: result.loss }),
      details: { threads: result.threads },
    };
  }

  /** The query's ratings (a repeated item keeps its last rating). */
  protected evidenceOf(query: Query, itemCount: number): Evidence | null {
    return query.history ? mergeEvidence([{ ...query.history, weight: 1 }], itemCount, "last") : null;
  }

  snapshot(): ModelSnapshot {
    return this.snapshotWith(VERSION);
  }

  static restore(snapshot: ModelSnapshot): AlsRecommender {
    const recommender = new AlsRecommender(parseWith(alsConfigSchema, snapshot.config, "snapshot.config"));
    recommender.restoreFrom(snapshot, VERSION, (mean) => recommender.params(mean));
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
