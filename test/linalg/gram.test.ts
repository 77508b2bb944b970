import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csrFromCoo } from "../../src/core/csr.js";
import { gramDense, gramSparse } from "../../src/linalg/gram.js";

/** Oracle: the textbook triple loop (MᵀM)[a][b] = Σ_r M[r][a]·M[r][b]. */
function naive(m: ArrayLike<number>, rows: number, cols: number): number[] {
  const g: number[] = [];
  for (let a = 0; a < cols; a++) {
    for (let b = 0; b < cols; b++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += m[r * cols + a]! * m[r * cols + b]!;
      g.push(s);
    }
  }
  return g;
}

describe("gramDense", () => {
  it("equals the textbook MᵀM plus the ridge (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.float({ min: -3, max: 3, noNaN: true }), { minLength: 72, maxLength: 72 }),
        (rows, cols, e) => {
          const m = Float32Array.from(e.slice(0, rows * cols));
          const g = gramDense(m, rows, cols, undefined, 0.25);
          const expected = naive(m, rows, cols).map((v, t) => v + (t % (cols + 1) === 0 ? 0.25 : 0));
          Array.from(g).forEach((v, t) => {
            expect(v).toBeCloseTo(expected[t]!, 4);
          });
        },
      ),
    );
  });

  it("writes into out, and checks lengths at entry", () => {
    const out = new Float64Array(4);
    expect(gramDense(Float64Array.from([1, 2, 3, 4]), 2, 2, out)).toBe(out);
    expect(Array.from(out)).toEqual([10, 14, 14, 20]);
    expect(() => gramDense(new Float64Array(3), 2, 2)).toThrow(/less than rows×cols = 4/);
    expect(() => gramDense(new Float64Array(4), 2, 2, new Float64Array(3))).toThrow(/out has length 3/);
  });
});

describe("gramSparse", () => {
  it("equals the dense XᵀX of the same matrix, weighted or binary (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(7), fc.nat(5), fc.integer({ min: 1, max: 5 })), { maxLength: 40 }),
        fc.boolean(),
        (triples, binary) => {
          const rows = 8;
          const cols = 6;
          const x = csrFromCoo(
            rows,
            cols,
            Int32Array.from(triples, (t) => t[0]),
            Int32Array.from(triples, (t) => t[1]),
            Float32Array.from(triples, (t) => t[2]),
          );
          const dense = new Float64Array(rows * cols);
          for (let r = 0; r < rows; r++) {
            for (let p = x.indptr[r]!; p < x.indptr[r + 1]!; p++)
              dense[r * cols + x.indices[p]!] = binary ? 1 : x.values[p]!;
          }
          expect(Array.from(gramSparse(x, undefined, 0, binary))).toEqual(naive(dense, rows, cols));
        },
      ),
    );
  });

  it("checks the CSR shape and the out length at entry", () => {
    const x = csrFromCoo(2, 2, Int32Array.of(0), Int32Array.of(1), Float32Array.of(2));
    expect(() => gramSparse({ ...x, indptr: new Int32Array(2) })).toThrow(
      /indptr has length 2, expected rows \+ 1 = 3/,
    );
    expect(() => gramSparse(x, new Float64Array(3))).toThrow(/out has length 3/);
  });
});
