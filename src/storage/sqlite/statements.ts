/**
 * A connection's statements, prepared once per SQL text (cheap to keep,
 * costly to re-prepare), with the row shapes the driver reads: arrays
 * (`raw`), single values (`pluck`), and IMMEDIATE write transactions.
 */
import type Database from "better-sqlite3";

export type Row = unknown[];

export class Statements {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  stmt(sql: string): Database.Statement {
    let statement = this.cache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  rows(sql: string, ...params: unknown[]): Row[] {
    return this.stmt(sql)
      .raw(true)
      .all(...params) as Row[];
  }

  row(sql: string, ...params: unknown[]): Row | undefined {
    return this.stmt(sql)
      .raw(true)
      .get(...params) as Row | undefined;
  }

  value(sql: string, ...params: unknown[]): unknown {
    return this.stmt(sql)
      .pluck(true)
      .get(...params);
  }

  run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.stmt(sql).run(...params);
  }

  /** `fn` in one IMMEDIATE transaction (takes the write lock up front: no deadlock on upgrade). */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}
