/**
 * The PostgreSQL driver of the Store, on a `pg` Pool. Parameterised SQL only
 * (identifiers are the schema name, checked in connect.ts). Every method runs
 * through GuardedStore's `call`, which refuses use after close and wraps driver
 * errors in a StoreError naming the operation and the (password-redacted) URL.
 * Every multi-row write is one transaction on one pooled client.
 */
import type pg from "pg";
import type { Customer, Domain, Item, NewEvent, StoredEvent } from "../../core/types.js";
import { GuardedStore } from "../shared/guarded-store.js";
import {
  CUSTOMER_COLUMNS,
  checkLimit,
  checkSeq,
  customerFromRow,
  domainFromRow,
  ITEM_COLUMNS,
  itemFromRow,
  lastByKey,
  toJson,
} from "../shared/rows.js";
import type {
  AppendResult,
  CustomerVersion,
  EventColumns,
  Forgotten,
  ItemQuery,
  PageQuery,
  Store,
  StoreStats,
} from "../store.js";
import { connectPostgres, type PostgresTarget, parsePostgresUrl, quoteIdentifier } from "./connect.js";
import { PostgresEventLog } from "./event-log.js";
import { PostgresLeadership } from "./leadership.js";
import { PostgresRecords } from "./records.js";
import { type Query, type Row, Statements } from "./statements.js";

/** Opens (creating and migrating the schema if needed) the store a postgres:// URL names. */
export async function openPostgresStore(url: string): Promise<PostgresStore> {
  const target = parsePostgresUrl(url);
  return new PostgresStore(await connectPostgres(target), target);
}

/** Models, settings and API keys, and the closed check and error wrapping of every call: GuardedStore. */
export class PostgresStore extends GuardedStore implements Store {
  readonly url: string;
  private readonly s: string;
  private readonly log: PostgresEventLog;
  private readonly sql: Statements;
  private readonly query: Query;
  protected readonly records: PostgresRecords;
  private readonly leadership: PostgresLeadership;

  constructor(
    private readonly pool: pg.Pool,
    target: PostgresTarget,
  ) {
    super();
    this.url = target.display;
    this.s = quoteIdentifier(target.schema);
    this.log = new PostgresEventLog(this.s);
    this.sql = new Statements(pool);
    this.query = this.sql.query;
    this.records = new PostgresRecords(this.sql, this.s);
    this.leadership = new PostgresLeadership(target.connectionString, this.s);
  }

  private transaction<T>(fn: (query: Query) => Promise<T>): Promise<T> {
    return this.sql.transaction(fn);
  }

  private row(text: string, values: unknown[]): Promise<Row | undefined> {
    return this.sql.row(text, values);
  }

  // Catalogue

  upsertDomains(domains: readonly Domain[]): Promise<void> {
    return this.call("upsertDomains", async () => {
      if (domains.length === 0) return;
      const list = lastByKey(domains, (d) => d.name);
      await this.query(
        `INSERT INTO ${this.s}.domains (name, scale_min, scale_max, scale_step)
         SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[])
         ON CONFLICT (name) DO UPDATE SET scale_min = excluded.scale_min, scale_max = excluded.scale_max,
           scale_step = excluded.scale_step`,
        [
          list.map((d) => d.name),
          list.map((d) => d.scale.min),
          list.map((d) => d.scale.max),
          list.map((d) => d.scale.step),
        ],
      );
    });
  }

  getDomain(name: string): Promise<Domain | undefined> {
    return this.call("getDomain", async () => {
      const r = await this.row(`SELECT name, scale_min, scale_max, scale_step FROM ${this.s}.domains WHERE name = $1`, [
        name,
      ]);
      return r && domainFromRow(r);
    });
  }

  listDomains(): Promise<Domain[]> {
    return this.call("listDomains", async () =>
      (await this.query(`SELECT name, scale_min, scale_max, scale_step FROM ${this.s}.domains ORDER BY name`)).map(
        domainFromRow,
      ),
    );
  }

  upsertItems(items: readonly Item[]): Promise<void> {
    return this.call("upsertItems", async () => {
      if (items.length === 0) return;
      const list = lastByKey(items, (i) => i.id);
      const columns = [
        list.map((i) => i.id),
        list.map((i) => i.title ?? null),
        list.map((i) => i.domain),
        list.map((i, k) => toJson(i.categories ?? [], `items[${k}].categories`)),
        list.map((i, k) => toJson(i.attributes ?? {}, `items[${k}].attributes`)),
        list.map((i) => i.available !== false),
      ];
      await this.transaction(async (query) => {
        await query(
          `INSERT INTO ${this.s}.domains (name, scale_min, scale_max, scale_step)
           SELECT DISTINCT d, 1, 5, 1 FROM unnest($1::text[]) AS t (d) ON CONFLICT (name) DO NOTHING`,
          [columns[2]],
        );
        await query(
          `INSERT INTO ${this.s}.items (${ITEM_COLUMNS})
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::boolean[])
           ON CONFLICT (external_id) DO UPDATE SET title = excluded.title, domain = excluded.domain,
             categories = excluded.categories, attributes = excluded.attributes, available = excluded.available`,
          columns,
        );
      });
    });
  }

  getItem(id: string): Promise<Item | undefined> {
    return this.call("getItem", async () => {
      const r = await this.row(`SELECT ${ITEM_COLUMNS} FROM ${this.s}.items WHERE external_id = $1`, [id]);
      return r && itemFromRow(r);
    });
  }

  getItems(ids: readonly string[]): Promise<Item[]> {
    return this.call("getItems", async () =>
      (await this.query(`SELECT ${ITEM_COLUMNS} FROM ${this.s}.items WHERE external_id = ANY($1::text[])`, [ids])).map(
        itemFromRow,
      ),
    );
  }

  listItems(query: ItemQuery = {}): Promise<Item[]> {
    return this.call("listItems", async () => {
      const limit = checkLimit(query.limit, "limit") ?? 100;
      const offset = checkLimit(query.offset, "offset") ?? 0;
      // A NULL filter matches everything: one statement for every combination of filters.
      const rows = await this.query(
        `SELECT ${ITEM_COLUMNS} FROM ${this.s}.items
         WHERE ($1::text IS NULL OR domain = $1) AND ($2::text IS NULL OR categories @> jsonb_build_array($2::text))
         ORDER BY id LIMIT $3 OFFSET $4`,
        [query.domain ?? null, query.category ?? null, limit, offset],
      );
      return rows.map(itemFromRow);
    });
  }

  // Customers

  upsertCustomers(customers: readonly Customer[]): Promise<void> {
    return this.call("upsertCustomers", async () => {
      if (customers.length === 0) return;
      const list = lastByKey(customers, (c) => c.id);
      await this.query(
        `INSERT INTO ${this.s}.customers (${CUSTOMER_COLUMNS})
         SELECT * FROM unnest($1::text[], $2::jsonb[], $3::jsonb[], $4::bigint[])
         ON CONFLICT (external_id) DO UPDATE SET attributes = excluded.attributes, specs = excluded.specs`,
        [
          list.map((c) => c.id),
          list.map((c, k) => toJson(c.attributes ?? {}, `customers[${k}].attributes`)),
          list.map((c, k) => toJson(c.specs ?? {}, `customers[${k}].specs`)),
          list.map((c) => c.createdAt),
        ],
      );
    });
  }

  getCustomer(id: string): Promise<Customer | undefined> {
    return this.call("getCustomer", async () => {
      const r = await this.row(`SELECT ${CUSTOMER_COLUMNS} FROM ${this.s}.customers WHERE external_id = $1`, [id]);
      return r && customerFromRow(r);
    });
  }

  listCustomers(query: PageQuery = {}): Promise<Customer[]> {
    return this.call("listCustomers", async () =>
      (
        await this.query(`SELECT ${CUSTOMER_COLUMNS} FROM ${this.s}.customers ORDER BY id LIMIT $1 OFFSET $2`, [
          checkLimit(query.limit, "limit") ?? 100,
          checkLimit(query.offset, "offset") ?? 0,
        ])
      ).map(customerFromRow),
    );
  }

  deleteCustomer(id: string): Promise<boolean> {
    return this.call("deleteCustomer", () => this.transaction((query) => this.log.forget(query, id)));
  }

  forgottenSince(afterSeq = 0): Promise<Forgotten[]> {
    return this.call("forgottenSince", () => this.log.forgottenSince(this.query, checkSeq(afterSeq, "afterSeq")));
  }

  // The interaction log

  appendEvents(events: readonly NewEvent[]): Promise<AppendResult> {
    return this.call("appendEvents", async () => {
      if (events.length === 0) return { appended: 0, duplicates: 0, lastSeq: await this.log.lastSeq(this.query) };
      return this.transaction((query) => this.log.append(query, events));
    });
  }

  scanEvents(afterSeq = 0, limit?: number): Promise<StoredEvent[]> {
    return this.call("scanEvents", () =>
      this.log.scan(this.query, checkSeq(afterSeq, "afterSeq"), checkLimit(limit, "limit")),
    );
  }

  scanEventColumns(afterSeq = 0, limit?: number): Promise<EventColumns> {
    return this.call("scanEventColumns", () =>
      this.log.scanColumns(this.query, checkSeq(afterSeq, "afterSeq"), checkLimit(limit, "limit")),
    );
  }

  customerEvents(customerId: string): Promise<StoredEvent[]> {
    return this.call("customerEvents", () => this.log.ofCustomer(this.query, customerId));
  }

  customerVersion(customerId: string): Promise<CustomerVersion> {
    return this.call("customerVersion", async () => {
      const r = (await this.row(
        `SELECT count(*), coalesce(max(seq), 0) FROM ${this.s}.events
         WHERE customer = (SELECT id FROM ${this.s}.customers WHERE external_id = $1)`,
        [customerId],
      ))!;
      return { events: Number(r[0]), lastSeq: Number(r[1]) };
    });
  }

  stats(): Promise<StoreStats> {
    return this.call("stats", async () => {
      const r = (await this.row(
        `SELECT (SELECT count(*) FROM ${this.s}.customers), (SELECT count(*) FROM ${this.s}.items),
           (SELECT count(*) FROM ${this.s}.events), (SELECT seq FROM ${this.s}.log_head WHERE id = 1)`,
        [],
      ))!;
      return { customers: Number(r[0]), items: Number(r[1]), events: Number(r[2]), lastSeq: Number(r[3]) };
    });
  }

  lead(role: string): Promise<boolean> {
    return this.call("lead", () => this.leadership.lead(role));
  }

  ping(): Promise<void> {
    return this.call("ping", async () => {
      await this.query("SELECT 1");
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Ending the leadership session releases its locks now: another process leads at its next try.
    await this.leadership.close();
    await this.pool.end();
  }
}
