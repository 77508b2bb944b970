/**
 * Random splits over (customer, item) pairs: kfold:K partitions the pairs into
 * K folds of near-equal size after one seeded shuffle; holdout:F holds out a
 * random share F once. O(pairs).
 */
import type { Rng } from "../../core/rng.js";
import type { PairUnits } from "./units.js";

/** The test mask (per unit) of each of K folds; together they partition the units. */
export function kfoldMasks(units: PairUnits, folds: number, rng: Rng): Uint8Array[] {
  const order = new Int32Array(units.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  rng.shuffle(order);
  const masks = Array.from({ length: folds }, () => new Uint8Array(units.count));
  for (let pos = 0; pos < order.length; pos++) {
    masks[Math.floor((pos * folds) / order.length)]![order[pos]!] = 1;
  }
  return masks;
}

export function holdoutMask(units: PairUnits, fraction: number, rng: Rng): Uint8Array {
  const order = new Int32Array(units.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  rng.shuffle(order);
  const mask = new Uint8Array(units.count);
  const held = Math.round(units.count * fraction);
  for (let pos = 0; pos < held; pos++) mask[order[pos]!] = 1;
  return mask;
}
