/**
 * Group commit: small appends started in the same turn share one store transaction, and each caller gets
 * its own counts (duplicates included), once durable; a failing batch fails alone.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewEvent } from "../../src/core/types.js";
import { appendGrouped } from "../../src/engine/group-commit.js";
import { openStore } from "../../src/storage/open.js";
import type { Store } from "../../src/storage/store.js";
import { type TempDb, tempDb } from "./community.js";

let db: TempDb;
let store: Store;
let transactions = 0;
let counted: Store;

beforeEach(async () => {
  db = tempDb();
  store = await openStore(db.path);
  transactions = 0;
  // The same store, counting appendEvents calls (one call = one transaction).
  counted = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === "appendEvents") {
        return (events: readonly NewEvent[]) => {
          transactions++;
          if (events.some((e) => e.item === "boom")) return Promise.reject(new Error("boom"));
          return target.appendEvents(events);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
});
afterEach(async () => {
  await store.close();
  db.remove();
});

const event = (customer: string, item: string, eventId: string | null = null): NewEvent => ({
  customer,
  item,
  type: "rating",
  value: 4,
  quantity: null,
  amount: null,
  timestamp: 1_700_000_000_000,
  channel: "test",
  eventId,
});

describe("group commit", () => {
  it("writes concurrent small appends in one transaction, each durable with its own counts", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, k) => appendGrouped(counted, [event(`c${k % 5}`, `i${k}`, `e${k}`)])),
    );
    expect(transactions).toBe(1);
    for (const r of results) expect(r).toMatchObject({ appended: 1, duplicates: 0 });
    const stored = (await Promise.all(["c0", "c1", "c2", "c3", "c4"].map((c) => store.customerEvents(c)))).flat();
    expect(stored.map((e) => e.eventId).sort()).toEqual(Array.from({ length: 20 }, (_, k) => `e${k}`).sort());
  });

  it("shares out duplicates: each batch counts its own, a retry racing its original counts once", async () => {
    await appendGrouped(counted, [event("c0", "i0", "old")]);
    const [retried, fresh, mixed, first, racing] = await Promise.all([
      appendGrouped(counted, [event("c0", "i0", "old")]),
      appendGrouped(counted, [event("c0", "i1", "new-1")]),
      appendGrouped(counted, [event("c1", "i2", "new-2"), event("c0", "i0", "old"), event("c1", "i3")]),
      appendGrouped(counted, [event("c2", "i4", "same")]),
      appendGrouped(counted, [event("c2", "i4", "same")]),
    ]);
    expect(retried).toMatchObject({ appended: 0, duplicates: 1 });
    expect(fresh).toMatchObject({ appended: 1, duplicates: 0 });
    expect(mixed).toMatchObject({ appended: 2, duplicates: 1 });
    expect(first!.appended + racing!.appended).toBe(1);
    expect(first!.duplicates + racing!.duplicates).toBe(1);
    expect((await store.customerEvents("c2")).length).toBe(1);
    expect((await store.customerEvents("c0")).length).toBe(2);
  });

  it("fails only the batch the store refuses; the others are written", async () => {
    const outcomes = await Promise.allSettled([
      appendGrouped(counted, [event("c0", "i0")]),
      appendGrouped(counted, [event("c1", "boom")]),
      appendGrouped(counted, [event("c2", "i2")]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((await store.customerEvents("c0")).length).toBe(1);
    expect((await store.customerEvents("c1")).length).toBe(0);
    expect((await store.customerEvents("c2")).length).toBe(1);
  });

  it("writes a large batch on its own, at once", async () => {
    const big = Array.from({ length: 150 }, (_, k) => event("c0", `i${k}`));
    const result = await appendGrouped(counted, big);
    expect(result).toMatchObject({ appended: 150, duplicates: 0 });
    expect(transactions).toBe(1);
  });
});
