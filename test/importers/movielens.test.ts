import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KindredError, ValidationError } from "../../src/core/errors.js";
import { importInto, readDataset } from "../../src/importers/index.js";
import { openStore } from "../../src/storage/open.js";
import type { Store } from "../../src/storage/store.js";
import { tempDir, writeMl1m, writeMl100k, writeMlLatest } from "./fixtures.js";

let tmp: ReturnType<typeof tempDir>;
let store: Store;

beforeEach(async () => {
  tmp = tempDir();
  store = await openStore(join(tmp.dir, "kindred.db"));
});
afterEach(async () => {
  await store.close();
  tmp.remove();
});

describe("ml-100k", () => {
  it("imports ratings, latin-1 titles, genres and demographics, reporting the bad lines by number", async () => {
    writeMl100k(tmp.dir);
    const report = await importInto(store, tmp.dir);
    expect(report.source).toBe("ml-100k");
    expect(report.imported).toEqual({ ratings: 5, events: 5, items: 3, customers: 3 });
    expect(report.stored).toBe(5);
    expect(report.rejected.map((r) => [r.file, r.line])).toEqual([
      ["u.data", 3],
      ["u.data", 5],
    ]);
    expect(report.rejected[0]!.reason).toMatch(/rating: "7" is off the scale 1 to 5/);
    expect(report.rejected[1]!.reason).toMatch(/rating: "four"/);

    const item = await store.getItem("2");
    expect(item?.title).toBe("Misérables, Les (1995)");
    expect(item?.domain).toBe("movies");
    expect(item?.categories).toEqual(["Drama"]);
    expect((await store.getItem("1"))?.categories).toEqual(["Animation", "Children's", "Comedy"]);
    expect((await store.getItem("3"))?.categories).toEqual([]); // "unknown" is not a category
    expect((await store.getCustomer("2"))?.attributes).toEqual({
      age: 53,
      gender: "F",
      occupation: "other",
      zip: "94043",
    });
    expect((await store.getDomain("movies"))?.scale).toEqual({ min: 1, max: 5, step: 1 });

    const events = await store.customerEvents("1");
    expect(events.map((e) => [e.item, e.value, e.timestamp, e.channel])).toEqual([
      ["1", 5, 874965758000, "import"],
      ["2", 3, 876893171000, "import"],
    ]);
  });

  it("re-importing the same folder duplicates nothing", async () => {
    writeMl100k(tmp.dir);
    await importInto(store, tmp.dir);
    const before = await store.stats();
    const again = await importInto(store, tmp.dir);
    expect(again.stored).toBe(0);
    expect(again.duplicates).toBe(5);
    expect(await store.stats()).toEqual(before);
  });

  it("reads into memory with the same parser", async () => {
    writeMl100k(tmp.dir);
    const data = await readDataset(tmp.dir);
    expect(data.log.length).toBe(5);
    expect(data.items.map((i) => i.title)).toContain("Misérables, Les (1995)");
    expect(data.customers).toHaveLength(3);
    expect(data.domains).toEqual([{ name: "movies", scale: { min: 1, max: 5, step: 1 } }]);
    expect(data.rejected.map((r) => r.line)).toEqual([3, 5]);
    const first = data.log.users.get("1");
    expect(data.log.user[0]).toBe(first);
    expect(data.log.value[0]).toBe(5);
    expect(data.log.time[0]).toBe(874965758000);
  });

  it("keeps the eventIds of earlier versions (source:user:item:seconds), so a re-import into an old db adds nothing", async () => {
    writeMl100k(tmp.dir);
    await importInto(store, tmp.dir);
    expect((await store.scanEvents()).map((e) => e.eventId)).toEqual([
      "ml100k:1:1:874965758",
      "ml100k:1:2:876893171",
      "ml100k:2:3:876893119",
      "ml100k:3:2:875071561",
      "ml100k:3:3:875072484",
    ]);
  });

  it("cuts the first four fields of a line as split would: extra fields ignored, padding trimmed, too few rejected", async () => {
    writeMl100k(tmp.dir);
    writeFileSync(
      join(tmp.dir, "u.data"),
      ["1\t1\t5\t874965758\textra\tfields", " 2 \t 3 \t4\t876893119", "3\t1\t4", "3\t2", "3", "3\t2\t2\t"].join("\n"),
    );
    const report = await importInto(store, tmp.dir);
    const fields = "expected 4 fields: user, item, rating, timestamp";
    expect(report.rejected.map((r) => [r.line, r.reason])).toEqual([
      [3, fields],
      [4, fields],
      [5, fields],
      [6, 'timestamp: "" is not a whole number of seconds'],
    ]);
    expect((await store.scanEvents()).map((e) => [e.customer, e.item, e.value, e.timestamp, e.eventId])).toEqual([
      ["1", "1", 5, 874965758000, "ml100k:1:1:874965758"],
      ["2", "3", 4, 876893119000, "ml100k:2:3:876893119"],
    ]);
  });

  it("accepts the path of u.data itself", async () => {
    writeMl100k(tmp.dir);
    const data = await readDataset(join(tmp.dir, "u.data"));
    expect(data.report.source).toBe("ml-100k");
  });
});

describe("ml-1m", () => {
  it("imports `::`-separated latin-1 files with coded demographics", async () => {
    writeMl1m(tmp.dir);
    const report = await importInto(store, tmp.dir);
    expect(report.source).toBe("ml-1m");
    expect(report.stored).toBe(3);
    expect(report.rejected).toEqual([expect.objectContaining({ file: "ratings.dat", line: 2 })]);
    expect((await store.getItem("2"))?.title).toBe("Cité des enfants perdus, La (1995)");
    expect((await store.getItem("2"))?.categories).toEqual(["Adventure", "Sci-Fi"]);
    expect((await store.getCustomer("2"))?.attributes).toMatchObject({
      gender: "M",
      age: 56,
      ageGroup: "56+",
      occupation: "self-employed",
    });
  });
});

describe("ml-latest", () => {
  it("parses CRLF CSV with quoted commas and half stars, rejecting off-scale lines", async () => {
    writeMlLatest(tmp.dir);
    const report = await importInto(store, tmp.dir);
    expect(report.source).toBe("ml-latest");
    expect(report.imported).toEqual({ ratings: 4, events: 4, items: 3, customers: 2 });
    expect(report.rejected.map((r) => [r.file, r.line])).toEqual([
      ["ratings.csv", 4],
      ["ratings.csv", 6],
    ]);
    expect((await store.getItem("11"))?.title).toBe("American President, The (1995)");
    expect((await store.getItem("99"))?.title).toBe('Say "Hello" (2001)');
    expect((await store.getItem("99"))?.categories).toEqual([]);
    expect((await store.getItem("1"))?.attributes).toEqual({ imdbId: "0114709", tmdbId: "862" });
    expect((await store.getDomain("movies"))?.scale).toEqual({ min: 0.5, max: 5, step: 0.5 });
    const values = (await store.customerEvents("2")).map((e) => e.value);
    expect(values).toEqual([0.5, 5]);
  });

  it("refuses to mix scales in one domain, writing nothing", async () => {
    const a = tempDir();
    const b = tempDir();
    try {
      writeMl100k(a.dir);
      writeMlLatest(b.dir);
      await importInto(store, a.dir);
      const before = await store.stats();
      await expect(importInto(store, b.dir)).rejects.toThrow(ValidationError);
      await expect(importInto(store, b.dir)).rejects.toThrow(/"movies" already rates 1 to 5/);
      expect(await store.stats()).toEqual(before);
    } finally {
      a.remove();
      b.remove();
    }
  });
});

describe("bad paths", () => {
  it("names a folder that does not exist", async () => {
    await expect(readDataset(join(tmp.dir, "nope"), { format: "movielens" })).rejects.toThrow(KindredError);
    await expect(readDataset(join(tmp.dir, "nope"), { format: "movielens" })).rejects.toThrow(/nope" does not exist/);
  });

  it("names a folder without MovieLens files", async () => {
    await expect(readDataset(tmp.dir, { format: "movielens" })).rejects.toThrow(/holds no MovieLens ratings/);
  });
});
