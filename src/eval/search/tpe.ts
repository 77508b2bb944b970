/**
 * A Tree-structured Parzen Estimator in its simple, per-parameter form
 * (Bergstra, Bardenet, Bengio & Kégl 2011, "Algorithms for hyper-parameter
 * optimization", NeurIPS; as in hyperopt): after `startup` random trials,
 * split the trials into the best γ share ("good") and the rest ("bad"), model
 * each parameter's density in each group, l(x) and g(x), and propose the
 * candidate (of `candidates` drawn from l) that maximises l(x) / g(x).
 *
 * Numeric parameters: a mixture of Gaussians on the parameter's axis (log
 * axis when declared), one per observation with bandwidth range · n^(−1/5),
 * plus a wide prior component. Choices: smoothed category frequencies.
 * Cost per proposal: O(params · candidates · trials).
 */
import type { ParamSpace, SearchSpace } from "../../algorithms/registry.js";
import type { Rng } from "../../core/rng.js";
import { axisBounds, fromAxis, type Params, sampleParam, toAxis } from "./sample.js";

export interface Observation {
  readonly params: Params;
  /** Lower is better. */
  readonly loss: number;
}

export interface TpeOptions {
  readonly gamma?: number;
  readonly startup?: number;
  readonly candidates?: number;
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);

interface Mixture {
  readonly centers: number[];
  readonly sigma: number;
  readonly priorCenter: number;
  readonly priorSigma: number;
}

function mixture(points: number[], low: number, high: number): Mixture {
  const range = Math.max(high - low, 1e-12);
  return {
    centers: points,
    sigma: range * Math.max(points.length, 1) ** -0.2,
    priorCenter: (low + high) / 2,
    priorSigma: range,
  };
}

function density(m: Mixture, x: number): number {
  const gauss = (c: number, s: number): number => Math.exp(-0.5 * ((x - c) / s) ** 2) / (s * SQRT_2PI);
  let sum = gauss(m.priorCenter, m.priorSigma);
  for (const c of m.centers) sum += gauss(c, m.sigma);
  return sum / (m.centers.length + 1);
}

function drawFrom(m: Mixture, rng: Rng): number {
  const j = rng.int(m.centers.length + 1);
  return j === m.centers.length ? rng.normal(m.priorCenter, m.priorSigma) : rng.normal(m.centers[j]!, m.sigma);
}

function proposeNumeric(
  space: Extract<ParamSpace, { type: "int" | "float" }>,
  good: number[],
  bad: number[],
  rng: Rng,
  candidates: number,
): number {
  const { low, high } = axisBounds(space);
  const l = mixture(good, low, high);
  const g = mixture(bad, low, high);
  let best = fromAxis(space, drawFrom(l, rng));
  let bestRatio = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < candidates; c++) {
    const value = fromAxis(space, drawFrom(l, rng));
    const x = toAxis(space, value);
    const ratio = Math.log(density(l, x)) - Math.log(density(g, x));
    if (ratio > bestRatio) {
      bestRatio = ratio;
      best = value;
    }
  }
  return best;
}

function proposeChoice(
  values: readonly (string | number | boolean)[],
  good: unknown[],
  bad: unknown[],
  rng: Rng,
  candidates: number,
): string | number | boolean {
  const weights = (seen: unknown[]): number[] =>
    values.map((v) => (seen.filter((s) => s === v).length + 1) / (seen.length + values.length));
  const l = weights(good);
  const g = weights(bad);
  let best = values[0]!;
  let bestRatio = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < candidates; c++) {
    let r = rng.next();
    let j = 0;
    while (j < values.length - 1 && r >= l[j]!) r -= l[j++]!;
    const ratio = l[j]! / g[j]!;
    if (ratio > bestRatio) {
      bestRatio = ratio;
      best = values[j]!;
    }
  }
  return best;
}

/** The next parameters to try given the trials so far. */
export function proposeTpe(
  space: SearchSpace,
  history: readonly Observation[],
  rng: Rng,
  options: TpeOptions = {},
): Params {
  const startup = options.startup ?? 8;
  const finite = history.filter((o) => Number.isFinite(o.loss));
  const params: Params = {};
  if (finite.length < startup) {
    for (const [name, p] of Object.entries(space)) params[name] = sampleParam(p, rng);
    return params;
  }
  const sorted = [...finite].sort((a, b) => a.loss - b.loss);
  const nGood = Math.max(1, Math.ceil((options.gamma ?? 0.25) * sorted.length));
  const good = sorted.slice(0, nGood);
  const bad = sorted.slice(nGood);
  const candidates = options.candidates ?? 24;
  for (const [name, p] of Object.entries(space)) {
    if (p.type === "choice") {
      params[name] = proposeChoice(
        p.values,
        good.map((o) => o.params[name]),
        bad.map((o) => o.params[name]),
        rng,
        candidates,
      );
    } else {
      const axis = (os: Observation[]): number[] =>
        os
          .map((o) => o.params[name])
          .filter((v): v is number => typeof v === "number")
          .map((v) => toAxis(p, v));
      params[name] = proposeNumeric(p, axis(good), axis(bad), rng, candidates);
    }
  }
  return params;
}
