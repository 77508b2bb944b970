/**
 * Test-only algorithms for the harness: an oracle that knows the held-out
 * items (a perfect ranking), and a model that scores training items highest
 * (to check that ranking skips them). Registered in a registry of their own.
 */
import { z } from "zod";
import type { Recommender } from "../../src/algorithms/recommender.js";
import { AlgorithmRegistry } from "../../src/algorithms/registry.js";
import { findInRow } from "../../src/core/csr.js";
import type { Dataset } from "../../src/core/dataset.js";

const config = z.strictObject({ bonus: z.number().default(1).describe("score of a favoured item") });
type Config = z.output<typeof config>;

/** Scores 1 + bonus for items in `favoured(user)`, 1 otherwise. */
function scorer(kind: string, favoured: (data: Dataset, user: number, item: number) => boolean) {
  return (cfg: Config): Recommender<Config> => {
    let data: Dataset | undefined;
    return {
      kind,
      config: cfg,
      async fit(d) {
        data = d;
        return { seconds: 0 };
      },
      score(query, items, out = new Float32Array(items.length)) {
        for (let j = 0; j < items.length; j++) {
          const u = query.user ?? -1;
          out[j] = u < 0 || !data ? Number.NaN : favoured(data, u, items[j]!) ? 1 + cfg.bonus : 1;
        }
        return out;
      },
      snapshot() {
        return { kind, version: 1, config: cfg, meta: {}, arrays: {} };
      },
    };
  };
}

/** Held-out (user external id → item external ids) the oracle cheats with. */
export const oracleAnswers = new Map<string, Set<string>>();

export function fixtureRegistry(): AlgorithmRegistry {
  const registry = new AlgorithmRegistry();
  const define = (kind: string, create: (c: Config) => Recommender<Config>) =>
    registry.register({
      kind,
      summary: kind,
      task: "ranking",
      configSchema: config,
      searchSpace: { bonus: { type: "float", low: 0.1, high: 10, log: true } },
      create,
      restore: () => {
        throw new Error("not needed");
      },
    });
  define(
    "oracle",
    scorer("oracle", (d, u, i) => oracleAnswers.get(d.users.external(u))?.has(d.items.external(i)) ?? false),
  );
  define(
    "own-items",
    scorer("own-items", (d, u, i) => findInRow(d.ratings, u, i) >= 0),
  );
  return registry;
}
