import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bufferIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { openStore } from "../../src/storage/open.js";
import { syntheticCommunity } from "../helpers/data.js";

const dir = mkdtempSync(join(tmpdir(), "kindred-eval-cli-"));
const csv = join(dir, "ratings.csv");
const flat = join(dir, "flat.csv");
const db = join(dir, "kindred.db");

async function run(...argv: string[]) {
  const io = bufferIo();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

beforeAll(async () => {
  const { log } = syntheticCommunity({ users: 90, items: 50, ratingsPerUser: 15, seed: 8 });
  const lines = ["customer,item,value,timestamp"];
  for (let p = 0; p < log.length; p++) {
    lines.push(
      `${log.users.external(log.user[p]!)},${log.items.external(log.item[p]!)},${log.value[p]},${log.time[p]}`,
    );
  }
  writeFileSync(csv, `${lines.join("\n")}\n`);
  writeFileSync(flat, "customer,item,value\na,x,4\na,y,4\nb,x,4\nb,y,4\nc,x,4\nc,z,4\n");
  const store = await openStore(db);
  await store.appendEvents(
    lines.slice(1).map((line) => {
      const [customer, item, value, timestamp] = line.split(",");
      return {
        customer: customer!,
        item: item!,
        type: "rating" as const,
        value: Number(value),
        quantity: null,
        amount: null,
        timestamp: Number(timestamp),
        channel: "test",
        eventId: null,
      };
    }),
  );
  await store.close();
});

describe("kindred evaluate", () => {
  it("prints the table, and --json the results with per-fold metrics", async () => {
    const table = await run(
      "evaluate",
      "--data",
      csv,
      "--split",
      "kfold:3",
      "--algorithms",
      "popular,baseline",
      "--workers",
      "0",
    );
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/baseline +\d\.\d{4} ± \d\.\d{4}/);
    expect(table.out).toMatch(/NDCG@10/);
    const json = await run(
      "evaluate",
      "--data",
      csv,
      "--split",
      "kfold:3",
      "--algorithms",
      "baseline",
      "--task",
      "rating",
      "--json",
      "--workers",
      "0",
    );
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out);
    expect(parsed.results).toHaveLength(1);
    const [r] = parsed.results;
    expect(r.algorithm).toBe("baseline");
    expect(r.folds).toHaveLength(3);
    expect(r.metrics.rmse).toBeGreaterThan(0);
    expect(r.metrics.ndcg).toBeUndefined();
    expect(r.params).toHaveProperty("regUser");
    expect(typeof r.fitSeconds).toBe("number");
    expect(typeof r.predictSeconds).toBe("number");
  });

  it("evaluates the events of a db, writes an HTML report and reads --params", async () => {
    const report = join(dir, "report.html");
    const result = await run(
      "evaluate",
      "--db",
      db,
      "--split",
      "temporal:0.2",
      "--algorithms",
      "baseline",
      "--report",
      report,
      "--params",
      '{"baseline": {"regUser": 2}}',
      "--json",
      "--workers",
      "0",
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).results[0].params.regUser).toBe(2);
    expect(readFileSync(report, "utf8")).toContain('id="curve-hit-rate"');
  });

  it.each([
    [["--data", "/no/such/path"], /data: "\/no\/such\/path" does not exist/],
    [["--algorithms", "nope"], /unknown algorithm "nope"/],
    [["--metrics", "rmse,auc"], /unknown metric "auc"/],
    [["--split", "kfold:1"], /split: "kfold:1"/],
    [["--split", "kfold:2000"], /leaves fold \d+ with no test events/],
    [["--split", "official"], /"official" needs published folds/],
    [["--params", "{oops"], /params: is not valid JSON/],
    [["--params", '{"nope": {}}'], /unknown algorithm "nope"/],
    [["--data", flat, "--task", "rating"], /every rating has the same value \(4\)/],
    [["--db", join(dir, "missing.db")], /db: ".*missing\.db" does not exist/],
  ])("bad input %j: a clear message, exit 2, no stack trace", async (args, message) => {
    // The case's own --data or --db replaces the default data.
    const source = args.includes("--data") || args.includes("--db") ? [] : ["--data", csv];
    const result = await run("evaluate", ...source, "--algorithms", "baseline", "--workers", "0", ...args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err).not.toMatch(/\n\s+at /);
  });
});

describe("kindred tune", () => {
  it("writes the best parameters to --out and to the db's setting params.<algorithm>", async () => {
    const out = join(dir, "params.json");
    const result = await run(
      "tune",
      "baseline",
      "--data",
      csv,
      "--split",
      "holdout:0.2",
      "--inner",
      "kfold:2",
      "--trials",
      "3",
      "--method",
      "random",
      "--out",
      out,
      "--db",
      db,
      "--workers",
      "0",
    );
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/best parameters: \{/);
    const written = JSON.parse(readFileSync(out, "utf8"));
    expect(written.baseline).toHaveProperty("regUser");
    const store = await openStore(db);
    expect(await store.getSetting("params.baseline")).toEqual(written.baseline);
    await store.close();
    const evaluated = await run(
      "evaluate",
      "--data",
      csv,
      "--split",
      "kfold:2",
      "--algorithms",
      "baseline",
      "--params",
      out,
      "--json",
      "--workers",
      "0",
    );
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.out).results[0].params).toEqual(written.baseline);
  });

  it("refuses an unknown algorithm and a missing db with exit 2", async () => {
    expect((await run("tune", "nope", "--data", csv)).code).toBe(2);
    const missing = await run("tune", "baseline", "--db", join(dir, "none.db"), "--trials", "1");
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/does not exist/);
    expect(existsSync(join(dir, "none.db"))).toBe(false);
  });
});
