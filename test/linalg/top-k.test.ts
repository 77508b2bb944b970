import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { topK } from "../../src/linalg/top-k.js";

describe("topK", () => {
  it("returns the k best positions best first, skipping NaN and skipped positions", () => {
    const scores = Float32Array.from([0.5, Number.NaN, 2, 1, 2, -1]);
    expect(Array.from(topK(scores, 3))).toEqual([2, 4, 3]);
    expect(Array.from(topK(scores, 3, Uint8Array.from([0, 0, 1, 0, 0, 0])))).toEqual([4, 3, 0]);
    expect(Array.from(topK(scores, 10))).toEqual([2, 4, 3, 0, 5]);
    expect(topK(scores, 0).length).toBe(0);
  });

  it("agrees with a full sort (property; oracle: Array.prototype.sort)", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, min: -10, max: 10 }), { maxLength: 200 }), fc.nat(50), (xs, k) => {
        const scores = Float32Array.from(xs);
        const expected = Array.from(scores.keys())
          .sort((a, b) => scores[b]! - scores[a]! || a - b)
          .slice(0, k);
        expect(Array.from(topK(scores, k))).toEqual(expected);
      }),
    );
  });
});
