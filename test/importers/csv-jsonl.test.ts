import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import { importInto, readDataset } from "../../src/importers/index.js";
import { openStore } from "../../src/storage/open.js";
import type { Store } from "../../src/storage/store.js";
import { tempDir } from "./fixtures.js";

let tmp: ReturnType<typeof tempDir>;
let store: Store;
const file = (name: string, text: string): string => {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
};

beforeEach(async () => {
  tmp = tempDir();
  store = await openStore(join(tmp.dir, "kindred.db"));
});
afterEach(async () => {
  await store.close();
  tmp.remove();
});

const EVENTS = [
  "Customer,Item,Type,Value,Quantity,Amount,Timestamp,Channel,Note",
  "ann,lp-1,,5,,,1700000000000,,first",
  'ann,"boots, brown",purchase,,2,180.5,2024-03-01T10:00:00Z,store:soho,"quoted, comma"',
  "bob,lp-1,rating,9,,,1700000000000,,off the scale",
  "bob,lp-2,rating,4,,,,web,",
  "bob,,rating,4,,,,,no item",
  "cat,lp-2,view,,,,1700000000500,,",
].join("\r\n");

describe("generic CSV", () => {
  it("imports documented columns (case-insensitive, CRLF, quoted commas) and reports bad lines", async () => {
    const report = await importInto(store, file("events.csv", `${EVENTS}\r\n`), { now: 1_650_000_000_000 });
    expect(report.source).toBe("csv");
    expect(report.imported).toEqual({ ratings: 2, events: 4, items: 3, customers: 3 });
    expect(report.ignoredColumns).toEqual(["note"]);
    expect(report.rejected.map((r) => r.line)).toEqual([4, 6]);
    expect(report.rejected.find((r) => r.line === 4)?.reason).toMatch(/value: 9 is off the scale of domain "default"/);
    expect(report.rejected.find((r) => r.line === 6)?.reason).toMatch(/^item:/);

    const ann = await store.customerEvents("ann");
    expect(ann.map((e) => [e.item, e.type, e.value, e.quantity, e.amount, e.timestamp, e.channel])).toEqual([
      ["lp-1", "rating", 5, null, null, 1_700_000_000_000, "import"],
      ["boots, brown", "purchase", null, 2, 180.5, Date.parse("2024-03-01T10:00:00Z"), "store:soho"],
    ]);
    const bob = await store.customerEvents("bob");
    expect(bob.map((e) => [e.item, e.timestamp, e.channel])).toEqual([["lp-2", 1_650_000_000_000, "web"]]);
  });

  it("re-importing duplicates nothing, even for lines without an event_id or a timestamp", async () => {
    const path = file("events.csv", EVENTS);
    await importInto(store, path, { now: 1 });
    const before = await store.stats();
    const again = await importInto(store, path, { now: 2 });
    expect(again.stored).toBe(0);
    expect(again.duplicates).toBe(4);
    expect(await store.stats()).toEqual(before);
  });

  it("uses event_id when given", async () => {
    const path = file("e.csv", "customer,item,value,event_id\nann,a,3,x1\nann,b,4,x1\n");
    const report = await importInto(store, path);
    expect(report.stored).toBe(1);
    expect(report.duplicates).toBe(1);
  });

  it("reads an items file: titles, domain, categories, attributes; ratings checked on that domain's scale", async () => {
    const items = file(
      "items.csv",
      'id,title,domain,categories,available,artist\nlp-1,"Blue, Train",music,jazz|hard bop,yes,Coltrane\nlp-2,Kind of Blue,music,jazz,0,Davis\n',
    );
    const events = file("e.csv", "customer,item,value\nann,lp-1,7\nann,lp-2,8\nbob,new-one,7\n");
    const report = await importInto(store, events, { items, domain: "music", scale: { min: 1, max: 7, step: 1 } });
    expect(report.rejected.map((r) => [r.line, r.reason])).toEqual([
      [3, 'value: 8 is off the scale of domain "music" (1 to 7 in steps of 1)'],
    ]);
    expect(await store.getItem("lp-1")).toEqual({
      id: "lp-1",
      title: "Blue, Train",
      domain: "music",
      categories: ["jazz", "hard bop"],
      attributes: { artist: "Coltrane" },
      available: true,
    });
    expect((await store.getItem("lp-2"))?.available).toBe(false);
    expect((await store.getItem("new-one"))?.domain).toBe("music"); // created in the import's domain
    expect((await store.getDomain("music"))?.scale).toEqual({ min: 1, max: 7, step: 1 });
  });

  it("refuses a file without a header naming customer and item, writing nothing", async () => {
    const before = await store.stats();
    await expect(importInto(store, file("bad.csv", "ann,lp-1,5\nbob,lp-2,4\n"))).rejects.toThrow(ValidationError);
    await expect(importInto(store, file("bad.csv", "ann,lp-1,5\n"))).rejects.toThrow(
      /missing column\(s\) customer, item/,
    );
    await expect(importInto(store, file("empty.csv", ""))).rejects.toThrow(/a header line is required/);
    expect(await store.stats()).toEqual(before);
  });

  it("reports a malformed quoted field by line and imports the rest", async () => {
    const path = file("q.csv", 'customer,item,value\nann,a,3\nann,"b,4\n');
    const report = await importInto(store, path);
    expect(report.stored).toBe(1);
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0]!.reason).toMatch(/Quote Not Closed/);
  });
});

describe("JSONL", () => {
  const LINES = [
    '{"customer":"ann","item":"a","type":"rating","value":4,"timestamp":1700000000000}',
    "",
    "{not json",
    '{"customer":"ann","item":"b","type":"purchase","amount":-3}',
    '{"customer":42,"item":"b","type":"purchase","quantity":2,"amount":30,"channel":"web"}',
    '["an", "array"]',
    '{"customer":"bob","item":"a","type":"rating","value":6}',
    '{"customer":"bob","item":"c","type":"like","eventId":"e-1"}',
  ].join("\n");

  it("imports events of eventSchema's shape, reporting bad lines by number", async () => {
    const report = await importInto(store, file("events.jsonl", LINES));
    expect(report.source).toBe("jsonl");
    expect(report.stored).toBe(3);
    expect(report.rejected.map((r) => r.line)).toEqual([3, 4, 6, 7]);
    expect(report.rejected.find((r) => r.line === 3)?.reason).toMatch(/not JSON/);
    expect(report.rejected.find((r) => r.line === 4)?.reason).toMatch(/^amount: must not be negative/);
    expect(report.rejected.find((r) => r.line === 7)?.reason).toMatch(/value: 6 is off the scale/);
    const events = await store.customerEvents("42");
    expect(events.map((e) => [e.type, e.quantity, e.amount, e.channel])).toEqual([["purchase", 2, 30, "web"]]);
    expect((await store.customerEvents("bob")).map((e) => e.eventId)).toEqual(["e-1"]);
  });

  it("re-importing duplicates nothing", async () => {
    const path = file("events.jsonl", LINES);
    await importInto(store, path);
    const again = await importInto(store, path);
    expect(again.stored).toBe(0);
    expect(again.duplicates).toBe(3);
  });

  it("reads into memory, dropping repeated event ids", async () => {
    const path = file("events.ndjson", `${LINES}\n${LINES}\n`);
    const data = await readDataset(path);
    expect(data.log.length).toBe(3);
    expect(data.report.duplicates).toBe(3);
  });
});

describe("format detection", () => {
  it("refuses a file of unknown kind and names a missing one", async () => {
    await expect(readDataset(file("data.bin", "x"))).rejects.toThrow(/cannot tell the format/);
    await expect(readDataset(join(tmp.dir, "missing.csv"))).rejects.toThrow(/missing.csv" does not exist/);
  });
});
