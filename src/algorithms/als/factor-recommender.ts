/**
 * What `als` and `ials` share as Recommenders: scoring, explaining and
 * similar items through a fitted FactorModel, the snapshot layout, and the
 * "not fitted" guard. Each subclass supplies its config, its fit, and how a
 * query's history and feedback become evidence for fold-in.
 */

import type { Dataset } from "../../core/dataset.js";
import type { ModelSnapshot } from "../../core/snapshot.js";
import { DEFAULT_SCALE, type RatingScale } from "../../core/types.js";
import { fitted } from "../classic/fit-guard.js";
import { LikedItems } from "../classic/positive-evidence.js";
import type { Explanation, FitOptions, FitReport, Query, Recommender } from "../recommender.js";
import { type Evidence, FactorModel, type UserVector } from "./factor-model.js";
import type { AlsParams } from "./problem.js";
import { checkSnapshotHeader, factorSnapshotArrays, readFactorArrays } from "./snapshot.js";

export abstract class FactorRecommender<C extends { readonly factors: number }> implements Recommender<C> {
  abstract readonly kind: string;
  protected model: FactorModel | null = null;
  /** The training data's rating scale (its midpoint is the floor of a liked rating); set by fit and restore. */
  protected scale: Pick<RatingScale, "min" | "max"> = DEFAULT_SCALE;

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
  private resolved = new WeakMap<Query, Resolved>();

  private resolve(query: Query): Resolved {
    const m = fitted(this.model, this.kind);
    const held = this.resolved.get(query);
    if (held && held.model === m) return held;
    let folded = false;
    const user = m.resolve(query, (q) => {
      const evidence = this.evidence(q);
      folded = evidence !== null;
      return evidence;
    });
    const resolved: Resolved = { model: m, user, folded };
    this.resolved.set(query, resolved);
    return resolved;
  }

  /**
   * What the customer liked, for explanations (classic/positive-evidence.ts): their current ratings and
   * feedback when the query was folded in, else their training evidence. Kept with the resolved query.
   */
  private likedOf(query: Query, resolved: Resolved): LikedItems {
    if (resolved.liked === undefined) {
      resolved.liked = resolved.folded
        ? LikedItems.of(query.history, query.feedback, this.scale)
        : resolved.user === null
          ? LikedItems.NONE
          : resolved.model.fittedLiked(query.user ?? -1, this.scale);
    }
    return resolved.liked;
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const { model, user } = this.resolve(query);
    return model.score(user, items, out);
  }

  /** Only the customer's liked items that raise this item's score, most first; empty when none does. */
  explain(query: Query, item: number): Explanation {
    const resolved = this.resolve(query);
    return resolved.model.explain(resolved.user, item, this.likedOf(query, resolved));
  }

  /** Every term of the score's decomposition over the customer's items (the model's arithmetic, not for customers). */
  decompose(query: Query, item: number): Explanation {
    const { model, user } = this.resolve(query);
    return model.decompose(user, item);
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
        scaleMin: this.scale.min,
        scaleMax: this.scale.max,
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
    const { scaleMin, scaleMax } = snapshot.meta;
    // Snapshots from before the scale was kept: the default 1–5 scale.
    this.scale =
      typeof scaleMin === "number" && typeof scaleMax === "number" ? { min: scaleMin, max: scaleMax } : DEFAULT_SCALE;
    this.model = new FactorModel(p, arrays, range);
  }
}

/** A query's user vector against one fitted model, and (once asked) what the customer liked. */
interface Resolved {
  readonly model: FactorModel;
  readonly user: UserVector | null;
  /** The user vector was folded in from the query's own evidence (not the fitted row). */
  readonly folded: boolean;
  liked?: LikedItems;
}
