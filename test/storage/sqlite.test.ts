import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { StoreError, ValidationError } from "../../src/core/errors.js";
import { openStore, parseStoreTarget } from "../../src/storage/open.js";
import { SQLITE_SCHEMA_VERSION } from "../../src/storage/sqlite/index.js";
import { describeStoreContract, event } from "./store-contract.js";

const dir = mkdtempSync(join(tmpdir(), "kindred-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => join(dir, `store-${++counter}.db`);

describeStoreContract("sqlite file", () => openStore(freshPath()));
describeStoreContract("sqlite :memory:", () => openStore(":memory:"));

describe("SQLite store", () => {
  it("keeps everything across close and reopen", async () => {
    const path = freshPath();
    const store = await openStore(`sqlite:${path}`);
    await store.appendEvents([event("u", "i", { eventId: "e" })]);
    await store.setSetting("s", { a: 1 });
    const model = await store.saveModel("svd", new Uint8Array([1, 2, 3]), 1);
    await store.activateModel(model.id);
    await store.close();

    const again = await openStore(`file:${path}`);
    expect((await again.scanEvents()).map((e) => e.eventId)).toEqual(["e"]);
    expect(await again.getSetting("s")).toEqual({ a: 1 });
    expect(Array.from((await again.activeModel("svd"))!.bytes)).toEqual([1, 2, 3]);
    expect((await again.appendEvents([event("u", "i", { eventId: "e" })])).duplicates).toBe(1);
    await again.close();
  });

  it("runs in WAL mode and carries the Kindred identity and schema version", async () => {
    const path = freshPath();
    await (await openStore(path)).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("application_id", { simple: true })).toBe(0x4b4e4452);
    expect(db.pragma("user_version", { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    db.close();
    const store = await openStore(path);
    expect(store.url).toBe(`sqlite:${path}`);
    await store.close();
  });

  it("refuses a file that is not SQLite, leaving it byte-identical", async () => {
    const path = freshPath();
    writeFileSync(path, "user,item,rating\n1,2,5\n");
    const before = readFileSync(path);
    await expect(openStore(path)).rejects.toThrow(`"${path}" is not a Kindred database (not a SQLite database file)`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("refuses another application's SQLite database, leaving it byte-identical", async () => {
    const path = freshPath();
    const other = new Database(path);
    other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')");
    other.close();
    const before = readFileSync(path);
    const error = await openStore(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(new RegExp(`^"${path}" is not a Kindred database \\(.*application`));
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("refuses a Kindred database of a newer schema version, leaving it untouched", async () => {
    const path = freshPath();
    await (await openStore(path)).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.pragma("journal_mode = DELETE");
    db.close();
    const before = readFileSync(path);
    await expect(openStore(path)).rejects.toThrow(/newer Kindred \(schema version 2; this version knows up to 1\)/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("opens an empty file as a new store", async () => {
    const path = freshPath();
    writeFileSync(path, "");
    const store = await openStore(path);
    expect((await store.stats()).events).toBe(0);
    await store.close();
  });

  it("names a missing parent directory", async () => {
    const path = join(dir, "no", "such", "dir", "k.db");
    await expect(openStore(path)).rejects.toThrow(/cannot create .* the directory ".*dir" does not exist/);
  });

  it("sees events another connection appended, and recovers a cache gone stale by its delete", async () => {
    const path = freshPath();
    const a = await openStore(path);
    const b = await openStore(path);
    await a.appendEvents([event("shared", "i")]);
    await b.deleteCustomer("shared"); // a's cached rowid of "shared" is stale now
    const r = await a.appendEvents([event("shared", "i", { value: 2 })]);
    expect(r.appended).toBe(1);
    expect((await b.customerEvents("shared")).map((e) => e.value)).toEqual([2]);
    expect((await b.forgottenSince()).map((f) => f.customer)).toEqual(["shared"]);
    await a.close();
    await b.close();
  });

  it("keeps every acknowledged append when the writer is killed with SIGKILL", async () => {
    const path = freshPath();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", fileURLToPath(new URL("fixtures/append-until-killed.ts", import.meta.url)), path],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const acknowledged = await new Promise<number>((resolve, reject) => {
      let last = 0;
      let buffer = "";
      child.on("error", reject);
      child.on("exit", (code) => (code === null ? resolve(last) : reject(new Error(`writer exited with ${code}`))));
      child.stdout.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines) last = Number(line);
        if (last >= 2000) child.kill("SIGKILL"); // mid-stream: the writer is inside its next append
      });
    });
    expect(acknowledged).toBeGreaterThanOrEqual(2000);
    const store = await openStore(path);
    const { lastSeq, events } = await store.stats();
    expect(lastSeq).toBeGreaterThanOrEqual(acknowledged);
    expect(events).toBe(lastSeq); // whole batches only: no half-written append survived
    expect(events % 100).toBe(0);
    await store.close();
  });

  it("rebuilds the event indexes after a bulk append exactly as the schema defines them, or not at all", async () => {
    const path = freshPath();
    const indexes = () => {
      const db = new Database(path, { readonly: true });
      const rows = db
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events' ORDER BY name")
        .all();
      db.close();
      return rows;
    };
    const store = await openStore(path);
    const schema = indexes();
    expect(schema.map((r) => (r as { name: string }).name)).toEqual(["events_customer_seq", "events_event_id"]);
    const big = Array.from({ length: 12_000 }, (_, k) =>
      event(`u${k % 97}`, `i${k % 301}`, { eventId: `bulk-${k % 11_000}` }),
    );
    const first = await store.appendEvents(big);
    expect(first).toMatchObject({ appended: 11_000, duplicates: 1000 });
    expect(indexes()).toEqual(schema);
    // A failing bulk append (bad type in its last row) rolls back the dropped indexes with its rows.
    const more = [...big.map((e, k) => ({ ...e, eventId: `more-${k}` })), event("u", "i", { type: "nope" as never })];
    await expect(store.appendEvents(more)).rejects.toBeInstanceOf(StoreError);
    expect(indexes()).toEqual(schema);
    expect((await store.stats()).events).toBe(11_000);
    const again = await store.appendEvents(big);
    expect(again).toMatchObject({ appended: 0, duplicates: 12_000 });
    const kept = Array.from({ length: 11_000 }, (_, k) => k).filter((k) => k % 97 === 5);
    expect((await store.customerEvents("u5")).map((e) => e.eventId)).toEqual(kept.map((k) => `bulk-${k}`));
    await store.close();
  });

  it("wraps driver failures in a StoreError naming the operation and the cause", async () => {
    const store = await openStore(":memory:");
    const error = await store.appendEvents([event("u", "i", { type: "nope" as never })]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^appendEvents on sqlite::memory: failed: CHECK constraint failed/);
    expect((error as Error).cause).toBeInstanceOf(Error);
    await store.close();
  });
});

describe("openStore targets", () => {
  it("chooses the driver by scheme", () => {
    expect(parseStoreTarget("kindred.db")).toEqual({ driver: "sqlite", path: "kindred.db" });
    expect(parseStoreTarget("/var/lib/k.db")).toEqual({ driver: "sqlite", path: "/var/lib/k.db" });
    expect(parseStoreTarget("sqlite:data/k.db")).toEqual({ driver: "sqlite", path: "data/k.db" });
    expect(parseStoreTarget("file:k.db")).toEqual({ driver: "sqlite", path: "k.db" });
    expect(parseStoreTarget("file:///tmp/k.db")).toEqual({ driver: "sqlite", path: "/tmp/k.db" });
    expect(parseStoreTarget(":memory:")).toEqual({ driver: "sqlite", path: ":memory:" });
    expect(parseStoreTarget("sqlite::memory:")).toEqual({ driver: "sqlite", path: ":memory:" });
    expect(parseStoreTarget("C:\\data\\k.db")).toEqual({ driver: "sqlite", path: "C:\\data\\k.db" });
    expect(parseStoreTarget("postgres://u@h/db")).toEqual({ driver: "postgres", url: "postgres://u@h/db" });
    expect(parseStoreTarget("postgresql://u@h/db")).toEqual({ driver: "postgres", url: "postgresql://u@h/db" });
  });

  it("refuses an unknown scheme or an empty target with a ValidationError on store", async () => {
    const error = await openStore("mysql://root:secret@h/db").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("store");
    expect((error as Error).message).toMatch(/unknown scheme "mysql:"/);
    expect((error as Error).message).not.toMatch(/secret/);
    await expect(openStore("  ")).rejects.toBeInstanceOf(ValidationError);
  });
});
