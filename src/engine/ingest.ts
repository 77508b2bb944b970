/**
 * Writing what customers and the business tell us, validated in full before
 * anything is written: one bad event (malformed, or a rating off its item's
 * domain scale) rejects the whole batch with a ValidationError naming it,
 * e.g. `events[3].value: 7 is off the scale of domain "default" (1 to 5 in steps of 1)`.
 * put* with an empty list writes nothing and succeeds; addEvents with an empty
 * batch is a ValidationError (an empty import is almost always a mistake).
 */
import { ValidationError } from "../core/errors.js";
import { DEFAULT_DOMAIN, DEFAULT_SCALE, type Domain, type NewEvent, type RatingScale } from "../core/types.js";
import { checkOnScale, parseCustomer, parseDomain, parseEvent, parseItem } from "../core/validate.js";
import type { AppendResult, Store } from "../storage/store.js";
import { appendGrouped } from "./group-commit.js";

const LOOKUP_CHUNK = 500;

function requireArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(field, "must be an array");
  return value;
}

export async function writeDomains(store: Store, raw: unknown): Promise<void> {
  const domains = requireArray(raw, "domains").map((d, i) => parseDomain(d, `domains[${i}]`));
  if (domains.length > 0) await store.upsertDomains(domains);
}

export async function writeItems(store: Store, raw: unknown): Promise<void> {
  const items = requireArray(raw, "items").map((item, i) => parseItem(item, `items[${i}]`));
  if (items.length === 0) return;
  // A domain named by an item but never declared gets the default 1–5 scale (declare it first for another).
  const known = new Set((await store.listDomains()).map((d) => d.name));
  const missing = [...new Set(items.map((item) => item.domain))].filter((name) => !known.has(name));
  if (missing.length > 0) await store.upsertDomains(missing.map((name) => ({ name, scale: DEFAULT_SCALE })));
  await store.upsertItems(items);
}

export async function writeCustomers(store: Store, raw: unknown): Promise<void> {
  const now = Date.now();
  const customers = requireArray(raw, "customers").map((c, i) => parseCustomer(c, `customers[${i}]`, now));
  if (customers.length > 0) await store.upsertCustomers(customers);
}

/** Validates events (shape, then each rating against its item's domain scale) and appends them in one go. */
export async function writeEvents(
  store: Store,
  raw: unknown,
  channel: string,
  fieldOf: (index: number) => string = (i) => `events[${i}]`,
): Promise<{ result: AppendResult; events: NewEvent[] }> {
  const list = requireArray(raw, "events");
  if (list.length === 0) throw new ValidationError("events", "must contain at least one event");
  const now = Date.now();
  const events = list.map((e, i) => parseEvent(e, fieldOf(i), { channel, now }));
  await checkScales(store, events, fieldOf);
  // Concurrent small batches share one durable commit (group-commit.ts); each resolves once durable.
  return { result: await appendGrouped(store, events), events };
}

async function checkScales(store: Store, events: readonly NewEvent[], fieldOf: (index: number) => string) {
  const rated = [...new Set(events.filter((e) => e.type === "rating").map((e) => e.item))];
  if (rated.length === 0) return;
  const domainOf = new Map<string, string>();
  for (let k = 0; k < rated.length; k += LOOKUP_CHUNK) {
    for (const item of await store.getItems(rated.slice(k, k + LOOKUP_CHUNK))) domainOf.set(item.id, item.domain);
  }
  const scales = new Map<string, RatingScale>((await store.listDomains()).map((d: Domain) => [d.name, d.scale]));
  events.forEach((e, i) => {
    if (e.type !== "rating") return;
    // An item the store does not know yet will be created in the default domain.
    const domain = domainOf.get(e.item) ?? DEFAULT_DOMAIN;
    const field = fieldOf(i);
    checkOnScale(e.value!, scales.get(domain) ?? DEFAULT_SCALE, field ? `${field}.value` : "value", domain);
  });
}
