/**
 * A sink into a Kindred store: every call is one of the store's transactional
 * bulk writes (events arrive in batches of up to 100k, one transaction each).
 */
import type { Customer, Domain, Item, NewEvent } from "../../core/types.js";
import type { Store } from "../../storage/store.js";
import type { ImportSink } from "../types.js";

/** Ids per lookup query (well under SQLite's limit of bound parameters). */
const LOOKUP_CHUNK = 500;

export class StoreSink implements ImportSink {
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  getDomain(name: string): Promise<Domain | undefined> {
    return this.store.getDomain(name);
  }

  putDomains(domains: readonly Domain[]): Promise<void> {
    return this.store.upsertDomains(domains);
  }

  putItems(items: readonly Item[]): Promise<void> {
    return this.store.upsertItems(items);
  }

  putCustomers(customers: readonly Customer[]): Promise<void> {
    return this.store.upsertCustomers(customers);
  }

  async putEvents(events: readonly NewEvent[]): Promise<{ stored: number; duplicates: number }> {
    const result = await this.store.appendEvents(events);
    return { stored: result.appended, duplicates: result.duplicates };
  }

  async itemDomains(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let k = 0; k < ids.length; k += LOOKUP_CHUNK) {
      for (const item of await this.store.getItems(ids.slice(k, k + LOOKUP_CHUNK))) out.set(item.id, item.domain);
    }
    return out;
  }
}
