/**
 * The shape of a migration list, shared by every driver. Each driver keeps its
 * own dialect's statements in `<driver>/migrations.ts`; versions start at 1 and
 * grow by one. A database records the last version applied (SQLite:
 * `PRAGMA user_version`; PostgreSQL: the `kindred_migrations` table) and
 * applies the rest, each migration in one transaction.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Statements run in order inside one transaction. */
  readonly up: readonly string[];
}

/** The highest version in the list; throws if versions are not 1, 2, 3, ... */
export function latestVersion(migrations: readonly Migration[]): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration "${m.name}" has version ${m.version}, expected ${i + 1}`);
  });
  return migrations.length;
}

/** Migrations still to apply to a database at `current`. */
export function pending(migrations: readonly Migration[], current: number): readonly Migration[] {
  return migrations.filter((m) => m.version > current);
}
