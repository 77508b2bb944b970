/**
 * The inverse of a symmetric positive-definite n×n matrix, in place, through
 * its Cholesky factor (LAPACK's potrf + trtri + lauum, in three loops of
 * contiguous dot products). No n×n temporary: the memory bound matters for
 * EASE's item×item solve. Cost about n³/2 multiply-adds; n = 1682 takes about
 * a second in one thread of a 2020s x86 core.
 */
import { checkSquare, choleskyInPlace } from "./cholesky.js";

/**
 * Replaces the SPD matrix `a` (row-major Float64Array) by its inverse.
 * Steps: A = L·Lᵀ (lower); R = L⁻ᵀ (upper; R[j][i] = −Σ_{k=j}^{i−1} L[i][k]·R[j][k] / L[i][i]);
 * A⁻¹ = L⁻ᵀ·L⁻¹ = R·Rᵀ, whose (i, j) entry is a dot product of rows i and j of R.
 * Throws a RangeError when the matrix is not positive definite.
 */
export function invertSpdInPlace(a: Float64Array, n: number): Float64Array {
  checkSquare("invertSpdInPlace", a, n);
  choleskyInPlace(a, n);
  const diagL = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    diagL[j] = a[j * n + j]!;
    a[j * n + j] = 1 / diagL[j]!;
  }
  let j0 = 0;
  for (; j0 + 4 <= n; j0 += 4) inverseRowsOf4(a, n, diagL, j0);
  for (; j0 < n; j0++) {
    const rj = j0 * n;
    for (let i = j0 + 1; i < n; i++) {
      let s = 0;
      for (let k = j0; k < i; k++) s += a[i * n + k]! * a[rj + k]!;
      a[rj + i] = -s / diagL[i]!;
    }
  }
  productRRt(a, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j]!;
  return a;
}

/** Rows j0..j0+3 of R = L⁻ᵀ (upper triangle), against rows i of L taken two at a time. */
function inverseRowsOf4(a: Float64Array, n: number, diagL: Float64Array, j0: number): void {
  const q0 = j0 * n;
  const q1 = q0 + n;
  const q2 = q1 + n;
  const q3 = q2 + n;
  // The 4×4 triangle itself.
  for (let b = 0; b < 4; b++) {
    const rj = (j0 + b) * n;
    for (let i = j0 + b + 1; i < j0 + 4; i++) {
      let s = 0;
      for (let k = j0 + b; k < i; k++) s += a[i * n + k]! * a[rj + k]!;
      a[rj + i] = -s / diagL[i]!;
    }
  }
  // Sum heads (k < j0+3, where the four rows start at different places) then the common range.
  const head = (ri: number): [number, number, number] => [
    a[ri + j0]! * a[q0 + j0]! + a[ri + j0 + 1]! * a[q0 + j0 + 1]! + a[ri + j0 + 2]! * a[q0 + j0 + 2]!,
    a[ri + j0 + 1]! * a[q1 + j0 + 1]! + a[ri + j0 + 2]! * a[q1 + j0 + 2]!,
    a[ri + j0 + 2]! * a[q2 + j0 + 2]!,
  ];
  const c = j0 + 3;
  let i = j0 + 4;
  for (; i + 1 < n; i += 2) {
    const ri = i * n;
    const rh = ri + n;
    let [s0, s1, s2] = head(ri);
    let [t0, t1, t2] = head(rh);
    let s3 = 0;
    let t3 = 0;
    for (let k = c; k < i; k++) {
      const l = a[ri + k]!;
      const h = a[rh + k]!;
      const x0 = a[q0 + k]!;
      const x1 = a[q1 + k]!;
      const x2 = a[q2 + k]!;
      const x3 = a[q3 + k]!;
      s0 += l * x0;
      s1 += l * x1;
      s2 += l * x2;
      s3 += l * x3;
      t0 += h * x0;
      t1 += h * x1;
      t2 += h * x2;
      t3 += h * x3;
    }
    const d = diagL[i]!;
    const y0 = -s0 / d;
    const y1 = -s1 / d;
    const y2 = -s2 / d;
    const y3 = -s3 / d;
    a[q0 + i] = y0;
    a[q1 + i] = y1;
    a[q2 + i] = y2;
    a[q3 + i] = y3;
    // Row i+1 also needs the k = i term, just computed.
    const h = a[rh + i]!;
    const e = diagL[i + 1]!;
    a[q0 + i + 1] = -(t0 + h * y0) / e;
    a[q1 + i + 1] = -(t1 + h * y1) / e;
    a[q2 + i + 1] = -(t2 + h * y2) / e;
    a[q3 + i + 1] = -(t3 + h * y3) / e;
  }
  for (; i < n; i++) {
    const ri = i * n;
    let [s0, s1, s2] = head(ri);
    let s3 = 0;
    for (let k = c; k < i; k++) {
      const l = a[ri + k]!;
      s0 += l * a[q0 + k]!;
      s1 += l * a[q1 + k]!;
      s2 += l * a[q2 + k]!;
      s3 += l * a[q3 + k]!;
    }
    const d = diagL[i]!;
    a[q0 + i] = -s0 / d;
    a[q1 + i] = -s1 / d;
    a[q2 + i] = -s2 / d;
    a[q3 + i] = -s3 / d;
  }
}

/**
 * A⁻¹[i][j] = Σ_{k≥j} R[i][k]·R[j][k] for i ≤ j, written to the lower triangle [j][i].
 * The diagonal R[j][j] is last needed by column j, so it is replaced after that column.
 */
function productRRt(a: Float64Array, n: number): void {
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const rj = j * n;
    const rk = rj + n;
    let i = 0;
    for (; i + 3 < j; i += 4) {
      const p0 = i * n;
      const p1 = p0 + n;
      const p2 = p1 + n;
      const p3 = p2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let k = j + 1; k < n; k++) {
        const x = a[rj + k]!;
        const y = a[rk + k]!;
        const u0 = a[p0 + k]!;
        const u1 = a[p1 + k]!;
        const u2 = a[p2 + k]!;
        const u3 = a[p3 + k]!;
        s0 += u0 * x;
        s1 += u1 * x;
        s2 += u2 * x;
        s3 += u3 * x;
        t0 += u0 * y;
        t1 += u1 * y;
        t2 += u2 * y;
        t3 += u3 * y;
      }
      const x = a[rj + j]!;
      a[rj + i] = s0 + a[p0 + j]! * x;
      a[rj + i + 1] = s1 + a[p1 + j]! * x;
      a[rj + i + 2] = s2 + a[p2 + j]! * x;
      a[rj + i + 3] = s3 + a[p3 + j]! * x;
      a[rk + i] = t0;
      a[rk + i + 1] = t1;
      a[rk + i + 2] = t2;
      a[rk + i + 3] = t3;
    }
    for (; i < j; i++) {
      const p = i * n;
      let s = 0;
      let t = 0;
      for (let k = j + 1; k < n; k++) {
        const u = a[p + k]!;
        s += u * a[rj + k]!;
        t += u * a[rk + k]!;
      }
      a[rj + i] = s + a[p + j]! * a[rj + j]!;
      a[rk + i] = t;
    }
    // The 2×2 block (j, j), (j, j+1), (j+1, j+1).
    let djj = 0;
    let djk = 0;
    let dkk = 0;
    for (let k = j + 1; k < n; k++) {
      const x = a[rj + k]!;
      const y = a[rk + k]!;
      djj += x * x;
      djk += x * y;
      dkk += y * y;
    }
    djj += a[rj + j]! * a[rj + j]!;
    a[rk + j] = djk;
    a[rj + j] = djj;
    a[rk + j + 1] = dkk;
  }
  if (j < n) {
    const rj = j * n;
    for (let i = 0; i <= j; i++) {
      let s = 0;
      for (let k = j; k < n; k++) s += a[i * n + k]! * a[rj + k]!;
      a[rj + i] = s; // i = j writes the diagonal last, after every use of R[j][j]
    }
  }
}
