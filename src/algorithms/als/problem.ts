/**
 * The data of one alternating-least-squares fit, laid out so that worker
 * threads can share it: CSR matrices and factor matrices on (Shared)ArrayBuffers.
 * Users and items are two instances of the same `Side`; a half-step solves the
 * rows of one side against the fixed factors of the other, with one function.
 */
import type { Csr } from "../../core/csr.js";

export type AlsMode = "explicit" | "implicit";

/** One side of the factorisation: users (rows of the user×item matrix) or items (its transpose). */
export interface Side {
  /** Evidence with this side's entities as rows and the other side's as columns. */
  readonly matrix: Csr;
  /** rows × factors, row-major; the output of this side's half-step (and the CG warm start). */
  readonly factors: Float32Array;
  /** One bias per row (explicit mode with biases; length 0 otherwise). */
  readonly bias: Float32Array;
}

export interface AlsParams {
  readonly mode: AlsMode;
  readonly factors: number;
  /** λ: explicit mode multiplies it by the row's count (weighted-λ, Zhou et al. 2008). */
  readonly regularization: number;
  /** λ for the bias terms (explicit mode; also weighted by count). */
  readonly biasRegularization: number;
  /** Explicit mode: learn user and item biases next to the factors. */
  readonly biases: boolean;
  /** Explicit mode: the global mean subtracted from every rating. */
  readonly mean: number;
  /** Implicit mode: confidence c = 1 + alpha·value. */
  readonly alpha: number;
  /** Implicit mode: "cg" (a few warm-started conjugate-gradient steps) or "cholesky" (exact). */
  readonly solver: "cg" | "cholesky";
  readonly cgSteps: number;
}

export interface AlsProblem {
  readonly params: AlsParams;
  readonly users: Side;
  readonly items: Side;
  /** Implicit mode: YᵀY of the side held fixed in the current half-step (k×k), filled before each half-step. */
  readonly gram: Float64Array;
}

export type SideName = "users" | "items";

/** The side held fixed while `side` is solved. */
export function otherSide(side: SideName): SideName {
  return side === "users" ? "items" : "users";
}

/** A typed array of `length` elements on a SharedArrayBuffer (or a plain buffer when `shared` is false). */
export function allocate<T extends Float32Array | Float64Array | Int32Array>(
  Ctor: { new (buffer: ArrayBuffer | SharedArrayBuffer): T; readonly BYTES_PER_ELEMENT: number },
  length: number,
  shared: boolean,
): T {
  const bytes = Math.max(0, length) * Ctor.BYTES_PER_ELEMENT;
  return new Ctor(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

/** A copy of a CSR matrix on shared memory (for workers), or the matrix itself when not shared. */
export function shareCsr(m: Csr, shared: boolean): Csr {
  if (!shared) return m;
  const indptr = allocate(Int32Array, m.indptr.length, true);
  const indices = allocate(Int32Array, m.indices.length, true);
  const values = allocate(Float32Array, m.values.length, true);
  indptr.set(m.indptr);
  indices.set(m.indices);
  values.set(m.values);
  return { rows: m.rows, cols: m.cols, indptr, indices, values };
}
