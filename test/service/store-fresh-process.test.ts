/**
 * A regression the load bench found: a service process that opens an
 * existing SQLite store and appends events (for items and customers it has
 * not read yet) before its first scan must still scan every event — the
 * retrain policy's fits read the whole log with scanEvents.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import type { NewEvent } from "../../src/core/types.js";
import { openStore } from "../../src/storage/open.js";

const dir = mkdtempSync(join(tmpdir(), "kindred-fresh-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const view = (customer: string, item: string): NewEvent => ({
  customer,
  item,
  type: "view",
  value: null,
  quantity: null,
  amount: null,
  timestamp: 1,
  channel: "t",
  eventId: null,
});

it("scans the whole log after appending to rows it had not loaded", async () => {
  const path = join(dir, "k.db");
  const first = await openStore(path);
  await first.appendEvents(Array.from({ length: 50 }, (_, i) => view(`c${i % 7}`, `i${i}`)));
  await first.close();

  const later = await openStore(path); // a new process: nothing loaded yet
  await later.appendEvents([view("c3", "i40")]); // rows 4 and 41 looked up before any scan
  const events = await later.scanEvents(0);
  expect(events).toHaveLength(51);
  expect(events[10]).toMatchObject({ customer: "c3", item: "i10" });
  await later.close();
});
