/**
 * A columnar, growable log of interactions in dense ids: the form in which
 * events travel between the store, the splitters of the evaluation and the
 * dataset builder. Columns are typed arrays; there is no object per event.
 */
import { IdMap } from "./id-map.js";
import { EVENT_TYPE_CODE, type EventType, eventStrength, type NewEvent } from "./types.js";

export class InteractionLog {
  readonly users: IdMap;
  readonly items: IdMap;
  private size = 0;
  user: Int32Array;
  item: Int32Array;
  /** EVENT_TYPE_CODE of each event. */
  type: Uint8Array;
  /** Rating value, purchase quantity, or 1 (see eventStrength). */
  value: Float32Array;
  /** ms since epoch. */
  time: Float64Array;

  constructor(users = new IdMap(), items = new IdMap(), capacity = 1024) {
    this.users = users;
    this.items = items;
    this.user = new Int32Array(capacity);
    this.item = new Int32Array(capacity);
    this.type = new Uint8Array(capacity);
    this.value = new Float32Array(capacity);
    this.time = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Appends one event in dense ids. */
  push(user: number, item: number, typeCode: number, value: number, time: number): void {
    if (this.size === this.user.length) this.grow(this.size * 2);
    const i = this.size++;
    this.user[i] = user;
    this.item[i] = item;
    this.type[i] = typeCode;
    this.value[i] = value;
    this.time[i] = time;
  }

  /** Makes room for `capacity` events in all (no reallocation while pushing up to it). */
  reserve(capacity: number): void {
    if (capacity > this.user.length) this.grow(Math.max(capacity, this.user.length * 2));
  }

  /** Appends one event given external ids. */
  pushEvent(event: Pick<NewEvent, "customer" | "item" | "type" | "value" | "quantity" | "timestamp">): void {
    this.push(
      this.users.add(event.customer),
      this.items.add(event.item),
      EVENT_TYPE_CODE[event.type],
      eventStrength(event),
      event.timestamp,
    );
  }

  /** Appends a rating given external ids (the common case in tests and importers). */
  pushRating(customer: string, item: string, value: number, time = 0): void {
    this.push(this.users.add(customer), this.items.add(item), EVENT_TYPE_CODE.rating, value, time);
  }

  /** A new log holding the events at `positions`, in that order, sharing this log's id maps. */
  select(positions: ArrayLike<number>): InteractionLog {
    const out = new InteractionLog(this.users, this.items, Math.max(1, positions.length));
    for (let k = 0; k < positions.length; k++) {
      const i = positions[k] as number;
      out.push(this.user[i]!, this.item[i]!, this.type[i]!, this.value[i]!, this.time[i]!);
    }
    return out;
  }

  /** Positions of events of one type. */
  positionsOf(type: EventType): Int32Array {
    const code = EVENT_TYPE_CODE[type];
    let count = 0;
    for (let i = 0; i < this.size; i++) if (this.type[i] === code) count++;
    const out = new Int32Array(count);
    for (let i = 0, k = 0; i < this.size; i++) if (this.type[i] === code) out[k++] = i;
    return out;
  }

  private grow(capacity: number): void {
    const resize = <T extends Int32Array | Uint8Array | Float32Array | Float64Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(capacity);
      b.set(a.subarray(0, this.size) as never);
      return b;
    };
    this.user = resize(this.user, (n) => new Int32Array(n));
    this.item = resize(this.item, (n) => new Int32Array(n));
    this.type = resize(this.type, (n) => new Uint8Array(n));
    this.value = resize(this.value, (n) => new Float32Array(n));
    this.time = resize(this.time, (n) => new Float64Array(n));
  }
}
