/**
 * `ease`: Embarrassingly Shallow AutoEncoder (Steck 2019, "Embarrassingly
 * shallow autoencoders for sparse data", WWW), the closed-form item-item model
 *
 *   min_B ‖X − X·B‖²_F + λ‖B‖²_F  subject to diag(B) = 0,
 *   P = (XᵀX + λI)⁻¹,  B_ij = −P_ij / P_jj (i ≠ j),  B_jj = 0,
 *   score s_uj = Σ_i x_ui·B_ij  (decompose: the terms x_ui·B_ij over the customer's items i;
 *   explain: only the liked items with a positive term, classic/positive-evidence.ts).
 *
 * X is the customers × items evidence (every event type with a weight, like
 * `ials`), 0/1 by default. Cost: fit O(Σ_u n_u² + n³/2) for n items (the Gram
 * matrix, then an in-place Cholesky inverse), memory 12·n² bytes (a Float64 n×n
 * solve and the Float32 B), so the fit refuses with TOO_LARGE, naming both,
 * when that exceeds `maxMemoryMB`; score O(n_u) per item, fold-in free (the
 * scores are a function of the customer's current items only).
 */
import { constants as bufferConstants } from "node:buffer";
import { z } from "zod";
import { type Csr, nnz } from "../core/csr.js";
import { Dataset, type EventWeights } from "../core/dataset.js";
import { KindredError, ValidationError } from "../core/errors.js";
import type { ModelSnapshot } from "../core/snapshot.js";
import { DEFAULT_SCALE } from "../core/types.js";
import { parseWith } from "../core/validate.js";
import { invertSpdInPlace } from "../linalg/cholesky-inverse.js";
import { gramSparse } from "../linalg/gram.js";
import { topK } from "../linalg/top-k.js";
import { type Evidence, mergeEvidence } from "./als/factor-model.js";
import { checkSnapshotHeader, readEvidence, snapshotArray } from "./als/snapshot.js";
import { fitted, throwIfAborted } from "./classic/fit-guard.js";
import { citedEvidence, LikedItems, likedFlags } from "./classic/positive-evidence.js";
import type { Explanation, FitOptions, FitReport, Query, Recommender } from "./recommender.js";
import type { AlgorithmDefinition } from "./registry.js";

const weight = (value: number, what: string) =>
  z.number().min(0).max(1000).default(value).describe(`Evidence per ${what}.`);

// Defaults chosen on an inner 80/20 holdout of u1.base, never on u*.test (bench/mf-als.ts --tune).
export const easeConfigSchema = z.strictObject({
  lambda: z.number().positive().max(1e9).default(500).describe("λ, the L2 penalty on B (Steck 2019)."),
  minRating: z
    .number()
    .nullable()
    .default(null)
    .describe(
      "Ratings below this are no positive evidence (null: all but the bottom of the scale count, so a 1-star rating does not recommend look-alikes).",
    ),
  binary: z
    .boolean()
    .default(true)
    .describe("Use X = 1 wherever a customer has positive evidence on an item (else the weighted evidence)."),
  weights: z
    .strictObject({
      rating: weight(0.2, "rating star"),
      purchase: weight(1, "unit bought"),
      view: weight(0.2, "view"),
      like: weight(1, "like"),
      dislike: weight(0, "dislike (0: a dislike is no positive evidence)"),
    })
    .default({ rating: 0.2, purchase: 1, view: 0.2, like: 1, dislike: 0 })
    .describe(
      "Weight of each event type as evidence (Dataset.weighted), as for ials; with `binary` only whether it is positive matters.",
    ),
  maxMemoryMB: z
    .number()
    .int()
    .min(1)
    .max(1_048_576)
    .default(4096)
    .describe("Largest memory the dense item×item solve may take (12·items² bytes); above it fit() refuses."),
});
export type EaseConfig = z.output<typeof easeConfigSchema>;

const KIND = "ease";
const VERSION = 1;
const NO_EVIDENCE: Evidence = { items: new Int32Array(0), values: new Float32Array(0) };

/** The dataset with ratings below `threshold` dropped (the same ids and feedback). */
function ratedAtLeast(data: Dataset, threshold: number): Dataset {
  const m = data.ratings;
  let below = 0;
  for (const v of m.values) if (v < threshold) below++;
  if (below === 0) return data;
  const indptr = new Int32Array(m.rows + 1);
  const indices = new Int32Array(m.values.length - below);
  const values = new Float32Array(m.values.length - below);
  let q = 0;
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
      if (m.values[p]! < threshold) continue;
      indices[q] = m.indices[p]!;
      values[q++] = m.values[p]!;
    }
    indptr[r + 1] = q;
  }
  const ratings = { rows: m.rows, cols: m.cols, indptr, indices, values };
  return new Dataset({ users: data.users, items: data.items, ratings, feedback: data.feedback, scale: data.scale });
}

interface EaseState {
  /** items × items, row i = how item i predicts every item j (B_ij). */
  readonly b: Float32Array;
  /** The training evidence, customers × items. */
  readonly evidence: Csr;
  /** Ratings below this are no evidence (fold-in applies it to a query's history). */
  readonly threshold: number;
  /** The training data's rating scale (its midpoint is the floor of a liked rating). */
  readonly scale: { readonly min: number; readonly max: number };
  /**
   * Per evidence entry, 1 where the customer liked the item (classic/positive-evidence.ts): a 2-star rating is
   * positive evidence to the model but no reason to cite. Absent in snapshots from before it existed.
   */
  readonly liked?: Uint8Array;
}

/** Bytes the fit needs for n items: the Float64 Gram/inverse and the Float32 B. */
export function easeMemoryBytes(items: number): number {
  return 12 * items * items;
}

function checkSize(items: number, maxMemoryMB: number): void {
  const bytes = easeMemoryBytes(items);
  const tooBigForAnArray = 8 * items * items > bufferConstants.MAX_LENGTH;
  if (bytes > maxMemoryMB * 1024 * 1024 || tooBigForAnArray) {
    const gb = (bytes / 1024 ** 3).toFixed(bytes < 1024 ** 3 ? 2 : 1);
    throw new KindredError(
      "TOO_LARGE",
      `ease: ${items} items need a dense ${items}×${items} item-item solve, about ${gb} GB of memory ` +
        `(limit ${maxMemoryMB} MB${tooBigForAnArray ? ", and more than one array can hold" : ""}; ` +
        "raise params.ease.maxMemoryMB, or use ials for a catalogue this large)",
      { field: "params.ease.maxMemoryMB" },
    );
  }
}

export class Ease implements Recommender<EaseConfig> {
  readonly kind = KIND;
  private state: EaseState | null = null;

  constructor(readonly config: EaseConfig) {}

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    const start = performance.now();
    throwIfAborted(options.signal, KIND);
    const n = data.itemCount;
    checkSize(n, this.config.maxMemoryMB);
    const threshold = this.config.minRating ?? data.scale.min + data.scale.step / 2;
    const evidence = ratedAtLeast(data, threshold).weighted(this.config.weights as EventWeights);
    if (nnz(evidence) === 0) {
      throw new ValidationError(
        "data",
        "ease needs at least one event with a positive weight (see params.ease.weights)",
      );
    }
    let p: Float64Array;
    try {
      p = gramSparse(positiveOnly(evidence, this.config.binary), undefined, this.config.lambda);
    } catch (error) {
      if (error instanceof RangeError) checkSize(Number.POSITIVE_INFINITY, this.config.maxMemoryMB);
      throw error;
    }
    throwIfAborted(options.signal, KIND);
    invertSpdInPlace(p, n);
    throwIfAborted(options.signal, KIND);
    const b = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) if (i !== j) b[i * n + j] = -p[i * n + j]! / p[j * n + j]!;
    }
    const liked = likedFlags(evidence, data.ratings, data.scale);
    this.state = { b, evidence, threshold, scale: data.scale, liked };
    return { seconds: (performance.now() - start) / 1000, details: { items: n, evidence: nnz(evidence) } };
  }

  /** The customer's evidence: from the query (fold-in) when it carries any, else the fitted row. */
  private evidenceOf(query: Query, s: EaseState): Evidence | null {
    const n = s.evidence.cols;
    let e: Evidence;
    if (query.history || query.feedback) {
      const parts = [];
      if (query.history) {
        const values = query.history.values.map((v) => (v >= s.threshold ? v : 0));
        parts.push({ items: query.history.items, values, weight: this.config.weights.rating });
      }
      if (query.feedback) parts.push({ ...query.feedback, weight: 1 });
      e = mergeEvidence(parts, n, "sum");
    } else {
      const u = query.user ?? -1;
      if (!(Number.isInteger(u) && u >= 0 && u < s.evidence.rows)) return null;
      const { indptr, indices, values } = s.evidence;
      e = { items: indices.subarray(indptr[u]!, indptr[u + 1]!), values: values.subarray(indptr[u]!, indptr[u + 1]!) };
    }
    let positive = 0;
    for (const v of e.values) if (v > 0) positive++;
    return positive === 0 ? null : e;
  }

  /** x_ui as the model sees it: 1 (binary) or the evidence, 0 when not positive. */
  private x(value: number): number {
    return value > 0 ? (this.config.binary ? 1 : value) : 0;
  }

  score(query: Query, items: Int32Array, out?: Float32Array): Float32Array {
    const s = fitted(this.state, KIND);
    const result = out ?? new Float32Array(items.length);
    const n = s.evidence.cols;
    const e = this.evidenceOf(query, s);
    if (e === null) return result.fill(Number.NaN);
    const { b } = s;
    if (items.length * 4 >= n) {
      // Many items: accumulate whole rows of B (contiguous), then pick.
      const all = new Float64Array(n);
      for (let t = 0; t < e.items.length; t++) {
        const x = this.x(e.values[t]!);
        if (x === 0) continue;
        const row = e.items[t]! * n;
        for (let j = 0; j < n; j++) all[j] = all[j]! + x * b[row + j]!;
      }
      for (let t = 0; t < items.length; t++) {
        const j = items[t]!;
        result[t] = j >= 0 && j < n ? all[j]! : Number.NaN;
      }
      return result;
    }
    for (let t = 0; t < items.length; t++) {
      const j = items[t]!;
      if (!(j >= 0 && j < n)) {
        result[t] = Number.NaN;
        continue;
      }
      let sum = 0;
      for (let q = 0; q < e.items.length; q++) sum += this.x(e.values[q]!) * b[e.items[q]! * n + j]!;
      result[t] = sum;
    }
    return result;
  }

  /** Every term x_ui·B_ij of the score over the customer's items i, largest first (the model's arithmetic). */
  decompose(query: Query, item: number): Explanation {
    const s = fitted(this.state, KIND);
    const { e, terms } = this.terms(query, item, s);
    const order = topK(terms, terms.length);
    return {
      kind: "items",
      items: Int32Array.from(order, (t) => e.items[t]!),
      values: Float32Array.from(order, (t) => e.values[t]!),
      weights: Float32Array.from(order, (t) => terms[t]!),
    };
  }

  /** The customer's liked items i with a positive term x_ui·B_ij, largest first (what a customer is shown). */
  explain(query: Query, item: number): Explanation {
    const s = fitted(this.state, KIND);
    const { e, terms } = this.terms(query, item, s);
    const liked = terms.length === 0 ? LikedItems.NONE : this.likedOf(query, s);
    return citedEvidence(e.items, e.values, terms, terms.length, liked, terms.length);
  }

  private terms(query: Query, item: number, s: EaseState): { e: Evidence; terms: Float64Array } {
    const n = s.evidence.cols;
    const e = this.evidenceOf(query, s);
    if (e === null || !(item >= 0 && item < n)) return { e: NO_EVIDENCE, terms: new Float64Array(0) };
    const terms = new Float64Array(e.items.length);
    for (let t = 0; t < e.items.length; t++) terms[t] = this.x(e.values[t]!) * s.b[e.items[t]! * n + item]!;
    return { e, terms };
  }

  /** What the customer liked: by the query's ratings and feedback when it has any, else by the fitted flags. */
  private likedOf(query: Query, s: EaseState): LikedItems {
    if (query.history || query.feedback) return LikedItems.of(query.history, query.feedback, s.scale);
    const u = query.user ?? -1;
    if (!(Number.isInteger(u) && u >= 0 && u < s.evidence.rows)) return LikedItems.NONE;
    const { indptr, indices, values } = s.evidence;
    const items = indices.subarray(indptr[u]!, indptr[u + 1]!);
    if (s.liked === undefined) return LikedItems.fromPositive(items, values.subarray(indptr[u]!, indptr[u + 1]!));
    return LikedItems.fromFlags(items, s.liked.subarray(indptr[u]!, indptr[u + 1]!));
  }

  /** The items `item` predicts most strongly (the largest B_ij of its row). */
  similarItems(item: number, k: number): { items: Int32Array; similarities: Float32Array } {
    const s = fitted(this.state, KIND);
    const n = s.evidence.cols;
    if (!(item >= 0 && item < n) || k <= 0) return { items: new Int32Array(0), similarities: new Float32Array(0) };
    const row = s.b.subarray(item * n, (item + 1) * n);
    const skip = new Uint8Array(n);
    skip[item] = 1;
    const top = topK(row, k, skip);
    return { items: top, similarities: Float32Array.from(top, (j) => row[j]!) };
  }

  snapshot(): ModelSnapshot {
    const s = fitted(this.state, KIND);
    return {
      kind: KIND,
      version: VERSION,
      config: { ...this.config },
      meta: {
        users: s.evidence.rows,
        items: s.evidence.cols,
        threshold: s.threshold,
        scaleMin: s.scale.min,
        scaleMax: s.scale.max,
      },
      arrays: {
        b: s.b,
        indptr: s.evidence.indptr,
        indices: s.evidence.indices,
        values: s.evidence.values,
        ...(s.liked ? { liked: s.liked } : {}),
      },
    };
  }

  static restore(snapshot: ModelSnapshot): Ease {
    const meta = checkSnapshotHeader(snapshot, KIND, VERSION);
    const model = new Ease(parseWith(easeConfigSchema, snapshot.config, "snapshot.config"));
    const evidence = readEvidence(snapshot, KIND, meta("users"), meta("items"));
    const n = evidence.cols;
    // Snapshots from before explanations cited liked items only: no flags, the default 1–5 scale.
    const { scaleMin, scaleMax } = snapshot.meta;
    model.state = {
      b: snapshotArray(snapshot, KIND, "b", Float32Array, n * n),
      evidence,
      threshold: meta("threshold"),
      scale:
        typeof scaleMin === "number" && typeof scaleMax === "number" ? { min: scaleMin, max: scaleMax } : DEFAULT_SCALE,
      ...(snapshot.arrays.liked === undefined
        ? {}
        : { liked: snapshotArray(snapshot, KIND, "liked", Uint8Array, evidence.indices.length) }),
    };
    return model;
  }
}

/** The evidence with non-positive entries dropped (and set to 1 when binary): what X is. */
function positiveOnly(m: Csr, binary: boolean): Csr {
  let kept = 0;
  for (const v of m.values) if (v > 0) kept++;
  if (kept === m.values.length && !binary) return m;
  const indptr = new Int32Array(m.rows + 1);
  const indices = new Int32Array(kept);
  const values = new Float32Array(kept);
  let q = 0;
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
      const v = m.values[p]!;
      if (!(v > 0)) continue;
      indices[q] = m.indices[p]!;
      values[q++] = binary ? 1 : v;
    }
    indptr[r + 1] = q;
  }
  return { rows: m.rows, cols: m.cols, indptr, indices, values };
}

export const easeDefinition: AlgorithmDefinition<EaseConfig> = {
  kind: KIND,
  summary: "EASE, the closed-form item-item model (Steck 2019); dense items×items, so for catalogues up to ~15k items.",
  task: "ranking",
  configSchema: easeConfigSchema,
  searchSpace: {
    lambda: { type: "float", low: 1, high: 10000, log: true },
    binary: { type: "choice", values: [true, false] },
  },
  create: (config) => new Ease(config),
  restore: (snapshot) => Ease.restore(snapshot),
};
