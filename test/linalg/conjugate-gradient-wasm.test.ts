import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { AlsParams } from "../../src/algorithms/als/problem.js";
import { RowSolver } from "../../src/algorithms/als/row-solver.js";
import { csrFromCoo } from "../../src/core/csr.js";
import { Rng } from "../../src/core/rng.js";
import { ImplicitCgKernel } from "../../src/linalg/conjugate-gradient-wasm.js";
import { gramDense } from "../../src/linalg/gram.js";

const BUILD = fileURLToPath(new URL("../../src/linalg/conjugate-gradient-build.mjs", import.meta.url));

const params = (k: number, steps: number): AlsParams => ({
  mode: "implicit",
  factors: k,
  regularization: 0.5,
  biasRegularization: 0,
  biases: false,
  mean: 0,
  alpha: 2,
  solver: "cg",
  cgSteps: steps,
});

/** A random implicit problem: users × items evidence (some non-positive entries, ignored), item factors, warm starts. */
function problem(seed: number, k: number) {
  const rng = new Rng(seed);
  const users = 30;
  const items = 50;
  const u: number[] = [];
  const i: number[] = [];
  const v: number[] = [];
  for (let a = 0; a < users; a++) {
    for (let b = 0; b < items; b++) {
      if (rng.next() < 0.3) {
        u.push(a);
        i.push(b);
        v.push(rng.next() < 0.1 ? 0 : 1 + rng.int(5));
      }
    }
  }
  const m = csrFromCoo(users, items, Int32Array.from(u), Int32Array.from(i), Float32Array.from(v));
  const fixed = Float32Array.from({ length: items * k }, () => rng.normal(0, 0.3));
  const start = Float32Array.from({ length: users * k }, () => rng.normal(0, 0.1));
  return { m, fixed, start, gram: gramDense(fixed, items, k), users };
}

function solveAll(solver: RowSolver, p: ReturnType<typeof problem>, k: number): Float32Array {
  const out = p.start.slice();
  solver.prepare(p.gram, p.fixed, p.m.cols);
  for (let r = 0; r < p.users; r++) {
    const { indptr, indices, values } = p.m;
    solver.solve(
      indices,
      values,
      indptr[r]!,
      indptr[r + 1]!,
      p.fixed,
      new Float32Array(0),
      p.gram,
      out,
      new Float32Array(0),
      r,
    );
  }
  expect(out.length).toBe(p.users * k);
  return out;
}

describe("implicit CG kernel (WebAssembly SIMD)", () => {
  it("is the committed build of its AssemblyScript source", () => {
    expect(execFileSync(process.execPath, [BUILD, "--check"], { encoding: "utf8" })).toMatch(/matches a fresh build/);
  });

  it("agrees with the TypeScript CG path row by row, for odd and even k (oracle: the TypeScript twin)", () => {
    for (const [k, steps] of [
      [7, 3],
      [8, 3],
      [16, 1],
      [5, 12],
    ] as const) {
      const wasm = new RowSolver(params(k, steps));
      const ts = new RowSolver(params(k, steps), "typescript");
      expect(wasm.kernelName).toBe("cg wasm-simd");
      expect(ts.kernelName).toBe("cg typescript");
      const p = problem(k + steps, k);
      const a = solveAll(wasm, p, k);
      const b = solveAll(ts, p, k);
      // float32 SIMD against float64 loops: agreement to about 1e-4.
      for (let t = 0; t < a.length; t++) expect(Math.abs(a[t]! - b[t]!)).toBeLessThan(2e-4 * (1 + Math.abs(b[t]!)));
    }
  });

  it("grows its memory for long rows and keeps the fixed side across growth", () => {
    const kernel = ImplicitCgKernel.create(3)!;
    const gram = Float64Array.from({ length: 9 }, (_, t) => (t % 4 === 0 ? 2 : 0));
    kernel.setFixed(gram, Float32Array.from([0, 0, 0, 1, 0, 0]), 2); // table rows: 0 and e0
    kernel.reserve(100_000);
    kernel.x.fill(0);
    kernel.cols[0] = 1;
    kernel.weights[0] = 1;
    // (2I + 1·I + e0 e0ᵀ)·x = 2·e0 (one entry, y = e0, c = 2): x0 = 2/4.
    kernel.solve(1, 1, 4);
    expect(kernel.x[0]).toBeCloseTo(0.5, 6);
    expect(kernel.stride).toBe(4);
    expect(() => kernel.solve(10_000_000, 1, 1)).toThrow(/exceed the reserved/);
    expect(() => kernel.setFixed(new Float64Array(3), new Float32Array(6), 2)).toThrow(/gram has length 3/);
    expect(() => kernel.setFixed(gram, new Float32Array(5), 2)).toThrow(/factors have length 5/);
  });
});
