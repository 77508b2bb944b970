/**
 * Load on the HTTP service, measured with autocannon against `kindred serve`
 * running as its own process on ml-100k (../shared/data: 100,000 ratings, 943
 * customers, 1,682 movies with genres), the engine's default chains, explanations on:
 *
 *   0. warm-up   unmeasured recommendations on each server before its first measured step (--warmup s)
 *   1. floor     GET /models/training: auth, routing, metrics, JSON; no store, no engine (the HTTP ceiling)
 *   2. top-10    GET /customers/{random}/recommendations?n=10 at 64 connections (target ≥ 2,000 req/s, p99 < 25 ms)
 *   3. mixed     90% top-10 recommendations, 10% POST /events (a rating): zero errors, memory sampled throughout
 *
 * on SQLite, and the same on PostgreSQL when KINDRED_TEST_PG is set (a fresh schema, dropped afterwards).
 * The server's CPU time per request (from /proc) is recorded: on a shared machine it is the number that
 * says what one core can serve, whatever else runs.
 *
 *   node --import tsx bench/load.ts                  # 20 s per step, 60 s mixed
 *   node --import tsx bench/load.ts --minutes 5      # the 5-minute mixed soak
 *   options: --seconds N (steps 1–2), --warmup N (default 10), --connections N, --no-pg, --no-profile
 *
 * Then, unless --no-profile, where the time goes: the uncached server under `node --cpu-prof` for 10 s of
 * recommendations (bench/load/profile.ts). Writes bench/results/load.md and .json.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import pg from "pg";
import { machine } from "./lib/machine.js";
import { writeResults } from "./lib/results.js";
import { CHAINS, CONNECTIONS, MIXED_SECONDS, ML100K, PG_URL, STEP_SECONDS, WARMUP_SECONDS } from "./load/options.js";
import { markdown } from "./load/report.js";
import { type Run, run } from "./load/run.js";

if (!existsSync(`${ML100K}u.data`)) {
  console.error(`SKIPPED: this benchmark needs ${ML100K} (../shared/data is absent)`);
  process.exit(0);
}

const startMachine = machine();
/** What was measured: the servers run the working tree (in a shared checkout, others' uncommitted edits too). */
const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8" }).trim();
const tree = {
  commit: git("rev-parse", "--short", "HEAD"),
  modified: git("status", "--porcelain", "--untracked-files=no"),
};
const runs: Run[] = [];
const dir = mkdtempSync(join(os.tmpdir(), "kindred-load-"));
try {
  runs.push(await run("SQLite", join(dir, "kindred.db")));
  if (PG_URL) {
    const schema = `load_${randomBytes(4).toString("hex")}`;
    const url = new URL(PG_URL);
    url.searchParams.set("schema", schema);
    try {
      runs.push(await run("PostgreSQL", url.toString()));
    } finally {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  } else {
    console.error("PostgreSQL: skipped (set KINDRED_TEST_PG to run it)");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const written = writeResults("load", {
  data: {
    connections: CONNECTIONS,
    stepSeconds: STEP_SECONDS,
    mixedSeconds: MIXED_SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    chains: CHAINS,
    commit: tree.commit,
    modifiedAtStart: tree.modified.split("\n").filter(Boolean),
    loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
    runs,
  },
  markdown: `${markdown(runs)}\nMeasured at commit ${tree.commit}${tree.modified ? ` with uncommitted changes in the working tree (listed in load.json)` : ""}.\n`,
  machine: startMachine,
});
console.error(`wrote ${written.md} and ${written.json}`);
