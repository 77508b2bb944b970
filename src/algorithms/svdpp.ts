/**
 * `svdpp`: SVD++ (Koren 2008, "Factorization meets the neighborhood: a
 * multifaceted collaborative filtering model", KDD, §4 eq. 15):
 *   r̂(u,i) = μ + b_u + b_i + q_iᵀ(p_u + η_u Σ_{j∈N(u)} w_j y_j),
 * where N(u) is the implicit evidence — every item the customer rated, and
 * (mixed feedback) bought, viewed or liked, each event type with its weight
 * in `implicitWeights` — and η_u = (Σ_j w_j²)^−½ (|N(u)|^−½ with unit weights).
 * SGD per rating, e = r − r̂: b and p_u as in svd; q_i += γ(e(p_u + z_u) − λ q_i);
 * y_j += γ(e η_u w_j q_i − λ_y y_j) for every j ∈ N(u).
 *
 * The textbook step touches all of N(u) for every rating: O(nnz·|N(u)|·k) per
 * epoch (Surprise's SVDpp). Here ratings are visited customer by customer,
 * z_u = η_u Σ w_j y_j is computed once per customer and carried exactly
 * through their ratings, and the y_j steps are applied once at the end
 * (sgd/ and linalg/wasm/assembly/sgd.ts), so an epoch costs
 * O((nnz + |N|)·k) — the same updates, in exact arithmetic, as the textbook.
 *
 * Cost: fit O(epochs · (nnz + |N|) · k), one thread, SIMD WebAssembly;
 * score O(k) per item; fold-in O(|N(u)|·k + foldInEpochs·|history|·k).
 */
import { z } from "zod";
import { parseWith } from "../core/validate.js";
import type { AlgorithmDefinition } from "./registry.js";
import { BiasedMf, type BiasedMfConfig, restoreBiasedMf } from "./sgd/biased-mf.js";
import { fields, weightsSchema } from "./sgd/config.js";

const KIND = "svdpp";
const VERSION = 1;

// Defaults chosen by measurement on the model's own seeded 10% validation slices of u1.base only (three seeds;
// never a u*.test fold): bench/mf-sgd.ts --tune, results in bench/results/mf-sgd.tuning.md. A weak λ_y
// matters most (0.1 → 0.003: 0.9121 → 0.9068 there).
export const svdppConfigSchema = z.strictObject({
  factors: fields.factors(100),
  epochs: fields.epochs(100),
  learningRate: fields.learningRate(0.015),
  biasLearningRate: fields.biasLearningRate(0.015),
  regularization: fields.regularization(0.1),
  biasRegularization: fields.biasRegularization(0.02),
  implicitRegularization: fields
    .regularization(0.003)
    .describe("λ_y: L2 penalty on the implicit factors y_j, per step"),
  initStd: fields.initStd(0.1),
  schedule: fields.schedule("exponential"),
  decay: fields.decay(0.97),
  validationFraction: fields.validationFraction(0.1),
  patience: fields.patience(5),
  refit: fields.refit(true),
  foldInEpochs: fields.foldInEpochs(30),
  foldInLearningRate: fields.learningRate(0.02).describe("γ for fold-in passes over a customer's new history"),
  kernel: fields.kernel(),
  implicitWeights: weightsSchema(
    { rating: 1, purchase: 1, view: 0.5, like: 1, dislike: 0 },
    "as implicit evidence (N(u))",
  ),
});
export type SvdppConfig = z.output<typeof svdppConfigSchema> & BiasedMfConfig;

export const svdppDefinition: AlgorithmDefinition<SvdppConfig> = {
  kind: KIND,
  summary: "SVD++ (Koren 2008): biased MF plus implicit evidence (rated, bought, viewed items), O(nnz·k) epochs",
  task: "rating",
  configSchema: svdppConfigSchema as z.ZodType<SvdppConfig>,
  searchSpace: {
    factors: { type: "int", low: 10, high: 300, log: true },
    learningRate: { type: "float", low: 0.002, high: 0.05, log: true },
    regularization: { type: "float", low: 0.005, high: 0.3, log: true },
    implicitRegularization: { type: "float", low: 0.005, high: 0.3, log: true },
    biasRegularization: { type: "float", low: 0.001, high: 0.3, log: true },
    decay: { type: "float", low: 0.9, high: 1 },
  },
  create: (config) => new BiasedMf(KIND, VERSION, config),
  restore: (snapshot) =>
    restoreBiasedMf(
      snapshot,
      KIND,
      VERSION,
      parseWith(svdppConfigSchema, snapshot.config, "snapshot.config") as SvdppConfig,
    ),
};
