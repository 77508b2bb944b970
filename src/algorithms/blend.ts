/**
 * `blend`: a stacked linear blend of any registered rating models (Wolpert
 * 1992, "Stacked generalization"; as in the Netflix Prize blends, Töscher,
 * Jahrer & Bell 2009):
 *
 *   r̂_ui = clamp(Σ_g f_g(u, i)·(w_g0 + Σ_m w_gm·ŝ_m(u, i))),
 *   w = argmin Σ_(u,i)∈H (r_ui − r̂_ui)² + λ‖w‖²   (ridge; the plain intercept w_00 is free),
 *
 * where H is a seeded random slice of the TRAINING ratings held out while the
 * members are fitted on the rest; the members are then refitted on all the
 * training data. The meta-features f are 1 and the chosen ones of: the
 * log(1 + ratings) of the customer and of the item, and the spread (standard
 * deviation) of their ratings, each centred, so the weights can lean on
 * different members for newcomers and regulars, for divisive items and
 * consensus ones (feature-weighted linear stacking, Sill, Takács, Mackey & Lin 2009). A member that cannot score a pair
 * (NaN) contributes its mean held-out prediction instead, in fitting and
 * scoring alike; members may be rating or ranking models (a ranking score is
 * one more feature).
 * Cost: fit = twice each member's fit + scoring H + O(|H|·(3M)²); score = the
 * members' scores + O(M) per item. Fold-in, explain and similar items come
 * from the members.
 */
import { z } from "zod";
import { nnz } from "../core/csr.js";
import type { Dataset } from "../core/dataset.js";
import { KindredError, ValidationError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { decodeSnapshot, encodeSnapshot, type ModelSnapshot, type NumericArray } from "../core/snapshot.js";
import { parseWith } from "../core/validate.js";
import { checkSnapshotHeader, snapshotArray } from "./als/snapshot.js";
import {
  equalWeights,
  holdoutRatings,
  type MetaFeature,
  predictHeld,
  type RatingStats,
  ratingStats,
  rawMeta,
  ridgeWeights,
  spread,
  writeFeatures,
} from "./blend/stacking.js";
import { fitted, throwIfAborted } from "./classic/fit-guard.js";
import type { Explanation, FitOptions, FitReport, Query, Recommender } from "./recommender.js";
import type { AlgorithmDefinition, AlgorithmRegistry } from "./registry.js";

const META_FEATURES = ["userSupport", "itemSupport", "userSpread", "itemSpread"] as const satisfies MetaFeature[];

const memberSchema = z.strictObject({
  kind: z.string().min(1).describe("Registry name of a rating algorithm."),
  params: z.record(z.string(), z.unknown()).default({}).describe("Its config (defaults otherwise)."),
});

// Chosen on 2 folds of a 5-fold split inside u1.base (bench/mf-als.ts --tune → bench/results/mf-als.tune.md),
// the fewest members within 0.002 RMSE of the best set: SVD++ and the implicit-feedback ials add most; more
// members (svd, ease, pearson-baseline neighbours, a second ials) gain less than 0.002, and so does user-knn
// (0.8972 without it, 0.8960 with), which was the slowest member to score (a third of the blend's predict time).
export const DEFAULT_MEMBERS = [
  { kind: "baseline", params: {} },
  { kind: "item-knn", params: {} },
  { kind: "als", params: {} },
  { kind: "svdpp", params: {} },
  { kind: "ials", params: {} },
];

export const blendConfigSchema = z.strictObject({
  members: z
    .array(memberSchema)
    .min(1)
    .max(32)
    .default(DEFAULT_MEMBERS)
    .describe("The models to blend: a list of {kind, params}."),
  holdout: z
    .number()
    .min(0.02)
    .max(0.5)
    .default(0.2)
    .describe("Share of the training ratings held out to fit the blend weights."),
  ridge: z.number().nonnegative().max(1e9).default(10).describe("λ of the ridge regression on the member weights."),
  meta: z
    .array(z.enum(META_FEATURES))
    .max(4)
    .default(["userSupport", "itemSupport", "userSpread", "itemSpread"])
    .describe(
      "Meta-features the weights may vary with (feature-weighted stacking, Sill et al. 2009): log(1 + ratings) and rating spread of the customer and of the item.",
    ),
  clamp: z.boolean().default(true).describe("Clip blended predictions to the rating scale."),
});
export type BlendConfig = z.output<typeof blendConfigSchema>;

const KIND = "blend";
const VERSION = 1;

interface BlendState {
  readonly members: readonly Recommender[];
  /** Feature weights: meta-feature g major, then [intercept, member 1..M]. */
  readonly weights: Float64Array;
  /** Per member: the value standing in for a NaN score (its mean held-out prediction). */
  readonly fill: Float64Array;
  /** Rating counts and spreads per customer and per item in the training data. */
  readonly stats: RatingStats;
  /** Centre of each meta-feature (its mean over the held-out pairs). */
  readonly centres: Float64Array;
  readonly clamp: readonly [number, number] | null;
}

export class Blend implements Recommender<BlendConfig> {
  readonly kind = KIND;
  private state: BlendState | null = null;
  // Scoring scratch, grown on demand: one member's scores, every member's scores (NaN filled) per item, whether
  // any member scored the item, and one pair's meta-features.
  private buffer = new Float32Array(0);
  private memberScores = new Float64Array(0);
  private scored = new Uint8Array(0);
  private meta = new Float64Array(0);

  constructor(
    readonly config: BlendConfig,
    private readonly registry: () => AlgorithmRegistry,
  ) {
    config.members.forEach((member, m) => {
      const field = `params.blend.members.${m}`;
      const known = registry();
      if (!known.has(member.kind)) {
        throw new ValidationError(
          `${field}.kind`,
          `unknown algorithm "${member.kind}" (known: ${known.kinds().join(", ")})`,
        );
      }
      if (member.kind === KIND) throw new ValidationError(`${field}.kind`, "a blend cannot contain a blend");
      try {
        known.resolveConfig(member.kind, member.params);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const inner = (error.field ?? "").replace(`params.${member.kind}`, "");
        throw new ValidationError(`${field}.params${inner}`, error.message.replace(/^[^:]*: /, ""), error);
      }
    });
  }

  private get metaCount(): number {
    return 1 + this.config.meta.length;
  }

  private createMembers(): Recommender[] {
    return this.config.members.map((m) => this.registry().create(m.kind, m.params));
  }

  /** Meta-features of a pair: 1, then the chosen features, centred. */
  private metaOf(out: Float64Array, user: [number, number], item: number, s: RatingStats, centres: Float64Array): void {
    out[0] = 1;
    this.config.meta.forEach((feature, f) => {
      out[f + 1] = rawMeta(feature, user[0], user[1], item, s) - centres[f]!;
    });
  }

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    const start = performance.now();
    throwIfAborted(options.signal, KIND);
    if (data.ratingCount === 0) throw new ValidationError("data.ratings", "blend needs at least one rating to fit");
    const rng = options.rng ?? new Rng(42);
    const { rest, held } = holdoutRatings(data, this.config.holdout, rng.fork());
    const count = this.config.members.length;
    const heldCount = nnz(held);
    const memberOptions = (): FitOptions => ({ ...options, rng: rng.fork(), onEpoch: undefined });
    // Stage 1: members fitted without the held-out slice, and their predictions of it.
    const predictions = new Float64Array(heldCount * count);
    const fill = new Float64Array(count);
    const probes = this.createMembers();
    for (let m = 0; m < count; m++) {
      throwIfAborted(options.signal, KIND);
      await probes[m]!.fit(rest, memberOptions());
      fill[m] = predictHeld(probes[m]!, held, predictions, m, count);
      options.onEpoch?.({ epoch: m + 1, epochs: 2 * count });
    }
    // Stage 2: ridge regression of the held-out ratings on the features.
    const restStats = ratingStats(rest.ratings);
    const centres = new Float64Array(this.config.meta.length);
    const meta = new Float64Array(this.metaCount);
    const userOf = (u: number): [number, number] => [restStats.userCount[u]!, restStats.userSpread[u]!];
    for (let u = 0; u < held.rows; u++) {
      for (let p = held.indptr[u]!; p < held.indptr[u + 1]!; p++) {
        this.metaOf(meta, userOf(u), held.indices[p]!, restStats, centres);
        for (let f = 0; f < centres.length; f++) centres[f]! += meta[f + 1]! / heldCount;
      }
    }
    const width = this.metaCount * (count + 1);
    const features = new Float64Array(heldCount * width);
    for (let u = 0; u < held.rows; u++) {
      for (let p = held.indptr[u]!; p < held.indptr[u + 1]!; p++) {
        this.metaOf(meta, userOf(u), held.indices[p]!, restStats, centres);
        writeFeatures(features, p * width, meta, predictions.subarray(p * count, (p + 1) * count));
      }
    }
    const weights =
      heldCount > 0 ? ridgeWeights(features, held.values, width, this.config.ridge) : equalWeights(count, width);
    // Stage 3: members refitted on all the training data.
    const members = this.createMembers();
    for (let m = 0; m < count; m++) {
      throwIfAborted(options.signal, KIND);
      await members[m]!.fit(data, memberOptions());
      options.onEpoch?.({ epoch: count + m + 1, epochs: 2 * count });
    }
    this.state = {
      members,
      weights,
      fill,
      stats: ratingStats(data.ratings),
      centres,
      clamp: this.config.clamp ? [data.scale.min, data.scale.max] : null,
    };
    const details: Record<string, number> = { held: heldCount, intercept: weights[0]! };
    this.config.members.forEach((m, i) => {
      details[`weight.${i}.${m.kind}`] = weights[i + 1]!;
    });
    return { seconds: (performance.now() - start) / 1000, details };
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const s = fitted(this.state, KIND);
    const result = out ?? new Float32Array(items.length);
    const count = s.members.length;
    const n = items.length;
    if (this.buffer.length < n) {
      this.buffer = new Float32Array(n);
      this.memberScores = new Float64Array(n * count);
      this.scored = new Uint8Array(n);
    }
    const { buffer, memberScores: scores, scored } = this;
    scored.fill(0, 0, n);
    for (let m = 0; m < count; m++) {
      const got = s.members[m]!.score(query, items, buffer.subarray(0, n));
      const fill = s.fill[m]!;
      for (let t = 0; t < n; t++) {
        const v = got[t]!;
        if (Number.isFinite(v)) scored[t] = 1;
        scores[t * count + m] = Number.isFinite(v) ? v : fill;
      }
    }
    const [userCount, userSpread] = this.userStats(query, s.stats);
    const features = this.config.meta;
    const groups = this.metaCount;
    const weights = s.weights;
    if (this.meta.length !== groups) this.meta = new Float64Array(groups);
    const meta = this.meta;
    meta[0] = 1;
    for (let t = 0; t < n; t++) {
      if (scored[t] === 0) {
        result[t] = Number.NaN;
        continue;
      }
      const i = items[t]!;
      for (let f = 0; f < features.length; f++) {
        meta[f + 1] = rawMeta(features[f]!, userCount, userSpread, i, s.stats) - s.centres[f]!;
      }
      // Σ_c w_c·x_c over the features of writeFeatures() (f, then f·ŝ_m per member, for each meta-feature g),
      // in the same order and arithmetic, without writing the row out.
      let v = 0;
      let c = 0;
      const at = t * count;
      for (let g = 0; g < groups; g++) {
        const f = meta[g]!;
        v += weights[c++]! * f;
        for (let m = 0; m < count; m++) v += weights[c++]! * (f * scores[at + m]!);
      }
      result[t] = s.clamp ? Math.min(s.clamp[1], Math.max(s.clamp[0], v)) : v;
    }
    return result;
  }

  /** The customer's rating count and spread: from the query's usable history (fold-in), else the training data. */
  private userStats(query: Query, stats: RatingStats): [number, number] {
    const h = query.history;
    if (h) {
      let n = 0;
      let sum = 0;
      let squares = 0;
      for (let t = 0; t < h.items.length; t++) {
        const i = h.items[t]!;
        const v = h.values[t]!;
        if (!(i >= 0 && i < stats.itemCount.length && Number.isFinite(v))) continue;
        n++;
        sum += v;
        squares += v * v;
      }
      return [n, spread(n, sum, squares)];
    }
    const u = query.user ?? -1;
    if (!(Number.isInteger(u) && u >= 0 && u < stats.userCount.length)) return [0, 0];
    return [stats.userCount[u]!, stats.userSpread[u]!];
  }

  /** The explanation of the member with the largest (plain) weight that explains. */
  explain(query: Query, item: number): Explanation {
    const s = fitted(this.state, KIND);
    const member = this.byWeight(s).find((m) => m.explain);
    return (
      member?.explain?.(query, item) ?? {
        kind: "items",
        items: new Int32Array(0),
        values: new Float32Array(0),
        weights: new Float32Array(0),
      }
    );
  }

  similarItems(item: number, k: number): { items: Int32Array; similarities: Float32Array } {
    const s = fitted(this.state, KIND);
    const member = this.byWeight(s).find((m) => m.similarItems);
    return member?.similarItems?.(item, k) ?? { items: new Int32Array(0), similarities: new Float32Array(0) };
  }

  private byWeight(s: BlendState): Recommender[] {
    return s.members
      .map((member, m) => ({ member, w: s.weights[m + 1]! }))
      .sort((a, b) => b.w - a.w)
      .map((x) => x.member);
  }

  snapshot(): ModelSnapshot {
    const s = fitted(this.state, KIND);
    const arrays: Record<string, NumericArray> = {
      weights: s.weights,
      fill: s.fill,
      userCount: s.stats.userCount,
      userSpread: s.stats.userSpread,
      itemCount: s.stats.itemCount,
      itemSpread: s.stats.itemSpread,
      centres: s.centres,
    };
    s.members.forEach((member, m) => {
      arrays[`member${m}`] = encodeSnapshot(member.snapshot());
    });
    return {
      kind: KIND,
      version: VERSION,
      config: { ...this.config },
      meta: { clamp: s.clamp ? [s.clamp[0], s.clamp[1]] : null },
      arrays,
    };
  }

  static restore(snapshot: ModelSnapshot, registry: () => AlgorithmRegistry): Blend {
    checkSnapshotHeader(snapshot, KIND, VERSION);
    const model = new Blend(parseWith(blendConfigSchema, snapshot.config, "snapshot.config"), registry);
    const count = model.config.members.length;
    const members = model.config.members.map((m, i) => {
      const member = registry().restore(decodeSnapshot(snapshotArray(snapshot, KIND, `member${i}`, Uint8Array)));
      if (member.kind !== m.kind) {
        throw new KindredError("INVALID_INPUT", `blend snapshot: member ${i} is "${member.kind}", not "${m.kind}"`, {
          field: "snapshot",
        });
      }
      return member;
    });
    const clamp = snapshot.meta.clamp;
    model.state = {
      members,
      weights: snapshotArray(snapshot, KIND, "weights", Float64Array, model.metaCount * (count + 1)),
      fill: snapshotArray(snapshot, KIND, "fill", Float64Array, count),
      stats: {
        userCount: snapshotArray(snapshot, KIND, "userCount", Int32Array),
        userSpread: snapshotArray(snapshot, KIND, "userSpread", Float32Array),
        itemCount: snapshotArray(snapshot, KIND, "itemCount", Int32Array),
        itemSpread: snapshotArray(snapshot, KIND, "itemSpread", Float32Array),
      },
      centres: snapshotArray(snapshot, KIND, "centres", Float64Array, model.config.meta.length),
      clamp: Array.isArray(clamp) ? [Number(clamp[0]), Number(clamp[1])] : null,
    };
    return model;
  }
}

/**
 * The blend's definition, given how to reach the registry its members come
 * from (a function, so that the registry can list the blend without an import cycle).
 */
export function createBlendDefinition(registry: () => AlgorithmRegistry): AlgorithmDefinition<BlendConfig> {
  return {
    kind: KIND,
    summary: "A stacked linear blend of rating models, ridge weights fitted on held-out training ratings.",
    task: "rating",
    configSchema: blendConfigSchema,
    searchSpace: {
      ridge: { type: "float", low: 0.01, high: 1000, log: true },
      holdout: { type: "float", low: 0.1, high: 0.3 },
    },
    create: (config) => new Blend(config, registry),
    restore: (snapshot) => Blend.restore(snapshot, registry),
  };
}

export { holdoutRatings, ridgeWeights };
