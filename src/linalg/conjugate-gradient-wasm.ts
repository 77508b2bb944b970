/**
 * The implicit-ALS conjugate-gradient row kernel as 128-bit SIMD WebAssembly
 * (source: wasm/assembly/implicit-cg.ts; bytes: conjugate-gradient-wasm-bytes.ts),
 * in float32 (four lanes per operation, like the factors it reads), several
 * times the speed of the float64 TypeScript loops on the dot products and
 * updates that dominate implicit ALS. Each instance owns a small private memory (one
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
    table: number,
    cols: number,
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
  /** Values per vector and row: k rounded up to a multiple of 4 (SIMD lanes of f32), padding zero. */
  readonly stride: number;
  /** Views into the kernel's memory, valid until the next reserve() or setFixed(). */
  cols = new Int32Array(0);
  weights = new Float32Array(0);
  x = new Float32Array(0);
  private gramView = new Float32Array(0);
  private tableView = new Float32Array(0);
  /** Rows of the fixed table and entries per row there is room for. */
  private tableRows = -1;
  private capacity = -1;
  private readonly at = { gram: 0, x: 0, scratch: 0, table: 0, weights: 0, cols: 0, rows: 0 };

  private constructor(
    private readonly exports: KernelExports,
    readonly k: number,
  ) {
    this.stride = Math.ceil(k / 4) * 4;
    const s = this.stride;
    this.at.gram = align16(exports.heapBase());
    this.at.x = this.at.gram + 4 * s * s;
    this.at.scratch = this.at.x + 4 * s;
    this.at.table = this.at.scratch + 12 * s;
    this.layout(0, 64);
  }

  /** A kernel for k factors, or null when this host lacks WebAssembly SIMD. */
  static create(k: number): ImplicitCgKernel | null {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`ImplicitCgKernel: k must be a positive integer, got ${k}`);
    const module = compiledModule();
    if (!module || !wasm) return null;
    const instance = new wasm.Instance(module, { env: { abort: () => undefined } });
    return new ImplicitCgKernel(instance.exports as KernelExports, k);
  }

  /** Places the regions after the table for `tableRows` fixed rows and rows of up to `capacity` entries. */
  private layout(tableRows: number, capacity: number): void {
    const s = this.stride;
    const at = this.at;
    at.weights = align16(at.table + 4 * s * tableRows);
    at.cols = align16(at.weights + 4 * capacity);
    at.rows = align16(at.cols + 4 * capacity);
    const end = at.rows + 4 * s * capacity;
    const memory = this.exports.memory;
    const gram = this.gramView.slice(); // growing detaches the old views
    const table = tableRows === this.tableRows ? this.tableView.slice() : new Float32Array(0);
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    const buffer = memory.buffer;
    this.tableRows = tableRows;
    this.capacity = capacity;
    this.gramView = new Float32Array(buffer, at.gram, s * s);
    if (gram.length > 0) this.gramView.set(gram);
    this.tableView = new Float32Array(buffer, at.table, s * tableRows);
    if (table.length > 0) this.tableView.set(table);
    this.x = new Float32Array(buffer, at.x, s);
    this.weights = new Float32Array(buffer, at.weights, capacity);
    this.cols = new Int32Array(buffer, at.cols, capacity);
  }

  /** Room for rows of up to n entries (may grow the memory and refresh the views). */
  reserve(n: number): void {
    if (n > this.capacity) this.layout(this.tableRows, Math.max(n, 2 * this.capacity));
  }

  /**
   * Before a half-step: the fixed side's Gram matrix YᵀY (k×k) and its factors (rows×k, Float32),
   * copied in padded to the stride, so each row's solve reads them by index.
   */
  setFixed(gram: Float64Array, factors: Float32Array, rows: number): void {
    const { k, stride } = this;
    if (gram.length !== k * k)
      throw new RangeError(`ImplicitCgKernel: gram has length ${gram.length}, expected ${k * k}`);
    if (factors.length < rows * k) {
      throw new RangeError(`ImplicitCgKernel: factors have length ${factors.length}, expected ${rows} × ${k}`);
    }
    if (rows !== this.tableRows) this.layout(rows, this.capacity);
    this.gramView.fill(0);
    for (let a = 0; a < k; a++) this.gramView.set(gram.subarray(a * k, (a + 1) * k), a * stride);
    const table = this.tableView;
    if (stride === k) {
      table.set(factors.subarray(0, rows * k)); // one copy
      return;
    }
    for (let r = 0; r < rows; r++) {
      table.set(factors.subarray(r * k, (r + 1) * k), r * stride);
      table.fill(0, r * stride + k, (r + 1) * stride);
    }
  }

  /**
   * Up to `steps` CG steps for a row whose n positive entries are in `cols` (rows of the fixed
   * table) and `weights` (α·value), from the warm start in x; returns the steps taken.
   */
  solve(n: number, lambda: number, steps: number): number {
    if (n > this.capacity) throw new RangeError(`ImplicitCgKernel: ${n} entries exceed the reserved ${this.capacity}`);
    const { at } = this;
    const s = this.stride;
    return this.exports.implicitCg(
      s,
      n,
      at.gram,
      at.table,
      at.cols,
      at.rows,
      at.weights,
      lambda,
      at.x,
      steps,
      at.scratch,
    );
  }
}
