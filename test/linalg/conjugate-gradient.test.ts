import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { solveSpd } from "../../src/linalg/cholesky.js";
import { conjugateGradient, type LinearOperator } from "../../src/linalg/conjugate-gradient.js";

function dense(a: Float64Array, n: number): LinearOperator {
  return {
    size: n,
    apply(v, out) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j]! * v[j]!;
        out[i] = s;
      }
    },
  };
}

function randomSpd(n: number, e: number[]): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += e[(i * n + t) % e.length]! * e[(j * n + t) % e.length]!;
      a[i * n + j] = s + (i === j ? 1 : 0);
    }
  }
  return a;
}

describe("conjugateGradient", () => {
  it("reaches the exact solution in n steps (oracle: Cholesky solve; exact arithmetic converges in n)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 100 }),
        (n, e) => {
          const a = randomSpd(n, e);
          const b = Float64Array.from({ length: n }, (_, i) => (i % 3) - 1 + 0.5);
          const exact = solveSpd(a, n, b);
          const x = new Float64Array(n);
          conjugateGradient(dense(a, n), b, x, 3 * n); // a few extra steps absorb rounding
          for (let i = 0; i < n; i++) expect(x[i]).toBeCloseTo(exact[i]!, 5);
        },
      ),
    );
  });

  it("improves a warm start monotonically in the A-norm of the error, and stops at a solution", () => {
    const n = 6;
    const a = randomSpd(n, [0.3, -0.7, 0.2, 0.9, -0.1, 0.5, 0.4]);
    const b = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const exact = solveSpd(a, n, b);
    const energy = (x: Float64Array): number => {
      const e = x.map((v, i) => v - exact[i]!);
      let s = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += e[i]! * a[i * n + j]! * e[j]!;
      return s;
    };
    const x = new Float64Array(n);
    let last = energy(x);
    for (let step = 0; step < 4; step++) {
      conjugateGradient(dense(a, n), b, x, 1);
      const now = energy(x);
      expect(now).toBeLessThanOrEqual(last + 1e-12);
      last = now;
    }
    const solved = exact.slice();
    expect(conjugateGradient(dense(a, n), b, solved, 5, undefined, 1e-18)).toBe(0);
  });

  it("checks lengths once, at entry", () => {
    const op = dense(new Float64Array(4), 2);
    expect(() => conjugateGradient(op, new Float64Array(1), new Float64Array(2), 1)).toThrow(
      /b has length 1, expected at least 2/,
    );
    expect(() => conjugateGradient(op, new Float64Array(2), new Float64Array(2), 1, new Float64Array(2))).toThrow(
      /scratch has length 2/,
    );
  });
});
