/**
 * A cache of recommendation responses that never serves a stale answer to
 * the customer it is about. An entry is used only when:
 *
 * - the customer's events in the store are the same as when it was computed
 *   (count and last seq, read from the store per request: one index lookup,
 *   so instant learning holds on every instance);
 * - the cache generation is unchanged: it moves on every model fit,
 *   activation or rollback, catalogue write and forgetting, here or (seen by
 *   the tailer) in another instance;
 * - it is younger than `ttlSeconds` (bounds what no signal reaches: another
 *   customer renaming themselves, an item edited directly in the store).
 *
 * Entries hold the serialised body: a hit costs one index lookup and a write
 * to the socket. Least recently used entries go first beyond `maxEntries`.
 */
import type { Store } from "../storage/store.js";

export interface AnswerCacheOptions {
  readonly maxEntries: number;
  readonly ttlMs: number;
  readonly clock: () => number;
}

interface Entry {
  readonly body: string;
  readonly fingerprint: string;
  readonly generation: number;
  readonly expires: number;
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private gen = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly options: AnswerCacheOptions) {}

  get generation(): number {
    return this.gen;
  }

  /** Something every answer may depend on changed (models, catalogue, a forgotten customer). */
  invalidate(): void {
    this.gen++;
    this.entries.clear();
  }

  /**
   * The fingerprint of a customer's evidence: the count of their events and the last seq, which change
   * with every event appended or removed. One index lookup when the store has `customerVersion`.
   */
  static async fingerprint(store: Store, customer: string): Promise<string> {
    if (store.customerVersion) {
      const v = await store.customerVersion(customer);
      return `${v.events}:${v.lastSeq}`;
    }
    const events = await store.customerEvents(customer);
    return `${events.length}:${events[events.length - 1]?.seq ?? 0}`;
  }

  get(key: string, fingerprint: string): string | undefined {
    const entry = this.entries.get(key);
    if (
      !entry ||
      entry.fingerprint !== fingerprint ||
      entry.generation !== this.gen ||
      entry.expires <= this.options.clock()
    ) {
      if (entry) this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    // Re-insert: Map order is the recency order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    return entry.body;
  }

  /** Stores an answer computed at `generation` (dropped if the generation moved while it was computed). */
  set(key: string, fingerprint: string, generation: number, body: string): void {
    if (generation !== this.gen || this.options.maxEntries === 0) return;
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { body, fingerprint, generation, expires: this.options.clock() + this.options.ttlMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
