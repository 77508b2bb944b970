/**
 * The least-squares solve of one row against fixed factors Y, used by every
 * half-step (users and items alike) and by fold-in of a single customer.
 *
 * explicit (Zhou et al. 2008, with biases): with ỹ_j = [y_j, 1] and targets
 *   t_j = r_j − μ − b_j, solve (Σ_j ỹ_j ỹ_jᵀ + n·diag(λ,…,λ, λ_b))·[x, b] = Σ_j t_j ỹ_j
 *   by Cholesky; cost n·k²/2 + k³/6.
 * implicit (Hu, Koren & Volinsky 2008): with c_j = 1 + α·v_j over the row's positive
 *   entries, solve (YᵀY + Σ_j (c_j − 1)·y_j y_jᵀ + λI)·x = Σ_j c_j y_j, either by a
 *   few conjugate-gradient steps from the previous x (Takács et al. 2011; cost
 *   steps·(k² + 2nk)) or exactly by Cholesky (cost n·k²/2 + k³/6).
 */
import { choleskyInPlace, choleskySolve } from "../../linalg/cholesky.js";
import { cgFromResidual, type LinearOperator } from "../../linalg/conjugate-gradient.js";
import { ImplicitCgKernel } from "../../linalg/conjugate-gradient-wasm.js";
import type { AlsParams } from "./problem.js";

/**
 * A·v for implicit ALS: (G + λI)·v + Σ_j w_j (y_j·v)·y_j, w_j = c_j − 1, over one row's
 * positive entries, gathered once per row into a contiguous n×k Float64Array so that
 * the CG steps stream through it (the fixed factors are scattered in memory).
 */
class ImplicitOperator implements LinearOperator {
  readonly size: number;
  gram: Float64Array = new Float64Array(0);
  /** Gathered y_j rows (count × k) and their weights w_j. */
  rows = new Float64Array(0);
  weights = new Float64Array(0);
  count = 0;

  constructor(
    size: number,
    private readonly lambda: number,
  ) {
    this.size = size;
  }

  /** Room for n gathered rows. */
  reserve(n: number): void {
    if (this.weights.length >= n) return;
    const capacity = Math.max(n, 2 * this.weights.length, 16);
    this.rows = new Float64Array(capacity * this.size);
    this.weights = new Float64Array(capacity);
  }

  apply(v: Float64Array, out: Float64Array): void {
    const k = this.size;
    const { gram, rows, weights, lambda } = this;
    for (let a = 0; a < k; a++) {
      const ga = a * k;
      let s0 = lambda * v[a]!;
      let s1 = 0;
      let b = 0;
      for (; b + 1 < k; b += 2) {
        s0 += gram[ga + b]! * v[b]!;
        s1 += gram[ga + b + 1]! * v[b + 1]!;
      }
      if (b < k) s0 += gram[ga + b]! * v[b]!;
      out[a] = s0 + s1;
    }
    for (let q = 0, base = 0; q < this.count; q++, base += k) {
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      let a = 0;
      for (; a + 3 < k; a += 4) {
        d0 += rows[base + a]! * v[a]!;
        d1 += rows[base + a + 1]! * v[a + 1]!;
        d2 += rows[base + a + 2]! * v[a + 2]!;
        d3 += rows[base + a + 3]! * v[a + 3]!;
      }
      for (; a < k; a++) d0 += rows[base + a]! * v[a]!;
      const w = weights[q]! * (d0 + d1 + d2 + d3);
      for (a = 0; a + 3 < k; a += 4) {
        out[a] = out[a]! + w * rows[base + a]!;
        out[a + 1] = out[a + 1]! + w * rows[base + a + 1]!;
        out[a + 2] = out[a + 2]! + w * rows[base + a + 2]!;
        out[a + 3] = out[a + 3]! + w * rows[base + a + 3]!;
      }
      for (; a < k; a++) out[a] = out[a]! + w * rows[base + a]!;
    }
  }
}

/** Σ_t a[ai + t]·b[bi + t] for t < n, with two accumulators (a fixed order: reproducible). */
function dotRange(a: Float64Array, ai: number, b: Float64Array, bi: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let t = 0;
  for (; t + 1 < n; t += 2) {
    s0 += a[ai + t]! * b[bi + t]!;
    s1 += a[ai + t + 1]! * b[bi + t + 1]!;
  }
  if (t < n) s0 += a[ai + t]! * b[bi + t]!;
  return s0 + s1;
}

export class RowSolver {
  private readonly k: number;
  /** Unknowns per row: k factors (+1 bias in explicit mode with biases). */
  private readonly d: number;
  private readonly a: Float64Array;
  private readonly rhs: Float64Array;
  private readonly x: Float64Array;
  private readonly cg: Float64Array;
  private readonly op: ImplicitOperator;
  private gathered = new Float64Array(0);
  private target = new Float64Array(0);
  /** The SIMD WebAssembly CG kernel (implicit mode, CG solver), or null for the TypeScript path. */
  private readonly kernel: ImplicitCgKernel | null;

  /** `kernel`: "auto" uses WebAssembly SIMD where the host has it; "typescript" forces the portable path. */
  constructor(
    private readonly params: AlsParams,
    kernel: "auto" | "typescript" = "auto",
  ) {
    this.k = params.factors;
    this.d = this.k + (params.mode === "explicit" && params.biases ? 1 : 0);
    this.a = new Float64Array(this.d * this.d);
    this.rhs = new Float64Array(this.d);
    this.x = new Float64Array(this.d);
    this.cg = new Float64Array(3 * this.k);
    this.op = new ImplicitOperator(this.k, params.regularization);
    const cg = params.mode === "implicit" && params.solver === "cg";
    this.kernel = cg && kernel === "auto" ? ImplicitCgKernel.create(this.k) : null;
  }

  /** Which implementation solves rows (reported by fits). */
  get kernelName(): "cholesky" | "cg wasm-simd" | "cg typescript" {
    if (this.params.mode === "explicit" || this.params.solver === "cholesky") return "cholesky";
    return this.kernel ? "cg wasm-simd" : "cg typescript";
  }

  /** Before a half-step: hands the fixed side's Gram matrix and factors to the kernel (once, not per row). */
  prepare(gram: Float64Array, fixed: Float32Array, fixedRows: number): void {
    this.kernel?.setFixed(gram, fixed, fixedRows);
  }

  /**
   * Solves one row whose entries are cols/vals[start, end) against `fixed`
   * (with `fixedBias` in explicit mode), writing row `row` of `outFactors`
   * (and `outBias`). `gram` is YᵀY of `fixed` (implicit mode).
   */
  solve(
    cols: Int32Array,
    vals: Float32Array,
    start: number,
    end: number,
    fixed: Float32Array,
    fixedBias: Float32Array,
    gram: Float64Array,
    outFactors: Float32Array,
    outBias: Float32Array,
    row: number,
  ): void {
    if (this.params.mode === "explicit") this.explicit(cols, vals, start, end, fixed, fixedBias);
    else if (this.params.solver === "cg") this.implicitCg(cols, vals, start, end, fixed, gram, outFactors, row);
    else this.implicitCholesky(cols, vals, start, end, fixed, gram);
    const k = this.k;
    const x = this.x;
    for (let f = 0; f < k; f++) outFactors[row * k + f] = x[f]!;
    if (this.d > k) outBias[row] = x[k]!;
  }

  private explicit(
    cols: Int32Array,
    vals: Float32Array,
    start: number,
    end: number,
    fixed: Float32Array,
    fixedBias: Float32Array,
  ): void {
    const { k, d, a, rhs, x } = this;
    const { mean, regularization, biasRegularization, biases } = this.params;
    const n = end - start;
    if (n === 0) {
      x.fill(0);
      return;
    }
    // Gather ỹ_j column-wise (d rows of n doubles), so each entry of Σ ỹ ỹᵀ is one contiguous dot product.
    const g = this.gather(d * n);
    const t = this.targets(n);
    for (let p = start, q = 0; p < end; p++, q++) {
      const j = cols[p]!;
      const base = j * k;
      for (let f = 0; f < k; f++) g[f * n + q] = fixed[base + f]!;
      if (biases) g[k * n + q] = 1;
      t[q] = vals[p]! - mean - (biases ? fixedBias[j]! : 0);
    }
    for (let i = 0; i < d; i++) {
      const gi = i * n;
      rhs[i] = dotRange(g, gi, t, 0, n);
      for (let j = 0; j <= i; j++) a[i * d + j] = dotRange(g, gi, g, j * n, n);
    }
    for (let i = 0; i < k; i++) a[i * d + i] = a[i * d + i]! + regularization * n;
    if (biases) a[k * d + k] = a[k * d + k]! + biasRegularization * n;
    choleskyInPlace(a, d);
    choleskySolve(a, d, rhs, x);
  }

  /** rhs = Σ_j c_j y_j over the row's positive entries. */
  private implicitRhs(cols: Int32Array, vals: Float32Array, start: number, end: number, fixed: Float32Array): void {
    const { k, rhs } = this;
    const alpha = this.params.alpha;
    rhs.fill(0);
    for (let p = start; p < end; p++) {
      const value = vals[p]!;
      if (!(value > 0)) continue;
      const c = 1 + alpha * value;
      const base = cols[p]! * k;
      for (let i = 0; i < k; i++) rhs[i] = rhs[i]! + c * fixed[base + i]!;
    }
  }

  private implicitCg(
    cols: Int32Array,
    vals: Float32Array,
    start: number,
    end: number,
    fixed: Float32Array,
    gram: Float64Array,
    current: Float32Array,
    row: number,
  ): void {
    if (this.kernel) {
      this.implicitCgWasm(this.kernel, cols, vals, start, end, current, row);
      return;
    }
    const { k, x, op, cg } = this;
    const alpha = this.params.alpha;
    for (let f = 0; f < k; f++) x[f] = current[row * k + f]!;
    // One pass gathers the positive entries' factors and weights and, with them, the CG
    // residual r = b − A·x = Σ_j (c_j − w_j·(y_j·x))·y_j − (G + λI)·x (saving one A·x).
    op.reserve(end - start);
    const { rows, weights } = op;
    op.gram = gram;
    op.count = 0;
    op.apply(x, cg); // (G + λI)·x, as no rows are gathered yet
    for (let f = 0; f < k; f++) cg[f] = -cg[f]!;
    let n = 0;
    for (let p = start; p < end; p++) {
      const value = vals[p]!;
      if (!(value > 0)) continue;
      const w = alpha * value;
      const from = cols[p]! * k;
      const to = n * k;
      let dot = 0;
      for (let f = 0; f < k; f++) {
        const y = fixed[from + f]!;
        rows[to + f] = y;
        dot += y * x[f]!;
      }
      const coefficient = 1 + w - w * dot;
      for (let f = 0; f < k; f++) cg[f] = cg[f]! + coefficient * rows[to + f]!;
      weights[n++] = w;
    }
    op.count = n;
    cgFromResidual(op, x, this.params.cgSteps, cg);
  }

  /** The same CG steps in the WebAssembly kernel, which holds the fixed factors (see prepare). */
  private implicitCgWasm(
    kernel: ImplicitCgKernel,
    cols: Int32Array,
    vals: Float32Array,
    start: number,
    end: number,
    current: Float32Array,
    row: number,
  ): void {
    const { k, x } = this;
    const alpha = this.params.alpha;
    kernel.reserve(end - start);
    const { cols: kernelCols, weights } = kernel;
    let n = 0;
    for (let p = start; p < end; p++) {
      const value = vals[p]!;
      if (!(value > 0)) continue;
      kernelCols[n] = cols[p]!;
      weights[n++] = alpha * value;
    }
    const kx = kernel.x;
    kx.set(current.subarray(row * k, (row + 1) * k));
    kx.fill(0, k);
    kernel.solve(n, this.params.regularization, this.params.cgSteps);
    for (let f = 0; f < k; f++) x[f] = kx[f]!;
  }

  private implicitCholesky(
    cols: Int32Array,
    vals: Float32Array,
    start: number,
    end: number,
    fixed: Float32Array,
    gram: Float64Array,
  ): void {
    const { k, a, x } = this;
    const { alpha, regularization } = this.params;
    this.implicitRhs(cols, vals, start, end, fixed);
    a.set(gram);
    for (let i = 0; i < k; i++) a[i * k + i] = a[i * k + i]! + regularization;
    for (let p = start; p < end; p++) {
      const value = vals[p]!;
      if (!(value > 0)) continue;
      const w = alpha * value;
      const base = cols[p]! * k;
      for (let i = 0; i < k; i++) {
        const wyi = w * fixed[base + i]!;
        const ri = i * k;
        for (let j = 0; j <= i; j++) a[ri + j] = a[ri + j]! + wyi * fixed[base + j]!;
      }
    }
    choleskyInPlace(a, k);
    choleskySolve(a, k, this.rhs, x);
  }

  /**
   * The matrix of the last row solved, factored (L with A = L·Lᵀ, in the lower
   * triangle), for the explain decomposition; valid until the next solve.
   */
  get factoredMatrix(): Float64Array {
    return this.a;
  }

  private gather(length: number): Float64Array {
    if (this.gathered.length < length) this.gathered = new Float64Array(Math.max(length, 2 * this.gathered.length));
    return this.gathered;
  }

  private targets(length: number): Float64Array {
    if (this.target.length < length) this.target = new Float64Array(Math.max(length, 2 * this.target.length));
    return this.target;
  }

  get unknowns(): number {
    return this.d;
  }
}
