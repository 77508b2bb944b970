/**
 * The one half-step of ALS (after LensKit's `_common.py`): solve rows
 * [start, end) of one side against the fixed factors of the other. The same
 * function serves users and items, in the main thread and in every worker;
 * each row's solve reads only the fixed side, so any split of the rows over
 * threads gives bit-identical factors.
 */
import { gramDense } from "../../linalg/gram.js";
import { type AlsProblem, otherSide, type SideName } from "./problem.js";
import type { RowSolver } from "./row-solver.js";

export function halfStep(problem: AlsProblem, side: SideName, start: number, end: number, solver: RowSolver): void {
  const solving = problem[side];
  const fixed = problem[otherSide(side)];
  const { indptr, indices, values } = solving.matrix;
  solver.prepare(problem.gram, fixed.factors, fixed.matrix.rows);
  for (let r = start; r < end; r++) {
    solver.solve(
      indices,
      values,
      indptr[r]!,
      indptr[r + 1]!,
      fixed.factors,
      fixed.bias,
      problem.gram,
      solving.factors,
      solving.bias,
      r,
    );
  }
}

/** Before an implicit half-step of `side`: gram = YᵀY of the fixed side (one thread; cost rows·k²/2). */
export function prepareHalfStep(problem: AlsProblem, side: SideName): void {
  if (problem.params.mode !== "implicit") return;
  const fixed = problem[otherSide(side)];
  const k = problem.params.factors;
  gramDense(fixed.factors, fixed.matrix.rows, k, problem.gram);
}

/**
 * Splits rows into `parts` contiguous ranges of about equal work (entries
 * plus a per-row constant for the k×k solve), so skewed rows do not leave a
 * thread idle.
 */
export function balancedRanges(indptr: Int32Array, parts: number, perRowCost: number): Array<[number, number]> {
  const rows = indptr.length - 1;
  const total = (indptr[rows] ?? 0) + rows * perRowCost;
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let part = 1; part <= parts; part++) {
    const target = (total * part) / parts;
    let end = start;
    while (end < rows && (indptr[end + 1] ?? 0) + (end + 1) * perRowCost <= target) end++;
    if (part === parts) end = rows;
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}
