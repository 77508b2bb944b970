/**
 * The ALS training loop, shared by `als` and `ials` (one loop owns progress,
 * cancellation and threads). Each epoch solves the items against the users,
 * then the users against the items, so the final user vectors are exact
 * solutions against the final item factors (the explain decomposition and
 * fold-in of an unchanged customer then agree with the fitted scores).
 */
import { availableParallelism } from "node:os";
import { type Csr, nnz } from "../../core/csr.js";
import { Rng } from "../../core/rng.js";
import { throwIfAborted } from "../classic/fit-guard.js";
import type { FitOptions } from "../recommender.js";
import { type HalfStepRunner, inlineRunner, workerRunner } from "./pool.js";
import { type AlsParams, type AlsProblem, allocate, shareCsr } from "./problem.js";

export interface AlsFitInput {
  readonly params: AlsParams;
  /** users × items evidence, and its transpose. */
  readonly byUser: Csr;
  readonly byItem: Csr;
  readonly epochs: number;
  /** Standard deviation of the random initial user factors. */
  readonly initScale: number;
  /** Per-epoch loss to report (e.g. training RMSE), or none. */
  readonly loss?: (problem: AlsProblem) => number;
}

export interface AlsFitResult {
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly userBias: Float32Array;
  readonly itemBias: Float32Array;
  readonly epochs: number;
  readonly loss: number | undefined;
  readonly threads: number;
}

/** Below this much work per half-step (entries × factors) the workers' start-up costs more than it saves. */
const PARALLEL_WORK = 20_000_000;

export function chooseThreads(requested: number | undefined, work: number): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  return work >= PARALLEL_WORK ? availableParallelism() : 1;
}

export async function fitAls(input: AlsFitInput, options: FitOptions, what: string): Promise<AlsFitResult> {
  const { params, byUser, byItem } = input;
  const k = params.factors;
  const threads = chooseThreads(options.threads, nnz(byUser) * k);
  const shared = threads > 1;
  const withBias = params.mode === "explicit" && params.biases;
  const rng = options.rng ?? new Rng(42);
  const problem: AlsProblem = {
    params,
    users: {
      matrix: shareCsr(byUser, shared),
      factors: allocate(Float32Array, byUser.rows * k, shared),
      bias: allocate(Float32Array, withBias ? byUser.rows : 0, shared),
    },
    items: {
      matrix: shareCsr(byItem, shared),
      factors: allocate(Float32Array, byItem.rows * k, shared),
      bias: allocate(Float32Array, withBias ? byItem.rows : 0, shared),
    },
    gram: allocate(Float64Array, k * k, shared),
  };
  const userFactors = problem.users.factors;
  for (let i = 0; i < userFactors.length; i++) userFactors[i] = rng.normal(0, input.initScale);

  throwIfAborted(options.signal, what);
  const runner: HalfStepRunner = shared ? await workerRunner(problem, threads) : inlineRunner(problem);
  let loss: number | undefined;
  try {
    for (let epoch = 1; epoch <= input.epochs; epoch++) {
      throwIfAborted(options.signal, what);
      await runner.run("items");
      throwIfAborted(options.signal, what);
      await runner.run("users");
      loss = input.loss?.(problem);
      options.onEpoch?.({ epoch, epochs: input.epochs, ...(loss === undefined ? {} : { loss }) });
    }
  } finally {
    await runner.close();
  }
  // Plain (non-shared) copies: the model outlives the pool and snapshots them.
  return {
    userFactors: problem.users.factors.slice(),
    itemFactors: problem.items.factors.slice(),
    userBias: problem.users.bias.slice(),
    itemBias: problem.items.bias.slice(),
    epochs: input.epochs,
    loss,
    threads,
  };
}

/** Training RMSE of the explicit model μ + b_u + b_i + x_u·y_i over the user matrix (cost nnz·k). */
export function explicitTrainingRmse(problem: AlsProblem): number {
  const { users, items, params } = problem;
  const k = params.factors;
  const { indptr, indices, values } = users.matrix;
  let sum = 0;
  const n = indptr[users.matrix.rows]!;
  for (let u = 0; u < users.matrix.rows; u++) {
    const bu = params.biases ? users.bias[u]! : 0;
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
      const i = indices[p]!;
      let pred = params.mean + bu + (params.biases ? items.bias[i]! : 0);
      for (let f = 0; f < k; f++) pred += users.factors[u * k + f]! * items.factors[i * k + f]!;
      const e = values[p]! - pred;
      sum += e * e;
    }
  }
  return n > 0 ? Math.sqrt(sum / n) : 0;
}
