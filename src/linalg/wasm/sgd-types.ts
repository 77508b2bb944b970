/**
 * The SGD kernels' interface, shared by the WebAssembly build (sgd-kernels.ts)
 * and its pure TypeScript twin (sgd-fallback.ts). Arrays passed to a kernel
 * set must come from that set's `f32`/`i32` (for WebAssembly they live in its
 * linear memory). Factor matrices are row-major with `stride` floats per row,
 * stride a multiple of 4, padding lanes zero.
 */

/**
 * Ratings as coordinate triples in chunks: chunk c is the records
 * [chunks[2c], chunks[2c + 1]), visited in place.
 */
export interface SvdRatings {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly values: Float32Array;
  readonly chunks: Int32Array;
}

export interface BiasedFactors {
  readonly P: Float32Array;
  readonly Q: Float32Array;
  readonly userBias: Float32Array;
  readonly itemBias: Float32Array;
  readonly stride: number;
}

export interface SvdRates {
  readonly mu: number;
  readonly lrBias: number;
  readonly regBias: number;
  readonly lr: number;
  readonly reg: number;
}

/**
 * Ratings by user (CSR, `order` a permutation of positions within each row),
 * users visited in `userOrder`, and the implicit evidence N(u) (CSR with
 * weights w_j and per-user normaliser η_u = (Σ w_j²)^−½).
 */
export interface SvdppRows {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
  readonly order: Int32Array;
  readonly userOrder: Int32Array;
  readonly implicitIndptr: Int32Array;
  readonly implicitIndices: Int32Array;
  readonly implicitWeights: Float32Array;
  readonly implicitNorm: Float32Array;
}

/** SVD++'s implicit factors y_j and two scratch rows (z and the deferred y step). */
export interface ImplicitFactors {
  readonly Y: Float32Array;
  readonly z: Float32Array;
  readonly acc: Float32Array;
}

export interface SvdppRates extends SvdRates {
  readonly regImplicit: number;
}

/** Sampled (user, positive, negative) triples. */
export interface BprSamples {
  readonly users: Int32Array;
  readonly pos: Int32Array;
  readonly neg: Int32Array;
}

export interface RankingFactors {
  readonly P: Float32Array;
  readonly Q: Float32Array;
  readonly itemBias: Float32Array;
  readonly stride: number;
}

export interface BprRates {
  readonly lr: number;
  readonly regUser: number;
  readonly regPos: number;
  readonly regNeg: number;
  readonly regBias: number;
}

/** N(u) as CSR with weights and per-user normalisers (the implicit half of SvdppRows). */
export type ImplicitRows = Pick<SvdppRows, "implicitIndptr" | "implicitIndices" | "implicitWeights" | "implicitNorm">;

/** (user, item, value) triples to predict. */
export interface Pairs {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly values: Float32Array;
}

export interface PredictParams {
  readonly mu: number;
  readonly lo: number;
  readonly hi: number;
}

export type KernelName = "wasm" | "js";

export interface SgdKernels {
  readonly name: KernelName;
  /** A zeroed Float32Array the kernels can work on. */
  f32(length: number): Float32Array;
  /** A zeroed Int32Array the kernels can work on. */
  i32(length: number): Int32Array;
  /** One biased-MF pass over the chunks [start, end); returns Σe². */
  svdEpoch(r: SvdRatings, f: BiasedFactors, start: number, end: number, rates: SvdRates): number;
  /** One SVD++ pass over the users userOrder[start..end); returns Σe². */
  svdppEpoch(
    rows: SvdppRows,
    f: BiasedFactors,
    y: ImplicitFactors,
    start: number,
    end: number,
    rates: SvdppRates,
  ): number;
  /** Z_u = η_u Σ_j w_j y_j for users [start, end), rows of `Z` (stride floats each). */
  implicitSums(rows: ImplicitRows, Y: Float32Array, stride: number, start: number, end: number, Z: Float32Array): void;
  /**
   * clamp(μ + b_u + b_i + q_i·(p_u + Z_u)) for pairs [start, end) into `out` (Z null: no implicit term);
   * returns Σ(prediction − value)².
   */
  predictPairs(
    pairs: Pairs,
    f: BiasedFactors,
    Z: Float32Array | null,
    start: number,
    end: number,
    params: PredictParams,
    out: Float32Array,
  ): number;
  /** One BPR pass over the triples [start, end); returns Σ ln σ(x). */
  bprEpoch(s: BprSamples, f: RankingFactors, start: number, end: number, rates: BprRates): number;
}

/** Rows padded to a multiple of 4 floats (one 128-bit lane group). */
export function strideFor(factors: number): number {
  return (factors + 3) & ~3;
}
