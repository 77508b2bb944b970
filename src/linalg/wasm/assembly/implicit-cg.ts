/**
 * AssemblyScript source of the implicit-ALS row solver's conjugate-gradient
 * steps (Takács, Pilászy & Tikk 2011), compiled with 128-bit SIMD by
 * ../../conjugate-gradient-build.mjs into ../../conjugate-gradient-wasm-bytes.ts.
 * The pure TypeScript twin is ../../conjugate-gradient.ts driven by
 * src/algorithms/als/row-solver.ts; a test checks that both agree.
 *
 * Layout (byte offsets into this instance's own memory; f64 values; every
 * vector and row is `s` values long, s even, padding lanes zero):
 *   gram    s×s   YᵀY of the fixed side
 *   table   m×s   the fixed side's factors (copied in once per half-step)
 *   cols    n     i32 rows of the table that the row's positive entries name
 *   weights n     w_j = α·v_j = c_j − 1
 *   rows    n×s   scratch: the y_j gathered from the table
 *   x       s     in: the warm start; out: the improved solution
 *   scratch 3s    r, p, A·p
 * Not type-checked by tsc (AssemblyScript types: f64, usize, v128). No @inline:
 * biome cannot parse decorators on functions, and -O3 inlines these small helpers.
 */

export function heapBase(): usize {
  return __heap_base;
}

function dot(a: usize, b: usize, bytes: usize): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let i: usize = 0;
  for (; i + 32 <= bytes; i += 32) {
    s0 = f64x2.add(s0, f64x2.mul(v128.load(a + i), v128.load(b + i)));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(a + i + 16), v128.load(b + i + 16)));
  }
  if (i < bytes) s0 = f64x2.add(s0, f64x2.mul(v128.load(a + i), v128.load(b + i)));
  const s = f64x2.add(s0, s1);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

function axpy(alpha: f64, x: usize, y: usize, bytes: usize): void {
  const a = f64x2.splat(alpha);
  for (let i: usize = 0; i < bytes; i += 16)
    v128.store(y + i, f64x2.add(v128.load(y + i), f64x2.mul(a, v128.load(x + i))));
}

/** out = (G + λI)·v + Σ_q w_q (y_q·v)·y_q. */
function applyA(s: i32, n: i32, gram: usize, rows: usize, weights: usize, lambda: f64, v: usize, out: usize): void {
  const bytes = (<usize>s) << 3;
  for (let a: i32 = 0; a < s; a++) {
    const at = (<usize>a) << 3;
    store<f64>(out + at, dot(gram + <usize>a * bytes, v, bytes) + lambda * load<f64>(v + at));
  }
  for (let q: i32 = 0; q < n; q++) {
    const row = rows + <usize>q * bytes;
    axpy(load<f64>(weights + ((<usize>q) << 3)) * dot(row, v, bytes), row, out, bytes);
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
  const bytes = (<usize>s) << 3;
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
  for (let i: usize = 0; i < bytes; i += 8) store<f64>(r + i, -load<f64>(ap + i));
  for (let q: i32 = 0; q < n; q++) {
    const row = rows + <usize>q * bytes;
    const w = load<f64>(weights + ((<usize>q) << 3));
    axpy(1 + w - w * dot(row, x, bytes), row, r, bytes);
  }
  let rs: f64 = 0;
  for (let i: usize = 0; i < bytes; i += 8) {
    const v = load<f64>(r + i);
    store<f64>(p + i, v);
    rs += v * v;
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
    const beta = next / rs;
    const b = f64x2.splat(beta);
    for (let i: usize = 0; i < bytes; i += 16)
      v128.store(p + i, f64x2.add(v128.load(r + i), f64x2.mul(b, v128.load(p + i))));
    rs = next;
    taken++;
  }
  return taken;
}
