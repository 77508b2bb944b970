/**
 * Small dense kernels on row-major typed arrays. A vector inside a matrix is
 * addressed by (array, offset, length) so that factor rows are used in place,
 * without copies. Lengths are checked once, at entry; the loops do not check.
 */
export type Vec = Float32Array | Float64Array;

function checkSpan(name: string, a: Vec, offset: number, n: number): void {
  if (offset < 0 || offset + n > a.length) {
    throw new RangeError(`${name}: span [${offset}, ${offset + n}) is outside its array of length ${a.length}`);
  }
}

/** Σ a[ai + t]·b[bi + t] for t < n. */
export function dotAt(a: Vec, ai: number, b: Vec, bi: number, n: number): number {
  checkSpan("dotAt a", a, ai, n);
  checkSpan("dotAt b", b, bi, n);
  let s0 = 0;
  let s1 = 0;
  let t = 0;
  // Two accumulators halve the dependency chain; the order is fixed, so results are reproducible.
  for (; t + 1 < n; t += 2) {
    s0 += a[ai + t]! * b[bi + t]!;
    s1 += a[ai + t + 1]! * b[bi + t + 1]!;
  }
  if (t < n) s0 += a[ai + t]! * b[bi + t]!;
  return s0 + s1;
}

/** y[yi + t] += alpha·x[xi + t] for t < n. */
export function axpyAt(alpha: number, x: Vec, xi: number, y: Vec, yi: number, n: number): void {
  checkSpan("axpyAt x", x, xi, n);
  checkSpan("axpyAt y", y, yi, n);
  for (let t = 0; t < n; t++) y[yi + t] = y[yi + t]! + alpha * x[xi + t]!;
}

/** Euclidean norms of each row of a rows×cols matrix (into `out` when given). */
export function rowNorms(m: Vec, rows: number, cols: number, out?: Float64Array): Float64Array {
  if (m.length !== rows * cols) throw new RangeError(`rowNorms: length ${m.length} is not rows×cols = ${rows * cols}`);
  const norms = out ?? new Float64Array(rows);
  if (norms.length !== rows) throw new RangeError(`rowNorms: out has length ${norms.length}, expected ${rows}`);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = r * cols, end = c + cols; c < end; c++) s += m[c]! * m[c]!;
    norms[r] = Math.sqrt(s);
  }
  return norms;
}

/**
 * out = M·x for a rows×cols row-major M and a vector x at offset xi (into `out` when given).
 */
export function matVec(m: Vec, rows: number, cols: number, x: Vec, xi = 0, out?: Float64Array): Float64Array {
  if (m.length !== rows * cols) throw new RangeError(`matVec: length ${m.length} is not rows×cols = ${rows * cols}`);
  checkSpan("matVec x", x, xi, cols);
  const y = out ?? new Float64Array(rows);
  if (y.length < rows) throw new RangeError(`matVec: out has length ${y.length}, expected at least ${rows}`);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const base = r * cols;
    for (let c = 0; c < cols; c++) s += m[base + c]! * x[xi + c]!;
    y[r] = s;
  }
  return y;
}
