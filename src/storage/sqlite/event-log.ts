/**
 * The SQLite interaction log: appends, scans and forgets. Split from the store
 * class because it owns the hot paths.
 *
 * - Events hold integer rowids of customers and items; `RowNames` maps them
 *   to external ids in memory (see row-names.ts for why that is safe).
 * - Appends insert CHUNK rows per statement and find duplicate eventIds
 *   before inserting (AUTOINCREMENT would burn a seq on an ignored row), so
 *   seqs are dense and `lastSeq` is the last event's or forget's.
 * - Scans read pages of PAGE events as one JSON array built by SQLite and
 *   parsed by V8: two native calls per page instead of ten values per row.
 *   SQLite (≥ 3.43) prints REALs so that they read back bit-identical.
 */
import type Database from "better-sqlite3";
import type { NewEvent, StoredEvent } from "../../core/types.js";
import { eventFromRow } from "../shared/rows.js";
import type { AppendResult, EventColumns, Forgotten } from "../store.js";
import { SqliteEventColumns } from "./event-columns.js";
import { EVENT_INDEXES } from "./migrations.js";
import { RowNames } from "./row-names.js";

const CHUNK = 500; // rows per INSERT (9 parameters each; SQLite allows 32766): fewer native calls per batch
const PAGE = 50_000; // events per JSON page of a scan (bounds the size of one string)
const COLUMNS = "customer, item, type, value, quantity, amount, ts, channel, event_id";
const PLACEHOLDERS = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
const COMPACT_PLACEHOLDERS = "(?, ?, @type, ?, NULL, NULL, ?, @channel, ?)";
/** Below this many rows an append never rebuilds the event indexes. */
const BULK_ROWS = 5000;

export class SqliteEventLog {
  private readonly customers: RowNames;
  private readonly items: RowNames;
  private readonly findCustomer: Database.Statement<[string], number>;
  private readonly insertCustomer: Database.Statement<[string, number], number>;
  private readonly findItem: Database.Statement<[string], number>;
  private readonly insertItem: Database.Statement<[string], number>;
  private readonly insertOne: Database.Statement;
  private readonly insertChunk: Database.Statement;
  private readonly compactOne: Database.Statement;
  private readonly compactChunk: Database.Statement;
  private readonly hasEventId: Database.Statement<[string], number>;
  private readonly anyEventId: Database.Statement<[], number>;
  private readonly lastSeqStatement: Database.Statement<[], number>;
  private readonly page: Database.Statement<[number, number], string>;
  private readonly ofCustomer: Database.Statement<[string], unknown[]>;
  private readonly tombstones: Database.Statement<[number], Forgotten>;
  private readonly appendAll: (events: readonly NewEvent[]) => number;
  private readonly scanAll: (afterSeq: number, limit: number) => StoredEvent[];
  private readonly scanColumns: (afterSeq: number, limit: number | undefined) => EventColumns;

  constructor(private readonly db: Database.Database) {
    this.customers = new RowNames(db, "customers");
    this.items = new RowNames(db, "items");
    this.findCustomer = db.prepare<[string], number>("SELECT id FROM customers WHERE external_id = ?").pluck();
    this.insertCustomer = db
      .prepare<[string, number], number>("INSERT INTO customers (external_id, created_at) VALUES (?, ?) RETURNING id")
      .pluck();
    this.findItem = db.prepare<[string], number>("SELECT id FROM items WHERE external_id = ?").pluck();
    this.insertItem = db
      .prepare<[string], number>("INSERT INTO items (external_id, domain) VALUES (?, 'default') RETURNING id")
      .pluck();
    // No ON CONFLICT clause: duplicates are dropped before inserting, and the statements must stay valid
    // while a bulk append has dropped the event_id index.
    const insert = (rows: number) =>
      db.prepare(`INSERT INTO events (${COLUMNS}) VALUES ${Array(rows).fill(PLACEHOLDERS).join(", ")}`);
    this.insertOne = insert(1);
    this.insertChunk = insert(CHUNK);
    // A batch of one type and one channel without quantities or amounts (an import of ratings): those are bound
    // once per statement, 5 values per row instead of 9 (binding is a quarter of an INSERT's cost here).
    const compact = (rows: number) =>
      db.prepare(`INSERT INTO events (${COLUMNS}) VALUES ${Array(rows).fill(COMPACT_PLACEHOLDERS).join(", ")}`);
    this.compactOne = compact(1);
    this.compactChunk = compact(CHUNK);
    this.hasEventId = db.prepare<[string], number>("SELECT 1 FROM events WHERE event_id = ?").pluck();
    this.anyEventId = db.prepare<[], number>("SELECT EXISTS (SELECT 1 FROM events WHERE event_id IS NOT NULL)").pluck();
    this.lastSeqStatement = db
      .prepare<[], number>("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)")
      .pluck();
    this.page = db
      .prepare<[number, number], string>(
        `SELECT json_group_array(json_array(seq, ${COLUMNS}) ORDER BY seq)
         FROM (SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?)`,
      )
      .pluck();
    this.ofCustomer = db
      .prepare<[string], unknown[]>(
        `SELECT e.seq, c.external_id, i.external_id, e.type, e.value, e.quantity, e.amount, e.ts, e.channel, e.event_id
         FROM customers c JOIN events e ON e.customer = c.id JOIN items i ON i.id = e.item
         WHERE c.external_id = ? ORDER BY e.seq`,
      )
      .raw();
    this.tombstones = db.prepare<[number], Forgotten>(
      "SELECT seq, customer FROM tombstones WHERE seq > ? ORDER BY seq",
    );
    const appendAll = db.transaction((events: readonly NewEvent[]) => this.insertAll(events));
    this.appendAll = (events) => appendAll.immediate(events);
    // One read transaction: every page and every name refresh see the same snapshot.
    this.scanAll = db.transaction((afterSeq: number, limit: number) => this.readPages(afterSeq, limit));
    const columns = new SqliteEventColumns(db, this.customers, this.items);
    this.scanColumns = db.transaction((afterSeq: number, limit: number | undefined) => columns.read(afterSeq, limit));
  }

  lastSeq(): number {
    return this.lastSeqStatement.get() ?? 0;
  }

  append(events: readonly NewEvent[]): AppendResult {
    if (events.length === 0) return { appended: 0, duplicates: 0, lastSeq: this.lastSeq() };
    let appended: number;
    try {
      appended = this.appendAll(events);
    } catch (error) {
      this.resetNames();
      if ((error as { code?: string }).code !== "SQLITE_CONSTRAINT_FOREIGNKEY") throw error;
      appended = this.appendAll(events); // a cached rowid went stale under us: once more, from the tables
    }
    return { appended, duplicates: events.length - appended, lastSeq: this.lastSeq() };
  }

  scanEvents(afterSeq: number, limit: number | undefined): StoredEvent[] {
    if (limit === 0) return [];
    try {
      return this.scanAll(afterSeq, limit ?? Number.POSITIVE_INFINITY);
    } catch (error) {
      this.resetNames();
      throw error;
    }
  }

  scanEventColumns(afterSeq: number, limit: number | undefined): EventColumns {
    try {
      return this.scanColumns(afterSeq, limit);
    } catch (error) {
      this.resetNames();
      throw error;
    }
  }

  customerEvents(customer: string): StoredEvent[] {
    return this.ofCustomer.all(customer).map(eventFromRow);
  }

  /** Inside the caller's transaction: takes the next seq of the shared counter for a forget record. */
  nextSeqForTombstone(): number {
    const seq = this.lastSeq() + 1;
    const updated = this.db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").run(seq);
    if (updated.changes === 0) this.db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?)").run(seq);
    return seq;
  }

  forgottenSince(afterSeq: number): Forgotten[] {
    return this.tombstones.all(afterSeq);
  }

  /** After this process deleted a customer. */
  dropCustomer(customer: string): void {
    this.customers.drop(customer);
  }

  private resetNames(): void {
    this.customers.reset();
    this.items.reset();
  }

  private insertAll(events: readonly NewEvent[]): number {
    const seenIds = new Set<string>();
    // No stored eventId yet (a first import): only repeats within the batch can be duplicates.
    const lookUp = this.anyEventId.get() === 1;
    const shared = uniformShape(events);
    const width = shared ? 5 : 9; // values bound per row
    const chunks: unknown[][] = [];
    let args: unknown[] = [];
    for (let k = 0; k < events.length; k++) {
      const e = events[k]!;
      const eventId = e.eventId ?? null;
      if (eventId !== null) {
        if (seenIds.has(eventId) || (lookUp && this.hasEventId.get(eventId) !== undefined)) continue;
        seenIds.add(eventId);
      }
      const customer = this.customerId(e.customer, e.timestamp);
      const item = this.itemId(e.item);
      if (shared) args.push(customer, item, e.value ?? null, e.timestamp, eventId);
      else {
        args.push(
          customer,
          item,
          e.type,
          e.value ?? null,
          e.quantity ?? null,
          e.amount ?? null,
          e.timestamp,
          e.channel,
          eventId,
        );
      }
      if (args.length === CHUNK * width) {
        chunks.push(args);
        args = [];
      }
    }
    const rows = chunks.length * CHUNK + args.length / width;
    // A batch at least as large as the log: build the two event indexes once, after the rows (sorting their
    // keys), instead of inserting every key at a random place. Same transaction: readers never see them missing.
    const rebuild = rows >= BULK_ROWS && rows >= this.lastSeq();
    if (rebuild) for (const name of EVENT_INDEXES.keys()) this.db.exec(`DROP INDEX ${name}`);
    let appended = 0;
    if (shared) {
      for (const chunk of chunks) appended += this.compactChunk.run(chunk, shared).changes;
      for (let r = 0; r < args.length; r += 5) appended += this.compactOne.run(args.slice(r, r + 5), shared).changes;
    } else {
      for (const chunk of chunks) appended += this.insertChunk.run(chunk).changes;
      for (let r = 0; r < args.length; r += 9) appended += this.insertOne.run(args.slice(r, r + 9)).changes;
    }
    if (rebuild) for (const sql of EVENT_INDEXES.values()) this.db.exec(sql);
    return appended;
  }

  private readPages(afterSeq: number, limit: number): StoredEvent[] {
    const out: StoredEvent[] = [];
    let after = afterSeq;
    while (out.length < limit) {
      const want = Math.min(PAGE, limit - out.length);
      const rows = JSON.parse(this.page.get(after, want) ?? "[]") as unknown[][];
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        r[1] = this.customers.name(r[1] as number);
        r[2] = this.items.name(r[2] as number);
        out.push(eventFromRow(r));
      }
      if (rows.length < want) break;
      after = out[out.length - 1]!.seq;
    }
    return out;
  }

  private customerId(external: string, timestamp: number): number {
    let id = this.customers.id(external);
    if (id === undefined) {
      id = this.findCustomer.get(external) ?? this.insertCustomer.get(external, timestamp)!;
      this.customers.add(id, external);
    }
    return id;
  }

  private itemId(external: string): number {
    let id = this.items.id(external);
    if (id === undefined) {
      id = this.findItem.get(external) ?? this.insertItem.get(external)!;
      this.items.add(id, external);
    }
    return id;
  }
}

/** The type and channel every event of the batch shares when none has a quantity or an amount; else undefined. */
function uniformShape(events: readonly NewEvent[]): { type: string; channel: string } | undefined {
  const first = events[0];
  if (first === undefined) return undefined;
  const { type, channel } = first;
  for (let k = 0; k < events.length; k++) {
    const e = events[k]!;
    if (e.type !== type || e.channel !== channel || e.quantity != null || e.amount != null) return undefined;
  }
  return { type, channel };
}
