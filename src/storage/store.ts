/**
 * The store: the truth. A narrow, asynchronous interface that every driver
 * (SQLite today, PostgreSQL next) implements and that one contract test
 * suite (test/storage/store-contract.ts) checks. Everything else in Kindred
 * (datasets, models) is derived from what is here and can be rebuilt.
 *
 * Rules every driver keeps:
 * - every multi-row write is one transaction: all of it lands or none;
 * - `appendEvents` resolves only once the events are durable, and is
 *   idempotent by `eventId`;
 * - customers and items referred to by an event are created if absent
 *   (an item then lands in the default domain with no title);
 * - the event log is append-only; `deleteCustomer` (forgetting) is the one
 *   exception and removes every trace of the customer.
 */
import type { Customer, Domain, Item, NewEvent, StoredEvent } from "../core/types.js";

export interface ItemQuery {
  readonly domain?: string;
  readonly category?: string;
  readonly limit?: number; // default 100
  readonly offset?: number;
}

export interface PageQuery {
  readonly limit?: number; // default 100
  readonly offset?: number;
}

export interface AppendResult {
  /** Events written now. */
  readonly appended: number;
  /** Events skipped because their eventId was already in the log. */
  readonly duplicates: number;
  /** seq of the last event in the log after this append. */
  readonly lastSeq: number;
}

export interface ModelInfo {
  readonly id: number;
  readonly kind: string;
  readonly createdAt: number;
  readonly active: boolean;
  /** seq of the last event the model's data included. */
  readonly trainedThroughSeq: number;
  /** Free-form JSON: fit report, dataset size, metrics. */
  readonly meta: Readonly<Record<string, unknown>>;
  readonly bytes: number;
}

export interface StoreStats {
  readonly customers: number;
  readonly items: number;
  readonly events: number;
  readonly lastSeq: number;
}

export interface Store {
  /** Where the store lives, with any password redacted. */
  readonly url: string;

  // Catalogue
  upsertDomains(domains: readonly Domain[]): Promise<void>;
  getDomain(name: string): Promise<Domain | undefined>;
  listDomains(): Promise<Domain[]>;
  upsertItems(items: readonly Item[]): Promise<void>;
  getItem(id: string): Promise<Item | undefined>;
  /** The items among `ids` that exist (any order). */
  getItems(ids: readonly string[]): Promise<Item[]>;
  listItems(query?: ItemQuery): Promise<Item[]>;

  // Customers
  /** Creates or updates; `createdAt` of an existing customer is kept. */
  upsertCustomers(customers: readonly Customer[]): Promise<void>;
  getCustomer(id: string): Promise<Customer | undefined>;
  listCustomers(query?: PageQuery): Promise<Customer[]>;
  /** Forgets the customer: the row and all their events. True when something was removed. */
  deleteCustomer(id: string): Promise<boolean>;

  // The interaction log
  appendEvents(events: readonly NewEvent[]): Promise<AppendResult>;
  /** Events with seq > afterSeq in seq order, at most `limit` (default: all). Used to load and to tail. */
  scanEvents(afterSeq?: number, limit?: number): Promise<StoredEvent[]>;
  /** Every event of one customer, oldest first. */
  customerEvents(customerId: string): Promise<StoredEvent[]>;
  stats(): Promise<StoreStats>;

  // Derived models (snapshots as bytes, see core/snapshot.ts)
  saveModel(
    kind: string,
    bytes: Uint8Array,
    trainedThroughSeq: number,
    meta?: Record<string, unknown>,
  ): Promise<ModelInfo>;
  /** Makes `id` the active model of its kind (and no other of that kind). */
  activateModel(id: number): Promise<void>;
  listModels(kind?: string): Promise<ModelInfo[]>;
  /** The model's bytes, or undefined. */
  loadModel(id: number): Promise<{ info: ModelInfo; bytes: Uint8Array } | undefined>;
  activeModel(kind: string): Promise<{ info: ModelInfo; bytes: Uint8Array } | undefined>;

  // Settings (tuned parameters, retrain policy, ...): JSON values by key
  getSetting<T = unknown>(key: string): Promise<T | undefined>;
  setSetting(key: string, value: unknown): Promise<void>;

  close(): Promise<void>;
}
