/**
 * predict(): the chain's score of named items for one customer (no ranking,
 * no filters; unavailable and already-rated items are predicted too). An item
 * the store does not know is a NotFoundError; an item no model can score
 * gets score null.
 */
import { NotFoundError } from "../core/errors.js";
import type { Catalogue } from "./catalogue.js";
import { scoreChain } from "./chain-scores.js";
import { chainFor } from "./config.js";
import type { Engine } from "./engine.js";
import { algorithmOptionsSchema, itemListSchema, parseId, parseWith } from "./inputs.js";
import type { PredictResult } from "./types.js";

export async function predict(
  engine: Engine,
  rawCustomer: string,
  rawItems: string[],
  rawOptions: { algorithm?: string } = {},
): Promise<PredictResult> {
  const customer = parseId(rawCustomer, "customer");
  const items = parseWith(itemListSchema, rawItems, "items");
  const o = parseWith(algorithmOptionsSchema, rawOptions, "options");
  await engine.refresh();
  const kinds = chainFor(engine.options, o.algorithm, "predict");
  const [catalogue, state] = await Promise.all([positionsCatalogue(engine, items), engine.customer(customer)]);
  const chain = await engine.chain(kinds, state, catalogue, o.algorithm);
  const positions = Int32Array.from(new Set(items.map((item) => catalogue.ids.get(item))));
  const { scores, source } = scoreChain(chain, catalogue, positions);
  return {
    customer,
    predictions: items.map((item) => {
      const p = catalogue.ids.get(item);
      const s = scores[p]!;
      return Number.isNaN(s)
        ? { item, score: null, algorithm: null }
        : { item, score: s, algorithm: chain[source[p]!]!.bundle.kind };
    }),
  };
}

/** A catalogue that holds every named item: re-read once if one is missing; NotFoundError if the store lacks it. */
export async function positionsCatalogue(engine: Engine, items: readonly string[]): Promise<Catalogue> {
  let catalogue = await engine.catalogue();
  if (items.every((item) => catalogue.ids.has(item))) return catalogue;
  engine.invalidateCatalogue();
  catalogue = await engine.catalogue();
  const missing = items.find((item) => !catalogue.ids.has(item));
  if (missing !== undefined) throw new NotFoundError("item", missing);
  return catalogue;
}
