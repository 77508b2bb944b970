/**
 * A sink in memory, for the evaluation and for tests: events go into a
 * columnar InteractionLog (no object kept per event), the catalogue into maps.
 */
import { InteractionLog } from "../../core/interaction-log.js";
import type { Customer, Domain, Item, NewEvent } from "../../core/types.js";
import type { ImportSink } from "../types.js";

export class MemorySink implements ImportSink {
  readonly log: InteractionLog;
  readonly domains = new Map<string, Domain>();
  readonly items = new Map<string, Item>();
  readonly customers = new Map<string, Customer>();
  /** Remembered only when `dedupe` is on (sources whose eventIds may repeat, such as CSV and JSONL). */
  private readonly eventIds: Set<string> | undefined;

  constructor(options: { dedupe?: boolean; log?: InteractionLog } = {}) {
    this.log = options.log ?? new InteractionLog(undefined, undefined, 1 << 16);
    this.eventIds = options.dedupe ? new Set() : undefined;
  }

  async getDomain(name: string): Promise<Domain | undefined> {
    return this.domains.get(name);
  }

  async putDomains(domains: readonly Domain[]): Promise<void> {
    for (const d of domains) this.domains.set(d.name, d);
  }

  async putItems(items: readonly Item[]): Promise<void> {
    for (const i of items) this.items.set(i.id, i);
  }

  async putCustomers(customers: readonly Customer[]): Promise<void> {
    for (const c of customers)
      this.customers.set(c.id, { ...c, createdAt: this.customers.get(c.id)?.createdAt ?? c.createdAt });
  }

  async putEvents(events: readonly NewEvent[]): Promise<{ stored: number; duplicates: number }> {
    let duplicates = 0;
    for (const e of events) {
      if (this.eventIds && e.eventId !== null) {
        if (this.eventIds.has(e.eventId)) {
          duplicates++;
          continue;
        }
        this.eventIds.add(e.eventId);
      }
      this.log.pushEvent(e);
    }
    return { stored: events.length - duplicates, duplicates };
  }

  async itemDomains(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of ids) {
      const item = this.items.get(id);
      if (item) out.set(id, item.domain);
    }
    return out;
  }
}
