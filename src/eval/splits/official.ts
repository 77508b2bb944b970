/**
 * `official`: a dataset's own published folds. For MovieLens 100K these are
 * u1..u5: u{k}.test lists the held-out ratings (tab-separated
 * `user item rating timestamp`) and u{k}.base is the rest of u.data. Each
 * u{k}.test line is matched to its (customer, item) pair in the log, so the
 * fold's training set is exactly u{k}.base.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { ValidationError } from "../../core/errors.js";
import type { InteractionLog } from "../../core/interaction-log.js";
import { findUnit, type PairUnits } from "./units.js";

/** The official test files next to a dataset path (a folder, or a file in it), in fold order. */
export function officialTestFiles(source: string | undefined): string[] {
  if (source === undefined) {
    throw new ValidationError("split", '"official" needs a dataset folder with published folds (--data PATH)');
  }
  const folder = existsSync(source) && statSync(source).isDirectory() ? source : dirname(source);
  const files: string[] = [];
  for (let k = 1; existsSync(join(folder, `u${k}.test`)); k++) files.push(join(folder, `u${k}.test`));
  if (files.length === 0) {
    throw new ValidationError("split", `"official" needs published folds (u1.test, u2.test, ...) in ${folder}`);
  }
  return files;
}

/** The test mask (per unit) of one official fold. */
export function officialMask(log: InteractionLog, units: PairUnits, file: string): Uint8Array {
  const mask = new Uint8Array(units.count);
  const lines = readFileSync(file, "utf8").split("\n");
  for (let lineNo = 0; lineNo < lines.length; lineNo++) {
    const line = lines[lineNo]!.trim();
    if (line.length === 0) continue;
    const [user, item] = line.split("\t");
    const unit = findUnit(units, log.users.get(user ?? ""), log.items.get(item ?? ""));
    if (unit === -1) {
      throw new ValidationError(
        "split",
        `official fold ${file} line ${lineNo + 1}: customer "${user}" item "${item}" is not in the data`,
      );
    }
    mask[unit] = 1;
  }
  return mask;
}
