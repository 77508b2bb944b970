/**
 * What makes a database a Kindred database, for every driver: an identity
 * (SQLite: `PRAGMA application_id` + the meta table; PostgreSQL: the meta
 * table of the schema) and a schema version that only grows.
 */
import { StoreError } from "../../core/errors.js";

/** "KNDR" as a big-endian int32: SQLite's `PRAGMA application_id`. */
export const APPLICATION_ID = 0x4b4e4452;
/** The meta table's `app` row holds this. */
export const APP_NAME = "kindred";

/** A file or schema that exists but is not ours. Nothing has been written to it. */
export function notKindred(where: string, reason: string): StoreError {
  return new StoreError(`"${where}" is not a Kindred database (${reason})`);
}

/** A Kindred database written by a newer version of Kindred than this one. */
export function newerSchema(where: string, found: number, known: number): StoreError {
  return new StoreError(
    `"${where}" was written by a newer Kindred (schema version ${found}; this version knows up to ${known}): upgrade Kindred to open it`,
  );
}
