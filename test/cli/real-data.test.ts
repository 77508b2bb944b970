/** The walkthrough on real ml-100k: import, then every read command (skipped without ../shared/data). */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasMl100k, ML100K } from "../helpers/data.js";
import { run, runJson, tempDir } from "./run.js";

describe.skipIf(!hasMl100k)("kindred on real ml-100k", () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: string;
  beforeAll(() => {
    tmp = tempDir();
    db = join(tmp.dir, "kindred.db");
  });
  afterAll(() => tmp.remove());

  it("imports 100,000 ratings, 1,682 items and 943 customers; a re-import adds nothing", async () => {
    const json = await runJson<{ imported: Record<string, number>; rejected: unknown[]; stored: number }>([
      "import",
      "movielens",
      ML100K,
      "--db",
      db,
    ]);
    expect(json.imported).toMatchObject({ ratings: 100_000, items: 1682, customers: 943 });
    expect(json.rejected).toEqual([]);
    expect(json.stored).toBe(100_000);
    const again = await runJson<{ stored: number; duplicates: number }>(["import", "movielens", ML100K, "--db", db]);
    expect(again).toMatchObject({ stored: 0, duplicates: 100_000 });
  });

  it("recommends ten movies for customer 196, each with an explanation", async () => {
    const json = await runJson<{
      customer: string;
      items: Array<{ item: string; title: string; score: number; explanation: { text: string } }>;
    }>(["recommend", "196", "--n", "10", "--explain", "--db", db]);
    expect(json.customer).toBe("196");
    expect(json.items).toHaveLength(10);
    // The default recommend chain is headed by a ranking model: scores are preferences, best first.
    json.items.forEach((item, k) => {
      expect(item.title).toMatch(/\(\d{4}\)$/);
      expect(Number.isFinite(item.score)).toBe(true);
      if (k > 0) expect(item.score).toBeLessThanOrEqual(json.items[k - 1]!.score);
      expect(item.explanation.text.length).toBeGreaterThan(10);
    });
  });

  it("predicts, finds neighbours, similar items and styles, and remembers", async () => {
    const predict = await runJson<{ predictions: Array<{ item: string; score: number }> }>([
      "predict",
      "196",
      "242",
      "302",
      "--db",
      db,
    ]);
    expect(predict.predictions.map((p) => p.item)).toEqual(["242", "302"]);
    const neighbors = await runJson<{ neighbors: Array<{ overlap: number }> }>(["neighbors", "196", "--db", db]);
    expect(neighbors.neighbors).toHaveLength(10);
    const similar = await runJson<{ items: Array<{ item: string }> }>(["similar", "50", "--k", "5", "--db", db]);
    expect(similar.items.map((i) => i.item)).toContain("172"); // Star Wars → The Empire Strikes Back
    const styles = await runJson<{ styles: Array<{ category: string }> }>(["styles", "196", "--db", db]);
    expect(styles.styles.length).toBeGreaterThan(10);
    const rate = await run(["rate", "196", "1", "4", "--db", db]);
    expect(rate.code).toBe(0);
    const memory = await runJson<{
      customer: { attributes: Record<string, unknown> };
      ratings: Array<{ item: string }>;
    }>(["customer", "196", "--db", db]);
    expect(memory.customer.attributes).toMatchObject({ age: 49, occupation: "writer" });
    expect(memory.ratings[0]?.item).toBe("1");
  });
});
