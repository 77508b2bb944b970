/**
 * AssemblyScript source of Kindred's SGD kernels, compiled with 128-bit SIMD
 * (`asc --enable simd,threads`, see ../build.mjs) into ../sgd-wasm.ts. Kept
 * small: three epoch loops over arrays the caller lays out in linear memory.
 * Every pointer is a byte offset into the (shared) memory; factor rows are
 * `stride` floats, stride a multiple of 4 with padding lanes kept at zero
 * (their gradient is zero, so they stay zero). Small helpers are inlined by
the optimiser (-O3). The pure TypeScript twin is
 * ../sgd-fallback.ts; a test checks both agree.
 *
 * Not type-checked by tsc (AssemblyScript types: f32, usize, v128).
 */

/** First free byte after the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

function dot(a: usize, b: usize, bytes: usize): f32 {
  let acc = f32x4.splat(0);
  for (let f: usize = 0; f < bytes; f += 16) acc = f32x4.add(acc, f32x4.mul(v128.load(a + f), v128.load(b + f)));
  return hsum(acc);
}

/**
 * Biased MF (Funk; Koren, Bell & Volinsky 2009), one pass over the chunks
 * [cStart, cEnd) of ratings: chunk c is the records [chunks[2c], chunks[2c+1]),
 * visited in place (the caller shuffles records once and chunk order every
 * epoch, so reads are sequential). Per rating e = r − (μ + b_u + b_i + p_u·q_i), then
 * b ← b + γ_b(e − λ_b b), p_u ← (1 − γλ)p_u + γe·q_i, q_i ← (1 − γλ)q_i + γe·p_u
 * (both factor updates from the old values). Returns Σe².
 */
export function svdEpoch(
  users: usize,
  items: usize,
  values: usize,
  chunks: usize,
  cStart: i32,
  cEnd: i32,
  P: usize,
  Q: usize,
  bu: usize,
  bi: usize,
  stride: i32,
  mu: f32,
  lrBias: f32,
  regBias: f32,
  lr: f32,
  reg: f32,
): f64 {
  let sse: f64 = 0;
  const bytes = (<usize>stride) << 2;
  const shrink = f32x4.splat(<f32>1 - lr * reg);
  for (let c = cStart; c < cEnd; c++) {
    const from = load<i32>(chunks + ((<usize>c) << 3));
    const to = load<i32>(chunks + ((<usize>c) << 3) + 4);
    for (let k = from; k < to; k++) {
      const at = (<usize>k) << 2;
      const u = <usize>load<i32>(users + at);
      const i = <usize>load<i32>(items + at);
      const pu = P + u * bytes;
      const qi = Q + i * bytes;
      const bup = bu + (u << 2);
      const bip = bi + (i << 2);
      const b1 = load<f32>(bup);
      const b2 = load<f32>(bip);
      const err = load<f32>(values + at) - (mu + b1 + b2 + dot(pu, qi, bytes));
      sse += <f64>err * <f64>err;
      store<f32>(bup, b1 + lrBias * (err - regBias * b1));
      store<f32>(bip, b2 + lrBias * (err - regBias * b2));
      const e = f32x4.splat(lr * err);
      for (let f: usize = 0; f < bytes; f += 16) {
        const p = v128.load(pu + f);
        const q = v128.load(qi + f);
        v128.store(pu + f, f32x4.add(f32x4.mul(p, shrink), f32x4.mul(e, q)));
        v128.store(qi + f, f32x4.add(f32x4.mul(q, shrink), f32x4.mul(e, p)));
      }
    }
  }
  return sse;
}

/**
 * SVD++ (Koren 2008) for the users userOrder[uStart..uEnd), each with the
 * cached implicit sum z = η_u Σ_j w_j y_j over N(u) (η_u = (Σ w_j²)^−½):
 * per rating e = r − (μ + b_u + b_i + q_i·(p_u + z)); b, p_u as in svdEpoch;
 * q_i ← (1 − γλ)q_i + γe(p_u + z). The y_j step of every rating,
 * y_j ← (1 − γλ_y)y_j + γeη_u w_j q_i, is deferred to the end of the user as
 * y_j ← d·y_j + w_j·a with d = Π(1 − γλ_y) and a ← (1 − γλ_y)a + γeη_u q_i,
 * and z follows it exactly (z ← (1 − γλ_y)z + γe q_i), so a user costs
 * O((|R(u)| + |N(u)|)·k), not O(|R(u)|·|N(u)|·k). Ratings of a user are
 * visited in `order` (a permutation within each row). Returns Σe².
 */
export function svdppEpoch(
  indptr: usize,
  indices: usize,
  values: usize,
  order: usize,
  userOrder: usize,
  uStart: i32,
  uEnd: i32,
  nIndptr: usize,
  nIndices: usize,
  nWeights: usize,
  nNorm: usize,
  P: usize,
  Q: usize,
  Y: usize,
  bu: usize,
  bi: usize,
  stride: i32,
  mu: f32,
  lrBias: f32,
  regBias: f32,
  lr: f32,
  reg: f32,
  regY: f32,
  z: usize,
  acc: usize,
): f64 {
  let sse: f64 = 0;
  const bytes = (<usize>stride) << 2;
  const shrink = f32x4.splat(<f32>1 - lr * reg);
  const keepY: f32 = <f32>1 - lr * regY;
  const keepYv = f32x4.splat(keepY);
  const zero = f32x4.splat(0);
  for (let k = uStart; k < uEnd; k++) {
    const u = <usize>load<i32>(userOrder + ((<usize>k) << 2));
    const rs = <usize>load<i32>(indptr + (u << 2));
    const re = <usize>load<i32>(indptr + (u << 2) + 4);
    if (rs === re) continue;
    const ns = <usize>load<i32>(nIndptr + (u << 2));
    const ne = <usize>load<i32>(nIndptr + (u << 2) + 4);
    const norm = load<f32>(nNorm + (u << 2));
    for (let f: usize = 0; f < bytes; f += 16) {
      v128.store(z + f, zero);
      v128.store(acc + f, zero);
    }
    for (let t = ns; t < ne; t++) {
      const yj = Y + <usize>load<i32>(nIndices + (t << 2)) * bytes;
      const w = f32x4.splat(load<f32>(nWeights + (t << 2)));
      for (let f: usize = 0; f < bytes; f += 16) {
        v128.store(z + f, f32x4.add(v128.load(z + f), f32x4.mul(w, v128.load(yj + f))));
      }
    }
    const nv = f32x4.splat(norm);
    for (let f: usize = 0; f < bytes; f += 16) v128.store(z + f, f32x4.mul(nv, v128.load(z + f)));
    let decay: f32 = 1;
    const pu = P + u * bytes;
    const bup = bu + (u << 2);
    for (let t = rs; t < re; t++) {
      const at = (<usize>load<i32>(order + (t << 2))) << 2;
      const i = <usize>load<i32>(indices + at);
      const qi = Q + i * bytes;
      let a = zero;
      for (let f: usize = 0; f < bytes; f += 16) {
        a = f32x4.add(a, f32x4.mul(v128.load(qi + f), f32x4.add(v128.load(pu + f), v128.load(z + f))));
      }
      const bip = bi + (i << 2);
      const b1 = load<f32>(bup);
      const b2 = load<f32>(bip);
      const err = load<f32>(values + at) - (mu + b1 + b2 + hsum(a));
      sse += <f64>err * <f64>err;
      store<f32>(bup, b1 + lrBias * (err - regBias * b1));
      store<f32>(bip, b2 + lrBias * (err - regBias * b2));
      const e = f32x4.splat(lr * err);
      const en = f32x4.splat(lr * err * norm);
      for (let f: usize = 0; f < bytes; f += 16) {
        const p = v128.load(pu + f);
        const q = v128.load(qi + f);
        const zz = v128.load(z + f);
        v128.store(pu + f, f32x4.add(f32x4.mul(p, shrink), f32x4.mul(e, q)));
        v128.store(qi + f, f32x4.add(f32x4.mul(q, shrink), f32x4.mul(e, f32x4.add(p, zz))));
        v128.store(acc + f, f32x4.add(f32x4.mul(v128.load(acc + f), keepYv), f32x4.mul(en, q)));
        v128.store(z + f, f32x4.add(f32x4.mul(zz, keepYv), f32x4.mul(e, q)));
      }
      decay *= keepY;
    }
    const dv = f32x4.splat(decay);
    for (let t = ns; t < ne; t++) {
      const yj = Y + <usize>load<i32>(nIndices + (t << 2)) * bytes;
      const w = f32x4.splat(load<f32>(nWeights + (t << 2)));
      for (let f: usize = 0; f < bytes; f += 16) {
        v128.store(yj + f, f32x4.add(f32x4.mul(dv, v128.load(yj + f)), f32x4.mul(w, v128.load(acc + f))));
      }
    }
  }
  return sse;
}

/**
 * BPR (Rendle et al. 2009) over the sampled triples [start, end) of
 * (users, pos, neg): x = b_i − b_j + p_u·(q_i − q_j), g = σ(−x), then
 * p_u += γ(g(q_i − q_j) − λ_u p_u), q_i += γ(g p_u − λ_i q_i),
 * q_j += γ(−g p_u − λ_j q_j), b_i += γ(g − λ_b b_i), b_j += γ(−g − λ_b b_j).
 * Returns Σ ln σ(x) (the log-likelihood, before the steps).
 */
export function bprEpoch(
  users: usize,
  pos: usize,
  neg: usize,
  start: i32,
  end: i32,
  P: usize,
  Q: usize,
  bi: usize,
  stride: i32,
  lr: f32,
  regUser: f32,
  regPos: f32,
  regNeg: f32,
  regBias: f32,
): f64 {
  let ll: f64 = 0;
  const bytes = (<usize>stride) << 2;
  const keepU = f32x4.splat(<f32>1 - lr * regUser);
  const keepI = f32x4.splat(<f32>1 - lr * regPos);
  const keepJ = f32x4.splat(<f32>1 - lr * regNeg);
  for (let k = start; k < end; k++) {
    const at = (<usize>k) << 2;
    const u = <usize>load<i32>(users + at);
    const i = <usize>load<i32>(pos + at);
    const j = <usize>load<i32>(neg + at);
    const pu = P + u * bytes;
    const qi = Q + i * bytes;
    const qj = Q + j * bytes;
    let a = f32x4.splat(0);
    for (let f: usize = 0; f < bytes; f += 16) {
      a = f32x4.add(a, f32x4.mul(v128.load(pu + f), f32x4.sub(v128.load(qi + f), v128.load(qj + f))));
    }
    const bip = bi + (i << 2);
    const bjp = bi + (j << 2);
    const b1 = load<f32>(bip);
    const b2 = load<f32>(bjp);
    const x: f32 = b1 - b2 + hsum(a);
    // ln σ(x) and σ(−x) without overflow for large |x|.
    ll += x > 0 ? -(<f64>Mathf.log(<f32>1 + Mathf.exp(-x))) : <f64>x - <f64>Mathf.log(<f32>1 + Mathf.exp(x));
    const g: f32 = <f32>1 / (<f32>1 + Mathf.exp(x));
    store<f32>(bip, b1 + lr * (g - regBias * b1));
    store<f32>(bjp, b2 + lr * (-g - regBias * b2));
    const gl = f32x4.splat(lr * g);
    for (let f: usize = 0; f < bytes; f += 16) {
      const p = v128.load(pu + f);
      const q1 = v128.load(qi + f);
      const q2 = v128.load(qj + f);
      v128.store(pu + f, f32x4.add(f32x4.mul(p, keepU), f32x4.mul(gl, f32x4.sub(q1, q2))));
      v128.store(qi + f, f32x4.add(f32x4.mul(q1, keepI), f32x4.mul(gl, p)));
      v128.store(qj + f, f32x4.sub(f32x4.mul(q2, keepJ), f32x4.mul(gl, p)));
    }
  }
  return ll;
}

/** Z_u = η_u Σ_{j∈N(u)} w_j y_j for the users [uStart, uEnd) (rows of Z, stride floats each). */
export function implicitSums(
  uStart: i32,
  uEnd: i32,
  nIndptr: usize,
  nIndices: usize,
  nWeights: usize,
  nNorm: usize,
  Y: usize,
  stride: i32,
  Z: usize,
): void {
  const bytes = (<usize>stride) << 2;
  const zero = f32x4.splat(0);
  for (let u = <usize>uStart; u < <usize>uEnd; u++) {
    const z = Z + u * bytes;
    for (let f: usize = 0; f < bytes; f += 16) v128.store(z + f, zero);
    const ns = <usize>load<i32>(nIndptr + (u << 2));
    const ne = <usize>load<i32>(nIndptr + (u << 2) + 4);
    for (let t = ns; t < ne; t++) {
      const yj = Y + <usize>load<i32>(nIndices + (t << 2)) * bytes;
      const w = f32x4.splat(load<f32>(nWeights + (t << 2)));
      for (let f: usize = 0; f < bytes; f += 16) {
        v128.store(z + f, f32x4.add(v128.load(z + f), f32x4.mul(w, v128.load(yj + f))));
      }
    }
    const nv = f32x4.splat(load<f32>(nNorm + (u << 2)));
    for (let f: usize = 0; f < bytes; f += 16) v128.store(z + f, f32x4.mul(nv, v128.load(z + f)));
  }
}

/**
 * Predictions clamp(μ + b_u + b_i + q_i·(p_u + Z_u)) for the pairs [start, end)
 * into out (Z = 0: no implicit term). Returns Σ(prediction − values)².
 */
export function predictPairs(
  users: usize,
  items: usize,
  values: usize,
  start: i32,
  end: i32,
  P: usize,
  Q: usize,
  Z: usize,
  bu: usize,
  bi: usize,
  stride: i32,
  mu: f32,
  lo: f32,
  hi: f32,
  out: usize,
): f64 {
  const bytes = (<usize>stride) << 2;
  let sse: f64 = 0;
  for (let k = <usize>start; k < <usize>end; k++) {
    const u = <usize>load<i32>(users + (k << 2));
    const i = <usize>load<i32>(items + (k << 2));
    const pu = P + u * bytes;
    const qi = Q + i * bytes;
    let a = f32x4.splat(0);
    if (Z !== 0) {
      const zu = Z + u * bytes;
      for (let f: usize = 0; f < bytes; f += 16) {
        a = f32x4.add(a, f32x4.mul(v128.load(qi + f), f32x4.add(v128.load(pu + f), v128.load(zu + f))));
      }
    } else {
      for (let f: usize = 0; f < bytes; f += 16) a = f32x4.add(a, f32x4.mul(v128.load(qi + f), v128.load(pu + f)));
    }
    const p = min(hi, max(lo, mu + load<f32>(bu + (u << 2)) + load<f32>(bi + (i << 2)) + hsum(a)));
    store<f32>(out + (k << 2), p);
    const d = <f64>p - <f64>load<f32>(values + (k << 2));
    sse += d * d;
  }
  return sse;
}
