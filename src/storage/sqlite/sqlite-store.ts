/**
 * The SQLite driver of the Store (better-sqlite3: synchronous, in-process).
 * Every method runs through `call`, which refuses use after close and wraps
 * driver errors in a StoreError naming the operation and the file. Every
 * multi-row write is one IMMEDIATE transaction.
 */
import type Database from "better-sqlite3";
import { NotFoundError } from "../../core/errors.js";
import type { Customer, Domain, Item, NewEvent, StoredEvent } from "../../core/types.js";
import { closedError, conflict, wrapError } from "../shared/errors.js";
import {
  apiKeyFromRow,
  checkLimit,
  checkSeq,
  customerFromRow,
  domainFromRow,
  itemFromRow,
  lastByKey,
  modelFromRow,
  toJson,
} from "../shared/rows.js";
import type {
  ApiKey,
  AppendResult,
  Forgotten,
  ItemQuery,
  ModelInfo,
  NewApiKey,
  PageQuery,
  Store,
  StoreStats,
} from "../store.js";
import { connectSqlite } from "./connect.js";
import { SqliteEventLog } from "./event-log.js";

const ITEM_COLUMNS = "external_id, title, domain, categories, attributes, available";
const CUSTOMER_COLUMNS = "external_id, attributes, specs, created_at";
const MODEL_COLUMNS = "id, kind, created_at, active, trained_through_seq, meta, length(bytes)";
const KEY_COLUMNS = "id, name, hash, scopes, channel, customer, created_at, revoked_at";

type Row = unknown[];

/** Opens a SQLite store at `path` (a file, created if absent, or ":memory:"). */
export function openSqliteStore(path: string): SqliteStore {
  return new SqliteStore(connectSqlite(path), path === "" ? ":memory:" : path);
}

export class SqliteStore implements Store {
  readonly url: string;
  private readonly log: SqliteEventLog;
  private closed = false;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    path: string,
  ) {
    this.url = path === ":memory:" ? "sqlite::memory:" : `sqlite:${path}`;
    this.log = new SqliteEventLog(db);
  }

  private call<T>(operation: string, fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(closedError(this.url));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(wrapError(operation, this.url, error));
    }
  }

  /** Prepared once per SQL text: statements are cheap to keep and costly to re-prepare. */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private rows(sql: string, ...params: unknown[]): Row[] {
    return this.stmt(sql)
      .raw(true)
      .all(...params) as Row[];
  }

  private row(sql: string, ...params: unknown[]): Row | undefined {
    return this.stmt(sql)
      .raw(true)
      .get(...params) as Row | undefined;
  }

  private value(sql: string, ...params: unknown[]): unknown {
    return this.stmt(sql)
      .pluck(true)
      .get(...params);
  }

  private write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
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

  customerEvents(customerId: string): Promise<StoredEvent[]> {
    return this.call("customerEvents", () => this.log.customerEvents(customerId));
  }

  stats(): Promise<StoreStats> {
    return this.call("stats", () => {
      const r = this.row(
        "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM items), (SELECT count(*) FROM events)",
      )!;
      return { customers: Number(r[0]), items: Number(r[1]), events: Number(r[2]), lastSeq: this.log.lastSeq() };
    });
  }

  // Models

  saveModel(
    kind: string,
    bytes: Uint8Array,
    trainedThroughSeq: number,
    meta: Record<string, unknown> = {},
  ): Promise<ModelInfo> {
    return this.call("saveModel", () => {
      const blob = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const r = this.row(
        `INSERT INTO models (kind, created_at, active, trained_through_seq, meta, bytes) VALUES (?, ?, 0, ?, ?, ?)
         RETURNING ${MODEL_COLUMNS}`,
        kind,
        Date.now(),
        checkSeq(trainedThroughSeq, "trainedThroughSeq"),
        toJson(meta, "meta"),
        blob,
      )!;
      return modelFromRow(r);
    });
  }

  activateModel(id: number): Promise<void> {
    return this.call("activateModel", () => {
      this.write(() => {
        const kind = this.value("SELECT kind FROM models WHERE id = ?", id);
        if (kind === undefined) throw new NotFoundError("model", String(id));
        this.stmt("UPDATE models SET active = 0 WHERE kind = ? AND active = 1 AND id <> ?").run(kind, id);
        this.stmt("UPDATE models SET active = 1 WHERE id = ?").run(id);
      });
    });
  }

  listModels(kind?: string): Promise<ModelInfo[]> {
    return this.call("listModels", () =>
      (kind === undefined
        ? this.rows(`SELECT ${MODEL_COLUMNS} FROM models ORDER BY id DESC`)
        : this.rows(`SELECT ${MODEL_COLUMNS} FROM models WHERE kind = ? ORDER BY id DESC`, kind)
      ).map(modelFromRow),
    );
  }

  loadModel(id: number): Promise<{ info: ModelInfo; bytes: Uint8Array } | undefined> {
    return this.call("loadModel", () =>
      this.modelWithBytes(`SELECT ${MODEL_COLUMNS}, bytes FROM models WHERE id = ?`, id),
    );
  }

  activeModel(kind: string): Promise<{ info: ModelInfo; bytes: Uint8Array } | undefined> {
    return this.call("activeModel", () =>
      this.modelWithBytes(`SELECT ${MODEL_COLUMNS}, bytes FROM models WHERE kind = ? AND active = 1`, kind),
    );
  }

  private modelWithBytes(sql: string, param: unknown): { info: ModelInfo; bytes: Uint8Array } | undefined {
    const r = this.row(sql, param);
    if (r === undefined) return undefined;
    // A copy with its own ArrayBuffer at offset 0: typed-array views over it are aligned.
    return { info: modelFromRow(r), bytes: new Uint8Array(r[7] as Buffer) };
  }

  // Settings

  getSetting<T = unknown>(key: string): Promise<T | undefined> {
    return this.call("getSetting", () => {
      const text = this.value("SELECT value FROM settings WHERE key = ?", key) as string | undefined;
      return text === undefined ? undefined : (JSON.parse(text) as T);
    });
  }

  setSetting(key: string, value: unknown): Promise<void> {
    return this.call("setSetting", () => {
      if (value === undefined) {
        this.stmt("DELETE FROM settings WHERE key = ?").run(key);
        return;
      }
      this.stmt(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ).run(key, toJson(value, `settings.${key}`));
    });
  }

  // API keys

  createApiKey(key: NewApiKey): Promise<ApiKey> {
    return this.call("createApiKey", () => {
      try {
        const r = this.row(
          `INSERT INTO api_keys (${KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL) RETURNING ${KEY_COLUMNS}`,
          key.id,
          key.name,
          key.hash,
          toJson(key.scopes, "scopes"),
          key.channel,
          key.customer ?? null,
          key.createdAt,
        )!;
        return apiKeyFromRow(r);
      } catch (error) {
        const message = (error as Error).message;
        if (message.includes("api_keys.hash")) throw conflict("hash", "an API key with this hash already exists");
        if (message.includes("api_keys.id")) throw conflict("id", `API key "${key.id}" already exists`);
        throw error;
      }
    });
  }

  findApiKeyByHash(hash: string): Promise<ApiKey | undefined> {
    return this.call("findApiKeyByHash", () => {
      const r = this.row(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE hash = ? AND revoked_at IS NULL`, hash);
      return r && apiKeyFromRow(r);
    });
  }

  listApiKeys(): Promise<ApiKey[]> {
    return this.call("listApiKeys", () =>
      this.rows(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY rowid`).map(apiKeyFromRow),
    );
  }

  revokeApiKey(id: string): Promise<boolean> {
    return this.call("revokeApiKey", () => {
      const info = this.stmt("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(
        Date.now(),
        id,
      );
      return info.changes > 0;
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
