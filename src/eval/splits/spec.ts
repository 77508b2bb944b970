/**
 * The split grammar of `--split`: official | kfold:K | holdout:FRACTION |
 * per-user:N | temporal:FRACTION | last:N.
 */
import { ValidationError } from "../../core/errors.js";

export type SplitSpec =
  | { readonly kind: "official" }
  | { readonly kind: "kfold"; readonly folds: number }
  | { readonly kind: "holdout"; readonly fraction: number }
  | { readonly kind: "per-user"; readonly n: number }
  | { readonly kind: "temporal"; readonly fraction: number }
  | { readonly kind: "last"; readonly n: number };

export const SPLIT_GRAMMAR = "official, kfold:K, holdout:FRACTION, per-user:N, temporal:FRACTION or last:N";

export function parseSplit(text: string, field = "split"): SplitSpec {
  const trimmed = text.trim();
  const [kind, arg, extra] = trimmed.split(":");
  const bad = (why: string): never => {
    throw new ValidationError(field, `"${text}" ${why} (expected ${SPLIT_GRAMMAR})`);
  };
  if (extra !== undefined) bad("has too many parts");
  const integer = (min: number): number => {
    if (arg === undefined || !/^\d+$/.test(arg)) bad(`needs a whole number after "${kind}:"`);
    const n = Number(arg);
    if (n < min) bad(`needs a number of at least ${min}`);
    return n;
  };
  const fraction = (): number => {
    const f = Number(arg);
    if (arg === undefined || arg.trim() === "" || !Number.isFinite(f) || f <= 0 || f >= 1) {
      bad(`needs a fraction strictly between 0 and 1 after "${kind}:"`);
    }
    return f;
  };
  switch (kind) {
    case "official":
      if (arg !== undefined) bad("takes no argument");
      return { kind: "official" };
    case "kfold":
      return { kind: "kfold", folds: integer(2) };
    case "holdout":
      return { kind: "holdout", fraction: fraction() };
    case "per-user":
      return { kind: "per-user", n: integer(1) };
    case "temporal":
      return { kind: "temporal", fraction: fraction() };
    case "last":
      return { kind: "last", n: integer(1) };
    default:
      return bad("is not a known split");
  }
}

export function formatSplit(spec: SplitSpec): string {
  switch (spec.kind) {
    case "official":
      return "official";
    case "kfold":
      return `kfold:${spec.folds}`;
    case "holdout":
    case "temporal":
      return `${spec.kind}:${spec.fraction}`;
    case "per-user":
    case "last":
      return `${spec.kind}:${spec.n}`;
  }
}
