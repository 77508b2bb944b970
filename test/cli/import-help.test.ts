/** `kindred import ...` through the CLI, `--help` everywhere, and the real process's exit codes. */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/main.js";
import { writeMl100k } from "../importers/fixtures.js";
import { run, runJson, tempDir } from "./run.js";

let tmp: ReturnType<typeof tempDir>;
let db: string;
beforeEach(() => {
  tmp = tempDir();
  db = join(tmp.dir, "k.db");
});
afterEach(() => tmp.remove());

const CSV = "customer,item,value,timestamp\nann,a,5,1700000000000\nann,b,9,1700000000001\nbob,a,4,1700000000002\n";

describe("kindred import", () => {
  it("csv --json prints {imported, rejected, ...} and nothing else on stdout", async () => {
    const file = join(tmp.dir, "events.csv");
    writeFileSync(file, CSV);
    const r = await run(["import", "csv", file, "--db", db, "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json).slice(0, 2)).toEqual(["imported", "rejected"]);
    expect(json.imported).toEqual({ ratings: 2, events: 2, items: 1, customers: 2 });
    const item = await run(["similar", "b", "--db", db]);
    expect(item.code).toBe(1); // the item of a rejected line is not created
    expect(json.rejected).toEqual([
      { file: "events.csv", line: 3, reason: 'value: 9 is off the scale of domain "default" (1 to 5 in steps of 1)' },
    ]);
    const again = await runJson<{ stored: number; duplicates: number }>(["import", "csv", file, "--db", db]);
    expect(again).toMatchObject({ stored: 0, duplicates: 2 });
  });

  it("csv with --items, --domain and --scale", async () => {
    const items = join(tmp.dir, "items.csv");
    const events = join(tmp.dir, "events.csv");
    writeFileSync(items, "id,title,categories\na,Album A,jazz\nb,Album B,rock\n");
    writeFileSync(events, CSV);
    const json = await runJson<{ rejected: unknown[]; stored: number }>([
      "import",
      "csv",
      events,
      "--items",
      items,
      "--domain",
      "music",
      "--scale",
      "1:10",
      "--db",
      db,
    ]);
    expect(json.rejected).toEqual([]);
    expect(json.stored).toBe(3);
    const similar = await run(["similar", "a", "--db", db, "--json"]);
    expect(similar.code).toBe(0);
  });

  it("movielens: human report with the rejected lines", async () => {
    writeMl100k(tmp.dir);
    const r = await run(["import", "movielens", tmp.dir, "--db", db]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Imported ml-100k from /);
    expect(r.out).toMatch(/ratings\s+5\n/);
    expect(r.out).toMatch(/Rejected 2 lines \(skipped\):\n {2}u\.data:3 {2}rating: "7" is off the scale/);
  });

  it("jsonl", async () => {
    const file = join(tmp.dir, "e.jsonl");
    writeFileSync(file, '{"customer":"ann","item":"a","type":"rating","value":3}\n{"customer":"ann"}\n');
    const json = await runJson<{ stored: number; rejected: Array<{ line: number }> }>([
      "import",
      "jsonl",
      file,
      "--db",
      db,
    ]);
    expect(json.stored).toBe(1);
    expect(json.rejected.map((r) => r.line)).toEqual([2]);
  });

  it("a missing file is exit 1; a bad header, --scale or format is exit 2", async () => {
    const missing = await run(["import", "csv", join(tmp.dir, "nope.csv"), "--db", db]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(`kindred: file "${join(tmp.dir, "nope.csv")}" does not exist\n`);
    const headless = join(tmp.dir, "h.csv");
    writeFileSync(headless, "ann,a,5\n");
    const bad = await run(["import", "csv", headless, "--db", db]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^kindred: h\.csv header: missing column\(s\) customer, item/);
    expect((await run(["import", "csv", headless, "--scale", "5:1", "--db", db])).code).toBe(2);
    expect((await run(["import", "parquet", headless, "--db", db])).code).toBe(2);
    expect((await run(["import", "movielens", tmp.dir, "--db", db])).code).toBe(2); // no MovieLens files
  });
});

describe("help", () => {
  it("kindred --help lists every command (exit 0)", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    for (const name of COMMANDS) expect(r.out).toMatch(new RegExp(`\\n  ${name}\\b`));
    expect(r.out).toMatch(/--db PATH/);
  });

  it("kindred COMMAND --help documents its options (exit 0)", async () => {
    for (const argv of [
      ["recommend"],
      ["predict"],
      ["neighbors"],
      ["similar"],
      ["styles"],
      ["rate"],
      ["customer"],
      ["train"],
      ["demo"],
      ["import", "movielens"],
      ["import", "csv"],
      ["import", "jsonl"],
    ]) {
      const r = await run([...argv, "--help"]);
      expect(r.code, argv.join(" ")).toBe(0);
      expect(r.out, argv.join(" ")).toMatch(/--db <path>/);
      expect(r.out, argv.join(" ")).toMatch(/--json/);
    }
    expect((await run(["recommend", "--help"])).out).toMatch(
      /--explain[\s\S]*--domain[\s\S]*--category[\s\S]*--algorithm/,
    );
    expect((await run(["import", "csv", "--help"])).out).toMatch(
      /customer, item, type, value, quantity,\s+amount, timestamp/,
    );
  });

  it("no command at all is a usage error with the help on stderr", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/Usage: kindred/);
  });

  it("`kindred help COMMAND` is exit 0; a command group without its subcommand is a usage error", async () => {
    const help = await run(["help", "recommend"]);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Usage: kindred recommend/);
    const group = await run(["import"]);
    expect(group.code).toBe(2);
    expect(group.out).toBe("");
    expect(group.err).toMatch(/Usage: kindred import/);
  });

  it("an unknown command is a usage error", async () => {
    const r = await run(["recomend", "1"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command 'recomend'/);
  });
});

describe("the real process", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const kindred = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ["--import", "tsx", "src/cli/entry.ts", ...args],
        { cwd: root, env: { ...process.env, KINDRED_DB: "" } },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it("exits 0, 1 and 2", async () => {
    expect((await kindred(["--version"])).code).toBe(0);
    const missing = await kindred(["recommend", "1", "--db", join(tmp.dir, "none.db")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no Kindred db at/);
    expect(missing.stdout).toBe("");
    expect((await kindred(["recommend", "1", "--n", "x"])).code).toBe(2);
  });
});
