/**
 * What `als` and `ials` share as Recommenders: scoring, explaining and
 * similar items through a fitted FactorModel, the snapshot layout, and the
 * "not fitted" guard. Each subclass supplies its config, its fit, and how a
 * query's history and feedback become evidence for fold-in.
 */

import type { Dataset } from "../../core/dataset.js";
import type { ModelSnapshot } from "../../core/snapshot.js";
import { fitted } from "../classic/fit-guard.js";
import type { Explanation, FitOptions, FitReport, Query, Recommender } from "../recommender.js";
import { type Evidence, FactorModel, type UserVector } from "./factor-model.js";
import type { AlsParams } from "./problem.js";
import { checkSnapshotHeader, factorSnapshotArrays, readFactorArrays } from "./snapshot.js";

export abstract class FactorRecommender<C extends { readonly factors: number }> implements Recommender<C> {
  abstract readonly kind: string;
  protected model: FactorModel | null = null;

  constructor(readonly config: C) {}

  abstract fit(data: Dataset, options?: FitOptions): Promise<FitReport>;

  /** The query's own evidence (fold-in), or null to use the fitted vector of `query.user`. */
  protected abstract evidenceOf(query: Query, itemCount: number): Evidence | null;

  private readonly evidence = (query: Query): Evidence | null =>
    this.model === null ? null : this.evidenceOf(query, this.model.items);

  /**
   * The user vector of each query object, folded in once: an answer scores the catalogue and then explains
   * its top items with the same (immutable) query, and all of them share one solve and its factorisation.
   * Keyed by the query object and the model it was solved against (a restore or refit replaces the model).
   */
  private resolved = new WeakMap<Query, { readonly model: FactorModel; readonly user: UserVector | null }>();

  private resolve(query: Query): { m: FactorModel; user: UserVector | null } {
    const m = fitted(this.model, this.kind);
    const held = this.resolved.get(query);
    if (held && held.model === m) return { m, user: held.user };
    const user = m.resolve(query, this.evidence);
    this.resolved.set(query, { model: m, user });
    return { m, user };
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const { m, user } = this.resolve(query);
    return m.score(user, items, out);
  }

  explain(query: Query, item: number): Explanation {
    const { m, user } = this.resolve(query);
    return m.explain(user, item);
  }

  similarItems(item: number, k: number): { items: Int32Array; similarities: Float32Array } {
    return fitted(this.model, this.kind).similarItems(item, k);
  }

  protected snapshotWith(version: number): ModelSnapshot {
    const m = fitted(this.model, this.kind);
    return {
      kind: this.kind,
      version,
      config: { ...this.config },
      meta: {
        users: m.users,
        items: m.items,
        mean: m.params.mean,
        clamp: m.clamp ? [m.clamp[0], m.clamp[1]] : null,
      },
      arrays: factorSnapshotArrays(m.arrays),
    };
  }

  abstract snapshot(): ModelSnapshot;

  /** Rebuilds the fitted model from a snapshot this class wrote (after the subclass parsed the config). */
  protected restoreFrom(snapshot: ModelSnapshot, version: number, params: (mean: number) => AlsParams): void {
    const meta = checkSnapshotHeader(snapshot, this.kind, version);
    const p = params(meta("mean"));
    const withBias = p.mode === "explicit" && p.biases;
    const arrays = readFactorArrays(snapshot, this.kind, meta("users"), meta("items"), p.factors, withBias);
    const clamp = snapshot.meta.clamp;
    const range =
      Array.isArray(clamp) && typeof clamp[0] === "number" && typeof clamp[1] === "number"
        ? ([clamp[0], clamp[1]] as const)
        : undefined;
    this.model = new FactorModel(p, arrays, range);
  }
}
