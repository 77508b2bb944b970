/**
 * Row ↔ object mapping shared by every driver. Drivers select columns in the
 * orders documented here and read rows as arrays (SQLite `.raw()`, pg
 * `rowMode: "array"`): no per-row column-name lookups on the hot paths.
 * JSON columns arrive as text (SQLite) or parsed (PostgreSQL jsonb); 64-bit
 * integers may arrive as strings (pg int8): `Number()` handles both.
 */
import { ValidationError } from "../../core/errors.js";
import type { Customer, Domain, EventType, Item, StoredEvent } from "../../core/types.js";
import type { ApiKey, ModelInfo } from "../store.js";

type Row = readonly unknown[];

function json<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** Columns: name, scale_min, scale_max, scale_step. */
export function domainFromRow(r: Row): Domain {
  return { name: r[0] as string, scale: { min: Number(r[1]), max: Number(r[2]), step: Number(r[3]) } };
}

/** The item columns every driver selects, in the order itemFromRow reads them. */
export const ITEM_COLUMNS = "external_id, title, domain, categories, attributes, available";

/** Columns: ITEM_COLUMNS. */
export function itemFromRow(r: Row): Item {
  return {
    id: r[0] as string,
    title: (r[1] as string | null) ?? null,
    domain: r[2] as string,
    categories: json<string[]>(r[3]),
    attributes: json<Record<string, unknown>>(r[4]),
    available: r[5] === true || r[5] === 1,
  };
}

/** The customer columns every driver selects, in the order customerFromRow reads them. */
export const CUSTOMER_COLUMNS = "external_id, attributes, specs, created_at";

/** Columns: CUSTOMER_COLUMNS. */
export function customerFromRow(r: Row): Customer {
  return {
    id: r[0] as string,
    attributes: json<Record<string, unknown>>(r[1]),
    specs: json<Record<string, unknown>>(r[2]),
    createdAt: Number(r[3]),
  };
}

/** Columns: seq, customer external_id, item external_id, type, value, quantity, amount, ts, channel, event_id. */
export function eventFromRow(r: Row): StoredEvent {
  return {
    customer: r[1] as string,
    item: r[2] as string,
    type: r[3] as EventType,
    value: nullableNumber(r[4]),
    quantity: nullableNumber(r[5]),
    amount: nullableNumber(r[6]),
    timestamp: Number(r[7]),
    channel: r[8] as string,
    eventId: (r[9] as string | null) ?? null,
    seq: Number(r[0]),
  };
}

/** Columns: id, kind, created_at, active, trained_through_seq, meta, length of bytes. */
export function modelFromRow(r: Row): ModelInfo {
  return {
    id: Number(r[0]),
    kind: r[1] as string,
    createdAt: Number(r[2]),
    active: r[3] === true || r[3] === 1,
    trainedThroughSeq: Number(r[4]),
    meta: json<Record<string, unknown>>(r[5]),
    bytes: Number(r[6]),
  };
}

/** Columns: id, name, hash, scopes, channel, customer, created_at, revoked_at. */
export function apiKeyFromRow(r: Row): ApiKey {
  return {
    id: r[0] as string,
    name: r[1] as string,
    hash: r[2] as string,
    scopes: json<string[]>(r[3]),
    channel: r[4] as string,
    customer: (r[5] as string | null) ?? null,
    createdAt: Number(r[6]),
    revokedAt: nullableNumber(r[7]),
  };
}

/** JSON text of a value the caller handed us; ValidationError naming `field` when it cannot be JSON. */
export function toJson(value: unknown, field: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ValidationError(field, `is not JSON-serialisable (${(error as Error).message})`, error);
  }
  if (text === undefined) throw new ValidationError(field, "is not JSON-serialisable");
  return text;
}

/** One entry per key, the last one given winning (a batch that names an id twice upserts once). */
export function lastByKey<T>(list: readonly T[], key: (entry: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const entry of list) byKey.set(key(entry), entry);
  return [...byKey.values()];
}

/** Non-negative integer cursor; ValidationError otherwise. */
export function checkSeq(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new ValidationError(field, `${value} is not a seq (≥ 0)`);
  return value;
}

/** Positive integer limit or undefined. */
export function checkLimit(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0) throw new ValidationError(field, `${value} is not a count (≥ 0)`);
  return value;
}
