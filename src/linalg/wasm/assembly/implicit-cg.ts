/**
 * AssemblyScript source of the implicit-ALS row solver's conjugate-gradient
 * steps (Takács, Pilászy & Tikk 2011), compiled with 128-bit SIMD by
 * ../../conjugate-gradient-build.mjs into ../../conjugate-gradient-wasm-bytes.ts.
 * The pure TypeScript twin (float64) is ../../conjugate-gradient.ts driven by
 * src/algorithms/als/row-solver.ts; a test checks that both agree.
 *
 * Float32 throughout (four lanes per SIMD operation, half the memory traffic of
 * float64, like the factors themselves); dot products keep two vector
 * accumulators and are summed in f64, and the CG scalars are f64.
 *
 * Layout (byte offsets into this instance's own memory; every vector and row
 * is `s` floats long, s a multiple of 4, padding lanes zero):
 *   gram    s×s   YᵀY of the fixed side
 *   table   m×s   the fixed side's factors (copied in once per half-step)
 *   cols    n     i32 rows of the table that the row's positive entries name
 *   weights n     w_j = α·v_j = c_j − 1
 *   rows    n×s   scratch: the y_j gathered from the table
 *   x       s     in: the warm start; out: the improved solution
 *   scratch 3s    r, p, A·p
 * Not type-checked by tsc (AssemblyScript types: f32, usize, v128). No @inline:
 * biome cannot parse decorators on functions, and -O3 inlines these small helpers.
 */

export function heapBase(): usize {
  return __heap_base;
}

function hsum(v: v128): f64 {
  return (
    <f64>f32x4.extract_lane(v, 0) +
    <f64>f32x4.extract_lane(v, 1) +
    <f64>f32x4.extract_lane(v, 2) +
    <f64>f32x4.extract_lane(v, 3)
  );
}

function dot(a: usize, b: usize, bytes: usize): f64 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let i: usize = 0;
  for (; i + 32 <= bytes; i += 32) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + i), v128.load(b + i)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a + i + 16), v128.load(b + i + 16)));
  }
  if (i < bytes) s0 = f32x4.add(s0, f32x4.mul(v128.load(a + i), v128.load(b + i)));
  return hsum(s0) + hsum(s1);
}

function axpy(alpha: f64, x: usize, y: usize, bytes: usize): void {
  const a = f32x4.splat(<f32>alpha);
  for (let i: usize = 0; i < bytes; i += 16)
    v128.store(y + i, f32x4.add(v128.load(y + i), f32x4.mul(a, v128.load(x + i))));
}

/** out = (G + λI)·v + Σ_q w_q (y_q·v)·y_q. */
function applyA(s: i32, n: i32, gram: usize, rows: usize, weights: usize, lambda: f64, v: usize, out: usize): void {
  const bytes = (<usize>s) << 2;
  for (let a: i32 = 0; a < s; a++) {
    const at = (<usize>a) << 2;
    store<f32>(out + at, <f32>(dot(gram + <usize>a * bytes, v, bytes) + lambda * <f64>load<f32>(v + at)));
  }
  for (let q: i32 = 0; q < n; q++) {
    const row = rows + <usize>q * bytes;
    axpy(<f64>load<f32>(weights + ((<usize>q) << 2)) * dot(row, v, bytes), row, out, bytes);
  }
}

/**
 * Up to `steps` CG steps on (G + λI + Σ_q w_q y_q y_qᵀ)·x = Σ_q (1 + w_q)·y_q, y_q = table[cols[q]],
 * from the warm start in x, the first residual formed in one pass over the rows. Returns the steps taken.
 */
export function implicitCg(
  s: i32,
  n: i32,
  gram: usize,
  table: usize,
  cols: usize,
  rows: usize,
  weights: usize,
  lambda: f64,
  x: usize,
  steps: i32,
  scratch: usize,
): i32 {
  const bytes = (<usize>s) << 2;
  // Gather the rows once: the CG steps then stream through contiguous memory.
  for (let q: i32 = 0; q < n; q++) {
    const from = table + <usize>load<i32>(cols + ((<usize>q) << 2)) * bytes;
    const to = rows + <usize>q * bytes;
    for (let i: usize = 0; i < bytes; i += 16) v128.store(to + i, v128.load(from + i));
  }
  const r = scratch;
  const p = scratch + bytes;
  const ap = p + bytes;
  // r = Σ_q (1 + w_q − w_q·(y_q·x))·y_q − (G + λI)·x
  applyA(s, 0, gram, rows, weights, lambda, x, ap);
  for (let i: usize = 0; i < bytes; i += 4) store<f32>(r + i, -load<f32>(ap + i));
  for (let q: i32 = 0; q < n; q++) {
    const row = rows + <usize>q * bytes;
    const w = <f64>load<f32>(weights + ((<usize>q) << 2));
    axpy(1 + w - w * dot(row, x, bytes), row, r, bytes);
  }
  let rs: f64 = 0;
  for (let i: usize = 0; i < bytes; i += 4) {
    const v = load<f32>(r + i);
    store<f32>(p + i, v);
    rs += <f64>v * <f64>v;
  }
  let taken = 0;
  while (taken < steps && rs > 1e-20) {
    applyA(s, n, gram, rows, weights, lambda, p, ap);
    const pap = dot(p, ap, bytes);
    if (!(pap > 0)) break;
    const alpha = rs / pap;
    axpy(alpha, p, x, bytes);
    axpy(-alpha, ap, r, bytes);
    const next = dot(r, r, bytes);
    const beta = f32x4.splat(<f32>(next / rs));
    for (let i: usize = 0; i < bytes; i += 16)
      v128.store(p + i, f32x4.add(v128.load(r + i), f32x4.mul(beta, v128.load(p + i))));
    rs = next;
    taken++;
  }
  return taken;
}
