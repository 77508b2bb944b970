/** The row-by-row EventColumns builder (PostgreSQL's scan): columns grow past their first capacity intact. */
import { describe, expect, it } from "vitest";
import { EventColumnsBuilder } from "../../src/storage/shared/event-columns.js";

describe("EventColumnsBuilder", () => {
  it("keeps every row through repeated growth, ids numbered by first appearance", () => {
    const builder = new EventColumnsBuilder(10, 4);
    for (let k = 0; k < 5000; k++) builder.push(11 + k, `c${k % 7}`, `i${k % 11}`, "rating", k % 5, null, k);
    const columns = builder.build();
    expect(columns.length).toBe(5000);
    expect(columns.lastSeq).toBe(5010);
    expect(columns.customerIds).toEqual(["c0", "c1", "c2", "c3", "c4", "c5", "c6"]);
    for (let k = 0; k < 5000; k++) {
      expect(columns.customerIds[columns.customer[k]!]).toBe(`c${k % 7}`);
      expect(columns.itemIds[columns.item[k]!]).toBe(`i${k % 11}`);
      expect(columns.value[k]).toBe(k % 5);
      expect(columns.timestamp[k]).toBe(k);
    }
    expect(Number.isNaN(columns.quantity[4999]!)).toBe(true);
  });
});
