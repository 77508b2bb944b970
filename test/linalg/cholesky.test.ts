import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cholesky, choleskyInPlace, choleskySolve, solveSpd } from "../../src/linalg/cholesky.js";
import { invertSpdInPlace } from "../../src/linalg/cholesky-inverse.js";

/** A random SPD matrix B·Bᵀ + shift·I (oracle: SPD by construction). */
function randomSpd(n: number, entries: number[], shift = 0.5): Float64Array {
  const b = (r: number, c: number): number => entries[(r * n + c) % entries.length]!;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += b(i, t) * b(j, t);
      a[i * n + j] = s + (i === j ? shift : 0);
    }
  }
  return a;
}

function matVec(a: Float64Array, n: number, x: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) y[i]! += a[i * n + j]! * x[j]!;
  return y;
}

const sizes = fc.integer({ min: 1, max: 14 });
const entries = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 200 });

describe("cholesky", () => {
  it("factors a hand-computed matrix (Golub & Van Loan's [[4,2],[2,5]] = L·Lᵀ with L = [[2,0],[1,2]])", () => {
    expect(Array.from(cholesky(Float64Array.from([4, 2, 2, 5]), 2))).toEqual([2, 0, 1, 2]);
  });

  it("reconstructs A = L·Lᵀ (property)", () => {
    fc.assert(
      fc.property(sizes, entries, (n, e) => {
        const a = randomSpd(n, e);
        const l = cholesky(a, n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += l[i * n + k]! * l[j * n + k]!;
            expect(s).toBeCloseTo(a[i * n + j]!, 8);
          }
        }
      }),
    );
  });

  it("solves A·x = b: the residual is tiny (property)", () => {
    fc.assert(
      fc.property(sizes, entries, entries, (n, e, rhs) => {
        const a = randomSpd(n, e);
        const b = Float64Array.from({ length: n }, (_, i) => rhs[i % rhs.length]!);
        const x = solveSpd(a, n, b);
        const ax = matVec(a, n, x);
        for (let i = 0; i < n; i++) expect(ax[i]).toBeCloseTo(b[i]!, 7);
      }),
    );
  });

  it("reads b at an offset and writes into out; leaves `a` unchanged with a scratch buffer", () => {
    const a = Float64Array.from([4, 2, 2, 5]);
    const b = Float32Array.from([9, 9, 6, 5]);
    const out = new Float64Array(2);
    const l = cholesky(a, 2);
    expect(choleskySolve(l, 2, b, out, 2)).toBe(out);
    expect(Array.from(matVec(a, 2, out)).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([6, 5]);
    solveSpd(a, 2, b, out, new Float64Array(4));
    expect(Array.from(a)).toEqual([4, 2, 2, 5]);
  });

  it("refuses a matrix that is not positive definite, naming the pivot", () => {
    expect(() => choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/not positive definite \(pivot 1/);
    expect(() => choleskyInPlace(Float64Array.from([0]), 1)).toThrow(RangeError);
  });

  it("checks lengths once, at entry", () => {
    expect(() => cholesky(new Float64Array(5), 2)).toThrow(/length 5, expected n×n = 4/);
    expect(() => choleskySolve(new Float64Array(4), 2, new Float64Array(1))).toThrow(/b has no 2 values/);
    expect(() => solveSpd(new Float64Array(4), 2, new Float64Array(2), undefined, new Float64Array(3))).toThrow(
      /scratch has length 3/,
    );
  });
});

describe("invertSpdInPlace", () => {
  it("gives A·A⁻¹ = I (property, sizes across the 4×2 blocking edges)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), entries, (n, e) => {
        const a = randomSpd(n, e);
        const inv = invertSpdInPlace(a.slice(), n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += a[i * n + k]! * inv[k * n + j]!;
            expect(s).toBeCloseTo(i === j ? 1 : 0, 6);
          }
        }
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(inv[i * n + j]).toBe(inv[j * n + i]);
      }),
      { numRuns: 60 },
    );
  });

  it("inverts a hand-computed matrix: [[4,2],[2,5]]⁻¹ = [[5,−2],[−2,4]]/16", () => {
    const inv = invertSpdInPlace(Float64Array.from([4, 2, 2, 5]), 2);
    expect(Array.from(inv).map((v) => v * 16)).toEqual([5, -2, -2, 4].map((v) => expect.closeTo(v, 12)));
  });

  it("refuses a singular matrix", () => {
    expect(() => invertSpdInPlace(Float64Array.from([1, 1, 1, 1]), 2)).toThrow(/not positive definite/);
  });
});
