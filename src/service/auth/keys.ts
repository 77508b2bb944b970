/**
 * API keys: a random secret shown once, stored only as its sha256 hash
 * (through the store's API-key methods), with scopes and a channel. Lookups
 * are cached for a few seconds so a request does not cost a store round trip;
 * a revocation on this instance clears the cache at once, elsewhere within
 * `keyCacheSeconds`.
 */
import { createHash, randomBytes } from "node:crypto";
import { ValidationError } from "../../core/errors.js";
import type { ApiKey, NewApiKey, Store } from "../../storage/store.js";

export const SCOPES = ["read", "events:write", "catalog:write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** Prefix of every API key secret, so a leaked one is recognisable in logs and scanners. */
export const KEY_PREFIX = "kdr_";

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

export interface CreateKeyInput {
  readonly scopes: readonly string[];
  readonly channel?: string;
  readonly name?: string;
  /** Bind the key to one customer (it may then act only for them). */
  readonly customer?: string | null;
}

export interface CreatedKey {
  /** The secret: shown once, never stored. */
  readonly key: string;
  readonly info: ApiKey;
}

/** Creates a key in the store and returns its secret (the only time it is visible). */
export async function createKey(store: Store, input: CreateKeyInput, now = Date.now()): Promise<CreatedKey> {
  const { key, record } = newKey(input, now);
  return { key, info: await store.createApiKey(record) };
}

/**
 * The first key of a store (first start): created only when the store holds no key at all, atomically, so of
 * several instances starting at once on an empty store exactly one creates (and shows) it. Undefined otherwise.
 */
export async function createFirstKey(
  store: Store,
  input: CreateKeyInput,
  now = Date.now(),
): Promise<CreatedKey | undefined> {
  const { key, record } = newKey(input, now);
  const info = await store.createFirstApiKey(record);
  return info && { key, info };
}

/** A validated key record and its secret. */
function newKey(input: CreateKeyInput, now: number): { key: string; record: NewApiKey } {
  if (input.scopes.length === 0) throw new ValidationError("scopes", `name at least one of ${SCOPES.join(", ")}`);
  for (const [i, scope] of input.scopes.entries()) {
    if (!isScope(scope)) {
      throw new ValidationError(`scopes.${i}`, `unknown scope "${scope}" (known: ${SCOPES.join(", ")})`);
    }
  }
  const channel = input.channel?.trim() || "api";
  if (channel.length > 128) throw new ValidationError("channel", "must be at most 128 characters");
  const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const record: NewApiKey = {
    id: `key_${randomBytes(6).toString("hex")}`,
    name: input.name?.trim() || `${[...new Set(input.scopes)].join("+")} ${channel}`,
    hash: hashSecret(key),
    scopes: [...new Set(input.scopes)],
    channel,
    customer: input.customer ?? null,
    createdAt: now,
  };
  return { key, record };
}

/** What a client may see about a key (never the hash). */
export function publicKey(key: ApiKey): Omit<ApiKey, "hash"> {
  const { hash: _hash, ...rest } = key;
  return rest;
}

/** Short-lived cache of key lookups by hash. */
export class KeyCache {
  private readonly entries = new Map<string, { key: ApiKey | undefined; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  /** The live key whose secret is `secret`, or undefined. */
  async find(secret: string): Promise<ApiKey | undefined> {
    const hash = hashSecret(secret);
    const now = this.clock();
    const cached = this.entries.get(hash);
    if (cached && cached.until > now) return cached.key;
    const key = await this.store.findApiKeyByHash(hash);
    if (this.ttlMs > 0 && key) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(hash, { key, until: now + this.ttlMs });
    }
    return key;
  }

  /** Forgets every cached lookup (after a revocation). */
  clear(): void {
    this.entries.clear();
  }
}
