/**
 * A small pool of evaluation workers (src/core/workers.ts) that runs
 * (algorithm, fold) jobs, one per worker at a time. Errors thrown in a worker
 * come back as the same KindredError codes; a worker that dies fails its job.
 */
import type { Worker } from "node:worker_threads";
import { KindredError, ValidationError } from "../core/errors.js";
import { siblingModule, startWorker } from "../core/workers.js";
import type { FoldJob, FoldResult } from "./fold-eval.js";
import type { SharedFold } from "./shared-fold.js";
import type { WorkerRequest, WorkerResponse } from "./worker.js";

interface Pending {
  resolve: (result: FoldResult) => void;
  reject: (error: Error) => void;
}

/** The URL of the built-in registry module, next to this one (.ts under test, .js when built). */
export function defaultRegistryModule(): string {
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`../algorithms/index${extension}`, import.meta.url).href;
}

function revive(error: Extract<WorkerResponse, { ok: false }>["error"]): Error {
  if (error.name === "ValidationError" && error.field) {
    return new ValidationError(error.field, error.message.replace(`${error.field}: `, ""));
  }
  if (error.code) {
    return new KindredError(error.code as KindredError["code"], error.message, { field: error.field });
  }
  const revived = new Error(error.message);
  revived.name = error.name;
  revived.stack = error.stack;
  return revived;
}

export class EvalPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<{ request: Omit<WorkerRequest, "id">; pending: Pending }> = [];
  private readonly inFlight = new Map<Worker, { id: number; pending: Pending }>();
  private nextId = 1;
  private closed = false;

  constructor(size: number, registryModule = defaultRegistryModule()) {
    for (let w = 0; w < size; w++) {
      const worker = startWorker(siblingModule(import.meta.url, "worker"), { workerData: { registryModule } });
      worker.on("message", (response: WorkerResponse) => this.settle(worker, response));
      worker.on("error", (error) => this.fail(worker, error));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(worker, new KindredError("INTERNAL", `evaluation worker exited with code ${code}`));
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Workers started (and still alive). */
  get size(): number {
    return this.workers.length;
  }

  run(job: FoldJob, fold: SharedFold): Promise<FoldResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { job, fold }, pending: { resolve, reject } });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const { request, pending } = this.queue.shift()!;
      const id = this.nextId++;
      this.inFlight.set(worker, { id, pending });
      worker.postMessage({ id, ...request } satisfies WorkerRequest);
    }
  }

  private settle(worker: Worker, response: WorkerResponse): void {
    const flight = this.inFlight.get(worker);
    if (!flight || flight.id !== response.id) return;
    this.inFlight.delete(worker);
    this.idle.push(worker);
    if (response.ok) flight.pending.resolve(response.result);
    else flight.pending.reject(revive(response.error));
    this.dispatch();
  }

  private fail(worker: Worker, error: Error): void {
    const flight = this.inFlight.get(worker);
    this.inFlight.delete(worker);
    for (const list of [this.workers, this.idle]) {
      const index = list.indexOf(worker);
      if (index >= 0) list.splice(index, 1);
    }
    flight?.pending.reject(error);
    if (this.workers.length === 0) {
      for (const { pending } of this.queue.splice(0)) pending.reject(error);
    }
  }
}
