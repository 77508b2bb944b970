/**
 * The built-in algorithms. Adding one = one file in this folder exporting an
 * AlgorithmDefinition, plus one line in BUILT_IN below.
 */
import { alsDefinition } from "./als.js";
import { baselineDefinition } from "./baseline.js";
import { createBlendDefinition } from "./blend.js";
import { bprDefinition } from "./bpr.js";
import { easeDefinition } from "./ease.js";
import { ialsDefinition } from "./ials.js";
import { itemCfDefinition } from "./item-cf.js";
import { itemKnnDefinition } from "./item-knn.js";
import { popularDefinition } from "./popular.js";
import { AlgorithmRegistry } from "./registry.js";
import { slopeOneDefinition } from "./slope-one.js";
import { svdDefinition } from "./svd.js";
import { svdppDefinition } from "./svdpp.js";
import { userKnnDefinition } from "./user-knn.js";

// biome-ignore lint/suspicious/noExplicitAny: definitions of differing config types
const BUILT_IN: Array<import("./registry.js").AlgorithmDefinition<any>> = [
  // popular, baseline, user-knn, item-knn, ... (one line each)
  popularDefinition,
  baselineDefinition,
  userKnnDefinition,
  itemKnnDefinition,
  itemCfDefinition,
  alsDefinition,
  ialsDefinition,
  easeDefinition,
  createBlendDefinition(() => registry), // members come from the shared registry (read lazily: no cycle)
  svdDefinition,
  svdppDefinition,
  bprDefinition,
  slopeOneDefinition,
];

/** A registry holding every built-in algorithm. */
export function createRegistry(): AlgorithmRegistry {
  const registry = new AlgorithmRegistry();
  for (const definition of BUILT_IN) registry.register(definition);
  return registry;
}

/** The shared default registry. */
export const registry: AlgorithmRegistry = createRegistry();

export type { Explanation, FitOptions, FitReport, Query, Recommender } from "./recommender.js";
export type { AlgorithmDefinition, ParamSpace, SearchSpace } from "./registry.js";
