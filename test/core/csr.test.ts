import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csrFromCoo, findInRow, nnz, transpose } from "../../src/core/csr.js";

describe("csrFromCoo", () => {
  it("sorts columns within rows and keeps the latest value of a duplicate pair", () => {
    const m = csrFromCoo(
      2,
      3,
      Int32Array.from([1, 0, 1, 0, 1]),
      Int32Array.from([2, 1, 0, 1, 2]),
      Float32Array.from([1, 2, 3, 4, 5]),
    );
    expect(Array.from(m.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(m.indices)).toEqual([1, 0, 2]);
    expect(Array.from(m.values)).toEqual([4, 3, 5]);
  });

  it("sums duplicates when asked", () => {
    const m = csrFromCoo(
      1,
      2,
      Int32Array.from([0, 0, 0]),
      Int32Array.from([1, 1, 0]),
      Float32Array.from([2, 3, 1]),
      3,
      "sum",
    );
    expect(Array.from(m.values)).toEqual([1, 5]);
  });

  it("transpose twice gives the matrix back (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(9), fc.nat(7), fc.integer({ min: 1, max: 5 })), { maxLength: 60 }),
        (triples) => {
          const m = csrFromCoo(
            10,
            8,
            Int32Array.from(triples.map((t) => t[0])),
            Int32Array.from(triples.map((t) => t[1])),
            Float32Array.from(triples.map((t) => t[2])),
          );
          const back = transpose(transpose(m));
          expect(Array.from(back.indptr)).toEqual(Array.from(m.indptr));
          expect(Array.from(back.indices)).toEqual(Array.from(m.indices));
          expect(Array.from(back.values)).toEqual(Array.from(m.values));
          for (const [r, c] of triples) expect(findInRow(m, r, c)).toBeGreaterThanOrEqual(0);
          expect(nnz(m)).toBe(new Set(triples.map((t) => `${t[0]},${t[1]}`)).size);
        },
      ),
    );
  });
});
