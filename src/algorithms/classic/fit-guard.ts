/**
 * Small guards shared by the classic algorithms: cancellation between steps
 * of a fit, and a clear error when a model is used before it is fitted.
 */
import { KindredError } from "../../core/errors.js";

/** Throws KindredError "CANCELLED" when the fit's signal has been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, kind: string): void {
  if (signal?.aborted) throw new KindredError("CANCELLED", `fit of "${kind}" was cancelled`, { cause: signal.reason });
}

/** The fitted state, or an error saying the model has to be fitted (or restored) first. */
export function fitted<T>(state: T | null, kind: string): T {
  if (state === null) {
    throw new KindredError("INVALID_INPUT", `model "${kind}" is not fitted: call fit() or restore a snapshot`, {
      field: "model",
    });
  }
  return state;
}

/** Seconds since `start` (a performance.now() reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
