/**
 * `scanEventColumns` for SQLite: one aggregate query per call writes each
 * row's numbers straight into typed arrays (no row arrays, no JSON, no
 * object per event), then customer and item rowids are renumbered densely
 * for this answer and named through the in-memory `RowNames`.
 *
 * The aggregate is an application-defined function on this connection: it is
 * called once per row with seven numbers, which is what crossing from SQLite
 * to JavaScript costs at least (about 3× cheaper than `.raw().iterate()` on
 * ml-100k, 1.5× cheaper than columns as JSON arrays).
 */
import type Database from "better-sqlite3";
import { GrowableColumns } from "../shared/event-columns.js";
import type { EventColumns } from "../store.js";
import type { RowNames } from "./row-names.js";

/** EVENT_TYPE_CODE by the first letter of the type (the schema's CHECK allows only these five). */
const TYPE_BY_LETTER = new Uint8Array(128);
TYPE_BY_LETTER["r".charCodeAt(0)] = 0; // rating
TYPE_BY_LETTER["p".charCodeAt(0)] = 1; // purchase
TYPE_BY_LETTER["v".charCodeAt(0)] = 2; // view
TYPE_BY_LETTER["l".charCodeAt(0)] = 3; // like
TYPE_BY_LETTER["d".charCodeAt(0)] = 4; // dislike

export class SqliteEventColumns {
  private target: GrowableColumns | undefined;
  private readonly query: Database.Statement<[number, number], [number, number | null]>;

  constructor(
    db: Database.Database,
    private readonly customers: RowNames,
    private readonly items: RowNames,
  ) {
    const step = (
      count: number,
      customer: number,
      item: number,
      letter: number,
      value: number | null,
      quantity: number | null,
      ts: number,
    ): number => {
      const c = this.target!;
      c.reserve();
      const k = c.size++;
      c.customer[k] = customer;
      c.item[k] = item;
      c.type[k] = TYPE_BY_LETTER[letter]!;
      c.value[k] = value ?? Number.NaN;
      c.quantity[k] = quantity ?? Number.NaN;
      c.timestamp[k] = ts;
      return count + 1;
    };
    // better-sqlite3 takes the number of SQL arguments from step.length (here 6 after the accumulator).
    db.aggregate("kindred_event_columns", {
      start: 0,
      step: step as unknown as (total: number, next: number) => number,
    });
    this.query = db
      .prepare<[number, number], [number, number | null]>(
        `SELECT kindred_event_columns(customer, item, unicode(type), value, quantity, ts), max(seq)
         FROM (SELECT customer, item, type, value, quantity, ts, seq FROM events WHERE seq > ? ORDER BY seq LIMIT ?)`,
      )
      .raw();
  }

  /** Inside the caller's read transaction (the names must come from the same snapshot). */
  read(afterSeq: number, limit: number | undefined): EventColumns {
    const columns = new GrowableColumns(Math.max(16, Math.min(limit ?? 1 << 16, 1 << 16)));
    this.target = columns;
    let lastSeq: number | null;
    try {
      lastSeq = this.query.get(afterSeq, limit ?? -1)![1];
    } finally {
      this.target = undefined;
    }
    const n = columns.size;
    const customer = columns.customer.subarray(0, n);
    const item = columns.item.subarray(0, n);
    return {
      length: n,
      lastSeq: lastSeq ?? afterSeq,
      customerIds: renumber(customer, this.customers),
      itemIds: renumber(item, this.items),
      customer,
      item,
      type: columns.type.subarray(0, n),
      value: columns.value.subarray(0, n),
      quantity: columns.quantity.subarray(0, n),
      timestamp: columns.timestamp.subarray(0, n),
    };
  }
}

/** Replaces rowids by dense indexes in order of first appearance, in place; the names of those indexes. */
function renumber(rowids: Int32Array, names: RowNames): string[] {
  let max = 0;
  for (let k = 0; k < rowids.length; k++) if (rowids[k]! > max) max = rowids[k]!;
  const dense = new Int32Array(max + 1).fill(-1);
  const ids: string[] = [];
  for (let k = 0; k < rowids.length; k++) {
    const rowid = rowids[k]!;
    let d = dense[rowid]!;
    if (d < 0) {
      d = ids.length;
      dense[rowid] = d;
      ids.push(names.name(rowid));
    }
    rowids[k] = d;
  }
  return ids;
}
