/**
 * PostgreSQL test scaffolding: the server named by KINDRED_TEST_PG (tests skip loudly when it is unset),
 * fresh random schemas a test file records and drops afterwards, URLs that select one, and a short-lived
 * admin client for set-up and clean-up queries.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server PostgreSQL tests run against, or undefined when they skip. */
export const PG: string | undefined = process.env.KINDRED_TEST_PG || undefined;

const EXAMPLE = "postgres://postgres@127.0.0.1:5432/test";

/** Says loudly that the tests described by `what` are skipped, when KINDRED_TEST_PG is unset; quiet otherwise. */
export function warnSkipped(what: string): void {
  if (PG) return;
  console.warn(`\n*** SKIPPED: ${what} (set KINDRED_TEST_PG, e.g. ${EXAMPLE}) ***\n`);
}

function server(): string {
  if (!PG) throw new Error(`KINDRED_TEST_PG is not set: a PostgreSQL test ran that should have skipped`);
  return PG;
}

/** The test server's URL selecting `schema`; a query string already in KINDRED_TEST_PG is kept. */
export function urlFor(schema: string): string {
  const url = new URL(server());
  url.searchParams.set("schema", schema);
  return url.toString();
}

/** Runs `fn` with a client of its own on the test server, closed afterwards whatever `fn` does. */
export async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Fresh schema names for one test file: `<prefix>_<random run id>_<n>`, each recorded so `drop()` can remove
 * them (CASCADE) however the tests ended. One instance per file keeps files that run at once apart.
 */
export class TestSchemas {
  private readonly run = randomBytes(4).toString("hex");
  private counter = 0;
  private readonly recorded: string[] = [];

  constructor(private readonly prefix: string) {
    if (!IDENTIFIER.test(prefix)) {
      throw new Error(`TestSchemas prefix "${prefix}" must be lower-case letters, digits and _`);
    }
  }

  /** A new schema name, recorded for `drop()`; nothing is created on the server. */
  fresh(): string {
    const name = `${this.prefix}_${this.run}_${++this.counter}`;
    this.recorded.push(name);
    return name;
  }

  /** Drops every schema recorded so far and forgets them; nothing to do when none were or PG is unset. (A bound
   *  function, so it can be handed to afterAll / afterEach as it is.) */
  readonly drop = async (): Promise<void> => {
    const names = this.recorded.splice(0);
    if (names.length === 0 || !PG) return;
    await admin(async (client) => {
      for (const name of names) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    });
  };
}
