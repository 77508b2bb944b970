/**
 * The SGD kernels in plain TypeScript: the same updates as assembly/sgd.ts
 * (see its comments for the maths), for hosts without WebAssembly SIMD and
 * as the reference a test compares the WebAssembly build against. Arithmetic
 * is in doubles, stored as floats, so results agree with the SIMD build to
 * rounding, not bit for bit.
 */
import type {
  BiasedFactors,
  BprRates,
  BprSamples,
  ImplicitFactors,
  ImplicitRows,
  Pairs,
  PredictParams,
  RankingFactors,
  SgdKernels,
  SvdppRates,
  SvdppRows,
  SvdRates,
  SvdRatings,
} from "./sgd-types.js";

function svdEpoch(r: SvdRatings, f: BiasedFactors, start: number, end: number, rates: SvdRates): number {
  const { P, Q, userBias, itemBias, stride } = f;
  const { mu, lrBias, regBias, lr, reg } = rates;
  const keep = 1 - lr * reg;
  let sse = 0;
  for (let c = start; c < end; c++) {
    for (let at = r.chunks[2 * c]!, to = r.chunks[2 * c + 1]!; at < to; at++) {
      const u = r.users[at]!;
      const i = r.items[at]!;
      const pu = u * stride;
      const qi = i * stride;
      let dot = 0;
      for (let t = 0; t < stride; t++) dot += P[pu + t]! * Q[qi + t]!;
      const b1 = userBias[u]!;
      const b2 = itemBias[i]!;
      const err = r.values[at]! - (mu + b1 + b2 + dot);
      sse += err * err;
      userBias[u] = b1 + lrBias * (err - regBias * b1);
      itemBias[i] = b2 + lrBias * (err - regBias * b2);
      const e = lr * err;
      for (let t = 0; t < stride; t++) {
        const p = P[pu + t]!;
        const q = Q[qi + t]!;
        P[pu + t] = p * keep + e * q;
        Q[qi + t] = q * keep + e * p;
      }
    }
  }
  return sse;
}

function svdppEpoch(
  rows: SvdppRows,
  f: BiasedFactors,
  y: ImplicitFactors,
  start: number,
  end: number,
  rates: SvdppRates,
): number {
  const { P, Q, userBias, itemBias, stride } = f;
  const { Y, z, acc } = y;
  const { mu, lrBias, regBias, lr, reg, regImplicit } = rates;
  const keep = 1 - lr * reg;
  const keepY = 1 - lr * regImplicit;
  let sse = 0;
  for (let k = start; k < end; k++) {
    const u = rows.userOrder[k]!;
    const rs = rows.indptr[u]!;
    const re = rows.indptr[u + 1]!;
    if (rs === re) continue;
    const ns = rows.implicitIndptr[u]!;
    const ne = rows.implicitIndptr[u + 1]!;
    const norm = rows.implicitNorm[u]!;
    z.fill(0);
    acc.fill(0);
    for (let t = ns; t < ne; t++) {
      const yj = rows.implicitIndices[t]! * stride;
      const w = rows.implicitWeights[t]!;
      for (let c = 0; c < stride; c++) z[c] = z[c]! + w * Y[yj + c]!;
    }
    for (let c = 0; c < stride; c++) z[c] = norm * z[c]!;
    let decay = 1;
    const pu = u * stride;
    for (let t = rs; t < re; t++) {
      const at = rows.order[t]!;
      const i = rows.indices[at]!;
      const qi = i * stride;
      let dot = 0;
      for (let c = 0; c < stride; c++) dot += Q[qi + c]! * (P[pu + c]! + z[c]!);
      const b1 = userBias[u]!;
      const b2 = itemBias[i]!;
      const err = rows.values[at]! - (mu + b1 + b2 + dot);
      sse += err * err;
      userBias[u] = b1 + lrBias * (err - regBias * b1);
      itemBias[i] = b2 + lrBias * (err - regBias * b2);
      const e = lr * err;
      const en = e * norm;
      for (let c = 0; c < stride; c++) {
        const p = P[pu + c]!;
        const q = Q[qi + c]!;
        const zz = z[c]!;
        P[pu + c] = p * keep + e * q;
        Q[qi + c] = q * keep + e * (p + zz);
        acc[c] = acc[c]! * keepY + en * q;
        z[c] = zz * keepY + e * q;
      }
      decay *= keepY;
    }
    for (let t = ns; t < ne; t++) {
      const yj = rows.implicitIndices[t]! * stride;
      const w = rows.implicitWeights[t]!;
      for (let c = 0; c < stride; c++) Y[yj + c] = decay * Y[yj + c]! + w * acc[c]!;
    }
  }
  return sse;
}

function bprEpoch(s: BprSamples, f: RankingFactors, start: number, end: number, rates: BprRates): number {
  const { P, Q, itemBias, stride } = f;
  const { lr, regUser, regPos, regNeg, regBias } = rates;
  const keepU = 1 - lr * regUser;
  const keepI = 1 - lr * regPos;
  const keepJ = 1 - lr * regNeg;
  let ll = 0;
  for (let k = start; k < end; k++) {
    const pu = s.users[k]! * stride;
    const i = s.pos[k]!;
    const j = s.neg[k]!;
    const qi = i * stride;
    const qj = j * stride;
    let dot = 0;
    for (let c = 0; c < stride; c++) dot += P[pu + c]! * (Q[qi + c]! - Q[qj + c]!);
    const b1 = itemBias[i]!;
    const b2 = itemBias[j]!;
    const x = b1 - b2 + dot;
    ll += x > 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
    const g = 1 / (1 + Math.exp(x));
    itemBias[i] = b1 + lr * (g - regBias * b1);
    itemBias[j] = b2 + lr * (-g - regBias * b2);
    const gl = lr * g;
    for (let c = 0; c < stride; c++) {
      const p = P[pu + c]!;
      const q1 = Q[qi + c]!;
      const q2 = Q[qj + c]!;
      P[pu + c] = p * keepU + gl * (q1 - q2);
      Q[qi + c] = q1 * keepI + gl * p;
      Q[qj + c] = q2 * keepJ - gl * p;
    }
  }
  return ll;
}

function implicitSums(
  rows: ImplicitRows,
  Y: Float32Array,
  stride: number,
  start: number,
  end: number,
  Z: Float32Array,
): void {
  for (let u = start; u < end; u++) {
    const z = u * stride;
    Z.fill(0, z, z + stride);
    for (let t = rows.implicitIndptr[u]!; t < rows.implicitIndptr[u + 1]!; t++) {
      const yj = rows.implicitIndices[t]! * stride;
      const w = rows.implicitWeights[t]!;
      for (let c = 0; c < stride; c++) Z[z + c] = Z[z + c]! + w * Y[yj + c]!;
    }
    const norm = rows.implicitNorm[u]!;
    for (let c = 0; c < stride; c++) Z[z + c] = norm * Z[z + c]!;
  }
}

function predictPairs(
  pairs: Pairs,
  f: BiasedFactors,
  Z: Float32Array | null,
  start: number,
  end: number,
  params: PredictParams,
  out: Float32Array,
): number {
  const { P, Q, userBias, itemBias, stride } = f;
  let sse = 0;
  for (let k = start; k < end; k++) {
    const u = pairs.users[k]!;
    const i = pairs.items[k]!;
    let dot = 0;
    for (let c = 0; c < stride; c++) dot += Q[i * stride + c]! * (P[u * stride + c]! + (Z ? Z[u * stride + c]! : 0));
    const p = Math.min(params.hi, Math.max(params.lo, params.mu + userBias[u]! + itemBias[i]! + dot));
    out[k] = p;
    const d = out[k]! - pairs.values[k]!;
    sse += d * d;
  }
  return sse;
}

/** The TypeScript kernels over ordinary typed arrays. */
export function createFallbackKernels(): SgdKernels {
  return {
    name: "js",
    f32: (length) => new Float32Array(length),
    i32: (length) => new Int32Array(length),
    svdEpoch,
    svdppEpoch,
    implicitSums,
    predictPairs,
    bprEpoch,
  };
}
