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
 * Past its time to live (spread over 80–100% of `ttlSeconds` by the key, so
 * entries computed together do not all expire together), an entry whose
 * customer events and generation still match is served once more as "stale"
 * while one background task recomputes it (stale-while-revalidate, RFC 5861):
 * expiry then costs no request a computation on the event loop. Stale service
 * ends at twice the time to live; the checks of the customer's events and of
 * the generation are never relaxed, so every answer reflects every event.
 * Background recomputations run one at a time, yielding to requests between
 * them.
 *
 * Entries hold the serialised body, UTF-8 encoded once: a hit costs one index
 * lookup and a write of those bytes to the socket (no re-encoding of a body
 * that, explained, weighs tens of kilobytes). Least recently used entries go first beyond `maxEntries`.
 */
import type { Store } from "../storage/store.js";

export interface AnswerCacheOptions {
  readonly maxEntries: number;
  readonly ttlMs: number;
  readonly clock: () => number;
}

interface Entry {
  readonly body: Uint8Array<ArrayBuffer>;
  readonly fingerprint: string;
  readonly generation: number;
  /** Fresh until then; served stale (and recomputed in the background) until `expires + ttlMs`. */
  readonly expires: number;
}

/** A cached answer: `stale` when past its time to live (serve it, and revalidate it). */
export interface CachedAnswer {
  readonly body: Uint8Array<ArrayBuffer>;
  readonly stale: boolean;
}

/** 0.8–1.0 from the key (FNV-1a): the share of the time to live an entry stays fresh. */
function freshShare(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return 0.8 + ((h >>> 0) / 2 ** 32) * 0.2;
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private gen = 0;
  private readonly pending = new Map<string, () => Promise<void>>();
  private draining: Promise<void> | undefined;
  private stopped = false;
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
    this.pending.clear();
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

  get(key: string, fingerprint: string): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    const now = this.options.clock();
    if (
      !entry ||
      entry.fingerprint !== fingerprint ||
      entry.generation !== this.gen ||
      entry.expires + this.options.ttlMs <= now
    ) {
      if (entry) this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    // Re-insert: Map order is the recency order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    return { body: entry.body, stale: entry.expires <= now };
  }

  /**
   * Queues `recompute` (which should `set` the key anew) unless one is queued or running for the key already.
   * The queue runs one task at a time after a turn of the event loop, so requests go first; a task that
   * fails leaves the entry to expire (the next request past it computes the answer itself).
   */
  revalidate(key: string, recompute: () => Promise<void>): void {
    if (this.pending.has(key) || this.pending.size >= Math.max(this.options.maxEntries, 1)) return;
    this.pending.set(key, recompute);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const next = this.pending.entries().next();
      if (next.done || this.stopped) break;
      const [key, task] = next.value;
      await new Promise((resolve) => setImmediate(resolve));
      if (!this.stopped) await task().catch(() => undefined);
      this.pending.delete(key);
    }
    this.pending.clear();
  }

  /** Resolves once the background recomputations queued so far are done. */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Stops background recomputation (shutdown): resolves once the running task, if any, is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.draining;
  }

  /** Stores an answer computed at `generation` (dropped if the generation moved while it was computed). */
  set(key: string, fingerprint: string, generation: number, body: Uint8Array<ArrayBuffer>): void {
    if (generation !== this.gen || this.options.maxEntries === 0) return;
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const expires = this.options.clock() + this.options.ttlMs * freshShare(key);
    this.entries.set(key, { body, fingerprint, generation, expires });
  }

  get size(): number {
    return this.entries.size;
  }
}
