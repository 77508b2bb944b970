/**
 * The SQLite interaction log: appends, scans and forgets. Split from the store
 * class because it owns the hot paths and the ext-id → rowid caches.
 *
 * Caches: customers and items are referred to by integer rowids in `events`.
 * Appends resolve external ids through two Maps, filled on first use. Rowids
 * are AUTOINCREMENT, never reused, so a stale entry (a customer forgotten by
 * another process) can only fail the FOREIGN KEY check, never point at the
 * wrong customer: on that failure the caches are dropped and the batch is
 * retried once. Any failed transaction also drops them (it may have cached
 * rowids of rows it created and then rolled back).
 *
 * Seqs are dense: duplicates are found before inserting (AUTOINCREMENT would
 * burn a seq on an ignored row), so `lastSeq` is the last event's or forget's.
 */
import type Database from "better-sqlite3";
import type { NewEvent, StoredEvent } from "../../core/types.js";
import { eventFromRow } from "../shared/rows.js";
import type { AppendResult, Forgotten } from "../store.js";

const EVENT_COLUMNS = `e.seq, c.external_id, i.external_id, e.type, e.value, e.quantity, e.amount, e.ts, e.channel, e.event_id`;

export class SqliteEventLog {
  private readonly customerIds = new Map<string, number>();
  private readonly itemIds = new Map<string, number>();
  private readonly findCustomer: Database.Statement<[string], number>;
  private readonly insertCustomer: Database.Statement<[string, number], number>;
  private readonly findItem: Database.Statement<[string], number>;
  private readonly insertItem: Database.Statement<[string], number>;
  private readonly insertEvent: Database.Statement;
  private readonly hasEventId: Database.Statement<[string], number>;
  private readonly lastSeqStatement: Database.Statement<[], number>;
  private readonly scan: Database.Statement<[number, number], unknown[]>;
  private readonly ofCustomer: Database.Statement<[string], unknown[]>;
  private readonly appendAll: (events: readonly NewEvent[]) => number;

  constructor(private readonly db: Database.Database) {
    this.findCustomer = db.prepare<[string], number>("SELECT id FROM customers WHERE external_id = ?").pluck();
    this.insertCustomer = db
      .prepare<[string, number], number>("INSERT INTO customers (external_id, created_at) VALUES (?, ?) RETURNING id")
      .pluck();
    this.findItem = db.prepare<[string], number>("SELECT id FROM items WHERE external_id = ?").pluck();
    this.insertItem = db
      .prepare<[string], number>("INSERT INTO items (external_id, domain) VALUES (?, 'default') RETURNING id")
      .pluck();
    this.insertEvent = db.prepare(
      `INSERT INTO events (customer, item, type, value, quantity, amount, ts, channel, event_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (event_id) WHERE event_id IS NOT NULL DO NOTHING`,
    );
    this.hasEventId = db.prepare<[string], number>("SELECT 1 FROM events WHERE event_id = ?").pluck();
    this.lastSeqStatement = db
      .prepare<[], number>("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)")
      .pluck();
    // LIMIT -1 is "no limit" in SQLite.
    this.scan = db
      .prepare<[number, number], unknown[]>(
        `SELECT ${EVENT_COLUMNS} FROM events e
         JOIN customers c ON c.id = e.customer JOIN items i ON i.id = e.item
         WHERE e.seq > ? ORDER BY e.seq LIMIT ?`,
      )
      .raw();
    this.ofCustomer = db
      .prepare<[string], unknown[]>(
        `SELECT ${EVENT_COLUMNS} FROM events e
         JOIN customers c ON c.id = e.customer JOIN items i ON i.id = e.item
         WHERE e.customer = (SELECT id FROM customers WHERE external_id = ?) ORDER BY e.seq`,
      )
      .raw();
    const appendAll = db.transaction((events: readonly NewEvent[]): number => {
      let appended = 0;
      for (let k = 0; k < events.length; k++) {
        const e = events[k]!;
        // Checked first, not left to ON CONFLICT: a conflicting insert would still consume a seq.
        if (e.eventId != null && this.hasEventId.get(e.eventId) !== undefined) continue;
        const info = this.insertEvent.run(
          this.customerId(e.customer, e.timestamp),
          this.itemId(e.item),
          e.type,
          e.value ?? null,
          e.quantity ?? null,
          e.amount ?? null,
          e.timestamp,
          e.channel,
          e.eventId ?? null,
        );
        appended += info.changes;
      }
      return appended;
    });
    this.appendAll = (events) => appendAll.immediate(events);
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
      this.forgetCaches();
      if ((error as { code?: string }).code !== "SQLITE_CONSTRAINT_FOREIGNKEY") throw error;
      appended = this.appendAll(events); // a cached rowid went stale under us: once more, from the tables
    }
    return { appended, duplicates: events.length - appended, lastSeq: this.lastSeq() };
  }

  scanEvents(afterSeq: number, limit: number | undefined): StoredEvent[] {
    return toEvents(this.scan.all(afterSeq, limit ?? -1));
  }

  customerEvents(customer: string): StoredEvent[] {
    return toEvents(this.ofCustomer.all(customer));
  }

  /** Inside the caller's transaction: takes the next seq of the shared counter for a forget record. */
  nextSeqForTombstone(): number {
    const seq = this.lastSeq() + 1;
    const updated = this.db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").run(seq);
    if (updated.changes === 0) this.db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?)").run(seq);
    return seq;
  }

  forgottenSince(afterSeq: number): Forgotten[] {
    return this.db
      .prepare<[number], { seq: number; customer: string }>(
        "SELECT seq, customer FROM tombstones WHERE seq > ? ORDER BY seq",
      )
      .all(afterSeq);
  }

  forgetCustomer(customer: string): void {
    this.customerIds.delete(customer);
  }

  forgetCaches(): void {
    this.customerIds.clear();
    this.itemIds.clear();
  }

  private customerId(external: string, timestamp: number): number {
    let id = this.customerIds.get(external);
    if (id === undefined) {
      id = this.findCustomer.get(external) ?? this.insertCustomer.get(external, timestamp)!;
      this.customerIds.set(external, id);
    }
    return id;
  }

  private itemId(external: string): number {
    let id = this.itemIds.get(external);
    if (id === undefined) {
      id = this.findItem.get(external) ?? this.insertItem.get(external)!;
      this.itemIds.set(external, id);
    }
    return id;
  }
}

function toEvents(rows: unknown[][]): StoredEvent[] {
  const out = new Array<StoredEvent>(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = eventFromRow(rows[k]!);
  return out;
}
