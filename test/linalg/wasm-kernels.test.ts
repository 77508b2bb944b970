import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { createFallbackKernels } from "../../src/linalg/wasm/sgd-fallback.js";
import { createSgdKernels, sgdModule } from "../../src/linalg/wasm/sgd-kernels.js";
import type { SgdKernels } from "../../src/linalg/wasm/sgd-types.js";

const BUILD = fileURLToPath(new URL("../../src/linalg/wasm/build.mjs", import.meta.url));

/** A small random problem laid out in `k`'s memory: users × items ratings, factors with padding lanes zero. */
function problem(k: SgdKernels, seed: number, factors = 6, stride = 8) {
  const rng = new Rng(seed);
  const users = 12;
  const items = 9;
  const pairs: Array<[number, number, number]> = [];
  for (let u = 0; u < users; u++)
    for (let i = 0; i < items; i++) if (rng.next() < 0.5) pairs.push([u, i, 1 + rng.int(5)]);
  const n = pairs.length;
  const r = { users: k.i32(n), items: k.i32(n), values: k.f32(n), chunks: k.i32(2 * n) };
  const order = rng.shuffle(Int32Array.from({ length: n }, (_, at) => at));
  pairs.forEach(([u, i, v], at) => {
    r.users[at] = u;
    r.items[at] = i;
    r.values[at] = v;
    // Chunks of one rating each, in a shuffled order.
    r.chunks[2 * order[at]!] = at;
    r.chunks[2 * order[at]! + 1] = at + 1;
  });
  const f = {
    P: k.f32(users * stride),
    Q: k.f32(items * stride),
    userBias: k.f32(users),
    itemBias: k.f32(items),
    stride,
  };
  for (const m of [f.P, f.Q]) for (let x = 0; x < m.length; x++) m[x] = x % stride < factors ? rng.normal(0, 0.1) : 0;
  // CSR by user (pairs are generated in user order) with N(u) = R(u) at weight 1, plus a weighted extra item.
  const indptr = k.i32(users + 1);
  for (const [u] of pairs) indptr[u + 1]!++;
  for (let u = 0; u < users; u++) indptr[u + 1]! += indptr[u]!;
  const rowOrder = k.i32(n);
  for (let t = 0; t < n; t++) rowOrder[t] = t;
  const userOrder = k.i32(users);
  for (let u = 0; u < users; u++) userOrder[u] = users - 1 - u;
  const implicitWeights = k.f32(n);
  implicitWeights.fill(1);
  implicitWeights[0] = 2.5;
  const implicitNorm = k.f32(users);
  for (let u = 0; u < users; u++) {
    let s = 0;
    for (let t = indptr[u]!; t < indptr[u + 1]!; t++) s += implicitWeights[t]! ** 2;
    implicitNorm[u] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  const rows = {
    indptr,
    indices: r.items,
    values: r.values,
    order: rowOrder,
    userOrder,
    implicitIndptr: indptr,
    implicitIndices: r.items,
    implicitWeights,
    implicitNorm,
  };
  const y = { Y: k.f32(items * stride), z: k.f32(stride), acc: k.f32(stride) };
  for (let x = 0; x < y.Y.length; x++) y.Y[x] = x % stride < factors ? rng.normal(0, 0.1) : 0;
  const samples = { users: k.i32(n), pos: k.i32(n), neg: k.i32(n) };
  pairs.forEach(([u, i], at) => {
    samples.users[at] = u;
    samples.pos[at] = i;
    samples.neg[at] = (i + 1 + rng.int(items - 1)) % items;
  });
  return { r, f, rows, y, samples, pairs, stride, factors };
}

const rates = { mu: 3, lrBias: 0.02, regBias: 0.05, lr: 0.03, reg: 0.04, regImplicit: 0.06 };

function expectClose(a: Float32Array, b: Float32Array, tolerance: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let x = 0; x < a.length; x++) worst = Math.max(worst, Math.abs(a[x]! - b[x]!));
  expect(worst).toBeLessThan(tolerance);
}

describe("SGD kernels: WebAssembly build", () => {
  it("the committed sgd-wasm.ts matches a fresh asc build of assembly/sgd.ts", () => {
    expect(() => execFileSync(process.execPath, [BUILD, "--check"], { stdio: "pipe" })).not.toThrow();
  });

  it("compiles on this host (Node 20 has WebAssembly SIMD and shared memory)", () => {
    expect(sgdModule()).not.toBeNull();
    expect(createSgdKernels("auto").name).toBe("wasm");
    expect(createSgdKernels("js").name).toBe("js");
  });

  it("hands out zeroed, aligned views that stay valid as the memory grows", () => {
    const k = createSgdKernels("wasm");
    const a = k.f32(10);
    a[3] = 7;
    const big = k.i32(5_000_000); // grows the memory by ~20 MB
    big[big.length - 1] = 1;
    expect(a[3]).toBe(7);
    expect(a.byteOffset % 16).toBe(0);
    expect(big.byteOffset % 16).toBe(0);
    expect(k.f32(4).every((v) => v === 0)).toBe(true);
  });
});

describe("SGD kernels: WebAssembly and TypeScript agree", () => {
  const wasm = createSgdKernels("wasm");
  const js = createFallbackKernels();

  it("svdEpoch: same factors, biases and loss after several passes", () => {
    const a = problem(wasm, 5);
    const b = problem(js, 5);
    let la = 0;
    let lb = 0;
    for (let e = 0; e < 5; e++) {
      la = wasm.svdEpoch(a.r, a.f, 0, a.pairs.length, rates);
      lb = js.svdEpoch(b.r, b.f, 0, b.pairs.length, rates);
    }
    expect(Math.abs(la - lb) / lb).toBeLessThan(1e-5);
    for (const key of ["P", "Q", "userBias", "itemBias"] as const) expectClose(a.f[key], b.f[key], 1e-5);
    // Padding lanes stay zero.
    for (let x = 0; x < a.f.P.length; x++) if (x % a.stride >= a.factors) expect(a.f.P[x]).toBe(0);
  });

  it("svdppEpoch: same factors, implicit factors and loss", () => {
    const a = problem(wasm, 6);
    const b = problem(js, 6);
    for (let e = 0; e < 4; e++) {
      const la = wasm.svdppEpoch(a.rows, a.f, a.y, 0, 12, { ...rates });
      const lb = js.svdppEpoch(b.rows, b.f, b.y, 0, 12, { ...rates });
      expect(Math.abs(la - lb) / lb).toBeLessThan(1e-5);
    }
    for (const key of ["P", "Q", "userBias", "itemBias"] as const) expectClose(a.f[key], b.f[key], 1e-5);
    expectClose(a.y.Y, b.y.Y, 1e-5);
  });

  it("implicitSums and predictPairs: same sums, predictions (clamped) and squared error", () => {
    const a = problem(wasm, 9);
    const b = problem(js, 9);
    const za = wasm.f32(12 * a.stride);
    const zb = js.f32(12 * b.stride);
    wasm.implicitSums(a.rows, a.y.Y, a.stride, 0, 12, za);
    js.implicitSums(b.rows, b.y.Y, b.stride, 0, 12, zb);
    expectClose(za, zb, 1e-6);
    const n = a.pairs.length;
    const params = { mu: 3.5, lo: 1, hi: 5 };
    const oa = wasm.f32(n);
    const ob = js.f32(n);
    for (const [Za, Zb] of [
      [za, zb],
      [null, null],
    ] as const) {
      const sa = wasm.predictPairs(a.r, a.f, Za, 0, n, params, oa);
      const sb = js.predictPairs(b.r, b.f, Zb, 0, n, params, ob);
      expect(Math.abs(sa - sb)).toBeLessThan(1e-4);
      expectClose(oa, ob, 1e-5);
      for (const p of oa) expect(p >= 1 && p <= 5).toBe(true);
    }
  });

  it("bprEpoch: same factors, item biases and log-likelihood", () => {
    const a = problem(wasm, 7);
    const b = problem(js, 7);
    const bpr = { lr: 0.05, regUser: 0.01, regPos: 0.01, regNeg: 0.002, regBias: 0.01 };
    const fa = { P: a.f.P, Q: a.f.Q, itemBias: a.f.itemBias, stride: a.stride };
    const fb = { P: b.f.P, Q: b.f.Q, itemBias: b.f.itemBias, stride: b.stride };
    for (let e = 0; e < 5; e++) {
      const la = wasm.bprEpoch(a.samples, fa, 0, a.pairs.length, bpr);
      const lb = js.bprEpoch(b.samples, fb, 0, b.pairs.length, bpr);
      expect(Math.abs(la - lb) / Math.abs(lb)).toBeLessThan(1e-5);
    }
    expectClose(fa.P, fb.P, 1e-5);
    expectClose(fa.Q, fb.Q, 1e-5);
    expectClose(fa.itemBias, fb.itemBias, 1e-5);
  });
});

describe("SGD kernels: the cached SVD++ step equals the textbook per-rating step", () => {
  it("matches an O(|R(u)|·|N(u)|·k) oracle that updates every y_j after every rating (Koren 2008, eq. 15)", () => {
    const js = createFallbackKernels();
    const p = problem(js, 8);
    const { P, Q, userBias, itemBias, stride } = p.f;
    // The oracle works on copies in doubles.
    const P2 = Float64Array.from(P);
    const Q2 = Float64Array.from(Q);
    const Y2 = Float64Array.from(p.y.Y);
    const bu2 = Float64Array.from(userBias);
    const bi2 = Float64Array.from(itemBias);
    js.svdppEpoch(p.rows, p.f, p.y, 0, 12, rates);
    const { indptr, implicitWeights: w, implicitNorm, userOrder } = p.rows;
    for (const u of userOrder) {
      const norm = implicitNorm[u]!;
      for (let t = indptr[u]!; t < indptr[u + 1]!; t++) {
        const i = p.rows.indices[t]!;
        const z = new Float64Array(stride);
        for (let s = indptr[u]!; s < indptr[u + 1]!; s++) {
          for (let c = 0; c < stride; c++) z[c] = z[c]! + norm * w[s]! * Y2[p.rows.indices[s]! * stride + c]!;
        }
        let dot = 0;
        for (let c = 0; c < stride; c++) dot += Q2[i * stride + c]! * (P2[u * stride + c]! + z[c]!);
        const err = p.rows.values[t]! - (rates.mu + bu2[u]! + bi2[i]! + dot);
        bu2[u] = bu2[u]! + rates.lrBias * (err - rates.regBias * bu2[u]!);
        bi2[i] = bi2[i]! + rates.lrBias * (err - rates.regBias * bi2[i]!);
        for (let c = 0; c < stride; c++) {
          const pu = P2[u * stride + c]!;
          const qi = Q2[i * stride + c]!;
          P2[u * stride + c] = pu + rates.lr * (err * qi - rates.reg * pu);
          Q2[i * stride + c] = qi + rates.lr * (err * (pu + z[c]!) - rates.reg * qi);
          for (let s = indptr[u]!; s < indptr[u + 1]!; s++) {
            const y = p.rows.indices[s]! * stride + c;
            Y2[y] = Y2[y]! + rates.lr * (err * norm * w[s]! * qi - rates.regImplicit * Y2[y]!);
          }
        }
      }
    }
    expectClose(P, Float32Array.from(P2), 1e-5);
    expectClose(Q, Float32Array.from(Q2), 1e-5);
    expectClose(p.y.Y, Float32Array.from(Y2), 1e-5);
    expectClose(userBias, Float32Array.from(bu2), 1e-5);
  });
});
