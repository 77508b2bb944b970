/**
 * Every command on a small demo community (300 customers), in-process:
 * --json shapes, human output, exit codes, and bad input.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, runJson, tempDir } from "./run.js";

let tmp: ReturnType<typeof tempDir>;
let db: string;

beforeAll(async () => {
  tmp = tempDir();
  db = join(tmp.dir, "demo.db");
  const r = await run(["demo", "--db", db, "--customers", "300", "--json"]);
  if (r.code !== 0) throw new Error(r.err);
});
afterAll(() => tmp.remove());

describe("recommend", () => {
  it("prints the documented JSON and nothing else on stdout", async () => {
    const r = await run(["recommend", "c0002", "--db", db, "--n", "4", "--explain", "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(["customer", "algorithm", "items"]);
    expect(json.customer).toBe("c0002");
    expect(json.items).toHaveLength(4);
    for (const item of json.items) {
      expect(item).toMatchObject({ item: expect.any(String), title: expect.any(String), score: expect.any(Number) });
      expect(item.explanation.text.length).toBeGreaterThan(10);
    }
  });

  it("honours --algorithm, --domain and --category", async () => {
    const json = await runJson<{ algorithm: string; items: Array<{ item: string }> }>([
      "recommend",
      "c0002",
      "--db",
      db,
      "--algorithm",
      "user-knn",
      "--domain",
      "shoes",
      "--n",
      "3",
    ]);
    expect(json.algorithm).toBe("user-knn");
    expect(json.items.every((i) => i.item.startsWith("shoe-"))).toBe(true);
    const jazz = await runJson<{ items: Array<{ item: string }> }>([
      "recommend",
      "c0002",
      "--db",
      db,
      "--category",
      "jazz",
    ]);
    expect(jazz.items.length).toBeGreaterThan(0);
    expect(jazz.items.every((i) => i.item.startsWith("album-"))).toBe(true);
  });

  it("prints a readable list for people", async () => {
    const r = await run(["recommend", "c0002", "--db", db, "--n", "3", "--explain"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Recommended for customer c0002/);
    expect(r.out).toMatch(/ 1\. .+\[(album|shoe)-\d{4}\]/);
  });

  it("refuses an unknown customer with one line on stderr and exit 1", async () => {
    const r = await run(["recommend", "nobody", "--db", db]);
    expect(r).toEqual({ code: 1, out: "", err: 'kindred: customer "nobody" is not known\n' });
  });

  it("treats bad flags as usage errors (exit 2)", async () => {
    for (const argv of [
      ["recommend", "c0002", "--db", db, "--n", "ten"],
      ["recommend", "c0002", "--db", db, "--n", "0"],
      ["recommend", "c0002", "--db", db, "--bogus"],
      ["recommend", "--db", db],
    ]) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toMatch(/error/);
    }
  });

  it("names an unknown algorithm (exit 2)", async () => {
    const r = await run(["recommend", "c0002", "--db", db, "--algorithm", "magic"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^kindred: algorithm: unknown algorithm "magic"/);
  });
});

describe("predict", () => {
  it("prints the documented JSON", async () => {
    const json = await runJson<{ customer: string; predictions: Array<{ item: string; score: number | null }> }>([
      "predict",
      "c0002",
      "album-0001",
      "shoe-0001",
      "--db",
      db,
    ]);
    expect(json.customer).toBe("c0002");
    expect(json.predictions.map((p) => p.item)).toEqual(["album-0001", "shoe-0001"]);
    for (const p of json.predictions) {
      expect(p.score).toBeGreaterThanOrEqual(1);
      expect(p.score).toBeLessThanOrEqual(5);
    }
  });

  it("refuses an unknown item (exit 1)", async () => {
    const r = await run(["predict", "c0002", "album-0001", "no-such-item", "--db", db]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('kindred: item "no-such-item" is not known\n');
  });
});

describe("neighbors, similar, styles", () => {
  it("neighbors: similarity and overlap per neighbour", async () => {
    const json = await runJson<{ customer: string; neighbors: Array<Record<string, unknown>> }>([
      "neighbors",
      "c0002",
      "--db",
      db,
      "--k",
      "3",
    ]);
    expect(json.customer).toBe("c0002");
    expect(json.neighbors.length).toBeGreaterThan(0);
    expect(json.neighbors.length).toBeLessThanOrEqual(3);
    for (const n of json.neighbors) {
      expect(n).toMatchObject({
        customer: expect.any(String),
        similarity: expect.any(Number),
        overlap: expect.any(Number),
      });
    }
    const human = await run(["neighbors", "c0002", "--db", db, "--k", "3"]);
    expect(human.out).toMatch(/customer\s+name\s+similarity\s+overlap/);
  });

  it("similar: items most like an item; an unknown item is exit 1", async () => {
    const json = await runJson<{ item: string; items: Array<Record<string, unknown>> }>([
      "similar",
      "album-0001",
      "--db",
      db,
      "--k",
      "4",
    ]);
    expect(json.item).toBe("album-0001");
    expect(json.items.length).toBeGreaterThan(0);
    expect(json.items[0]).toMatchObject({ item: expect.any(String), similarity: expect.any(Number) });
    expect((await run(["similar", "nope", "--db", db])).code).toBe(1);
  });

  it("styles: categories by affinity, per domain", async () => {
    const json = await runJson<{ styles: Array<{ category: string; affinity: number }> }>([
      "styles",
      "c0002",
      "--db",
      db,
      "--domain",
      "shoes",
    ]);
    expect(json.styles.length).toBeGreaterThan(0);
    const categories = new Set(["runners", "boots", "loafers", "sandals", "sneakers", "brogues", "trail", "heels"]);
    expect(json.styles.every((s) => categories.has(s.category))).toBe(true);
    const affinities = json.styles.map((s) => s.affinity);
    expect(affinities).toEqual([...affinities].sort((a, b) => b - a));
  });
});

describe("rate and customer", () => {
  it("remembers a rating; the customer's memory shows it", async () => {
    const rated = await runJson<{ appended: number }>([
      "rate",
      "c0003",
      "album-0002",
      "2",
      "--db",
      db,
      "--channel",
      "web",
    ]);
    expect(rated.appended).toBe(1);
    const memory = await runJson<{ customer: { id: string }; ratings: Array<Record<string, unknown>> }>([
      "customer",
      "c0003",
      "--db",
      db,
    ]);
    expect(memory.customer.id).toBe("c0003");
    expect(memory.ratings[0]).toMatchObject({ item: "album-0002", value: 2, channel: "web" });
    const human = await run(["customer", "c0003", "--db", db]);
    expect(human.out).toMatch(/^Customer c0003 \(.+\)\n {2}attributes {2}name /);
    expect(human.out).toMatch(/specs\s+shoeSize \d\d/);
  });

  it("refuses a rating off the scale, naming the value and the scale (exit 2), writing nothing", async () => {
    const before = await runJson<{ events: unknown[] }>(["customer", "c0003", "--db", db]);
    const r = await run(["rate", "c0003", "album-0002", "6", "--db", db]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('kindred: value: 6 is off the scale of domain "music" (1 to 5 in steps of 1)\n');
    expect((await run(["rate", "c0003", "album-0002", "four", "--db", db])).code).toBe(2);
    expect((await run(["rate", "c0003", "no-item", "4", "--db", db])).code).toBe(1);
    const after = await runJson<{ events: unknown[] }>(["customer", "c0003", "--db", db]);
    expect(after.events.length).toBe(before.events.length);
  });

  it("customer: unknown is exit 1", async () => {
    expect(await run(["customer", "c9999", "--db", db])).toEqual({
      code: 1,
      out: "",
      err: 'kindred: customer "c9999" is not known\n',
    });
  });
});

describe("train", () => {
  it("fits, saves and activates a model", async () => {
    const info = await runJson<{ kind: string; active: boolean; id: number }>(["train", "popular", "--db", db]);
    expect(info).toMatchObject({ kind: "popular", active: true });
  });

  it("rejects an unknown algorithm and bad --params (exit 2)", async () => {
    expect((await run(["train", "magic", "--db", db])).code).toBe(2);
    const r = await run(["train", "popular", "--db", db, "--params", "{nope"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^kindred: params: is not JSON/);
  });
});

describe("the db", () => {
  it("read commands never create a db: they say how to make one (exit 1)", async () => {
    const missing = join(tmp.dir, "missing.db");
    for (const argv of [
      ["recommend", "c1"],
      ["predict", "c1", "i1"],
      ["neighbors", "c1"],
      ["similar", "i1"],
      ["styles", "c1"],
      ["customer", "c1"],
      ["rate", "c1", "i1", "3"],
      ["train", "popular"],
    ]) {
      const r = await run([...argv, "--db", missing]);
      expect(r.code, argv[0]).toBe(1);
      expect(r.err).toBe(`kindred: no Kindred db at ${missing} (run kindred import or kindred demo first)\n`);
    }
    expect(existsSync(missing)).toBe(false);
  });

  it("uses $KINDRED_DB when --db is not given", async () => {
    const json = await runJson<{ customer: string }>(["customer", "c0002"], { KINDRED_DB: db });
    expect(json.customer).toBeDefined();
  });

  it("refuses a file that is not a Kindred db and leaves it byte-identical", async () => {
    const path = join(tmp.dir, "notes.db");
    writeFileSync(path, "these are my notes, not a database\n");
    for (const argv of [
      ["recommend", "c1"],
      ["import", "csv", join(tmp.dir, "x.csv")],
    ]) {
      const r = await run([...argv, "--db", path]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^kindred: .*notes\.db.*not a (Kindred|SQLite)/);
      expect(r.err.split("\n")).toHaveLength(2); // one line, no stack
    }
    expect(readFileSync(path, "utf8")).toBe("these are my notes, not a database\n");
  });

  it("prints the stack with KINDRED_DEBUG=1", async () => {
    const r = await run(["recommend", "nobody", "--db", db], { KINDRED_DEBUG: "1" });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is not known\n.*NotFoundError/s);
    expect(r.err).toMatch(/\n\s+at /);
  });
});
