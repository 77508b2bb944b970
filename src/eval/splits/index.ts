/**
 * Splitting an interaction log into evaluation folds. Every split is seeded
 * (same seed, same folds) and assigns (customer, item) pairs to test, so no
 * test pair is ever in training. A fold left without training or test events
 * is a ValidationError naming the split.
 */

import { ValidationError } from "../../core/errors.js";
import type { InteractionLog } from "../../core/interaction-log.js";
import { Rng } from "../../core/rng.js";
import type { RatingScale } from "../../core/types.js";
import type { Fold } from "../types.js";
import { buildFold } from "./build-fold.js";
import { officialMask, officialTestFiles } from "./official.js";
import { perUserMask, temporalMask } from "./per-user.js";
import { holdoutMask, kfoldMasks } from "./random.js";
import { formatSplit, parseSplit, type SplitSpec } from "./spec.js";
import { pairUnits } from "./units.js";

export interface SplitOptions {
  /** Seed of every random choice (default 42). */
  readonly seed?: number;
  /** Where the data came from (a folder or file): `official` looks for published folds there. */
  readonly source?: string;
  /** The rating scale of the training datasets. */
  readonly scale?: RatingScale;
}

/** The test masks (one per fold, per pair unit) of a split. */
function masksOf(
  log: InteractionLog,
  units: ReturnType<typeof pairUnits>,
  spec: SplitSpec,
  options: SplitOptions,
): Uint8Array[] {
  const rng = new Rng(options.seed ?? 42);
  switch (spec.kind) {
    case "official":
      return officialTestFiles(options.source).map((file) => officialMask(log, units, file));
    case "kfold":
      return kfoldMasks(units, spec.folds, rng);
    case "holdout":
      return [holdoutMask(units, spec.fraction, rng)];
    case "per-user":
      return [perUserMask(units, spec.n, rng)];
    case "last":
      return [perUserMask(units, spec.n, "latest")];
    case "temporal":
      return [temporalMask(units, spec.fraction)];
  }
}

/** Splits `log` by `split` (a SplitSpec or its text, e.g. "kfold:5"). */
export function splitLog(log: InteractionLog, split: SplitSpec | string, options: SplitOptions = {}): Fold[] {
  const spec = typeof split === "string" ? parseSplit(split) : split;
  const units = pairUnits(log);
  const name = formatSplit(spec);
  return masksOf(log, units, spec, options).map((mask, f) =>
    buildFold(log, units, mask, String(f + 1), name, options.scale),
  );
}

/**
 * The training events of fold `index` (0-based) of a split, as a log in time
 * order: what tuning splits again (an inner split) so that it never sees the
 * fold's test events.
 */
export function trainingLog(
  log: InteractionLog,
  split: SplitSpec | string,
  index: number,
  options: SplitOptions = {},
): InteractionLog {
  const spec = typeof split === "string" ? parseSplit(split) : split;
  const units = pairUnits(log);
  const mask = masksOf(log, units, spec, options)[index];
  if (!mask) throw new ValidationError("split", `"${formatSplit(spec)}" has no fold ${index + 1}`);
  const positions: number[] = [];
  for (let p = 0; p < log.length; p++) if (mask[units.unitOf[p]!] === 0) positions.push(p);
  return log.select(positions);
}

export { formatSplit, parseSplit, SPLIT_GRAMMAR, type SplitSpec } from "./spec.js";
