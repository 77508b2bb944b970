/**
 * Building `EventColumns` (see store.ts) row by row: growable typed columns,
 * and external ids numbered in order of first appearance. Drivers whose rows
 * arrive as values (PostgreSQL) use it as it is; SQLite fills the columns
 * from an aggregate and names rowids itself (sqlite/event-columns.ts).
 */
import { EVENT_TYPE_CODE, type EventType } from "../../core/types.js";
import type { EventColumns } from "../store.js";

export class EventColumnsBuilder {
  private size = 0;
  private customer: Int32Array;
  private item: Int32Array;
  private type: Uint8Array;
  private value: Float64Array;
  private quantity: Float64Array;
  private timestamp: Float64Array;
  private lastSeq: number;
  private readonly customers = new Map<string, number>();
  private readonly items = new Map<string, number>();

  constructor(afterSeq: number, capacity = 1024) {
    this.lastSeq = afterSeq;
    this.customer = new Int32Array(capacity);
    this.item = new Int32Array(capacity);
    this.type = new Uint8Array(capacity);
    this.value = new Float64Array(capacity);
    this.quantity = new Float64Array(capacity);
    this.timestamp = new Float64Array(capacity);
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
    if (this.size === this.customer.length) this.grow(Math.max(16, this.size * 2));
    const k = this.size++;
    this.customer[k] = indexOf(this.customers, customer);
    this.item[k] = indexOf(this.items, item);
    this.type[k] = EVENT_TYPE_CODE[type];
    this.value[k] = value ?? Number.NaN;
    this.quantity[k] = quantity ?? Number.NaN;
    this.timestamp[k] = timestamp;
    this.lastSeq = seq;
  }

  build(): EventColumns {
    const n = this.size;
    return {
      length: n,
      lastSeq: this.lastSeq,
      customerIds: [...this.customers.keys()],
      itemIds: [...this.items.keys()],
      customer: this.customer.subarray(0, n),
      item: this.item.subarray(0, n),
      type: this.type.subarray(0, n),
      value: this.value.subarray(0, n),
      quantity: this.quantity.subarray(0, n),
      timestamp: this.timestamp.subarray(0, n),
    };
  }

  private grow(capacity: number): void {
    const n = this.size;
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

/** The index of `id` in the map's insertion order, adding it when new (Maps iterate in insertion order). */
function indexOf(map: Map<string, number>, id: string): number {
  let k = map.get(id);
  if (k === undefined) {
    k = map.size;
    map.set(id, k);
  }
  return k;
}
