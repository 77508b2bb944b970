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
 * training data. The meta-features f are 1 and, with `support`, the centred
 * log(1 + ratings) of the customer and of the item, so the weights can lean on
 * different members for newcomers and regulars (feature-weighted linear
 * stacking, Sill, Takács, Mackey & Lin 2009). A member that cannot score a pair
 * (NaN) contributes its mean held-out prediction instead, in fitting and
 * scoring alike; members may be rating or ranking models (a ranking score is
 * one more feature).
 * Cost: fit = twice each member's fit + scoring H + O(|H|·(3M)²); score = the
 * members' scores + O(M) per item. Fold-in, explain and similar items come
 * from the members.
 */
import { z } from "zod";
import { type Csr, nnz } from "../core/csr.js";
import { Dataset } from "../core/dataset.js";
import { KindredError, ValidationError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { decodeSnapshot, encodeSnapshot, type ModelSnapshot, type NumericArray } from "../core/snapshot.js";
import { parseWith } from "../core/validate.js";
import { solveSpd } from "../linalg/cholesky.js";
import { checkSnapshotHeader, snapshotArray } from "./als/snapshot.js";
import { fitted, throwIfAborted } from "./classic/fit-guard.js";
import type { Explanation, FitOptions, FitReport, Query, Recommender } from "./recommender.js";
import type { AlgorithmDefinition, AlgorithmRegistry } from "./registry.js";

const memberSchema = z.strictObject({
  kind: z.string().min(1).describe("Registry name of a rating algorithm."),
  params: z.record(z.string(), z.unknown()).default({}).describe("Its config (defaults otherwise)."),
});

export const DEFAULT_MEMBERS = [
  { kind: "baseline", params: {} },
  { kind: "user-knn", params: {} },
  { kind: "item-knn", params: {} },
  { kind: "als", params: {} },
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
  support: z
    .boolean()
    .default(true)
    .describe(
      "Let weights vary with how much is known: each member's score also enters multiplied by log(1 + ratings) of the customer and of the item (feature-weighted stacking, Sill et al. 2009).",
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
  /** Ratings per customer and per item in the training data (support meta-features). */
  readonly userCounts: Int32Array;
  readonly itemCounts: Int32Array;
  /** Centres of log(1 + count) for customers and items (means over the held-out pairs). */
  readonly centres: Float64Array;
  readonly clamp: readonly [number, number] | null;
}

/** Splits a dataset's ratings into the rest (a Dataset with the same ids) and a held-out slice (as CSR). */
export function holdoutRatings(data: Dataset, fraction: number, rng: Rng): { rest: Dataset; held: Csr } {
  const m = data.ratings;
  const mask = new Uint8Array(nnz(m));
  for (let p = 0; p < mask.length; p++) mask[p] = rng.next() < fraction ? 1 : 0;
  const part = (keep: 0 | 1): Csr => {
    const indptr = new Int32Array(m.rows + 1);
    let count = 0;
    for (const v of mask) if (v === keep) count++;
    const indices = new Int32Array(count);
    const values = new Float32Array(count);
    let q = 0;
    for (let r = 0; r < m.rows; r++) {
      for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
        if (mask[p] !== keep) continue;
        indices[q] = m.indices[p]!;
        values[q++] = m.values[p]!;
      }
      indptr[r + 1] = q;
    }
    return { rows: m.rows, cols: m.cols, indptr, indices, values };
  };
  const rest = new Dataset({
    users: data.users,
    items: data.items,
    ratings: part(0),
    feedback: data.feedback,
    scale: data.scale,
  });
  return { rest, held: part(1) };
}

function counts(m: Csr): { users: Int32Array; items: Int32Array } {
  const users = new Int32Array(m.rows);
  const items = new Int32Array(m.cols);
  for (let u = 0; u < m.rows; u++) {
    users[u] = m.indptr[u + 1]! - m.indptr[u]!;
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) items[m.indices[p]!]!++;
  }
  return { users, items };
}

/** Ridge regression with a free intercept (column 0): solves (HᵀH + λ·diag(0,1,…,1))·w = Hᵀy. */
export function ridgeWeights(
  features: Float64Array,
  targets: Float32Array,
  width: number,
  ridge: number,
): Float64Array {
  const rows = targets.length;
  const a = new Float64Array(width * width);
  const b = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    const y = targets[r]!;
    for (let i = 0; i < width; i++) {
      const hi = features[base + i]!;
      b[i] = b[i]! + hi * y;
      for (let j = 0; j <= i; j++) a[i * width + j] = a[i * width + j]! + hi * features[base + j]!;
    }
  }
  // A tiny floor keeps the system positive definite when members agree exactly (or λ = 0).
  for (let i = 0; i < width; i++) a[i * width + i] = a[i * width + i]! + (i === 0 ? 0 : ridge) + 1e-9 * (rows || 1);
  return solveSpd(a, width, b);
}

/** One row of features: for each meta-feature g, [g, g·s_1, …, g·s_M]. */
function writeFeatures(out: Float64Array, at: number, meta: ArrayLike<number>, scores: ArrayLike<number>): void {
  let c = at;
  for (let g = 0; g < meta.length; g++) {
    const f = meta[g]!;
    out[c++] = f;
    for (let m = 0; m < scores.length; m++) out[c++] = f * scores[m]!;
  }
}

export class Blend implements Recommender<BlendConfig> {
  readonly kind = KIND;
  private state: BlendState | null = null;

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
    return this.config.support ? 3 : 1;
  }

  private createMembers(): Recommender[] {
    return this.config.members.map((m) => this.registry().create(m.kind, m.params));
  }

  /** Meta-features of a pair: 1, then the centred log supports of the customer and the item. */
  private meta(out: Float64Array, userCount: number, itemCount: number, centres: Float64Array): void {
    out[0] = 1;
    if (this.metaCount === 1) return;
    out[1] = Math.log1p(userCount) - centres[0]!;
    out[2] = Math.log1p(itemCount) - centres[1]!;
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
    const restCounts = counts(rest.ratings);
    const centres = new Float64Array(2);
    for (let u = 0; u < held.rows; u++) {
      for (let p = held.indptr[u]!; p < held.indptr[u + 1]!; p++) {
        centres[0]! += Math.log1p(restCounts.users[u]!) / heldCount;
        centres[1]! += Math.log1p(restCounts.items[held.indices[p]!]!) / heldCount;
      }
    }
    const width = this.metaCount * (count + 1);
    const features = new Float64Array(heldCount * width);
    const meta = new Float64Array(this.metaCount);
    for (let u = 0; u < held.rows; u++) {
      for (let p = held.indptr[u]!; p < held.indptr[u + 1]!; p++) {
        this.meta(meta, restCounts.users[u]!, restCounts.items[held.indices[p]!]!, centres);
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
    const full = counts(data.ratings);
    this.state = {
      members,
      weights,
      fill,
      userCounts: full.users,
      itemCounts: full.items,
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
    const scores = new Float64Array(n * count);
    const scored = new Uint8Array(n);
    const buffer = new Float32Array(n);
    s.members.forEach((member, m) => {
      member.score(query, items, buffer);
      for (let t = 0; t < n; t++) {
        const v = buffer[t]!;
        if (Number.isFinite(v)) scored[t] = 1;
        scores[t * count + m] = Number.isFinite(v) ? v : s.fill[m]!;
      }
    });
    const u = query.user ?? -1;
    const known = Number.isInteger(u) && u >= 0 && u < s.userCounts.length;
    const userCount = query.history ? usableRatings(query.history, s.itemCounts.length) : known ? s.userCounts[u]! : 0;
    const meta = new Float64Array(this.metaCount);
    const width = this.metaCount * (count + 1);
    const row = new Float64Array(width);
    for (let t = 0; t < n; t++) {
      const i = items[t]!;
      if (scored[t] === 0) {
        result[t] = Number.NaN;
        continue;
      }
      this.meta(meta, userCount, s.itemCounts[i] ?? 0, s.centres);
      writeFeatures(row, 0, meta, scores.subarray(t * count, (t + 1) * count));
      let v = 0;
      for (let c = 0; c < width; c++) v += s.weights[c]! * row[c]!;
      result[t] = s.clamp ? Math.min(s.clamp[1], Math.max(s.clamp[0], v)) : v;
    }
    return result;
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
      userCounts: s.userCounts,
      itemCounts: s.itemCounts,
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
      userCounts: snapshotArray(snapshot, KIND, "userCounts", Int32Array),
      itemCounts: snapshotArray(snapshot, KIND, "itemCounts", Int32Array),
      centres: snapshotArray(snapshot, KIND, "centres", Float64Array, 2),
      clamp: Array.isArray(clamp) ? [Number(clamp[0]), Number(clamp[1])] : null,
    };
    return model;
  }
}

/**
 * Member predictions for every held-out pair (one score() call per customer) into
 * column m of `out` (width `count`); NaN is replaced by the member's mean prediction,
 * which is returned.
 */
function predictHeld(model: Recommender, held: Csr, out: Float64Array, m: number, count: number): number {
  let sum = 0;
  let scored = 0;
  for (let u = 0; u < held.rows; u++) {
    const start = held.indptr[u]!;
    const end = held.indptr[u + 1]!;
    if (start === end) continue;
    const scores = model.score({ user: u }, held.indices.subarray(start, end));
    for (let p = start; p < end; p++) {
      const v = scores[p - start]!;
      out[p * count + m] = v;
      if (Number.isFinite(v)) {
        sum += v;
        scored++;
      }
    }
  }
  const mean = scored > 0 ? sum / scored : 0;
  for (let p = m; p < out.length; p += count) if (!Number.isFinite(out[p]!)) out[p] = mean;
  return mean;
}

/** History entries a member can use: known items with finite values (what the members fold in). */
function usableRatings(history: { items: Int32Array; values: Float32Array }, itemCount: number): number {
  let n = 0;
  for (let t = 0; t < history.items.length; t++) {
    const i = history.items[t]!;
    if (i >= 0 && i < itemCount && Number.isFinite(history.values[t]!)) n++;
  }
  return n;
}

/** With nothing held out (tiny data): the plain average of the members. */
function equalWeights(count: number, width: number): Float64Array {
  const w = new Float64Array(width);
  w.fill(1 / count, 1, count + 1);
  return w;
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
