import { describe, expect, it } from "vitest";
import { baselineDefinition } from "../../src/algorithms/baseline.js";
import { registry } from "../../src/algorithms/index.js";
import { KindredError, ValidationError } from "../../src/core/errors.js";
import type { ModelSnapshot } from "../../src/core/snapshot.js";
import { syntheticCommunity } from "../helpers/data.js";

async function snapshotOf(kind: string): Promise<ModelSnapshot> {
  const model = registry.create(kind);
  await model.fit(syntheticCommunity({ users: 30, items: 20, ratingsPerUser: 8 }).dataset);
  return model.snapshot();
}

describe("restoring damaged snapshots of the classic algorithms", () => {
  it("refuses a snapshot of another kind, naming both", async () => {
    const snapshot = await snapshotOf("popular");
    expect(() => baselineDefinition.restore(snapshot)).toThrow(/"baseline".*snapshot of "popular"/);
  });

  it("refuses an invalid config with a ValidationError naming the field", async () => {
    const snapshot = await snapshotOf("baseline");
    let error: unknown;
    try {
      registry.restore({ ...snapshot, config: { ...snapshot.config, regUser: -1 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("snapshot.config.regUser");
  });

  it("refuses missing, mistyped or wrongly sized arrays and meta", async () => {
    const base = await snapshotOf("baseline");
    const { itemBias: _, ...withoutItemBias } = base.arrays;
    expect(() => registry.restore({ ...base, arrays: withoutItemBias })).toThrow(/array "itemBias" is missing/);
    const popular = await snapshotOf("popular");
    const short = { ...popular.arrays, ratingSum: new Float64Array(3) };
    expect(() => registry.restore({ ...popular, arrays: short })).toThrow(/"ratingSum" has length 3/);
    const wrongType = { ...popular.arrays, count: new Float32Array(20) };
    expect(() => registry.restore({ ...popular, arrays: wrongType })).toThrow(/wrong type/);
    expect(() => registry.restore({ ...base, meta: {} })).toThrow(/meta "globalMean"/);
  });

  for (const kind of ["user-knn", "item-knn"]) {
    it(`${kind}: refuses matrices that would read out of bounds`, async () => {
      const snapshot = await snapshotOf(kind);
      const indices = (snapshot.arrays.ratingsIndices as Int32Array).slice();
      indices[0] = 10_000;
      expect(() => registry.restore({ ...snapshot, arrays: { ...snapshot.arrays, ratingsIndices: indices } })).toThrow(
        /column 10000 outside/,
      );
      const indptr = (snapshot.arrays.ratingsIndptr as Int32Array).slice();
      indptr[indptr.length - 1] = 5;
      expect(() => registry.restore({ ...snapshot, arrays: { ...snapshot.arrays, ratingsIndptr: indptr } })).toThrow(
        KindredError,
      );
      expect(() => registry.restore({ ...snapshot, meta: { ...snapshot.meta, users: -3 } })).toThrow(/not a count/);
    });
  }
});
