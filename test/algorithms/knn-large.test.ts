/**
 * The neighbour models above the sizes where they keep dense helper tables: item-knn over more than 2,048
 * items has no list-position map (each pulled item walks its own list), and user-knn over more than 2,048
 * customers has no similarity table (every query computes its similarities). Those paths must choose the
 * same neighbours, summed in the same order, as the catalogue-wide paths: the oracle is the same model
 * scoring the whole catalogue at once.
 */
import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import { LIST_POSITION_CELLS } from "../../src/algorithms/knn/item-knn-state.js";
import { TABLE_CELLS } from "../../src/algorithms/knn/user-similarity-table.js";
import { syntheticCommunity } from "../helpers/data.js";

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe("item-knn over more than 2,048 items (no list-position map)", () => {
  const { dataset } = syntheticCommunity({ users: 300, items: 6000, ratingsPerUser: 90, seed: 21 });
  const all = Int32Array.from({ length: dataset.itemCount }, (_, i) => i);

  it("is big enough to leave the map out", () => {
    expect(dataset.itemCount ** 2).toBeGreaterThan(LIST_POSITION_CELLS);
  });

  for (const params of [{ k: 5, modelSize: 100 }, {}]) {
    it(`${JSON.stringify(params)}: a few items pulled score bit-identically to the whole catalogue pushed`, async () => {
      const model = registry.create("item-knn", params);
      await model.fit(dataset);
      for (const user of [0, 3, 150, 299]) {
        const full = model.score({ user }, all).slice();
        const few = Int32Array.of(0, 1, 5, 40, 400, dataset.itemCount - 1);
        expect(bits(model.score({ user }, few))).toEqual(bits(Float32Array.from(few, (i) => full[i]!)));
        expect(full.some((v) => Number.isFinite(v))).toBe(true);
      }
    });
  }
});

describe("user-knn over more than 2,048 customers (no similarity table)", () => {
  const { dataset } = syntheticCommunity({ users: 2100, items: 80, ratingsPerUser: 12, seed: 22 });
  const all = Int32Array.from({ length: dataset.itemCount }, (_, i) => i);

  it("is big enough to leave the table out", () => {
    expect(dataset.userCount ** 2).toBeGreaterThan(TABLE_CELLS);
  });

  it("a few items picked per item score bit-identically to the whole catalogue voted at once", async () => {
    const few = registry.create("user-knn", { k: 7 });
    const many = registry.create("user-knn", { k: 7 });
    await few.fit(dataset);
    await many.fit(dataset);
    for (const user of [0, 1, 999, 2099]) {
      const voted = many.score({ user }, all);
      const picked = Float32Array.from(all, (i) => few.score({ user }, Int32Array.of(i))[0]!);
      expect(bits(picked)).toEqual(bits(voted));
      expect(voted.some((v) => Number.isFinite(v))).toBe(true);
    }
  });
});
