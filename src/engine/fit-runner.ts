/**
 * Fitting in a worker thread, so the process keeps answering while a model
 * trains: the dataset goes over as SharedArrayBuffer-backed typed arrays, the
 * snapshot bytes come back transferred. Aborting terminates the worker (a fit
 * loop never yields to read a message) and rejects with CANCELLED.
 */
import type { EpochProgress, FitReport } from "../algorithms/recommender.js";
import type { Dataset } from "../core/dataset.js";
import { type ErrorCode, KindredError } from "../core/errors.js";
import { siblingModule, startWorker } from "../core/workers.js";
import { type PackedDataset, packDataset } from "./dataset-transfer.js";

export interface FitJob {
  readonly kind: string;
  readonly config: Record<string, unknown>;
  readonly seed: number;
  readonly data: PackedDataset;
}

export type WorkerMessage =
  | { readonly type: "epoch"; readonly progress: EpochProgress }
  | { readonly type: "done"; readonly bytes: Uint8Array; readonly report: FitReport; readonly threadId: number }
  | { readonly type: "error"; readonly code: ErrorCode; readonly message: string; readonly field: string | undefined };

export interface FitOutcome {
  /** The encoded ModelSnapshot. */
  readonly bytes: Uint8Array;
  readonly report: FitReport;
  /** The worker's threadId (never 0, the main thread's). */
  readonly threadId: number;
  readonly seconds: number;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly onEpoch?: (progress: EpochProgress) => void;
  /** A background refit does not keep the process alive (a foreground fit must: someone awaits it). */
  readonly background?: boolean;
}

const cancelled = (kind: string): KindredError => new KindredError("CANCELLED", `fitting ${kind} was cancelled`);

export function fitInWorker(
  kind: string,
  config: Record<string, unknown>,
  seed: number,
  data: Dataset | PackedDataset,
  options: RunOptions = {},
): Promise<FitOutcome> {
  const { signal, onEpoch } = options;
  if (signal?.aborted) return Promise.reject(cancelled(kind));
  const packed = "ratingsByItem" in data ? packDataset(data) : data;
  const started = performance.now();
  const job: FitJob = { kind, config, seed, data: packed };
  const worker = startWorker(siblingModule(import.meta.url, "fit-worker"), { workerData: job });
  if (options.background) worker.unref();
  return new Promise<FitOutcome>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: FitOutcome | Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onAbort = (): void => finish(cancelled(kind));
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "epoch") onEpoch?.(message.progress);
      else if (message.type === "done") {
        const seconds = (performance.now() - started) / 1000;
        finish({ bytes: message.bytes, report: message.report, threadId: message.threadId, seconds });
      } else finish(new KindredError(message.code, message.message, { field: message.field }));
    });
    worker.on("error", (error) =>
      finish(new KindredError("INTERNAL", `fitting ${kind} failed in its worker: ${error.message}`, { cause: error })),
    );
    worker.on("exit", (code) =>
      finish(new KindredError("INTERNAL", `the worker fitting ${kind} exited (code ${code}) without a result`)),
    );
  });
}
