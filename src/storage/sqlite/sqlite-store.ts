/**
 * The SQLite driver of the Store (better-sqlite3: synchronous, in-process).
 * Every method runs through GuardedStore's `call`, which refuses use after
 * close and wraps driver errors in a StoreError naming the operation and the
 * file. Every multi-row write is one IMMEDIATE transaction.
 */
import type Database from "better-sqlite3";
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
import { connectSqlite } from "./connect.js";
import { SqliteEventLog } from "./event-log.js";
import { SqliteRecords } from "./records.js";
import { type Row, Statements } from "./statements.js";

/** Opens a SQLite store at `path` (a file, created if absent, or ":memory:"). */
export function openSqliteStore(path: string): SqliteStore {
  return new SqliteStore(connectSqlite(path), path === "" ? ":memory:" : path);
}

/** Models, settings and API keys, and the closed check and error wrapping of every call: GuardedStore. */
export class SqliteStore extends GuardedStore implements Store {
  readonly url: string;
  private readonly log: SqliteEventLog;
  private readonly sql: Statements;
  protected readonly records: SqliteRecords;

  constructor(
    private readonly db: Database.Database,
    path: string,
  ) {
    super();
    this.url = path === ":memory:" ? "sqlite::memory:" : `sqlite:${path}`;
    this.log = new SqliteEventLog(db);
    this.sql = new Statements(db);
    this.records = new SqliteRecords(this.sql);
  }

  private rows(sql: string, ...params: unknown[]): Row[] {
    return this.sql.rows(sql, ...params);
  }

  private row(sql: string, ...params: unknown[]): Row | undefined {
    return this.sql.row(sql, ...params);
  }

  private value(sql: string, ...params: unknown[]): unknown {
    return this.sql.value(sql, ...params);
  }

  private stmt(sql: string): Database.Statement {
    return this.sql.stmt(sql);
  }

  private write<T>(fn: () => T): T {
    return this.sql.write(fn);
  }

  // Catalogue

  upsertDomains(domains: readonly Domain[]): Promise<void> {
    return this.call("upsertDomains", () => {
      const upsert = this.stmt(
        `INSERT INTO domains (name, scale_min, scale_max, scale_step) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET scale_min = excluded.scale_min, scale_max = excluded.scale_max,
           scale_step = excluded.scale_step`,
      );
      this.write(() => {
        for (const d of domains) upsert.run(d.name, d.scale.min, d.scale.max, d.scale.step);
      });
    });
  }

  getDomain(name: string): Promise<Domain | undefined> {
    return this.call("getDomain", () => {
      const r = this.row("SELECT name, scale_min, scale_max, scale_step FROM domains WHERE name = ?", name);
      return r && domainFromRow(r);
    });
  }

  listDomains(): Promise<Domain[]> {
    return this.call("listDomains", () =>
      this.rows("SELECT name, scale_min, scale_max, scale_step FROM domains ORDER BY name").map(domainFromRow),
    );
  }

  upsertItems(items: readonly Item[]): Promise<void> {
    return this.call("upsertItems", () => {
      const rows = lastByKey(items, (i) => i.id).map((i, k) => [
        i.id,
        i.title ?? null,
        i.domain,
        toJson(i.categories ?? [], `items[${k}].categories`),
        toJson(i.attributes ?? {}, `items[${k}].attributes`),
        i.available === false ? 0 : 1,
      ]);
      const domain = this.stmt(
        "INSERT INTO domains (name, scale_min, scale_max, scale_step) VALUES (?, 1, 5, 1) ON CONFLICT (name) DO NOTHING",
      );
      const upsert = this.stmt(
        `INSERT INTO items (${ITEM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (external_id) DO UPDATE SET title = excluded.title, domain = excluded.domain,
           categories = excluded.categories, attributes = excluded.attributes, available = excluded.available`,
      );
      this.write(() => {
        for (const r of rows) {
          domain.run(r[2]);
          upsert.run(...r);
        }
      });
    });
  }

  getItem(id: string): Promise<Item | undefined> {
    return this.call("getItem", () => {
      const r = this.row(`SELECT ${ITEM_COLUMNS} FROM items WHERE external_id = ?`, id);
      return r && itemFromRow(r);
    });
  }

  getItems(ids: readonly string[]): Promise<Item[]> {
    return this.call("getItems", () =>
      this.rows(
        `SELECT ${ITEM_COLUMNS} FROM items WHERE external_id IN (SELECT value FROM json_each(?))`,
        JSON.stringify(ids),
      ).map(itemFromRow),
    );
  }

  listItems(query: ItemQuery = {}): Promise<Item[]> {
    return this.call("listItems", () => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.domain !== undefined) {
        where.push("domain = ?");
        params.push(query.domain);
      }
      if (query.category !== undefined) {
        where.push("EXISTS (SELECT 1 FROM json_each(items.categories) WHERE value = ?)");
        params.push(query.category);
      }
      params.push(checkLimit(query.limit, "limit") ?? 100, checkLimit(query.offset, "offset") ?? 0);
      const filter = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
      return this.rows(`SELECT ${ITEM_COLUMNS} FROM items ${filter} ORDER BY id LIMIT ? OFFSET ?`, ...params).map(
        itemFromRow,
      );
    });
  }

  // Customers

  upsertCustomers(customers: readonly Customer[]): Promise<void> {
    return this.call("upsertCustomers", () => {
      const rows = lastByKey(customers, (c) => c.id).map((c, k) => [
        c.id,
        toJson(c.attributes ?? {}, `customers[${k}].attributes`),
        toJson(c.specs ?? {}, `customers[${k}].specs`),
        c.createdAt,
      ]);
      const upsert = this.stmt(
        `INSERT INTO customers (${CUSTOMER_COLUMNS}) VALUES (?, ?, ?, ?)
         ON CONFLICT (external_id) DO UPDATE SET attributes = excluded.attributes, specs = excluded.specs`,
      );
      this.write(() => {
        for (const r of rows) upsert.run(...r);
      });
    });
  }

  getCustomer(id: string): Promise<Customer | undefined> {
    return this.call("getCustomer", () => {
      const r = this.row(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE external_id = ?`, id);
      return r && customerFromRow(r);
    });
  }

  listCustomers(query: PageQuery = {}): Promise<Customer[]> {
    return this.call("listCustomers", () =>
      this.rows(
        `SELECT ${CUSTOMER_COLUMNS} FROM customers ORDER BY id LIMIT ? OFFSET ?`,
        checkLimit(query.limit, "limit") ?? 100,
        checkLimit(query.offset, "offset") ?? 0,
      ).map(customerFromRow),
    );
  }

  deleteCustomer(id: string): Promise<boolean> {
    return this.call("deleteCustomer", () => {
      const removed = this.write(() => {
        const rowid = this.value("SELECT id FROM customers WHERE external_id = ?", id);
        let changes = this.stmt("DELETE FROM api_keys WHERE customer = ?").run(id).changes;
        if (rowid !== undefined) {
          this.stmt("DELETE FROM events WHERE customer = ?").run(rowid);
          changes += this.stmt("DELETE FROM customers WHERE id = ?").run(rowid).changes;
        }
        if (changes === 0) return false;
        this.stmt("INSERT INTO tombstones (seq, customer, forgotten_at) VALUES (?, ?, ?)").run(
          this.log.nextSeqForTombstone(),
          id,
          Date.now(),
        );
        return true;
      });
      this.log.dropCustomer(id);
      return removed;
    });
  }

  forgottenSince(afterSeq = 0): Promise<Forgotten[]> {
    return this.call("forgottenSince", () => this.log.forgottenSince(checkSeq(afterSeq, "afterSeq")));
  }

  // The interaction log

  appendEvents(events: readonly NewEvent[]): Promise<AppendResult> {
    return this.call("appendEvents", () => this.log.append(events));
  }

  scanEvents(afterSeq = 0, limit?: number): Promise<StoredEvent[]> {
    return this.call("scanEvents", () =>
      this.log.scanEvents(checkSeq(afterSeq, "afterSeq"), checkLimit(limit, "limit")),
    );
  }

  scanEventColumns(afterSeq = 0, limit?: number): Promise<EventColumns> {
    return this.call("scanEventColumns", () =>
      this.log.scanEventColumns(checkSeq(afterSeq, "afterSeq"), checkLimit(limit, "limit")),
    );
  }

  customerEvents(customerId: string): Promise<StoredEvent[]> {
    return this.call("customerEvents", () => this.log.customerEvents(customerId));
  }

  customerVersion(customerId: string): Promise<CustomerVersion> {
    return this.call("customerVersion", () => {
      const r = this.row(
        `SELECT count(*), coalesce(max(seq), 0) FROM events
         WHERE customer = (SELECT id FROM customers WHERE external_id = ?)`,
        customerId,
      )!;
      return { events: Number(r[0]), lastSeq: Number(r[1]) };
    });
  }

  stats(): Promise<StoreStats> {
    return this.call("stats", () => {
      const r = this.row(
        "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM items), (SELECT count(*) FROM events)",
      )!;
      return { customers: Number(r[0]), items: Number(r[1]), events: Number(r[2]), lastSeq: this.log.lastSeq() };
    });
  }

  ping(): Promise<void> {
    return this.call("ping", () => {
      this.stmt("SELECT 1").get();
    });
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
    return Promise.resolve();
  }
}
