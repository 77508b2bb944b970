/**
 * Rating-prediction metrics over held-out ratings. A NaN prediction means the
 * model could not score the pair: it is left out of RMSE and MAE and counted
 * by `unscorable`, so a model is never rewarded for declining hard cases
 * without the table showing it.
 */

function checkLengths(predictions: ArrayLike<number>, truth: ArrayLike<number>): void {
  if (predictions.length !== truth.length) {
    throw new RangeError(`predictions (${predictions.length}) and truth (${truth.length}) differ in length`);
  }
}

/** Root mean squared error over the scorable pairs; NaN when none is scorable. */
export function rmse(predictions: Float32Array | Float64Array, truth: Float32Array | Float64Array): number {
  checkLengths(predictions, truth);
  let sum = 0;
  let n = 0;
  for (let k = 0; k < predictions.length; k++) {
    const p = predictions[k]!;
    if (Number.isNaN(p)) continue;
    const d = p - truth[k]!;
    sum += d * d;
    n++;
  }
  return n === 0 ? Number.NaN : Math.sqrt(sum / n);
}

/** Mean absolute error over the scorable pairs; NaN when none is scorable. */
export function mae(predictions: Float32Array | Float64Array, truth: Float32Array | Float64Array): number {
  checkLengths(predictions, truth);
  let sum = 0;
  let n = 0;
  for (let k = 0; k < predictions.length; k++) {
    const p = predictions[k]!;
    if (Number.isNaN(p)) continue;
    sum += Math.abs(p - truth[k]!);
    n++;
  }
  return n === 0 ? Number.NaN : sum / n;
}

/** Share of pairs the model could not score (NaN predictions), in [0, 1]; 0 for no pairs. */
export function unscorable(predictions: Float32Array | Float64Array): number {
  if (predictions.length === 0) return 0;
  let missing = 0;
  for (let k = 0; k < predictions.length; k++) if (Number.isNaN(predictions[k]!)) missing++;
  return missing / predictions.length;
}
