/**
 * Building `EventColumns` (see store.ts) row by row: growable typed columns,
 * and external ids numbered in order of first appearance. Drivers whose rows
 * arrive as values (PostgreSQL) use it as it is; SQLite fills the columns
 * from an aggregate and names rowids itself (sqlite/event-columns.ts).
 */
import { EVENT_TYPE_CODE, type EventType } from "../../core/types.js";
import type { EventColumns } from "../store.js";

/** EventColumns' six numeric columns while they fill: doubling typed arrays, `size` rows in use. */
export class GrowableColumns {
  size = 0;
  customer: Int32Array;
  item: Int32Array;
  type: Uint8Array;
  value: Float64Array;
  quantity: Float64Array;
  timestamp: Float64Array;

  constructor(capacity: number) {
    this.customer = new Int32Array(capacity);
    this.item = new Int32Array(capacity);
    this.type = new Uint8Array(capacity);
    this.value = new Float64Array(capacity);
    this.quantity = new Float64Array(capacity);
    this.timestamp = new Float64Array(capacity);
  }

  /** Makes room for one more row, doubling every column when full. */
  reserve(): void {
    if (this.size < this.customer.length) return;
    const n = this.size;
    const capacity = Math.max(16, n * 2);
    const copy = <T extends Int32Array | Uint8Array | Float64Array>(a: T, b: T): T => {
      b.set(a.subarray(0, n) as never);
      return b;
    };
    this.customer = copy(this.customer, new Int32Array(capacity));
    this.item = copy(this.item, new Int32Array(capacity));
    this.type = copy(this.type, new Uint8Array(capacity));
    this.value = copy(this.value, new Float64Array(capacity));
    this.quantity = copy(this.quantity, new Float64Array(capacity));
    this.timestamp = copy(this.timestamp, new Float64Array(capacity));
  }
}

export class EventColumnsBuilder {
  private readonly columns: GrowableColumns;
  private lastSeq: number;
  private readonly customers = new Map<string, number>();
  private readonly items = new Map<string, number>();

  constructor(afterSeq: number, capacity = 1024) {
    this.lastSeq = afterSeq;
    this.columns = new GrowableColumns(capacity);
  }

  push(
    seq: number,
    customer: string,
    item: string,
    type: EventType,
    value: number | null,
    quantity: number | null,
    timestamp: number,
  ): void {
    const c = this.columns;
    c.reserve();
    const k = c.size++;
    c.customer[k] = indexOf(this.customers, customer);
    c.item[k] = indexOf(this.items, item);
    c.type[k] = EVENT_TYPE_CODE[type];
    c.value[k] = value ?? Number.NaN;
    c.quantity[k] = quantity ?? Number.NaN;
    c.timestamp[k] = timestamp;
    this.lastSeq = seq;
  }

  build(): EventColumns {
    const c = this.columns;
    const n = c.size;
    return {
      length: n,
      lastSeq: this.lastSeq,
      customerIds: [...this.customers.keys()],
      itemIds: [...this.items.keys()],
      customer: c.customer.subarray(0, n),
      item: c.item.subarray(0, n),
      type: c.type.subarray(0, n),
      value: c.value.subarray(0, n),
      quantity: c.quantity.subarray(0, n),
      timestamp: c.timestamp.subarray(0, n),
    };
  }
}

/** The index of `id` in the map's insertion order, adding it when new (Maps iterate in insertion order). */
function indexOf(map: Map<string, number>, id: string): number {
  let k = map.get(id);
  if (k === undefined) {
    k = map.size;
    map.set(id, k);
  }
  return k;
}
