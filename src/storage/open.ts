/**
 * `openStore(target)`: the one place that chooses a driver, by scheme.
 *
 *   ./kindred.db, /abs/path.db, sqlite:PATH, file:PATH, file:///abs, :memory:  → SQLite
 *   postgres://…, postgresql://…  (optional ?schema=name, default "kindred")    → PostgreSQL
 *
 * The PostgreSQL driver is imported dynamically, so SQLite users never load `pg`.
 */
import { fileURLToPath } from "node:url";
import { KindredError, StoreError, ValidationError } from "../core/errors.js";
import { redact } from "./shared/redact.js";
import type { Store } from "./store.js";

export { redact };

export type StoreTarget = { driver: "sqlite"; path: string } | { driver: "postgres"; url: string };

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/** Which driver a target names, and its path or URL; ValidationError("store") for an unknown scheme. */
export function parseStoreTarget(target: string): StoreTarget {
  const text = target.trim();
  if (text.length === 0)
    throw new ValidationError("store", "is empty (give a file path, sqlite:PATH or postgres://URL)");
  if (text === ":memory:") return { driver: "sqlite", path: ":memory:" };
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  // One letter before ":" is a Windows drive (C:\data\kindred.db), not a scheme.
  if (scheme === undefined || scheme.length === 1) return { driver: "sqlite", path: text };
  const rest = text.slice(scheme.length + 1);
  switch (scheme) {
    case "sqlite":
    case "file":
      if (rest.startsWith("//")) return { driver: "sqlite", path: fileURLToPath(`file:${rest}`) };
      if (rest.length === 0) throw new ValidationError("store", `"${target}" names no file`);
      return { driver: "sqlite", path: rest };
    case "postgres":
    case "postgresql":
      return { driver: "postgres", url: text };
    default:
      throw new ValidationError(
        "store",
        `unknown scheme "${scheme}:" in "${redact(target)}" (use a file path, sqlite:PATH, file:PATH, :memory: or postgres://URL)`,
      );
  }
}

/** Opens the store a target names, creating and migrating it if needed. */
export async function openStore(target: string): Promise<Store> {
  const parsed = parseStoreTarget(target);
  try {
    if (parsed.driver === "sqlite") {
      const { openSqliteStore } = await import("./sqlite/index.js");
      return openSqliteStore(parsed.path);
    }
    const { openPostgresStore } = await import("./postgres/index.js");
    return await openPostgresStore(parsed.url);
  } catch (error) {
    if (error instanceof KindredError) throw error;
    throw new StoreError(`cannot open store "${redact(target)}": ${(error as Error).message}`, error);
  }
}
