/**
 * The PostgreSQL interaction log: appends, scans and forgets, in SQL of this
 * dialect. Appends and forgets run inside a transaction the caller opened and
 * begin by locking `log_head` (see migrations.ts): that serialises writers of
 * the log so seqs commit in order.
 *
 * An append: drop eventIds already stored or repeated in the batch (so no
 * seq is wasted), create unknown customers and items with one `unnest`
 * insert each, then INSERT ... SELECT FROM unnest(column arrays) ... ON
 * CONFLICT (event_id) DO NOTHING in chunks of CHUNK_ROWS. One statement per
 * chunk with 10 array parameters, rather than a VALUES list with 10
 * parameters per row: no 65535-parameter ceiling, and 1.6–2.3× faster here
 * (the server parses and plans one small statement instead of a huge one).
 */
import type { EventType, NewEvent, StoredEvent } from "../../core/types.js";
import { EventColumnsBuilder } from "../shared/event-columns.js";
import { eventFromRow } from "../shared/rows.js";
import type { AppendResult, EventColumns, Forgotten } from "../store.js";
import type { Query } from "./statements.js";

/**
 * Rows per INSERT. Columns travel as 10 array parameters (`unnest`), so the
 * 65535-parameter limit never binds; chunks bound the size of one message.
 */
export const CHUNK_ROWS = 10_000;

export class PostgresEventLog {
  constructor(private readonly s: string) {}

  /** Locks the log head for this transaction; returns the last seq handed out. */
  async lockHead(query: Query): Promise<number> {
    const rows = await query(`SELECT seq FROM ${this.s}.log_head WHERE id = 1 FOR UPDATE`);
    return Number(rows[0]![0]);
  }

  async lastSeq(query: Query): Promise<number> {
    return Number((await query(`SELECT seq FROM ${this.s}.log_head WHERE id = 1`))[0]![0]);
  }

  /** Inside a transaction. */
  async append(query: Query, events: readonly NewEvent[]): Promise<AppendResult> {
    const head = await this.lockHead(query);
    const kept = await this.withoutDuplicates(query, events);
    if (kept.length === 0) return { appended: 0, duplicates: events.length, lastSeq: head };
    const customers = await this.resolveCustomers(query, kept);
    const items = await this.resolveItems(query, kept);
    let seq = head;
    let appended = 0;
    for (let start = 0; start < kept.length; start += CHUNK_ROWS) {
      const chunk = kept.slice(start, start + CHUNK_ROWS);
      const seqs = chunk.map(() => ++seq);
      const inserted = await query(
        `INSERT INTO ${this.s}.events (seq, customer, item, type, value, quantity, amount, ts, channel, event_id)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::float8[], $6::float8[],
           $7::float8[], $8::bigint[], $9::text[], $10::text[])
         ON CONFLICT (event_id) WHERE event_id IS NOT NULL DO NOTHING RETURNING seq`,
        [
          seqs,
          chunk.map((e) => customers.get(e.customer)),
          chunk.map((e) => items.get(e.item)),
          chunk.map((e) => e.type),
          chunk.map((e) => e.value ?? null),
          chunk.map((e) => e.quantity ?? null),
          chunk.map((e) => e.amount ?? null),
          chunk.map((e) => e.timestamp),
          chunk.map((e) => e.channel),
          chunk.map((e) => e.eventId ?? null),
        ],
      );
      appended += inserted.length;
    }
    await query(`UPDATE ${this.s}.log_head SET seq = $1 WHERE id = 1`, [seq]);
    return { appended, duplicates: events.length - appended, lastSeq: seq };
  }

  async scan(query: Query, afterSeq: number, limit: number | undefined): Promise<StoredEvent[]> {
    const rows = await query(
      `SELECT e.seq, c.external_id, i.external_id, e.type, e.value, e.quantity, e.amount, e.ts, e.channel, e.event_id
       FROM ${this.s}.events e JOIN ${this.s}.customers c ON c.id = e.customer JOIN ${this.s}.items i ON i.id = e.item
       WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`,
      [afterSeq, limit ?? null],
    );
    return rows.map(eventFromRow);
  }

  /** The columns of `scan` (one query; the rows as arrays, built into columns here). */
  async scanColumns(query: Query, afterSeq: number, limit: number | undefined): Promise<EventColumns> {
    const rows = await query(
      `SELECT e.seq, c.external_id, i.external_id, e.type, e.value, e.quantity, e.ts
       FROM ${this.s}.events e JOIN ${this.s}.customers c ON c.id = e.customer JOIN ${this.s}.items i ON i.id = e.item
       WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`,
      [afterSeq, limit ?? null],
    );
    const columns = new EventColumnsBuilder(afterSeq, Math.max(16, rows.length));
    for (const r of rows) {
      columns.push(
        Number(r[0]),
        r[1] as string,
        r[2] as string,
        r[3] as EventType,
        r[4] === null ? null : Number(r[4]),
        r[5] === null ? null : Number(r[5]),
        Number(r[6]),
      );
    }
    return columns.build();
  }

  async ofCustomer(query: Query, customer: string): Promise<StoredEvent[]> {
    const rows = await query(
      `SELECT e.seq, c.external_id, i.external_id, e.type, e.value, e.quantity, e.amount, e.ts, e.channel, e.event_id
       FROM ${this.s}.customers c JOIN ${this.s}.events e ON e.customer = c.id JOIN ${this.s}.items i ON i.id = e.item
       WHERE c.external_id = $1 ORDER BY e.seq`,
      [customer],
    );
    return rows.map(eventFromRow);
  }

  /** Inside a transaction: removes the customer's rows and records the forget. */
  async forget(query: Query, customer: string): Promise<boolean> {
    const head = await this.lockHead(query);
    let removed = (await query(`DELETE FROM ${this.s}.api_keys WHERE customer = $1 RETURNING id`, [customer])).length;
    const row = await query(`SELECT id FROM ${this.s}.customers WHERE external_id = $1`, [customer]);
    if (row.length > 0) {
      await query(`DELETE FROM ${this.s}.events WHERE customer = $1`, [row[0]![0]]);
      removed += (await query(`DELETE FROM ${this.s}.customers WHERE id = $1 RETURNING id`, [row[0]![0]])).length;
    }
    if (removed === 0) return false;
    await query(`INSERT INTO ${this.s}.tombstones (seq, customer, forgotten_at) VALUES ($1, $2, $3)`, [
      head + 1,
      customer,
      Date.now(),
    ]);
    await query(`UPDATE ${this.s}.log_head SET seq = $1 WHERE id = 1`, [head + 1]);
    return true;
  }

  async forgottenSince(query: Query, afterSeq: number): Promise<Forgotten[]> {
    const rows = await query(`SELECT seq, customer FROM ${this.s}.tombstones WHERE seq > $1 ORDER BY seq`, [afterSeq]);
    return rows.map((r) => ({ seq: Number(r[0]), customer: r[1] as string }));
  }

  /** The events whose eventId is neither stored nor repeated earlier in the batch (under the head lock). */
  private async withoutDuplicates(query: Query, events: readonly NewEvent[]): Promise<NewEvent[]> {
    const ids = [...new Set(events.map((e) => e.eventId).filter((id): id is string => id != null))];
    const stored =
      ids.length === 0
        ? new Set<string>()
        : new Set(
            (await query(`SELECT event_id FROM ${this.s}.events WHERE event_id = ANY($1::text[])`, [ids])).map(
              (r) => r[0] as string,
            ),
          );
    return events.filter((e) => {
      if (e.eventId == null) return true;
      if (stored.has(e.eventId)) return false;
      stored.add(e.eventId);
      return true;
    });
  }

  /** external id → rowid for every customer of the batch, creating the unknown ones (created at their first event). */
  private async resolveCustomers(query: Query, events: readonly NewEvent[]): Promise<Map<string, number>> {
    const firstSeen = new Map<string, number>();
    for (const e of events) if (!firstSeen.has(e.customer)) firstSeen.set(e.customer, e.timestamp);
    const ids = [...firstSeen.keys()];
    await query(
      `INSERT INTO ${this.s}.customers (external_id, created_at)
       SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (external_id) DO NOTHING`,
      [ids, [...firstSeen.values()]],
    );
    return this.idsOf(query, "customers", ids);
  }

  private async resolveItems(query: Query, events: readonly NewEvent[]): Promise<Map<string, number>> {
    const ids = [...new Set(events.map((e) => e.item))];
    await query(
      `INSERT INTO ${this.s}.items (external_id, domain)
       SELECT id, 'default' FROM unnest($1::text[]) AS t (id) ON CONFLICT (external_id) DO NOTHING`,
      [ids],
    );
    return this.idsOf(query, "items", ids);
  }

  private async idsOf(query: Query, table: string, ids: string[]): Promise<Map<string, number>> {
    const rows = await query(`SELECT external_id, id FROM ${this.s}.${table} WHERE external_id = ANY($1::text[])`, [
      ids,
    ]);
    return new Map(rows.map((r) => [r[0] as string, Number(r[1])]));
  }
}
