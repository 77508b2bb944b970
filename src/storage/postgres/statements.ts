/**
 * How the PostgreSQL driver talks to the server: parameterised SQL with rows
 * as arrays, on the pool or on one client inside a transaction.
 */
import type pg from "pg";

export type Row = unknown[];
export type Query = (text: string, values?: unknown[]) => Promise<Row[]>;

/** Runs SQL on a pool or one client, rows as arrays. */
export function arrayQuery(client: pg.ClientBase | pg.Pool): Query {
  return async (text, values) => (await client.query({ text, values: values ?? [], rowMode: "array" })).rows;
}

export class Statements {
  readonly query: Query;

  constructor(private readonly pool: pg.Pool) {
    this.query = arrayQuery(pool);
  }

  async row(text: string, values: unknown[] = []): Promise<Row | undefined> {
    return (await this.query(text, values))[0];
  }

  /** `fn` in one transaction on one client: all of it commits or none of it. */
  async transaction<T>(fn: (query: Query) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(arrayQuery(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}
