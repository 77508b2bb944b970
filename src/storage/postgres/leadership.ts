/**
 * Leadership among the processes sharing one PostgreSQL schema (`Store.lead`): a session-level advisory
 * lock per role, held on a connection of its own outside the pool (a pooled client's session, and with it
 * the lock, would serve any query and may be closed by the pool at will).
 *
 * Why an advisory lock rather than a lease row with an expiry: the server releases the lock the moment the
 * holder's session ends — a clean close, a crash or a killed process (its socket closes), a vanished host
 * (TCP keepalive, set to about a minute below) — so there are no clocks to agree on, no renewal writes, no
 * expiry to tune against the longest fit, and a follower takes over at its next try. The price: it needs a
 * real session, so the URL must reach PostgreSQL directly or through a session-pooling proxy, not a
 * transaction-pooling one (PgBouncer `pool_mode=transaction` would lend the lock's session to others).
 */
import pg from "pg";

/** Server-side keepalive of the session: a vanished host's locks are freed after about idle + interval × count s. */
const KEEPALIVE = { idle: 30, interval: 10, count: 3 } as const;
/** A connect or check that hangs longer than this (a half-open connection) gives the connection up. */
const TIMEOUT_MS = 10_000;

export class PostgresLeadership {
  private client: pg.Client | undefined;
  private readonly held = new Set<string>();
  /** Calls run one after another (each may connect, and a session's lock must not be taken twice). */
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  /** `s`: the quoted schema name (leadership is per schema). */
  constructor(
    private readonly connectionString: string,
    private readonly s: string,
  ) {}

  /** True while this process holds `role`; takes it when free. Rejects when the server cannot be reached. */
  lead(role: string): Promise<boolean> {
    const next = this.tail.then(() => this.tryLead(role));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async tryLead(role: string): Promise<boolean> {
    if (this.closed) return false;
    const client = this.client ?? (await this.connect());
    try {
      if (this.held.has(role)) {
        // A session lock lasts as long as its session: while this one answers, the role is still ours.
        // (Taking it again would stack a second hold on the same session, not check anything.)
        await client.query("SELECT 1");
        return true;
      }
      // The two-key form lives apart from the single-key lock migrations take (pg_locks objsubid 2 vs 1).
      const r = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok", [
        `kindred:${this.s}`,
        `lead:${role}`,
      ]);
      if (r.rows[0]?.ok === true) this.held.add(role);
      return this.held.has(role);
    } catch (error) {
      this.drop(client, true);
      throw error;
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      keepAlive: true,
      connectionTimeoutMillis: TIMEOUT_MS,
      query_timeout: TIMEOUT_MS,
      application_name: "kindred leadership",
    });
    // The session ended (server restart, network): the server released its locks, so forget them here too.
    // Without an "error" listener a lost connection would crash the process.
    client.on("error", () => this.drop(client, true));
    client.on("end", () => this.drop(client, false));
    try {
      await client.connect();
      await client.query(
        `SET tcp_keepalives_idle = ${KEEPALIVE.idle}; SET tcp_keepalives_interval = ${KEEPALIVE.interval};
         SET tcp_keepalives_count = ${KEEPALIVE.count}`,
      );
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    return client;
  }

  private drop(client: pg.Client, end: boolean): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.held.clear();
    if (end) client.end().catch(() => {});
  }

  /** Ends the session: every role held is released at once. */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    const client = this.client;
    this.client = undefined;
    this.held.clear();
    if (client) await client.end().catch(() => {});
  }
}
