/**
 * Store.customerVersion (what the answer cache validates with) moves exactly
 * when the customer's events do, on SQLite and (when KINDRED_TEST_PG is set)
 * PostgreSQL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { NewEvent } from "../../src/core/types.js";
import { openStore } from "../../src/storage/open.js";
import type { Store } from "../../src/storage/store.js";
import { PG, TestSchemas, urlFor, warnSkipped } from "../helpers/postgres.js";

warnSkipped("Store.customerVersion on PostgreSQL");
const dir = mkdtempSync(join(tmpdir(), "kindred-version-"));
const schemas = new TestSchemas("kindred_version");
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await schemas.drop();
});

const event = (customer: string, item: string, eventId: string | null = null): NewEvent => ({
  customer,
  item,
  type: "view",
  value: null,
  quantity: null,
  amount: null,
  timestamp: 1,
  channel: "t",
  eventId,
});

async function check(store: Store) {
  const version = (id: string) => store.customerVersion!(id);
  expect(await version("nobody")).toEqual({ events: 0, lastSeq: 0 });
  await store.appendEvents([event("a", "i1"), event("b", "i1"), event("a", "i2", "e1")]);
  const a = await version("a");
  const events = await store.customerEvents("a");
  expect(a).toEqual({ events: 2, lastSeq: events[events.length - 1]!.seq });
  await store.appendEvents([event("b", "i2")]);
  expect(await version("a")).toEqual(a); // another customer's event
  await store.appendEvents([event("a", "i3", "e1")]);
  expect(await version("a")).toEqual(a); // a duplicate
  await store.appendEvents([event("a", "i3")]);
  expect((await version("a")).events).toBe(3);
  await store.deleteCustomer("a");
  expect(await version("a")).toEqual({ events: 0, lastSeq: 0 });
  await store.appendEvents([event("a", "i1")]);
  expect((await version("a")).lastSeq).toBeGreaterThan(a.lastSeq);
  await store.close();
}

describe("Store.customerVersion", () => {
  it("on SQLite", async () => {
    await check(await openStore(join(dir, "v.db")));
  });
  it.skipIf(!PG)("on PostgreSQL", async () => {
    await check(await openStore(urlFor(schemas.fresh())));
  });
});
