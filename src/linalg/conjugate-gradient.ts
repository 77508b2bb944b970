/**
 * The conjugate-gradient method for A·x = b with A symmetric positive definite,
 * run for a fixed number of steps from a warm start (Hestenes & Stiefel 1952).
 * Implicit ALS needs only a few steps per row when each row starts from its
 * previous value (Takács, Pilászy & Tikk 2011, "Applications of the conjugate
 * gradient method for implicit feedback collaborative filtering", RecSys).
 * Cost per step: one application of A plus 5n.
 */

/** A linear operator: out = A·v. An object (not a closure) so hot loops reuse it without allocating. */
export interface LinearOperator {
  readonly size: number;
  apply(v: Float64Array, out: Float64Array): void;
}

/** Scratch for conjugateGradient: 3 vectors of the operator's size. */
export function cgScratch(n: number): Float64Array {
  return new Float64Array(3 * n);
}

/**
 * Improves x (in place; its content is the warm start) by up to `steps` CG
 * steps towards the solution of A·x = b; stops early when the residual's
 * squared norm falls below `tolerance`. Returns the steps taken.
 */
export function conjugateGradient(
  op: LinearOperator,
  b: Float64Array,
  x: Float64Array,
  steps: number,
  scratch?: Float64Array,
  tolerance = 1e-20,
): number {
  const n = op.size;
  if (b.length < n) throw new RangeError(`conjugateGradient: b has length ${b.length}, expected at least ${n}`);
  const s = scratch ?? cgScratch(n);
  checkCg(op, x, s);
  const r = s.subarray(0, n);
  op.apply(x, s.subarray(2 * n, 3 * n));
  for (let i = 0; i < n; i++) r[i] = b[i]! - s[2 * n + i]!;
  return cgFromResidual(op, x, steps, s, tolerance);
}

/**
 * The same CG steps when the caller has already written the residual
 * r = b − A·x into scratch[0, n) (saving one application of A when the
 * residual falls out of work the caller does anyway).
 */
export function cgFromResidual(
  op: LinearOperator,
  x: Float64Array,
  steps: number,
  scratch: Float64Array,
  tolerance = 1e-20,
): number {
  const n = op.size;
  checkCg(op, x, scratch);
  const r = scratch.subarray(0, n);
  const p = scratch.subarray(n, 2 * n);
  const ap = scratch.subarray(2 * n, 3 * n);
  let rs = 0;
  for (let i = 0; i < n; i++) {
    const v = r[i]!;
    p[i] = v;
    rs += v * v;
  }
  let taken = 0;
  while (taken < steps && rs > tolerance) {
    op.apply(p, ap);
    let pap = 0;
    for (let i = 0; i < n; i++) pap += p[i]! * ap[i]!;
    if (!(pap > 0)) break; // not positive definite along p (or numerically zero): stop where we are
    const alpha = rs / pap;
    let next = 0;
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! + alpha * p[i]!;
      const v = r[i]! - alpha * ap[i]!;
      r[i] = v;
      next += v * v;
    }
    const beta = next / rs;
    for (let i = 0; i < n; i++) p[i] = r[i]! + beta * p[i]!;
    rs = next;
    taken++;
  }
  return taken;
}

function checkCg(op: LinearOperator, x: Float64Array, scratch: Float64Array): void {
  const n = op.size;
  if (x.length < n) throw new RangeError(`conjugateGradient: x has length ${x.length}, expected at least ${n}`);
  if (scratch.length < 3 * n) {
    throw new RangeError(`conjugateGradient: scratch has length ${scratch.length}, expected ${3 * n}`);
  }
}
