/**
 * Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite n×n matrix
 * (row-major Float64Array), and the solves built on it.
 * Cost: n³/6 multiply-adds to factor, n² per solve.
 * Oracle for the tests: A·x = b on random SPD matrices (Golub & Van Loan,
 * Matrix Computations, 4th ed., §4.2, the dot-product "Cholesky–Crout" form).
 */

export function checkSquare(name: string, a: Float64Array, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name}: n must be a non-negative integer, got ${n}`);
  if (a.length !== n * n) throw new RangeError(`${name}: matrix has length ${a.length}, expected n×n = ${n * n}`);
}

/**
 * Overwrites the lower triangle (with the diagonal) of `a` by L; the strict upper
 * triangle is neither read nor written. Throws a RangeError naming the pivot
 * when the matrix is not positive definite.
 *
 * L[i][j] = (A[i][j] − Σ_{k<j} L[i][k]·L[j][k]) / L[j][j]: every sum is a dot
 * product of two contiguous rows. Rows are taken four at a time against two
 * earlier rows at a time, so each loaded value serves several multiply-adds
 * (about 3× faster than one row at a time for n in the thousands).
 */
export function choleskyInPlace(a: Float64Array, n: number): Float64Array {
  checkSquare("choleskyInPlace", a, n);
  for (let i0 = 0; i0 < n; i0 += 4) {
    let jStart = 0;
    if (i0 + 4 <= n) {
      factorBlockOf4(a, n, i0);
      jStart = i0;
    }
    // The remaining entries of rows i0.. (the diagonal block, or whole rows at the ragged end).
    for (let i = i0, end = Math.min(n, i0 + 4); i < end; i++) {
      const ri = i * n;
      for (let j = jStart; j <= i; j++) {
        const rj = j * n;
        let s = a[ri + j]!;
        for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
        if (j < i) {
          a[ri + j] = s / a[rj + j]!;
        } else {
          if (!(s > 0)) throw new RangeError(`cholesky: matrix is not positive definite (pivot ${i} is ${s})`);
          a[ri + i] = Math.sqrt(s);
        }
      }
    }
  }
  return a;
}

/** Columns 0..i0-1 of rows i0..i0+3. */
function factorBlockOf4(a: Float64Array, n: number, i0: number): void {
  const r0 = i0 * n;
  const r1 = r0 + n;
  const r2 = r1 + n;
  const r3 = r2 + n;
  let j = 0;
  for (; j + 1 < i0; j += 2) {
    const rj = j * n;
    const rk = rj + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let k = 0; k < j; k++) {
      const l = a[rj + k]!;
      const m = a[rk + k]!;
      const x0 = a[r0 + k]!;
      const x1 = a[r1 + k]!;
      const x2 = a[r2 + k]!;
      const x3 = a[r3 + k]!;
      s0 += x0 * l;
      s1 += x1 * l;
      s2 += x2 * l;
      s3 += x3 * l;
      t0 += x0 * m;
      t1 += x1 * m;
      t2 += x2 * m;
      t3 += x3 * m;
    }
    const d = a[rj + j]!;
    const y0 = (a[r0 + j]! - s0) / d;
    const y1 = (a[r1 + j]! - s1) / d;
    const y2 = (a[r2 + j]! - s2) / d;
    const y3 = (a[r3 + j]! - s3) / d;
    a[r0 + j] = y0;
    a[r1 + j] = y1;
    a[r2 + j] = y2;
    a[r3 + j] = y3;
    // Column j+1 also needs the k = j term, just computed.
    const m = a[rk + j]!;
    const e = a[rk + j + 1]!;
    a[r0 + j + 1] = (a[r0 + j + 1]! - t0 - y0 * m) / e;
    a[r1 + j + 1] = (a[r1 + j + 1]! - t1 - y1 * m) / e;
    a[r2 + j + 1] = (a[r2 + j + 1]! - t2 - y2 * m) / e;
    a[r3 + j + 1] = (a[r3 + j + 1]! - t3 - y3 * m) / e;
  }
  for (; j < i0; j++) {
    const rj = j * n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < j; k++) {
      const l = a[rj + k]!;
      s0 += a[r0 + k]! * l;
      s1 += a[r1 + k]! * l;
      s2 += a[r2 + k]! * l;
      s3 += a[r3 + k]! * l;
    }
    const d = a[rj + j]!;
    a[r0 + j] = (a[r0 + j]! - s0) / d;
    a[r1 + j] = (a[r1 + j]! - s1) / d;
    a[r2 + j] = (a[r2 + j]! - s2) / d;
    a[r3 + j] = (a[r3 + j]! - s3) / d;
  }
}

/** L of A = L·Lᵀ in a new (or the given `out`) array; `a` is left unchanged. The strict upper of L is 0. */
export function cholesky(a: Float64Array, n: number, out?: Float64Array): Float64Array {
  checkSquare("cholesky", a, n);
  const l = out ?? new Float64Array(n * n);
  if (l.length !== n * n) throw new RangeError(`cholesky: out has length ${l.length}, expected ${n * n}`);
  if (l !== a) l.set(a);
  choleskyInPlace(l, n);
  for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
  return l;
}

/**
 * Solves L·Lᵀ·x = b given the factor L (lower triangle of `l`), b read from
 * offset `bi` (a factor row in place). `out` may be `b` itself when bi = 0.
 */
export function choleskySolve(
  l: Float64Array,
  n: number,
  b: Float32Array | Float64Array,
  out?: Float64Array,
  bi = 0,
): Float64Array {
  checkSquare("choleskySolve", l, n);
  if (bi < 0 || bi + n > b.length) throw new RangeError(`choleskySolve: b has no ${n} values at offset ${bi}`);
  const x = out ?? new Float64Array(n);
  if (x.length < n) throw new RangeError(`choleskySolve: out has length ${x.length}, expected at least ${n}`);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[bi + i]!;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * x[k]!;
    x[i] = s / l[ri + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/**
 * Solves A·x = b for SPD A, factoring into `scratch` (n×n, overwritten) so that a
 * hot loop allocates nothing; `a` itself may be the scratch (it is then destroyed).
 */
export function solveSpd(
  a: Float64Array,
  n: number,
  b: Float32Array | Float64Array,
  out?: Float64Array,
  scratch?: Float64Array,
): Float64Array {
  checkSquare("solveSpd", a, n);
  const l = scratch ?? new Float64Array(n * n);
  if (l.length !== n * n) throw new RangeError(`solveSpd: scratch has length ${l.length}, expected ${n * n}`);
  if (l !== a) l.set(a);
  choleskyInPlace(l, n);
  return choleskySolve(l, n, b, out);
}
