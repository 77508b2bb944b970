/**
 * styles(): the customer's affinity to each category (genre, style), as on
 * Firefly, which recommended styles as well as albums. Affinity = the mean
 * predicted score (over the fallback chain) of the category's available items
 * the customer has not rated; beside it, how many of the category's items
 * they rated and their mean rating. Highest affinity first; categories with
 * nothing left to predict are left out.
 */
import { scoreChain } from "./chain-scores.js";
import { chainFor } from "./config.js";
import type { Engine } from "./engine.js";
import { algorithmOptionsSchema, parseId, parseWith } from "./inputs.js";
import { candidatePositions, checkFilters } from "./recommend.js";
import type { StylesResult } from "./types.js";

export async function styles(
  engine: Engine,
  rawCustomer: string,
  rawOptions: { domain?: string; algorithm?: string } = {},
): Promise<StylesResult> {
  const customer = parseId(rawCustomer, "customer");
  const o = parseWith(algorithmOptionsSchema, rawOptions, "options");
  await engine.refresh();
  const [catalogue, state] = await Promise.all([engine.catalogue(), engine.customer(customer)]);
  checkFilters(catalogue, o.domain);
  const chain = await engine.chain(chainFor(engine.options, o.algorithm, "predict"), state, catalogue, o.algorithm);
  // Unrated = not rated; bought items still count as candidates for affinity.
  const unrated = { ...state, seen: new Set(state.ratings.keys()) };
  const { scores } = scoreChain(chain, catalogue, candidatePositions(catalogue, unrated, o.domain, undefined, false));
  const inDomain = catalogue.excluded(o.domain);
  const out: StylesResult["styles"] = [];
  for (const [category, positions] of catalogue.categories()) {
    let sum = 0;
    let n = 0;
    let ratedSum = 0;
    let rated = 0;
    for (let k = 0; k < positions.length; k++) {
      const p = positions[k]!;
      const item = catalogue.items[p]!;
      const mine = state.ratings.get(item.id);
      if (mine !== undefined && (o.domain === undefined || item.domain === o.domain)) {
        ratedSum += mine;
        rated++;
        continue;
      }
      if (inDomain[p] !== 0) continue;
      const s = scores[p]!;
      if (Number.isNaN(s)) continue;
      sum += s;
      n++;
    }
    if (n === 0) continue;
    out.push({ category, affinity: sum / n, rated, ratedMean: rated > 0 ? ratedSum / rated : null });
  }
  out.sort((a, b) => b.affinity - a.affinity || a.category.localeCompare(b.category));
  return { customer, styles: out };
}
