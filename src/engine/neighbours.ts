/**
 * neighbors(): the customers whose tastes are closest (user-based models,
 * default user-knn), computed from the customer's current ratings (fold-in),
 * so a brand-new customer with a few ratings has neighbours too. Forgotten
 * customers are never listed.
 *
 * similar(): the items most like one item (item-based or factor models,
 * default item-knn); unavailable items are left out.
 */
import { ValidationError } from "../core/errors.js";
import type { Engine } from "./engine.js";
import { queryFor } from "./fold-in.js";
import { kOptionsSchema, parseId, parseWith } from "./inputs.js";
import { positionsCatalogue } from "./predict.js";
import type { NeighborsResult, SimilarResult } from "./types.js";

export async function neighbors(
  engine: Engine,
  rawCustomer: string,
  rawOptions: { k?: number; algorithm?: string } = {},
): Promise<NeighborsResult> {
  const customer = parseId(rawCustomer, "customer");
  const o = parseWith(kOptionsSchema, rawOptions, "options");
  const kind = o.algorithm ?? "user-knn";
  await engine.refresh();
  const [state, bundle] = await Promise.all([engine.customer(customer), engine.host.get(kind)]);
  if (!bundle.model.neighbors) {
    throw new ValidationError("algorithm", `${kind} does not find neighbouring customers (use user-knn)`);
  }
  // Ask for a few extra: the customer themself and forgotten customers are dropped.
  const found = bundle.model.neighbors(queryFor(state, bundle.users, bundle.items), o.k + 5);
  const ids = found.map((n) => bundle.users.external(n.user));
  const names = await engine.names(ids);
  const out: NeighborsResult["neighbors"] = [];
  found.forEach((n, k) => {
    const id = ids[k]!;
    if (id === customer || !names.has(id) || out.length >= o.k) return;
    out.push({ customer: id, similarity: n.similarity, overlap: n.overlap });
  });
  return { customer, neighbors: out };
}

export async function similar(
  engine: Engine,
  rawItem: string,
  rawOptions: { k?: number; algorithm?: string } = {},
): Promise<SimilarResult> {
  const item = parseId(rawItem, "item");
  const o = parseWith(kOptionsSchema, rawOptions, "options");
  const kind = o.algorithm ?? "item-knn";
  await engine.refresh();
  const [catalogue, bundle] = await Promise.all([positionsCatalogue(engine, [item]), engine.host.get(kind)]);
  if (!bundle.model.similarItems) {
    throw new ValidationError("algorithm", `${kind} does not find similar items (use item-knn or a factor model)`);
  }
  const dense = bundle.items.get(item);
  if (dense < 0) return { item, items: [] };
  const found = bundle.model.similarItems(dense, o.k * 2 + 10);
  const out: SimilarResult["items"] = [];
  for (let k = 0; k < found.items.length && out.length < o.k; k++) {
    const id = bundle.items.external(found.items[k]!);
    const p = catalogue.ids.get(id);
    if (id === item || p < 0 || catalogue.available[p] === 0) continue;
    out.push({ item: id, title: catalogue.items[p]!.title, similarity: found.similarities[k]! });
  }
  return { item, items: out };
}
