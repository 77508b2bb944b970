import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importInto, readDataset } from "../../src/importers/index.js";
import { openStore } from "../../src/storage/open.js";
import type { Store } from "../../src/storage/store.js";
import { hasMl100k, ML100K, SHARED_DATA } from "../helpers/data.js";
import { tempDir } from "./fixtures.js";

const ML_LATEST = join(SHARED_DATA, "ml-latest-small");
const hasMlLatest = existsSync(join(ML_LATEST, "ratings.csv"));
if (!hasMlLatest) console.warn(`SKIPPED: ml-latest-small import test needs ${ML_LATEST}`);

describe.skipIf(!hasMl100k)("real ml-100k", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: Store;
  beforeAll(async () => {
    tmp = tempDir();
    store = await openStore(join(tmp.dir, "kindred.db"));
  });
  afterAll(async () => {
    await store.close();
    tmp.remove();
  });

  it("imports 100,000 ratings, 1,682 items and 943 customers, and a re-import adds none", async () => {
    const report = await importInto(store, ML100K);
    expect(report.imported).toEqual({ ratings: 100_000, events: 100_000, items: 1682, customers: 943 });
    expect(report.rejected).toEqual([]);
    expect(await store.stats()).toMatchObject({ customers: 943, items: 1682, events: 100_000 });
    expect((await store.getItem("50"))?.title).toBe("Star Wars (1977)");
    expect((await store.getItem("543"))?.title).toBe("Misérables, Les (1995)"); // latin-1 decoded
    const again = await importInto(store, ML100K);
    expect(again.stored).toBe(0);
    expect((await store.stats()).events).toBe(100_000);
  });
});

describe.skipIf(!hasMlLatest)("real ml-latest-small", () => {
  it("reads 100,836 half-star ratings by 610 customers on 9,742 movies", async () => {
    const data = await readDataset(ML_LATEST);
    expect(data.log.length).toBe(100_836);
    expect(data.report.imported.customers).toBe(610);
    expect(data.items).toHaveLength(9742);
    expect(data.domains[0]?.scale).toEqual({ min: 0.5, max: 5, step: 0.5 });
    expect(data.rejected).toEqual([]);
  });
});
