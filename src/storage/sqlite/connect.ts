/**
 * Opening a SQLite file as a Kindred store: refuse what is not ours without
 * touching it, refuse a newer schema, then set the pragmas and migrate.
 *
 * Order matters: every check reads only, so a foreign or newer file is left
 * byte-identical; the first write is the migration (one IMMEDIATE
 * transaction), and WAL mode is switched on after it.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { StoreError } from "../../core/errors.js";
import { APP_NAME, APPLICATION_ID, newerSchema, notKindred } from "../shared/identity.js";
import { latestVersion, pending } from "../shared/migrations.js";
import { SQLITE_MIGRATIONS } from "./migrations.js";

export const SQLITE_SCHEMA_VERSION = latestVersion(SQLITE_MIGRATIONS);
const MAGIC = "SQLite format 3\0";
const BUSY_TIMEOUT_MS = 5000;
const CACHE_KIB = 64 * 1024;

/** Opens (creating if absent) and migrates; throws StoreError naming the file and the reason. */
export function connectSqlite(path: string): Database.Database {
  const memory = path === ":memory:" || path === "";
  if (!memory) checkFile(path);
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    throw new StoreError(`cannot open "${path}": ${(error as Error).message}`, error);
  }
  try {
    checkIdentity(db, path);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma("foreign_keys = ON");
    // FULL: in WAL mode the log is fsynced at every commit, so an acknowledged write survives power loss.
    db.pragma("synchronous = FULL");
    // 64 MiB of page cache (default 2 MiB): a batch of appends dirties index pages all over the (customer, seq)
    // and event_id indexes; with the default cache they spill to the WAL mid-transaction and are written again.
    db.pragma(`cache_size = -${CACHE_KIB}`);
    migrate(db);
    if (!memory) {
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      if (mode !== "wal") throw new StoreError(`"${path}": could not switch to WAL mode (journal_mode is ${mode})`);
    }
    return db;
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError(`cannot open "${path}": ${(error as Error).message}`, error);
  }
}

/** Before SQLite sees the file: the directory exists, and a non-empty file starts with SQLite's magic. */
function checkFile(path: string): void {
  const absolute = resolve(path);
  if (!existsSync(dirname(absolute))) {
    throw new StoreError(`cannot create "${path}": the directory "${dirname(absolute)}" does not exist`);
  }
  if (!existsSync(absolute)) return;
  const stat = statSync(absolute);
  if (!stat.isFile()) throw notKindred(path, "not a regular file");
  if (stat.size === 0) return; // an empty file is an empty database: we initialise it
  const header = Buffer.alloc(MAGIC.length);
  const fd = openSync(absolute, "r");
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString("latin1") !== MAGIC) throw notKindred(path, "not a SQLite database file");
}

function checkIdentity(db: Database.Database, path: string): void {
  let appId: number;
  let version: number;
  let objects: number;
  try {
    appId = db.pragma("application_id", { simple: true }) as number;
    version = db.pragma("user_version", { simple: true }) as number;
    objects = db.prepare("SELECT count(*) FROM sqlite_schema").pluck().get() as number;
  } catch (error) {
    throw notKindred(path, (error as Error).message);
  }
  // A brand-new (or never-used) SQLite database: no identity yet, nothing in it.
  if (appId === 0 && version === 0 && objects === 0) return;
  if (appId !== APPLICATION_ID) {
    throw notKindred(
      path,
      appId === 0
        ? "a SQLite database of another application: no Kindred application_id"
        : `a SQLite database of another application: application_id 0x${(appId >>> 0).toString(16)}`,
    );
  }
  if (version > SQLITE_SCHEMA_VERSION) throw newerSchema(path, version, SQLITE_SCHEMA_VERSION);
  const hasMeta = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").pluck().get();
  const name = hasMeta ? db.prepare("SELECT value FROM meta WHERE key = 'app'").pluck().get() : undefined;
  if (name !== APP_NAME) throw notKindred(path, "its meta table does not name Kindred");
}

/** Applies pending migrations, each in one IMMEDIATE transaction (re-reading the version inside it). */
function migrate(db: Database.Database): void {
  for (const migration of pending(SQLITE_MIGRATIONS, db.pragma("user_version", { simple: true }) as number)) {
    db.transaction(() => {
      const current = db.pragma("user_version", { simple: true }) as number;
      if (current >= migration.version) return; // another process got here first
      for (const statement of migration.up) db.exec(statement);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
