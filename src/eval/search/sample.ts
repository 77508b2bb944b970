/**
 * Drawing parameter values from an algorithm's declared search space
 * (AlgorithmDefinition.searchSpace). Numeric parameters live on an internal
 * axis (the log of the value when `log` is set), which is where both random
 * search and TPE do their arithmetic.
 */
import type { ParamSpace, SearchSpace } from "../../algorithms/registry.js";
import type { Rng } from "../../core/rng.js";

export type Params = Record<string, string | number | boolean>;

type Numeric = Extract<ParamSpace, { type: "int" | "float" }>;

/** The axis bounds of a numeric parameter. */
export function axisBounds(space: Numeric): { low: number; high: number } {
  return space.log ? { low: Math.log(space.low), high: Math.log(space.high) } : { low: space.low, high: space.high };
}

export function toAxis(space: Numeric, value: number): number {
  return space.log ? Math.log(value) : value;
}

/** A value of the parameter from a point on its axis (clamped, rounded for ints). */
export function fromAxis(space: Numeric, x: number): number {
  const { low, high } = axisBounds(space);
  const clamped = Math.min(high, Math.max(low, x));
  const value = space.log ? Math.exp(clamped) : clamped;
  if (space.type === "int") return Math.min(space.high, Math.max(space.low, Math.round(value)));
  return Number(Math.min(space.high, Math.max(space.low, value)).toPrecision(6));
}

export function sampleParam(space: ParamSpace, rng: Rng): string | number | boolean {
  if (space.type === "choice") return space.values[rng.int(space.values.length)]!;
  const { low, high } = axisBounds(space);
  return fromAxis(space, low + rng.next() * (high - low));
}

/** Independent uniform draws (log-uniform where declared): random search. */
export function sampleSpace(space: SearchSpace, rng: Rng): Params {
  const params: Params = {};
  for (const [name, p] of Object.entries(space)) params[name] = sampleParam(p, rng);
  return params;
}
