/**
 * Opening a PostgreSQL schema as a Kindred store. `?schema=name` picks the
 * schema (default "kindred"); it is created if absent. Everything happens in
 * one transaction under an advisory lock on the schema: the identity and
 * version checks read first, so a foreign or newer schema is refused and the
 * transaction rolled back with nothing written; then pending migrations run.
 */
import pg from "pg";
import { StoreError, ValidationError } from "../../core/errors.js";
import { newerSchema, notKindred } from "../shared/identity.js";
import { latestVersion, pending } from "../shared/migrations.js";
import { redact } from "../shared/redact.js";
import { postgresMigrations } from "./migrations.js";

export const DEFAULT_SCHEMA = "kindred";
export const POSTGRES_SCHEMA_VERSION = latestVersion(postgresMigrations('"x"'));
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export interface PostgresTarget {
  /** The URL pg connects with (without `schema`). */
  readonly connectionString: string;
  readonly schema: string;
  /** The URL with its password redacted, for messages and `Store.url`. */
  readonly display: string;
}

export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new ValidationError("store", `"${redact(url)}" is not a valid PostgreSQL URL`, error);
  }
  const schema = parsed.searchParams.get("schema") ?? DEFAULT_SCHEMA;
  if (!IDENTIFIER.test(schema)) {
    throw new ValidationError("store", `schema "${schema}" must be letters, digits and _ (not starting with a digit)`);
  }
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.toString(), schema, display: redact(url) };
}

/** Double-quoted identifier; the name was checked against IDENTIFIER. */
export function quoteIdentifier(name: string): string {
  return `"${name}"`;
}

export async function connectPostgres(target: PostgresTarget): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: target.connectionString, max: 10 });
  // An idle client's connection error is emitted on the pool; without a listener it would crash the
  // process. The next query on that client fails and is reported through the normal path.
  pool.on("error", () => {});
  try {
    await migrate(pool, target);
    return pool;
  } catch (error) {
    await pool.end().catch(() => {});
    if (error instanceof StoreError || error instanceof ValidationError) throw error;
    throw new StoreError(`cannot open ${target.display}: ${(error as Error).message}`, error);
  }
}

async function migrate(pool: pg.Pool, target: PostgresTarget): Promise<void> {
  const { schema } = target;
  const s = quoteIdentifier(schema);
  const where = `${target.display} schema "${schema}"`;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`kindred:${schema}`]);
    const tables = new Set(
      (
        await client.query<{ name: string }>(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1",
          [schema],
        )
      ).rows.map((r) => r.name),
    );
    let current = 0;
    if (tables.size > 0) {
      if (!tables.has("meta") || !tables.has("kindred_migrations")) {
        throw notKindred(where, "the schema holds tables but no Kindred meta table");
      }
      const app = await client.query<{ value: string }>(`SELECT value FROM ${s}.meta WHERE key = 'app'`);
      if (app.rows[0]?.value !== "kindred") throw notKindred(where, "its meta table does not name Kindred");
      const version = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${s}.kindred_migrations`);
      current = version.rows[0]?.v ?? 0;
      if (current > POSTGRES_SCHEMA_VERSION) throw newerSchema(where, current, POSTGRES_SCHEMA_VERSION);
    }
    const todo = pending(postgresMigrations(s), current);
    if (todo.length > 0) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.kindred_migrations (
           version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      for (const migration of todo) {
        for (const statement of migration.up) await client.query(statement);
        await client.query(`INSERT INTO ${s}.kindred_migrations (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
      }
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
