/**
 * `bpr`: Bayesian personalised ranking (Rendle, Freudenthaler, Gantner &
 * Schmidt-Thieme 2009, "BPR: Bayesian personalized ranking from implicit
 * feedback", UAI) with a matrix-factorisation model and item biases:
 *   x̂_ui = b_i + p_u·q_i,  maximise Σ_(u,i,j) ln σ(x̂_ui − x̂_uj) − λ‖Θ‖²
 * over triples of a positive i and a negative j of customer u, by SGD on
 * bootstrap-sampled triples (LearnBPR): with x = x̂_ui − x̂_uj, g = σ(−x),
 *   p_u += γ(g(q_i − q_j) − λ p_u), q_i += γ(g p_u − λ q_i),
 *   q_j += γ(−g p_u − λ_j q_j), b_i += γ(g − λ_b b_i), b_j += γ(−g − λ_b b_j).
 *
 * Positive evidence is any mix of event types with a weight each
 * (Dataset.weighted: a rating counts its value × weight, a purchase its
 * quantity × weight, a view × weight); positives are drawn in proportion to
 * their weight ("weighted" sampling) or uniformly.
 *
 * Cost: fit O(epochs · nnz · k) (one triple per positive per epoch; SIMD
 * WebAssembly kernel, one thread); score O(k) per item; fold-in
 * O(foldInEpochs · |positives| · k).
 */
import { z } from "zod";
import { type Csr, csrFromCoo } from "../core/csr.js";
import type { Dataset } from "../core/dataset.js";
import { Rng } from "../core/rng.js";
import type { ModelSnapshot } from "../core/snapshot.js";
import { DEFAULT_SCALE } from "../core/types.js";
import { parseWith } from "../core/validate.js";
import { createSgdKernels } from "../linalg/wasm/sgd-kernels.js";
import { strideFor } from "../linalg/wasm/sgd-types.js";
import { fitted, secondsSince, throwIfAborted } from "./classic/fit-guard.js";
import { likedFlags } from "./classic/positive-evidence.js";
import { checkSnapshot, snapshotArray, snapshotNumber } from "./classic/snapshot-io.js";
import type { Explanation, FitOptions, FitReport, Query, Recommender } from "./recommender.js";
import type { AlgorithmDefinition } from "./registry.js";
import { BprModel, type BprState } from "./sgd/bpr-model.js";
import { BprSampler } from "./sgd/bpr-sampler.js";
import { fields, weightsSchema } from "./sgd/config.js";
import { runEpochs } from "./sgd/epoch-loop.js";

const KIND = "bpr";
const VERSION = 1;

// Defaults chosen by NDCG@10 (full ranking) on a seeded 90/10 split of u1.base only (never a u*.test fold):
// bench/mf-sgd.ts --tune (bench/results/mf-sgd.tuning.md). Weighted sampling beat uniform there (0.2207 vs 0.2180).
export const bprConfigSchema = z.strictObject({
  factors: fields.factors(64),
  epochs: fields.epochs(100),
  learningRate: fields.learningRate(0.02),
  regularization: fields.regularization(0.03).describe("λ: L2 penalty on p_u and the positive item's q_i, per step"),
  negativeRegularization: fields.regularization(0.003).describe("λ_j: L2 penalty on the negative item's q_j, per step"),
  biasRegularization: fields.biasRegularization(0.01),
  initStd: fields.initStd(0.1),
  schedule: fields.schedule("constant"),
  decay: fields.decay(0.95),
  sampling: z
    .enum(["weighted", "uniform"])
    .default("weighted")
    .describe('how positives are drawn: in proportion to their weight ("weighted") or all alike ("uniform")'),
  foldInEpochs: fields.foldInEpochs(20),
  foldInLearningRate: fields.learningRate(0.05).describe("γ for fold-in passes over a customer's new evidence"),
  kernel: fields.kernel(),
  weights: weightsSchema({ rating: 1, purchase: 1, view: 0.5, like: 1, dislike: 0 }, "as positive evidence"),
});
export type BprConfig = z.output<typeof bprConfigSchema>;

/** The weighted evidence with non-positive entries dropped (a zero or negative weight is no positive). */
function positivesOf(data: Dataset, weights: BprConfig["weights"]): Csr {
  const m = data.weighted(weights);
  const n = m.indptr[m.rows]!;
  let keep = 0;
  for (let p = 0; p < n; p++) if (m.values[p]! > 0) keep++;
  if (keep === n) return m;
  const u = new Int32Array(keep);
  const i = new Int32Array(keep);
  const v = new Float32Array(keep);
  for (let r = 0, k = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
      if (!(m.values[p]! > 0)) continue;
      u[k] = r;
      i[k] = m.indices[p]!;
      v[k++] = m.values[p]!;
    }
  }
  return csrFromCoo(m.rows, m.cols, u, i, v, keep);
}

function foldIn(c: BprConfig) {
  return {
    epochs: c.foldInEpochs,
    learningRate: c.foldInLearningRate,
    regularization: c.regularization,
    ratingWeight: c.weights.rating,
    weighted: c.sampling === "weighted",
  };
}

export class Bpr implements Recommender<BprConfig> {
  readonly kind = KIND;

  constructor(
    readonly config: Readonly<BprConfig>,
    private model: BprModel | null = null,
  ) {}

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    const start = performance.now();
    throwIfAborted(options.signal, KIND);
    const c = this.config;
    const rng = options.rng ?? new Rng();
    const positives = positivesOf(data, c.weights);
    const n = positives.indptr[positives.rows]!;
    const kernels = createSgdKernels(c.kernel);
    const stride = strideFor(c.factors);
    const f = {
      P: kernels.f32(positives.rows * stride),
      Q: kernels.f32(positives.cols * stride),
      itemBias: kernels.f32(positives.cols),
      stride,
    };
    const seen = new Uint8Array(positives.cols);
    for (let p = 0; p < n; p++) seen[positives.indices[p]!] = 1;
    const init = rng.fork();
    const fill = (m: Float32Array, r: number): void => {
      for (let k = 0; k < c.factors; k++) m[r * stride + k] = init.normal(0, c.initStd);
    };
    for (let u = 0; u < positives.rows; u++) if (positives.indptr[u + 1]! > positives.indptr[u]!) fill(f.P, u);
    for (let i = 0; i < positives.cols; i++) if (seen[i]) fill(f.Q, i);
    const samples = { users: kernels.i32(n), pos: kernels.i32(n), neg: kernels.i32(n) };
    const sampler = new BprSampler(positives, c.sampling === "weighted");
    const draw = rng.fork();
    const result = await runEpochs(
      {
        train: (_epoch, scale) => {
          if (n === 0) return 0;
          sampler.sample(draw, samples, n);
          const rates = {
            lr: c.learningRate * scale,
            regUser: c.regularization,
            regPos: c.regularization,
            regNeg: c.negativeRegularization,
            regBias: c.biasRegularization,
          };
          return -kernels.bprEpoch(samples, f, 0, n, rates) / n;
        },
      },
      {
        kind: KIND,
        epochs: c.epochs,
        schedule: c.schedule,
        decay: c.decay,
        patience: 1,
        signal: options.signal,
        onEpoch: options.onEpoch,
      },
    );
    const unpad = (m: Float32Array): Float32Array => {
      const rows = m.length / stride;
      const out = new Float32Array(rows * c.factors);
      for (let r = 0; r < rows; r++) out.set(m.subarray(r * stride, r * stride + c.factors), r * c.factors);
      return out;
    };
    const state: BprState = {
      factors: c.factors,
      userFactors: unpad(f.P),
      itemFactors: unpad(f.Q),
      itemBias: Float32Array.from(f.itemBias),
      positives,
      scale: data.scale,
      liked: likedFlags(positives, data.ratings, data.scale),
    };
    this.model = new BprModel(state, foldIn(c));
    return {
      seconds: secondsSince(start),
      epochs: result.epochs,
      loss: result.loss,
      details: { kernel: kernels.name, positives: n },
    };
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    return fitted(this.model, KIND).score(query, items, out);
  }

  explain(query: Query, item: number): Explanation {
    return fitted(this.model, KIND).explain(query, item);
  }

  similarItems(item: number, k: number): { items: Int32Array; similarities: Float32Array } {
    return fitted(this.model, KIND).similarItems(item, k);
  }

  snapshot(): ModelSnapshot {
    const s = fitted(this.model, KIND).state;
    return {
      kind: KIND,
      version: VERSION,
      config: { ...this.config },
      meta: {
        factors: s.factors,
        users: s.positives.rows,
        items: s.positives.cols,
        scaleMin: s.scale.min,
        scaleMax: s.scale.max,
      },
      arrays: {
        userFactors: s.userFactors,
        itemFactors: s.itemFactors,
        itemBias: s.itemBias,
        positivesIndptr: s.positives.indptr,
        positivesIndices: s.positives.indices,
        positivesValues: s.positives.values,
        ...(s.liked ? { positivesLiked: s.liked } : {}),
      },
    };
  }
}

export const bprDefinition: AlgorithmDefinition<BprConfig> = {
  kind: KIND,
  summary: "Bayesian personalised ranking (Rendle et al. 2009) from any weighted mix of events, SIMD kernels",
  task: "ranking",
  configSchema: bprConfigSchema,
  searchSpace: {
    factors: { type: "int", low: 8, high: 256, log: true },
    learningRate: { type: "float", low: 0.005, high: 0.2, log: true },
    regularization: { type: "float", low: 0.0005, high: 0.1, log: true },
    negativeRegularization: { type: "float", low: 0.0005, high: 0.1, log: true },
    epochs: { type: "int", low: 10, high: 200, log: true },
    sampling: { type: "choice", values: ["weighted", "uniform"] },
  },
  create: (config) => new Bpr(config),
  restore(snapshot) {
    checkSnapshot(snapshot, KIND, VERSION);
    const config = parseWith(bprConfigSchema, snapshot.config, "snapshot.config");
    const k = snapshotNumber(snapshot, "factors");
    const users = snapshotNumber(snapshot, "users");
    const items = snapshotNumber(snapshot, "items");
    const indptr = snapshotArray(snapshot, "positivesIndptr", Int32Array, users + 1);
    // Snapshots from before explanations cited liked items only: no flags, the default 1–5 scale.
    const { scaleMin, scaleMax } = snapshot.meta;
    const liked = snapshot.arrays.positivesLiked;
    const state: BprState = {
      factors: k,
      userFactors: snapshotArray(snapshot, "userFactors", Float32Array, users * k),
      itemFactors: snapshotArray(snapshot, "itemFactors", Float32Array, items * k),
      itemBias: snapshotArray(snapshot, "itemBias", Float32Array, items),
      positives: {
        rows: users,
        cols: items,
        indptr,
        indices: snapshotArray(snapshot, "positivesIndices", Int32Array, indptr[users]!),
        values: snapshotArray(snapshot, "positivesValues", Float32Array, indptr[users]!),
      },
      scale:
        typeof scaleMin === "number" && typeof scaleMax === "number" ? { min: scaleMin, max: scaleMax } : DEFAULT_SCALE,
      ...(liked === undefined ? {} : { liked: snapshotArray(snapshot, "positivesLiked", Uint8Array, indptr[users]!) }),
    };
    return new Bpr(config, new BprModel(state, foldIn(config)));
  },
};
