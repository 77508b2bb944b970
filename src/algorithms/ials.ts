/**
 * `ials`: implicit-feedback matrix factorisation by alternating least squares
 * (Hu, Koren & Volinsky 2008, "Collaborative filtering for implicit feedback
 * datasets", ICDM), with the conjugate-gradient row solver of Takács, Pilászy
 * & Tikk 2011 ("Applications of the conjugate gradient method for implicit
 * feedback collaborative filtering", RecSys).
 *
 * Evidence: every event type counts as positive evidence with a weight per
 * type, r_ui = Σ_type weight_type·strength (Dataset.weighted: ratings count as
 * their value, purchases as their quantity, views as their count), so one model
 * learns from ratings, purchases and views together. Preference p_ui = [r_ui > 0],
 * confidence c_ui = 1 + α·r_ui, and
 *
 *   min Σ_(u,i) c_ui (p_ui − x_u·y_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²)   over all pairs,
 *   x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ Yᵀ C_u p_u   (only the n_u observed entries cost anything).
 *
 * Cost per epoch: O((users + items)·k²) for the two Gram matrices, plus per row
 * steps·(k² + 2·n·k) with CG (default) or n·k²/2 + k³/6 with Cholesky; score O(k)
 * per item; fold-in of one customer O(n·k² + k³) (an exact Cholesky solve).
 */
import { z } from "zod";
import { type Csr, nnz, transpose } from "../core/csr.js";
import type { Dataset, EventWeights } from "../core/dataset.js";
import { ValidationError } from "../core/errors.js";
import type { ModelSnapshot } from "../core/snapshot.js";
import { parseWith } from "../core/validate.js";
import { type Evidence, FactorModel, mergeEvidence } from "./als/factor-model.js";
import { FactorRecommender } from "./als/factor-recommender.js";
import { fitAls } from "./als/fit-loop.js";
import type { AlsParams } from "./als/problem.js";
import { RowSolver } from "./als/row-solver.js";
import { likedFlags } from "./classic/positive-evidence.js";
import type { FitOptions, FitReport, Query } from "./recommender.js";
import type { AlgorithmDefinition } from "./registry.js";

const weight = (value: number, what: string) =>
  z.number().min(0).max(1000).default(value).describe(`Evidence per ${what}.`);

// Defaults chosen on an inner 80/20 holdout of u1.base, never on u*.test (bench/mf-als.ts --tune).
export const ialsConfigSchema = z.strictObject({
  factors: z.number().int().min(1).max(1024).default(32).describe("Latent factors k per customer and item."),
  epochs: z.number().int().min(1).max(1000).default(15).describe("ALS iterations (each solves items, then customers)."),
  regularization: z.number().positive().default(50).describe("λ on every factor vector (Hu et al. 2008)."),
  alpha: z
    .number()
    .nonnegative()
    .default(10)
    .describe("Confidence slope: c = 1 + alpha·evidence (Hu et al. 2008 used 40 on counts)."),
  weights: z
    .strictObject({
      rating: weight(0.2, "rating star (a 5-star rating is evidence 1, like one purchase)"),
      purchase: weight(1, "unit bought"),
      view: weight(0.2, "view"),
      like: weight(1, "like"),
      dislike: weight(0, "dislike (0: a dislike is no positive evidence)"),
    })
    .default({ rating: 0.2, purchase: 1, view: 0.2, like: 1, dislike: 0 })
    .describe(
      "Weight of each event type as positive evidence (Dataset.weighted). Purchase, view, like and dislike match the engine's default feedbackWeights, which weigh a query's feedback for fold-in.",
    ),
  solver: z
    .enum(["cg", "cholesky"])
    .default("cg")
    .describe("Row solver: a few warm-started conjugate-gradient steps (Takács et al. 2011) or exact Cholesky."),
  cgSteps: z.number().int().min(1).max(64).default(3).describe("Conjugate-gradient steps per row and half-step."),
  initScale: z.number().positive().default(0.1).describe("Standard deviation of the random initial customer factors."),
});
export type IalsConfig = z.output<typeof ialsConfigSchema>;

const VERSION = 1;

export class IalsRecommender extends FactorRecommender<IalsConfig> {
  readonly kind = "ials";

  private params(): AlsParams {
    const c = this.config;
    return {
      mode: "implicit",
      factors: c.factors,
      regularization: c.regularization,
      biasRegularization: 0,
      biases: false,
      mean: 0,
      alpha: c.alpha,
      solver: c.solver,
      cgSteps: c.cgSteps,
    };
  }

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    const start = performance.now();
    const evidence: Csr = data.weighted(this.config.weights as EventWeights);
    if (nnz(evidence) === 0) {
      throw new ValidationError(
        "data",
        "ials needs at least one event with a positive weight (see params.ials.weights)",
      );
    }
    const params = this.params();
    const result = await fitAls(
      {
        params,
        byUser: evidence,
        byItem: transpose(evidence),
        epochs: this.config.epochs,
        initScale: this.config.initScale,
      },
      options,
      this.kind,
    );
    this.scale = data.scale;
    // The weighted evidence mixes ratings with purchases and views: flag now which entries the customer liked.
    const liked = likedFlags(evidence, data.ratings, data.scale);
    this.model = new FactorModel(params, { ...result, evidence, liked }, undefined);
    return {
      seconds: (performance.now() - start) / 1000,
      epochs: result.epochs,
      details: { threads: result.threads, evidence: nnz(evidence), kernel: new RowSolver(params).kernelName },
    };
  }

  /** The query's ratings (weighted like the training data) plus its feedback (already weighted), summed per item. */
  protected evidenceOf(query: Query, itemCount: number): Evidence | null {
    if (!query.history && !query.feedback) return null;
    const parts = [];
    if (query.history) parts.push({ ...query.history, weight: this.config.weights.rating });
    if (query.feedback) parts.push({ ...query.feedback, weight: 1 });
    return mergeEvidence(parts, itemCount, "sum");
  }

  snapshot(): ModelSnapshot {
    return this.snapshotWith(VERSION);
  }

  static restore(snapshot: ModelSnapshot): IalsRecommender {
    const recommender = new IalsRecommender(parseWith(ialsConfigSchema, snapshot.config, "snapshot.config"));
    recommender.restoreFrom(snapshot, VERSION, () => recommender.params());
    return recommender;
  }
}

export const ialsDefinition: AlgorithmDefinition<IalsConfig> = {
  kind: "ials",
  summary:
    "Implicit-feedback ALS over weighted events (Hu et al. 2008) with conjugate-gradient rows (Takács et al. 2011).",
  task: "ranking",
  configSchema: ialsConfigSchema,
  searchSpace: {
    factors: { type: "int", low: 8, high: 256, log: true },
    regularization: { type: "float", low: 0.01, high: 500, log: true },
    alpha: { type: "float", low: 0.1, high: 100, log: true },
    epochs: { type: "int", low: 5, high: 30 },
  },
  create: (config) => new IalsRecommender(config),
  restore: (snapshot) => IalsRecommender.restore(snapshot),
};
