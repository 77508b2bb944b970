/**
 * One fitting phase of biased MF / SVD++ by SGD: lays the training data out
 * for the kernels, initialises the factors, and runs one pass per `train`
 * call (the epoch loop in epoch-loop.ts drives it). Without implicit evidence
 * it runs the biased-MF kernel over DSGD blocks, the second block of each
 * stratum on a helper thread when one is ready; with implicit evidence it
 * runs the SVD++ kernel user by user on one thread.
 */
import type { Csr } from "../../core/csr.js";
import { Rng } from "../../core/rng.js";
import { sharedHandle, svdArgs } from "../../linalg/wasm/sgd-kernels.js";
import type {
  BiasedFactors,
  ImplicitFactors,
  Pairs,
  SgdKernels,
  SvdppRows,
  SvdRatings,
} from "../../linalg/wasm/sgd-types.js";
import { strideFor } from "../../linalg/wasm/sgd-types.js";
import { BLOCKS, blockRatings, stratum } from "./blocks.js";
import { implicitNorms } from "./implicit.js";
import { acquireHelper, type HelperThread, releaseHelper } from "./parallel.js";
import type { HeldOut } from "./validation.js";

export interface MfHyper {
  readonly factors: number;
  readonly learningRate: number;
  readonly biasLearningRate: number;
  readonly regularization: number;
  readonly biasRegularization: number;
  /** λ_y of SVD++'s implicit factors. */
  readonly implicitRegularization: number;
  readonly initStd: number;
}

/** Fitted arrays, k floats per row (no padding); implicitFactors is empty without implicit evidence. */
export interface MfArrays {
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly userBias: Float32Array;
  readonly itemBias: Float32Array;
  readonly implicitFactors: Float32Array;
}

export interface PhaseInput {
  readonly kernels: SgdKernels;
  readonly ratings: Csr;
  /** N(u) weights, or null for plain biased MF. */
  readonly implicit: Csr | null;
  readonly globalMean: number;
  readonly hyper: MfHyper;
  readonly initSeed: number;
  readonly shuffleSeed: number;
  readonly heldOut?: HeldOut;
  readonly clamp: readonly [number, number];
  /** Use a helper thread for the second block of each stratum. */
  readonly parallel: boolean;
}

/** Chunks per epoch of the biased-MF kernel (see layoutBlocks). */
const CHUNKS = 65_536;

function swap(a: Int32Array | Float32Array, x: number, y: number): void {
  const t = a[x]!;
  a[x] = a[y]!;
  a[y] = t;
}

/** Ratings at or above this count are worth a second thread (measured in bench/mf-sgd.ts). */
export const PARALLEL_MIN_RATINGS = 50_000;

export class MfTrainer {
  private readonly k: SgdKernels;
  private readonly stride: number;
  private readonly f: BiasedFactors;
  private readonly shuffle: Rng;
  private readonly n: number;
  private readonly coo: { r: SvdRatings; segments: Int32Array } | null = null;
  private readonly rows: { rows: SvdppRows; y: ImplicitFactors } | null = null;
  private helper: HelperThread | null = null;
  private readonly validation: { pairs: Pairs; out: Float32Array; Z: Float32Array } | null = null;

  constructor(private readonly input: PhaseInput) {
    const { kernels: k, ratings, implicit, hyper } = input;
    this.k = k;
    this.stride = strideFor(hyper.factors);
    this.n = ratings.indptr[ratings.rows]!;
    this.shuffle = new Rng(input.shuffleSeed);
    const users = ratings.rows;
    const items = ratings.cols;
    this.f = {
      P: k.f32(users * this.stride),
      Q: k.f32(items * this.stride),
      userBias: k.f32(users),
      itemBias: k.f32(items),
      stride: this.stride,
    };
    if (implicit === null) this.coo = this.layoutBlocks();
    else this.rows = this.layoutRows(implicit);
    this.initialise();
    const held = input.heldOut;
    if (held && held.users.length > 0) {
      const n = held.users.length;
      const pairs = { users: k.i32(n), items: k.i32(n), values: k.f32(n) };
      pairs.users.set(held.users);
      pairs.items.set(held.items);
      pairs.values.set(held.values);
      this.validation = { pairs, out: k.f32(n), Z: this.rows ? k.f32(users * this.stride) : k.f32(0) };
    }
    const handle = sharedHandle(k);
    if (input.parallel && implicit === null && handle !== null) this.helper = acquireHelper(handle);
  }

  /**
   * COO records grouped by DSGD block and cut into chunks; an epoch shuffles the chunk order, and the kernel
   * reads each chunk's records in place. Up to 131,071 ratings a chunk is one rating and the records are
   * shuffled once: a full reshuffle every epoch. Above, a chunk is a run of about n/65,536 consecutive ratings
   * in customer order (one or two customers): the customer's row stays in cache across their ratings and no
   * epoch pays for shuffling millions of records (10M ratings: 3× less CPU per epoch, the same validation
   * error on 1M synthetic ratings as a full shuffle; Surprise does not shuffle at all).
   */
  private layoutBlocks(): { r: SvdRatings; segments: Int32Array } {
    const { ratings } = this.input;
    const { blockOf, sizes } = blockRatings(ratings);
    const blocks = BLOCKS * BLOCKS;
    const starts = new Int32Array(blocks + 1);
    for (let b = 0; b < blocks; b++) starts[b + 1] = starts[b]! + sizes[b]!;
    const cursor = starts.slice(0, blocks);
    const k = this.k;
    const users = k.i32(this.n);
    const items = k.i32(this.n);
    const values = k.f32(this.n);
    for (let u = 0; u < ratings.rows; u++) {
      for (let p = ratings.indptr[u]!; p < ratings.indptr[u + 1]!; p++) {
        const at = cursor[blockOf[p]!]!++;
        users[at] = u;
        items[at] = ratings.indices[p]!;
        values[at] = ratings.values[p]!;
      }
    }
    const size = Math.max(1, Math.floor(this.n / CHUNKS));
    const segments = new Int32Array(blocks + 1); // in chunks
    for (let b = 0; b < blocks; b++) segments[b + 1] = segments[b]! + Math.ceil(sizes[b]! / size);
    const chunks = k.i32(2 * segments[blocks]!);
    for (let b = 0; b < blocks; b++) {
      for (let t = starts[b + 1]! - 1; size === 1 && t > starts[b]!; t--) {
        const j = starts[b]! + this.shuffle.int(t - starts[b]! + 1);
        swap(users, t, j);
        swap(items, t, j);
        swap(values, t, j);
      }
      for (let c = segments[b]!, from = starts[b]!; c < segments[b + 1]!; c++, from += size) {
        chunks[2 * c] = from;
        chunks[2 * c + 1] = Math.min(from + size, starts[b + 1]!);
      }
    }
    return { r: { users, items, values, chunks }, segments };
  }

  /** Shuffles the (start, end) pairs of chunks [from, to). */
  private shuffleChunks(chunks: Int32Array, from: number, to: number): void {
    for (let t = to - 1; t > from; t--) {
      const j = from + this.shuffle.int(t - from + 1);
      swap(chunks, 2 * t, 2 * j);
      swap(chunks, 2 * t + 1, 2 * j + 1);
    }
  }

  private layoutRows(implicit: Csr): { rows: SvdppRows; y: ImplicitFactors } {
    const { ratings } = this.input;
    const k = this.k;
    const copyI = (a: Int32Array): Int32Array => {
      const out = k.i32(a.length);
      out.set(a);
      return out;
    };
    const values = k.f32(this.n);
    values.set(ratings.values.subarray(0, this.n));
    const order = k.i32(this.n);
    for (let t = 0; t < this.n; t++) order[t] = t;
    const userOrder = k.i32(ratings.rows);
    for (let u = 0; u < ratings.rows; u++) userOrder[u] = u;
    const implicitWeights = k.f32(implicit.values.length);
    implicitWeights.set(implicit.values);
    const rows: SvdppRows = {
      indptr: copyI(ratings.indptr),
      indices: copyI(ratings.indices.subarray(0, this.n)),
      values,
      order,
      userOrder,
      implicitIndptr: copyI(implicit.indptr),
      implicitIndices: copyI(implicit.indices),
      implicitWeights,
      implicitNorm: implicitNorms(implicit, k.f32(implicit.rows)),
    };
    const y = { Y: k.f32(implicit.cols * this.stride), z: k.f32(this.stride), acc: k.f32(this.stride) };
    return { rows, y };
  }

  /** Normal(0, initStd) in the first k lanes of every row with evidence; zero elsewhere (padding, empty rows). */
  private initialise(): void {
    const { ratings, implicit, hyper } = this.input;
    const rng = new Rng(this.input.initSeed);
    const { factors, initStd } = hyper;
    const fill = (m: Float32Array, row: number): void => {
      for (let c = 0; c < factors; c++) m[row * this.stride + c] = rng.normal(0, initStd);
    };
    const itemSeen = new Uint8Array(ratings.cols);
    for (let u = 0; u < ratings.rows; u++) if (ratings.indptr[u + 1]! > ratings.indptr[u]!) fill(this.f.P, u);
    for (let p = 0; p < this.n; p++) itemSeen[ratings.indices[p]!] = 1;
    for (let i = 0; i < ratings.cols; i++) if (itemSeen[i]) fill(this.f.Q, i);
    if (this.rows && implicit) {
      const inImplicit = new Uint8Array(implicit.cols);
      for (let p = 0; p < implicit.indptr[implicit.rows]!; p++) inImplicit[implicit.indices[p]!] = 1;
      for (let j = 0; j < implicit.cols; j++) if (inImplicit[j]) fill(this.rows.y.Y, j);
    }
  }

  private rates(scale: number) {
    const h = this.input.hyper;
    return {
      mu: this.input.globalMean,
      lrBias: h.biasLearningRate * scale,
      regBias: h.biasRegularization,
      lr: h.learningRate * scale,
      reg: h.regularization,
      regImplicit: h.implicitRegularization,
    };
  }

  private shuffleSegment(order: Int32Array, start: number, end: number): void {
    for (let t = end - 1; t > start; t--) {
      const j = start + this.shuffle.int(t - start + 1);
      const tmp = order[t]!;
      order[t] = order[j]!;
      order[j] = tmp;
    }
  }

  /** One pass; returns the training RMSE (before the pass's own steps, as SGD sees it). */
  async train(_epoch: number, scale: number): Promise<number> {
    if (this.n === 0) return 0;
    const rates = this.rates(scale);
    let sse = 0;
    if (this.coo) {
      const { r, segments } = this.coo;
      for (let b = 0; b < BLOCKS * BLOCKS; b++) this.shuffleChunks(r.chunks, segments[b]!, segments[b + 1]!);
      const first = this.shuffle.int(2);
      for (const s of [first, 1 - first]) {
        const [a, b] = stratum(s);
        if (this.helper?.ready) {
          const other = this.helper.run("svdEpoch", svdArgs(r, this.f, segments[b]!, segments[b + 1]!, rates));
          const mine = this.k.svdEpoch(r, this.f, segments[a]!, segments[a + 1]!, rates);
          sse += mine + (await other);
        } else {
          const mine = this.k.svdEpoch(r, this.f, segments[a]!, segments[a + 1]!, rates);
          sse += mine + this.k.svdEpoch(r, this.f, segments[b]!, segments[b + 1]!, rates);
        }
      }
    } else if (this.rows) {
      const { rows, y } = this.rows;
      this.shuffleSegment(rows.userOrder, 0, rows.userOrder.length);
      for (let u = 0; u < rows.userOrder.length; u++)
        this.shuffleSegment(rows.order, rows.indptr[u]!, rows.indptr[u + 1]!);
      sse = this.k.svdppEpoch(rows, this.f, y, 0, rows.userOrder.length, rates);
    }
    return Math.sqrt(sse / this.n);
  }

  /** RMSE on the held-out slice with the current factors (predictions clamped to the scale). */
  validate(): number {
    const v = this.validation;
    if (v === null) return Number.NaN;
    const { ratings } = this.input;
    const [lo, hi] = this.input.clamp;
    let Z: Float32Array | null = null;
    if (this.rows) {
      Z = v.Z;
      this.k.implicitSums(this.rows.rows, this.rows.y.Y, this.stride, 0, ratings.rows, Z);
    }
    const n = v.pairs.users.length;
    const sse = this.k.predictPairs(v.pairs, this.f, Z, 0, n, { mu: this.input.globalMean, lo, hi }, v.out);
    return Math.sqrt(sse / n);
  }

  /** The current factors as plain arrays of k floats per row. */
  copyOut(): MfArrays {
    const k = this.input.hyper.factors;
    const s = this.stride;
    const unpad = (m: Float32Array): Float32Array => {
      const rows = m.length / s;
      const out = new Float32Array(rows * k);
      for (let r = 0; r < rows; r++) out.set(m.subarray(r * s, r * s + k), r * k);
      return out;
    };
    return {
      userFactors: unpad(this.f.P),
      itemFactors: unpad(this.f.Q),
      userBias: Float32Array.from(this.f.userBias),
      itemBias: Float32Array.from(this.f.itemBias),
      implicitFactors: this.rows ? unpad(this.rows.y.Y) : new Float32Array(0),
    };
  }

  /** Releases the helper thread (call once, when the phase is over). */
  close(): void {
    if (this.helper) releaseHelper(this.helper);
    this.helper = null;
  }
}
