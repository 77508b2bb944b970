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
 *   (an item then lands in the default domain with no title; a customer's
 *   `createdAt` is the timestamp of the first event that named them);
 * - seqs only grow and are never reused; events and forget records
 *   (`forgottenSince`) draw from one sequence;
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

/** A stored model snapshot with its bytes. */
export interface ModelWithBytes {
  readonly info: ModelInfo;
  readonly bytes: Uint8Array;
}

export interface CustomerVersion {
  readonly events: number;
  readonly lastSeq: number;
}

export interface StoreStats {
  readonly customers: number;
  readonly items: number;
  readonly events: number;
  /** The highest seq handed out so far (to an event or a forget record); 0 for a new store. */
  readonly lastSeq: number;
}

/** An API key as the store keeps it: only the hash of the secret, never the secret. */
export interface ApiKey {
  readonly id: string;
  readonly name: string;
  /** Hash of the secret (the service chooses the hash); unique. */
  readonly hash: string;
  readonly scopes: readonly string[];
  /** Channel stamped on events sent with this key. */
  readonly channel: string;
  /** A key bound to one customer (the scorecard) may act only for them; null = any customer. */
  readonly customer: string | null;
  readonly createdAt: number;
  /** When it was revoked (ms since epoch); null while it is live. */
  readonly revokedAt: number | null;
}

export interface NewApiKey {
  readonly id: string;
  readonly name: string;
  readonly hash: string;
  readonly scopes: readonly string[];
  readonly channel: string;
  readonly customer?: string | null;
  readonly createdAt: number;
}

/**
 * A record that a customer was forgotten, so that other instances drop them
 * from memory. Its `seq` is drawn from the SAME sequence as event seqs: a
 * reader that merges `scanEvents(after)` and `forgottenSince(after)` by seq
 * sees the forget and any later re-creation of the customer in true order.
 */
export interface Forgotten {
  readonly seq: number;
  readonly customer: string;
}

/**
 * Events as columns, for building datasets without an object per event: the
 * fields a model reads, in seq order. `customer[k]` and `item[k]` index
 * `customerIds` and `itemIds` (the external ids of this answer, each once).
 * Numbers that are null in the log are NaN here.
 */
export interface EventColumns {
  readonly length: number;
  /** seq of the last event in the columns; the `afterSeq` asked for when there are none. */
  readonly lastSeq: number;
  readonly customerIds: readonly string[];
  readonly itemIds: readonly string[];
  readonly customer: Int32Array;
  readonly item: Int32Array;
  /** EVENT_TYPE_CODE of each event. */
  readonly type: Uint8Array;
  readonly value: Float64Array;
  readonly quantity: Float64Array;
  /** ms since epoch. */
  readonly timestamp: Float64Array;
}

export interface Store {
  /** Where the store lives, with any password redacted. */
  readonly url: string;

  // Catalogue
  upsertDomains(domains: readonly Domain[]): Promise<void>;
  getDomain(name: string): Promise<Domain | undefined>;
  listDomains(): Promise<Domain[]>;
  /** Creates or replaces; a domain not yet known is created with the default scale (1–5). */
  upsertItems(items: readonly Item[]): Promise<void>;
  getItem(id: string): Promise<Item | undefined>;
  /** The items among `ids` that exist (any order). */
  getItems(ids: readonly string[]): Promise<Item[]>;
  /** In the order items were first stored. */
  listItems(query?: ItemQuery): Promise<Item[]>;

  // Customers
  /** Creates or updates; `createdAt` of an existing customer is kept. */
  upsertCustomers(customers: readonly Customer[]): Promise<void>;
  getCustomer(id: string): Promise<Customer | undefined>;
  /** In the order customers were first stored. */
  listCustomers(query?: PageQuery): Promise<Customer[]>;
  /**
   * Forgets the customer: the row, all their events and API keys bound to them; records a
   * `Forgotten` entry (only the id is kept) in the same transaction. True when something was removed.
   */
  deleteCustomer(id: string): Promise<boolean>;
  /** Forget records with seq > afterSeq, in seq order (seqs share the event sequence). */
  forgottenSince(afterSeq?: number): Promise<Forgotten[]>;

  // The interaction log
  appendEvents(events: readonly NewEvent[]): Promise<AppendResult>;
  /** Events with seq > afterSeq in seq order, at most `limit` (default: all). Used to load and to tail. */
  scanEvents(afterSeq?: number, limit?: number): Promise<StoredEvent[]>;
  /** The same events as `scanEvents(afterSeq, limit)`, as columns (what dataset builds read). */
  scanEventColumns(afterSeq?: number, limit?: number): Promise<EventColumns>;
  /** Every event of one customer, oldest first. */
  customerEvents(customerId: string): Promise<StoredEvent[]>;
  /**
   * How many events the customer has and the seq of the last one ({0, 0} for none): it changes whenever
   * their events do, at the cost of an index lookup (the service validates cached answers with it).
   * Optional: callers fall back to `customerEvents`.
   */
  customerVersion?(customerId: string): Promise<CustomerVersion>;
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
  loadModel(id: number): Promise<ModelWithBytes | undefined>;
  activeModel(kind: string): Promise<ModelWithBytes | undefined>;

  // Settings (tuned parameters, retrain policy, ...): JSON values by key
  getSetting<T = unknown>(key: string): Promise<T | undefined>;
  /** Stores any JSON value; `undefined` removes the key. ValidationError if not JSON-serialisable. */
  setSetting(key: string, value: unknown): Promise<void>;

  // API keys of the HTTP service
  /** CONFLICT error when the id or the hash is already taken. */
  createApiKey(key: NewApiKey): Promise<ApiKey>;
  /**
   * Creates `key` only when the store holds no API key at all (revoked ones count), atomically: of several
   * processes starting at once on an empty store, exactly one creates its key. The key, or undefined.
   */
  createFirstApiKey(key: NewApiKey): Promise<ApiKey | undefined>;
  /** The live (not revoked) key with this hash. */
  findApiKeyByHash(hash: string): Promise<ApiKey | undefined>;
  /** Every key, revoked ones included, oldest first. */
  listApiKeys(): Promise<ApiKey[]>;
  /** True when a live key was revoked now. */
  revokeApiKey(id: string): Promise<boolean>;

  // Several processes sharing the store
  /**
   * Tries to make this process the one holder of `role` (e.g. "retrain") among every process sharing the
   * store: true while it holds it. Call it before each piece of work only one of them may do: a role held
   * is kept (until close, or a lost connection), a free one is taken (its holder closed or died).
   * Optional: a store without it (SQLite, served by one process) has no rivals, and its caller always leads.
   */
  lead?(role: string): Promise<boolean>;

  /** Resolves when the store answers a trivial query (readiness checks); StoreError otherwise. */
  ping(): Promise<void>;
  /** Idempotent. Any call after close rejects with a StoreError. */
  close(): Promise<void>;
}
