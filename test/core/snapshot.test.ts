import { describe, expect, it } from "vitest";
import { decodeSnapshot, encodeSnapshot } from "../../src/core/snapshot.js";

describe("model snapshots", () => {
  it("round-trips header and arrays bit-identically", () => {
    const factors = Float32Array.from([0.1, -2.5, Math.PI, Number.NaN]);
    const bytes = encodeSnapshot({
      kind: "svd",
      version: 3,
      config: { factors: 2 },
      meta: { globalMean: 3.5 },
      arrays: { factors, ids: Int32Array.from([7, 8, 9]), flags: Uint8Array.from([1]) },
    });
    const back = decodeSnapshot(bytes.slice()); // a copy: decoding must not depend on the original buffer
    expect(back.kind).toBe("svd");
    expect(back.version).toBe(3);
    expect(back.meta).toEqual({ globalMean: 3.5 });
    expect(new Uint8Array((back.arrays.factors as Float32Array).buffer)).toEqual(new Uint8Array(factors.buffer));
    expect(Array.from(back.arrays.ids as Int32Array)).toEqual([7, 8, 9]);
    expect(back.arrays.flags).toBeInstanceOf(Uint8Array);
  });

  it("refuses bytes that are not a snapshot, naming the reason", () => {
    expect(() => decodeSnapshot(new Uint8Array(20))).toThrow(/not a Kindred model snapshot/);
    expect(() => decodeSnapshot(new Uint8Array(3))).toThrow(/too short/);
  });
});
