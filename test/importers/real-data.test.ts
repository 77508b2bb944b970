import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDataset } from "../../src/importers/index.js";
import { hasMl100k, ML100K, SHARED_DATA } from "../helpers/data.js";

// The import of real ml-100k into a SQLite store, through the CLI, is in test/cli/real-data.test.ts.
const ML_LATEST = join(SHARED_DATA, "ml-latest-small");
const hasMlLatest = existsSync(join(ML_LATEST, "ratings.csv"));
if (!hasMlLatest) console.warn(`SKIPPED: ml-latest-small import test needs ${ML_LATEST}`);

describe.skipIf(!hasMl100k)("real ml-100k", () => {
  it("reads 100,000 ratings, 1,682 items (latin-1 titles) and 943 customers", async () => {
    const data = await readDataset(ML100K);
    expect(data.log.length).toBe(100_000);
    expect(data.items).toHaveLength(1682);
    expect(data.customers).toHaveLength(943);
    expect(data.report.imported).toEqual({ ratings: 100_000, events: 100_000, items: 1682, customers: 943 });
    expect(data.rejected).toEqual([]);
    const titles = new Map(data.items.map((i) => [i.id, i.title]));
    expect(titles.get("50")).toBe("Star Wars (1977)");
    expect(titles.get("543")).toBe("Misérables, Les (1995)");
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
