/**
 * SQLite schema, as versioned migrations (see shared/migrations.ts). The
 * applied version is `PRAGMA user_version`; `PRAGMA application_id` and the
 * meta table say "this is a Kindred database". Never edit a released
 * migration: add the next one.
 *
 * Seqs: `events.seq` is AUTOINCREMENT, so a seq is never reused even after a
 * customer's events are deleted. Forget records (tombstones) draw their seq
 * from the same counter (`sqlite_sequence` row "events"), so the event log and
 * the forget log share one ordering.
 */
import { APP_NAME, APPLICATION_ID } from "../shared/identity.js";
import type { Migration } from "../shared/migrations.js";

/**
 * The indexes of the events table as the latest migration defines them, by name: a large append drops and
 * rebuilds them inside its transaction (event-log.ts). A migration that changes them must change this too
 * (test/storage/sqlite.test.ts compares it with a fresh schema).
 */
export const EVENT_INDEXES: ReadonlyMap<string, string> = new Map([
  ["events_event_id", "CREATE UNIQUE INDEX events_event_id ON events (event_id) WHERE event_id IS NOT NULL"],
  ["events_customer_seq", "CREATE INDEX events_customer_seq ON events (customer, seq)"],
]);

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    up: [
      `PRAGMA application_id = ${APPLICATION_ID}`,
      `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
      `INSERT INTO meta (key, value) VALUES ('app', '${APP_NAME}'), ('created_at', CAST(unixepoch('subsec') * 1000 AS INTEGER))`,
      `CREATE TABLE domains (
        name TEXT PRIMARY KEY,
        scale_min REAL NOT NULL,
        scale_max REAL NOT NULL,
        scale_step REAL NOT NULL,
        CHECK (scale_max > scale_min AND scale_step > 0)
      )`,
      `INSERT INTO domains (name, scale_min, scale_max, scale_step) VALUES ('default', 1, 5, 1)`,
      `CREATE TABLE items (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        external_id TEXT NOT NULL UNIQUE,
        title TEXT,
        domain TEXT NOT NULL REFERENCES domains (name),
        categories TEXT NOT NULL DEFAULT '[]',
        attributes TEXT NOT NULL DEFAULT '{}',
        available INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1))
      )`,
      `CREATE INDEX items_domain ON items (domain)`,
      `CREATE TABLE customers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        external_id TEXT NOT NULL UNIQUE,
        attributes TEXT NOT NULL DEFAULT '{}',
        specs TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL
      )`,
      `CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        customer INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        item INTEGER NOT NULL REFERENCES items (id),
        type TEXT NOT NULL CHECK (type IN ('rating', 'purchase', 'view', 'like', 'dislike')),
        value REAL,
        quantity REAL,
        amount REAL,
        ts INTEGER NOT NULL,
        channel TEXT NOT NULL,
        event_id TEXT
      )`,
      `CREATE UNIQUE INDEX events_event_id ON events (event_id) WHERE event_id IS NOT NULL`,
      `CREATE INDEX events_customer_seq ON events (customer, seq)`,
      `CREATE TABLE tombstones (seq INTEGER PRIMARY KEY, customer TEXT NOT NULL, forgotten_at INTEGER NOT NULL)`,
      `CREATE TABLE models (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
        trained_through_seq INTEGER NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}',
        bytes BLOB NOT NULL
      )`,
      `CREATE UNIQUE INDEX models_one_active ON models (kind) WHERE active = 1`,
      `CREATE INDEX models_kind ON models (kind, id)`,
      `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
      `CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        channel TEXT NOT NULL,
        customer TEXT,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      )`,
      `CREATE INDEX api_keys_customer ON api_keys (customer)`,
    ],
  },
];
