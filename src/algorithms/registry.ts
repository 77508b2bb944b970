/**
 * The algorithm registry: name → definition (config schema with documented
 * defaults, tuning search space, constructor, snapshot restorer). The list of
 * built-in algorithms lives in ./index.ts.
 */
import type { z } from "zod";
import { KindredError, ValidationError } from "../core/errors.js";
import type { ModelSnapshot } from "../core/snapshot.js";
import { parseWith } from "../core/validate.js";
import type { Recommender } from "./recommender.js";

/** One tunable parameter. `log` samples on a log scale. */
export type ParamSpace =
  | { readonly type: "int"; readonly low: number; readonly high: number; readonly log?: boolean }
  | { readonly type: "float"; readonly low: number; readonly high: number; readonly log?: boolean }
  | { readonly type: "choice"; readonly values: readonly (string | number | boolean)[] };

export type SearchSpace = Readonly<Record<string, ParamSpace>>;

export interface AlgorithmDefinition<C extends object = Record<string, unknown>> {
  readonly kind: string;
  /** One line for `--help` and the docs. */
  readonly summary: string;
  /** "rating" models predict on the rating scale; "ranking" models give preference scores only. */
  readonly task: "rating" | "ranking";
  /** Validates and fills defaults; each field `.describe()`d. */
  readonly configSchema: z.ZodType<C>;
  readonly searchSpace: SearchSpace;
  create(config: C): Recommender<C>;
  /** Rebuilds a fitted model from its snapshot, bit-identical, without refitting. */
  restore(snapshot: ModelSnapshot): Recommender<C>;
}

export class AlgorithmRegistry {
  // biome-ignore lint/suspicious/noExplicitAny: definitions of differing config types share one map
  private readonly byKind = new Map<string, AlgorithmDefinition<any>>();

  register<C extends object>(definition: AlgorithmDefinition<C>): this {
    if (this.byKind.has(definition.kind)) {
      throw new KindredError("INTERNAL", `algorithm "${definition.kind}" is registered twice`);
    }
    this.byKind.set(definition.kind, definition);
    return this;
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  has(kind: string): boolean {
    return this.byKind.has(kind);
  }

  /** The definition, or a ValidationError on field `algorithm` listing the known names. */
  get(kind: string): AlgorithmDefinition {
    const definition = this.byKind.get(kind);
    if (!definition) {
      throw new ValidationError("algorithm", `unknown algorithm "${kind}" (known: ${this.kinds().join(", ")})`);
    }
    return definition;
  }

  /** Validates `config` against the algorithm's schema (errors name `params.<kind>.<field>`) and creates it. */
  create(kind: string, config: unknown = {}): Recommender {
    const definition = this.get(kind);
    return definition.create(parseWith(definition.configSchema, config ?? {}, `params.${kind}`));
  }

  /** Validated config with defaults filled in. */
  resolveConfig(kind: string, config: unknown = {}): Record<string, unknown> {
    const definition = this.get(kind);
    return parseWith(definition.configSchema, config ?? {}, `params.${kind}`) as Record<string, unknown>;
  }

  restore(snapshot: ModelSnapshot): Recommender {
    return this.get(snapshot.kind).restore(snapshot);
  }
}
