/** `kindred demo`: generates once, fits, shows a sample customer; refuses a db holding other data. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, runJson, tempDir } from "../cli/run.js";

describe("kindred demo", () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp.remove());

  it("generates the community on an empty db, then reuses it", async () => {
    const db = join(tmp.dir, "demo.db");
    const first = await run(["demo", "--db", db, "--customers", "200"]);
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/generated the demo community/);
    expect(first.err).toMatch(/training user-knn/);
    expect(first.out).toMatch(/^Kindred demo community in .*: 339 items \(music and shoes\), 200 customers/);
    expect(first.out).toMatch(/Music for \S+ \(user-knn\):\n 1\. .+\[album-\d{4}\]/);
    expect(first.out).toMatch(/customers whose ratings agree with yours/);
    expect(first.out).toMatch(/Shoes for \S+ \(user-knn\):\n 1\. .+\[shoe-\d{4}\]/);
    expect(first.out).toMatch(/Taste neighbours of customer c\d{4}:\ncustomer\s+name\s+similarity\s+overlap/);
    expect(first.out).toMatch(/Styles customer c\d{4} would like in music/);

    const second = await runJson<{ generated: boolean; stats: { customers: number; events: number } }>([
      "demo",
      "--db",
      db,
    ]);
    expect(second.generated).toBe(false);
    expect(second.stats.customers).toBe(200);
    const again = await runJson<{ stats: { events: number } }>(["demo", "--db", db, "--customer", "c0010"]);
    expect(again.stats.events).toBe(second.stats.events); // nothing generated twice
  });

  it("--json: one document with the customer, recommendations per domain, neighbours and styles", async () => {
    const db = join(tmp.dir, "demo-json.db");
    const r = await run(["demo", "--db", db, "--customers", "150", "--customer", "c0005", "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.generated).toBe(true);
    expect(json.customer).toMatchObject({ id: "c0005", name: expect.stringMatching(/^\S+ \S+$/) });
    expect(json.customer.specs.shoeSize).toBeGreaterThanOrEqual(36);
    expect(json.recommendations.music.items.length).toBeGreaterThan(0);
    expect(json.recommendations.shoes.items.every((i: { item: string }) => i.item.startsWith("shoe-"))).toBe(true);
    expect(json.neighbors.neighbors.length).toBeGreaterThan(0);
    expect(json.styles.music.styles.length).toBe(10);
  });

  it("refuses a db that holds other data (exit 2) and an unknown --customer (exit 1)", async () => {
    const db = join(tmp.dir, "shop.db");
    const csv = join(tmp.dir, "e.csv");
    writeFileSync(csv, "customer,item,value\nann,a,4\n");
    expect((await run(["import", "csv", csv, "--db", db])).code).toBe(0);
    const r = await run(["demo", "--db", db]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/already holds data that is not the demo community/);
    const demoDb = join(tmp.dir, "demo.db");
    const unknown = await run(["demo", "--db", demoDb, "--customer", "zed"]);
    expect(unknown).toMatchObject({ code: 1, out: "" });
    expect(unknown.err).toMatch(/customer "zed" is not known/);
  });
});
