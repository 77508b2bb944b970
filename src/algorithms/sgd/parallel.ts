/**
 * Helper threads for SGD on the other cores. A helper instantiates the same
 * WebAssembly kernels on the caller's shared memory and runs the passes it is
 * sent while the calling thread runs its own. Callers only give concurrent
 * passes blocks that share no customer and no item (DSGD strata, Gemulla et
 * al. 2011), so there are no races and results do not depend on timing or on
 * whether a helper was available at all.
 *
 * Helpers are pooled per process (starting a thread costs ~50 ms, a fit on
 * ml-100k ~100 ms): a fit acquires one, and until it is online the caller
 * simply runs both blocks itself. Idle helpers are unref'd, so they never keep
 * the process alive. The worker's code is a few lines of plain JavaScript
 * evaluated in place: no file to locate, no TypeScript loader.
 */
import { Worker } from "node:worker_threads";
import { KindredError } from "../../core/errors.js";
import type { SharedHandle } from "../../linalg/wasm/sgd-kernels.js";

const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
let kernels = null;
parentPort.on("message", (m) => {
  if (m.attach) {
    kernels = new WebAssembly.Instance(m.attach.module, { env: { memory: m.attach.memory } }).exports;
    return;
  }
  if (m.detach) {
    kernels = null; // let the fit's memory go
    return;
  }
  try {
    parentPort.postMessage({ ok: true, value: kernels[m.kernel](...m.args) });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String(error) });
  }
});
`;

export type KernelExport = "svdEpoch" | "svdppEpoch" | "bprEpoch";

interface Reply {
  ok: boolean;
  value?: number;
  error?: string;
}

export class HelperThread {
  private readonly worker: Worker;
  private online = false;
  private failed: Error | null = null;
  private pending: { resolve: (v: number) => void; reject: (e: Error) => void } | null = null;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.on("online", () => {
      this.online = true;
    });
    this.worker.on("message", (reply: Reply) => {
      const pending = this.pending;
      this.pending = null;
      if (!pending) return;
      if (reply.ok) pending.resolve(reply.value!);
      else pending.reject(new KindredError("INTERNAL", `SGD helper thread failed: ${reply.error}`));
    });
    this.worker.on("error", (error) => {
      this.failed = error;
      this.pending?.reject(new KindredError("INTERNAL", "SGD helper thread crashed", { cause: error }));
      this.pending = null;
    });
  }

  /** True when the helper can take a pass now (started, attached, idle). */
  get ready(): boolean {
    return this.online && this.failed === null && this.pending === null;
  }

  attach(handle: SharedHandle): void {
    this.worker.postMessage({ attach: handle });
  }

  /** Runs `kernel(...args)` on the helper; settles with its return value. */
  run(kernel: KernelExport, args: number[]): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage({ kernel, args });
    });
  }

  /** Drops the helper's reference to the caller's memory. */
  detach(): void {
    this.worker.postMessage({ detach: true });
  }

  ref(): void {
    this.worker.ref();
  }

  unref(): void {
    this.worker.unref();
  }

  get broken(): boolean {
    return this.failed !== null;
  }
}

const idle: HelperThread[] = [];

/** A helper attached to `handle` (pooled; it may still be starting: check `ready`). */
export function acquireHelper(handle: SharedHandle): HelperThread {
  let helper = idle.pop();
  while (helper?.broken) helper = idle.pop();
  helper ??= new HelperThread();
  helper.ref();
  helper.attach(handle);
  return helper;
}

/** Returns a helper to the pool once its pass is done. */
export function releaseHelper(helper: HelperThread): void {
  helper.detach();
  helper.unref();
  if (!helper.broken) idle.push(helper);
}
