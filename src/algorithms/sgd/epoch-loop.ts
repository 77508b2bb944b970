/**
 * The one epoch loop of the SGD models (after LensKit: training is separate
 * from the loop that owns progress, cancellation, the learning-rate schedule
 * and early stopping). A model supplies `train` (one pass) and, to stop
 * early, `validate` (an error on held-out data, lower is better).
 */
import { ValidationError } from "../../core/errors.js";
import { throwIfAborted } from "../classic/fit-guard.js";
import type { EpochProgress } from "../recommender.js";
import { LearningRate, type Schedule } from "./schedule.js";

export interface EpochRun {
  /** One pass at `scale` times the configured learning rates; returns the training loss. */
  train(epoch: number, scale: number): Promise<number> | number;
  /** The validation error after the pass (early stopping only). */
  validate?(): number;
  /** Called after the pass that gave a new best validation error. */
  onBest?(): void;
}

export interface LoopOptions {
  readonly kind: string;
  readonly epochs: number;
  readonly schedule: Schedule;
  readonly decay: number;
  readonly patience: number;
  readonly signal?: AbortSignal;
  readonly onEpoch?: (progress: EpochProgress) => void;
}

export interface LoopResult {
  /** Passes run. */
  readonly epochs: number;
  /** The pass with the lowest validation error (= epochs without validation). */
  readonly bestEpoch: number;
  readonly loss: number;
  /** Lowest validation error (NaN without validation). */
  readonly validation: number;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function runEpochs(run: EpochRun, options: LoopOptions): Promise<LoopResult> {
  const rate = new LearningRate(options.schedule, options.decay);
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let since = 0;
  let loss = Number.NaN;
  let epoch = 0;
  while (epoch < options.epochs) {
    throwIfAborted(options.signal, options.kind);
    loss = await run.train(epoch, rate.at(epoch));
    epoch++;
    if (!Number.isFinite(loss)) {
      throw new ValidationError(
        `params.${options.kind}.learningRate`,
        `the fit diverged at epoch ${epoch} (training loss ${loss}): lower the learning rate or raise the regularization`,
      );
    }
    rate.observe(loss);
    let validation: number | undefined;
    if (run.validate) {
      validation = run.validate();
      if (validation < best) {
        best = validation;
        bestEpoch = epoch;
        since = 0;
        run.onBest?.();
      } else since++;
    }
    options.onEpoch?.({ epoch, epochs: options.epochs, loss: validation ?? loss });
    if (run.validate && since >= options.patience) break;
    await nextTurn(); // lets an abort (or the service) in between passes
  }
  throwIfAborted(options.signal, options.kind);
  return {
    epochs: epoch,
    bestEpoch: run.validate ? Math.max(1, bestEpoch) : epoch,
    loss,
    validation: run.validate ? best : Number.NaN,
  };
}
