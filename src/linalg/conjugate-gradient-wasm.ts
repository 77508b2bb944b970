/**
 * The implicit-ALS conjugate-gradient row kernel as 128-bit SIMD WebAssembly
 * (source: wasm/assembly/implicit-cg.ts; bytes: conjugate-gradient-wasm-bytes.ts),
 * about 4× the speed of the TypeScript loops on the dot products and updates
 * that dominate implicit ALS. Each instance owns a small private memory (one
 * per thread): the caller gathers a row's factors into `rows`/`weights`, sets
 * the warm start in `x`, and calls solve(). `create` returns null on hosts
 * without WebAssembly SIMD; the caller then uses the TypeScript path.
 */
import { IMPLICIT_CG_WASM_BASE64 } from "./conjugate-gradient-wasm-bytes.js";

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  implicitCg(
    s: number,
    n: number,
    gram: number,
    rows: number,
    weights: number,
    lambda: number,
    x: number,
    steps: number,
    scratch: number,
  ): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
// Declared locally: the project compiles against ES2023 + Node types, which do not describe WebAssembly.
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

function compiledModule(): object | null {
  if (compiled === undefined) {
    try {
      const bytes = Buffer.from(IMPLICIT_CG_WASM_BASE64, "base64");
      compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const PAGE = 65536;
const align16 = (n: number): number => (n + 15) & ~15;

export class ImplicitCgKernel {
  /** Values per vector and row: k rounded up to even (SIMD lanes of two f64), padding zero. */
  readonly stride: number;
  /** Views into the kernel's memory, valid until the next reserve(). */
  rows = new Float64Array(0);
  weights = new Float64Array(0);
  x = new Float64Array(0);
  private gramView = new Float64Array(0);
  private capacity = -1;
  private readonly at: { gram: number; x: number; scratch: number; weights: number; rows: number };

  private constructor(
    private readonly exports: KernelExports,
    readonly k: number,
  ) {
    this.stride = k + (k % 2);
    const s = this.stride;
    const gram = align16(exports.heapBase());
    const x = gram + 8 * s * s;
    const scratch = x + 8 * s;
    const weights = scratch + 24 * s;
    this.at = { gram, x, scratch, weights, rows: weights };
    this.reserve(64);
  }

  /** A kernel for k factors, or null when this host lacks WebAssembly SIMD. */
  static create(k: number): ImplicitCgKernel | null {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`ImplicitCgKernel: k must be a positive integer, got ${k}`);
    const module = compiledModule();
    if (!module || !wasm) return null;
    const instance = new wasm.Instance(module, { env: { abort: () => undefined } });
    return new ImplicitCgKernel(instance.exports as KernelExports, k);
  }

  /** Room for rows of up to n entries (grows the memory; refreshes the views). */
  reserve(n: number): void {
    if (n <= this.capacity) return;
    const capacity = Math.max(n, 2 * this.capacity, 64);
    const s = this.stride;
    const rows = align16(this.at.weights + 8 * capacity);
    const end = rows + 8 * s * capacity;
    const memory = this.exports.memory;
    const saved = this.gramView.slice(); // growing detaches the old views
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    this.at.rows = rows;
    this.capacity = capacity;
    const buffer = memory.buffer;
    this.gramView = new Float64Array(buffer, this.at.gram, s * s);
    if (saved.length > 0) this.gramView.set(saved);
    this.x = new Float64Array(buffer, this.at.x, s);
    this.weights = new Float64Array(buffer, this.at.weights, capacity);
    this.rows = new Float64Array(buffer, rows, s * capacity);
  }

  /** Copies YᵀY (k×k) in, padded to stride×stride; once per half-step. */
  setGram(gram: Float64Array): void {
    const { k, stride } = this;
    if (gram.length !== k * k)
      throw new RangeError(`ImplicitCgKernel: gram has length ${gram.length}, expected ${k * k}`);
    this.gramView.fill(0);
    for (let a = 0; a < k; a++) this.gramView.set(gram.subarray(a * k, (a + 1) * k), a * stride);
  }

  /** Up to `steps` CG steps for the n gathered rows from the warm start in x; returns the steps taken. */
  solve(n: number, lambda: number, steps: number): number {
    if (n > this.capacity) throw new RangeError(`ImplicitCgKernel: ${n} rows exceed the reserved ${this.capacity}`);
    const { at } = this;
    return this.exports.implicitCg(this.stride, n, at.gram, at.rows, at.weights, lambda, at.x, steps, at.scratch);
  }
}
