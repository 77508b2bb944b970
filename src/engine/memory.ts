/**
 * memory(): everything the business remembers about one customer, straight
 * from the store: who they are, their current ratings (latest per item,
 * newest first, with titles), purchases, channels, and the whole history.
 */
import { NotFoundError } from "../core/errors.js";
import type { StoredEvent } from "../core/types.js";
import type { Store } from "../storage/store.js";
import { parseId } from "./inputs.js";
import type { CustomerMemory } from "./types.js";

export async function memory(store: Store, rawCustomer: string): Promise<CustomerMemory> {
  const id = parseId(rawCustomer, "customer");
  const [customer, events] = await Promise.all([store.getCustomer(id), store.customerEvents(id)]);
  if (!customer) throw new NotFoundError("customer", id);
  const latest = new Map<string, StoredEvent>();
  const purchases = { count: 0, quantity: 0, amount: 0 };
  const channels: Record<string, number> = {};
  for (const e of events) {
    channels[e.channel] = (channels[e.channel] ?? 0) + 1;
    if (e.type === "rating") {
      latest.delete(e.item); // re-insert so the map's order is the order of the current ratings
      latest.set(e.item, e);
    } else if (e.type === "purchase") {
      purchases.count++;
      purchases.quantity += e.quantity ?? 1;
      purchases.amount += e.amount ?? 0;
    }
  }
  const items = await store.getItems([...latest.keys()]);
  const titles = new Map(items.map((item) => [item.id, item.title]));
  const ratings = [...latest.values()].reverse().map((e) => ({
    item: e.item,
    title: titles.get(e.item) ?? null,
    value: e.value ?? Number.NaN,
    timestamp: e.timestamp,
    channel: e.channel,
  }));
  return { customer, ratings, purchases, channels, events };
}
