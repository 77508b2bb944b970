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
  if (b.length < n || x.length < n) {
    throw new RangeError(`conjugateGradient: b (${b.length}) and x (${x.length}) need at least ${n} values`);
  }
  const s = scratch ?? cgScratch(n);
  if (s.length < 3 * n) throw new RangeError(`conjugateGradient: scratch has length ${s.length}, expected ${3 * n}`);
  const r = s.subarray(0, n);
  const p = s.subarray(n, 2 * n);
  const ap = s.subarray(2 * n, 3 * n);
  op.apply(x, ap);
  let rs = 0;
  for (let i = 0; i < n; i++) {
    const v = b[i]! - ap[i]!;
    r[i] = v;
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
