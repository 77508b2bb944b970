/**
 * Group commit of concurrent appends: the small batches handed to `appendEvents` during one turn of the
 * event loop (many POST /events at once) are written as one store transaction, so they share one
 * durable commit (one fsync with SQLite's synchronous=FULL, one COMMIT round trip with PostgreSQL)
 * instead of paying one each. Every caller still resolves only once its events are durable, with its own
 * counts; a batch is all-or-none as before.
 *
 * - Two batches of one group never carry the same eventId (a retry racing its original): the later
 *   batch waits for the next group, so the store's duplicates are always events stored before the group.
 * - Most groups have no duplicate: each batch then appended all of its events. When the store reports
 *   duplicates in a group of several batches, each batch's share is read back from its customers' events
 *   (the seqs after the customer's last seq seen before the group).
 * - A failed group is retried batch by batch (nothing of it was written), so an error reaches only the
 *   batch that causes it.
 */
import type { NewEvent } from "../core/types.js";
import type { AppendResult, Store } from "../storage/store.js";

/** Batches larger than this (imports, bulk posts) are written on their own. */
const MAX_GROUPED_BATCH = 100;
/** Events in one group at most. */
const MAX_GROUP_EVENTS = 2000;

interface Pending {
  readonly events: readonly NewEvent[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly store: Store) {}

  append(events: readonly NewEvent[]): Promise<AppendResult> {
    if (events.length > MAX_GROUPED_BATCH) return this.store.appendEvents(events);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the current turn: every append started by the requests parsed in it joins this group.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    let waiting = this.queue;
    this.queue = [];
    while (waiting.length > 0) {
      const { group, later } = takeGroup(waiting);
      waiting = later;
      await this.write(group);
    }
  }

  private async write(group: readonly Pending[]): Promise<void> {
    if (group.length === 1) {
      const only = group[0]!;
      await this.store.appendEvents(only.events).then(only.resolve, only.reject);
      return;
    }
    // Each customer's last seq before the group (only needed to share out duplicates, read only when possible).
    const before = await this.lastSeqs(group);
    let result: AppendResult;
    try {
      result = await this.store.appendEvents(group.flatMap((p) => p.events));
    } catch {
      for (const p of group) await this.store.appendEvents(p.events).then(p.resolve, p.reject);
      return;
    }
    if (result.duplicates === 0) {
      for (const p of group) p.resolve({ appended: p.events.length, duplicates: 0, lastSeq: result.lastSeq });
      return;
    }
    for (const p of group) {
      try {
        const appended = await this.appendedOf(p.events, before);
        p.resolve({ appended, duplicates: p.events.length - appended, lastSeq: result.lastSeq });
      } catch (error) {
        p.reject(error);
      }
    }
  }

  /** The last seq of each customer with an eventId'd event in the group (duplicates are only possible there). */
  private async lastSeqs(group: readonly Pending[]): Promise<Map<string, number> | undefined> {
    if (!this.store.customerVersion) return undefined;
    const customers = new Set<string>();
    for (const p of group) for (const e of p.events) if (e.eventId !== null) customers.add(e.customer);
    const store = this.store;
    const seqs = await Promise.all(
      [...customers].map(async (c) => [c, (await store.customerVersion!(c)).lastSeq] as const),
    );
    return new Map(seqs);
  }

  /** How many of a batch's events the group appended: those without eventId, and those stored after `before`. */
  private async appendedOf(events: readonly NewEvent[], before: Map<string, number> | undefined): Promise<number> {
    let appended = 0;
    const byCustomer = new Map<string, Set<string>>();
    for (const e of events) {
      if (e.eventId === null) appended++;
      else {
        const ids = byCustomer.get(e.customer) ?? new Set<string>();
        byCustomer.set(e.customer, ids);
        ids.add(e.eventId);
      }
    }
    for (const [customer, ids] of byCustomer) {
      const since = before?.get(customer) ?? 0;
      for (const stored of await this.store.customerEvents(customer)) {
        if (stored.seq > since && stored.eventId !== null && ids.has(stored.eventId)) appended++;
      }
    }
    return appended;
  }
}

/** The first batches whose eventIds do not repeat one another, up to MAX_GROUP_EVENTS events; the rest later. */
function takeGroup(waiting: readonly Pending[]): { group: Pending[]; later: Pending[] } {
  const group: Pending[] = [];
  const later: Pending[] = [];
  const ids = new Set<string>();
  let events = 0;
  for (const p of waiting) {
    const repeats = p.events.some((e) => e.eventId !== null && ids.has(e.eventId));
    if (later.length > 0 || repeats || (group.length > 0 && events + p.events.length > MAX_GROUP_EVENTS)) {
      later.push(p);
      continue;
    }
    group.push(p);
    events += p.events.length;
    for (const e of p.events) if (e.eventId !== null) ids.add(e.eventId);
  }
  return { group, later };
}

const groups = new WeakMap<Store, GroupCommit>();

/** `store.appendEvents(events)`, sharing one transaction with the other small appends of this turn. */
export function appendGrouped(store: Store, events: readonly NewEvent[]): Promise<AppendResult> {
  let g = groups.get(store);
  if (!g) {
    g = new GroupCommit(store);
    groups.set(store, g);
  }
  return g.append(events);
}
