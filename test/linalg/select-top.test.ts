import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { selectTop, sortBestFirst } from "../../src/linalg/select-top.js";

describe("selectTop / sortBestFirst", () => {
  it("keeps the k largest keys, ties to the lower position (property; oracle: Array.prototype.sort)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 120 }), fc.nat(40), (xs, k) => {
        const keys = Float64Array.from(xs);
        const out = new Int32Array(Math.min(k, xs.length));
        const kept = selectTop(keys, keys.length, k, out);
        expect(kept).toBe(Math.min(k, xs.length));
        sortBestFirst(keys, out, kept);
        const expected = Array.from(keys.keys())
          .sort((a, b) => keys[b]! - keys[a]! || a - b)
          .slice(0, k);
        expect(Array.from(out.subarray(0, kept))).toEqual(expected);
      }),
    );
  });

  it("considers only keys[0..count) and checks its buffers", () => {
    const keys = Float64Array.from([1, 9, 3, 100]);
    const out = new Int32Array(2);
    expect(selectTop(keys, 3, 2, out)).toBe(2);
    sortBestFirst(keys, out, 2);
    expect(Array.from(out)).toEqual([1, 2]);
    expect(() => selectTop(keys, 5, 2, out)).toThrow(/count 5 is outside keys/);
    expect(() => selectTop(keys, 4, 3, out)).toThrow(/out has length 2, needs 3/);
    expect(selectTop(keys, 0, 3, out)).toBe(0);
  });
});
