/**
 * A customer nobody knows gets the community's most chosen items first (popular ranks by how many chose an
 * item), while the score shown stays popular's rating prediction (the damped mean, on the domain's scale).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { EventInput } from "../../src/core/validate.js";
import { Kindred } from "../../src/kindred.js";
import { type TempDb, tempDb } from "./community.js";

let db: TempDb | undefined;
afterAll(() => db?.remove());

describe("cold start", () => {
  it("ranks the widely chosen item above a rarely rated one with a higher mean", async () => {
    db = tempDb();
    const k = await Kindred.open(db.path, {
      chains: { recommend: ["popular"] },
      retrain: { background: false, pollMs: 0 },
    });
    try {
      const events: EventInput[] = [];
      // "loved-by-two": two 5s; "widely-liked": thirty customers, mean 3.5; "filler": ten 3s.
      for (let c = 0; c < 2; c++) events.push({ customer: `a${c}`, item: "loved-by-two", type: "rating", value: 5 });
      for (let c = 0; c < 30; c++) {
        events.push({ customer: `b${c}`, item: "widely-liked", type: "rating", value: c % 2 === 0 ? 3 : 4 });
      }
      for (let c = 0; c < 10; c++) events.push({ customer: `b${c}`, item: "filler", type: "rating", value: 3 });
      await k.addEvents(events);
      await k.train("popular");
      const { items } = await k.recommend("somebody-new", { n: 3 });
      expect(items.map((r) => r.item)).toEqual(["widely-liked", "filler", "loved-by-two"]);
      // The score shown is still a rating on the 1–5 scale, not a count.
      for (const r of items) expect(r.score).toBeGreaterThanOrEqual(1);
      for (const r of items) expect(r.score).toBeLessThanOrEqual(5);
      // The damped mean would have put the two 5s above the thirty 3.5s.
      const predicted = await k.predict("somebody-new", ["loved-by-two", "widely-liked"]);
      expect(predicted.predictions[0]!.score).toBeGreaterThan(predicted.predictions[1]!.score as number);
    } finally {
      await k.close();
    }
  });
});
