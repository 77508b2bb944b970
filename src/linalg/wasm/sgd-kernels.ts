/**
 * The SGD kernels compiled to WebAssembly with 128-bit SIMD (assembly/sgd.ts,
 * embedded as sgd-wasm.ts), and the choice between them and the TypeScript
 * fallback. Each kernel set owns one shared linear memory; its `f32`/`i32`
 * hand out views into it (a bump allocator: a fit allocates once, then the
 * whole set is dropped), so the arrays are SharedArrayBuffer-backed and a
 * worker thread can run the same kernels on them (see sharedHandle).
 */
import { KindredError } from "../../core/errors.js";
import { createFallbackKernels } from "./sgd-fallback.js";
import type {
  BiasedFactors,
  BprRates,
  BprSamples,
  ImplicitFactors,
  ImplicitRows,
  KernelName,
  Pairs,
  PredictParams,
  RankingFactors,
  SgdKernels,
  SvdppRates,
  SvdppRows,
  SvdRates,
  SvdRatings,
} from "./sgd-types.js";
import { SGD_WASM_BASE64 } from "./sgd-wasm.js";

/**
 * The part of the WebAssembly JS API used here. Declared locally because the
 * project compiles against ES2023 + Node types, which do not describe it.
 */
export interface WasmModule {
  readonly __brand?: "WasmModule";
}
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB, the wasm32 limit (reserved address space, not memory)

interface SgdExports {
  heapBase(): number;
  svdEpoch(...args: number[]): number;
  svdppEpoch(...args: number[]): number;
  bprEpoch(...args: number[]): number;
  implicitSums(...args: number[]): void;
  predictPairs(...args: number[]): number;
}

let compiled: WasmModule | null | undefined;

/** The compiled module, or null when this host lacks WebAssembly SIMD or shared memory. */
export function sgdModule(): WasmModule | null {
  if (compiled === undefined) compiled = compileModule();
  return compiled;
}

function compileModule(): WasmModule | null {
  try {
    const bytes = Buffer.from(SGD_WASM_BASE64, "base64");
    return wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
  } catch {
    return null; // no WebAssembly at all
  }
}

/** What a worker needs to run the same kernels on the same memory. */
export interface SharedHandle {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
}

const ptr = (a: Int32Array | Float32Array): number => a.byteOffset;

class WasmKernels implements SgdKernels {
  readonly name = "wasm" as const;
  readonly memory: WasmMemory;
  readonly module: WasmModule;
  private readonly ex: SgdExports;
  private next: number;

  constructor(module: WasmModule) {
    this.module = module;
    this.memory = new wasmApi.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    this.ex = new wasmApi.Instance(module, { env: { memory: this.memory } }).exports as unknown as SgdExports;
    this.next = (this.ex.heapBase() + 15) & ~15;
  }

  private reserve(bytes: number): number {
    const at = this.next;
    const end = at + ((bytes + 15) & ~15);
    if (end > MAX_PAGES * PAGE) {
      throw new KindredError("TOO_LARGE", `the SGD kernels need ${end} bytes, more than WebAssembly's 4 GiB`, {
        field: "data",
      });
    }
    const have = this.memory.buffer.byteLength;
    // Growing a shared memory never detaches: views handed out earlier stay valid.
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.next = end;
    return at;
  }

  f32(length: number): Float32Array {
    const at = this.reserve(length * 4); // before reading .buffer: reserving may grow it
    return new Float32Array(this.memory.buffer, at, length);
  }

  i32(length: number): Int32Array {
    const at = this.reserve(length * 4);
    return new Int32Array(this.memory.buffer, at, length);
  }

  svdEpoch(r: SvdRatings, f: BiasedFactors, start: number, end: number, s: SvdRates): number {
    return this.ex.svdEpoch(...svdArgs(r, f, start, end, s));
  }

  svdppEpoch(rows: SvdppRows, f: BiasedFactors, y: ImplicitFactors, start: number, end: number, s: SvdppRates): number {
    return this.ex.svdppEpoch(
      ptr(rows.indptr),
      ptr(rows.indices),
      ptr(rows.values),
      ptr(rows.order),
      ptr(rows.userOrder),
      start,
      end,
      ptr(rows.implicitIndptr),
      ptr(rows.implicitIndices),
      ptr(rows.implicitWeights),
      ptr(rows.implicitNorm),
      ptr(f.P),
      ptr(f.Q),
      ptr(y.Y),
      ptr(f.userBias),
      ptr(f.itemBias),
      f.stride,
      s.mu,
      s.lrBias,
      s.regBias,
      s.lr,
      s.reg,
      s.regImplicit,
      ptr(y.z),
      ptr(y.acc),
    );
  }

  implicitSums(rows: ImplicitRows, Y: Float32Array, stride: number, start: number, end: number, Z: Float32Array): void {
    this.ex.implicitSums(
      start,
      end,
      ptr(rows.implicitIndptr),
      ptr(rows.implicitIndices),
      ptr(rows.implicitWeights),
      ptr(rows.implicitNorm),
      ptr(Y),
      stride,
      ptr(Z),
    );
  }

  predictPairs(
    pairs: Pairs,
    f: BiasedFactors,
    Z: Float32Array | null,
    start: number,
    end: number,
    params: PredictParams,
    out: Float32Array,
  ): number {
    return this.ex.predictPairs(
      ptr(pairs.users),
      ptr(pairs.items),
      ptr(pairs.values),
      start,
      end,
      ptr(f.P),
      ptr(f.Q),
      Z === null ? 0 : ptr(Z),
      ptr(f.userBias),
      ptr(f.itemBias),
      f.stride,
      params.mu,
      params.lo,
      params.hi,
      ptr(out),
    );
  }

  bprEpoch(b: BprSamples, f: RankingFactors, start: number, end: number, s: BprRates): number {
    return this.ex.bprEpoch(
      ptr(b.users),
      ptr(b.pos),
      ptr(b.neg),
      start,
      end,
      ptr(f.P),
      ptr(f.Q),
      ptr(f.itemBias),
      f.stride,
      s.lr,
      s.regUser,
      s.regPos,
      s.regNeg,
      s.regBias,
    );
  }
}

/** The numbers svdEpoch takes, in order (also what a worker is sent). */
export function svdArgs(r: SvdRatings, f: BiasedFactors, start: number, end: number, s: SvdRates): number[] {
  return [
    ptr(r.users),
    ptr(r.items),
    ptr(r.values),
    ptr(r.chunks),
    start,
    end,
    ptr(f.P),
    ptr(f.Q),
    ptr(f.userBias),
    ptr(f.itemBias),
    f.stride,
    s.mu,
    s.lrBias,
    s.regBias,
    s.lr,
    s.reg,
  ];
}

export type KernelChoice = "auto" | KernelName;

/**
 * A fresh kernel set: WebAssembly SIMD when asked for or ("auto") when the
 * host supports it, else the TypeScript fallback. Asking for "wasm" on a host
 * without it is an error naming the field.
 */
export function createSgdKernels(choice: KernelChoice = "auto"): SgdKernels {
  if (choice === "js") return createFallbackKernels();
  const module = sgdModule();
  if (module) return new WasmKernels(module);
  if (choice === "wasm") {
    throw new KindredError("INVALID_INPUT", "kernel: this host has no WebAssembly SIMD with shared memory", {
      field: "kernel",
    });
  }
  return createFallbackKernels();
}

/** The module and memory behind a WebAssembly kernel set (null for the fallback). */
export function sharedHandle(kernels: SgdKernels): SharedHandle | null {
  return kernels instanceof WasmKernels ? { module: kernels.module, memory: kernels.memory } : null;
}
