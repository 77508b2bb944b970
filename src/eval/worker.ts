/**
 * Evaluation worker: receives folds as shared memory and (algorithm, fold)
 * jobs, and answers each job with its FoldResult. It evaluates with the
 * registry exported by `registryModule` (default: the built-in algorithms),
 * so algorithms added to the registry later are evaluated without change.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { AlgorithmRegistry } from "../algorithms/registry.js";
import { evaluateFold, type FoldJob } from "./fold-eval.js";
import { type SharedFold, unshareFold } from "./shared-fold.js";
import type { Fold } from "./types.js";

export type WorkerRequest = { readonly id: number; readonly job: FoldJob; readonly fold: SharedFold };
export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly result: Awaited<ReturnType<typeof evaluateFold>> }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { name: string; message: string; code?: string; field?: string; stack?: string };
    };

const port = parentPort;
if (port) {
  const { registryModule } = workerData as { registryModule: string };
  const registryPromise: Promise<AlgorithmRegistry> = import(registryModule).then(
    (m: { registry: AlgorithmRegistry }) => m.registry,
  );
  // A few folds stay rebuilt (their transposes are the costly part); jobs come fold by fold.
  const cache = new Map<string, Fold>();
  port.on("message", async (request: WorkerRequest) => {
    try {
      const registry = await registryPromise;
      let fold = cache.get(request.fold.id);
      if (!fold) {
        fold = unshareFold(request.fold);
        cache.set(request.fold.id, fold);
        if (cache.size > 3) cache.delete(cache.keys().next().value as string);
      }
      const result = await evaluateFold(registry, request.job, fold);
      port.postMessage({ id: request.id, ok: true, result } satisfies WorkerResponse);
    } catch (error) {
      const e = error as Error & { code?: string; field?: string };
      port.postMessage({
        id: request.id,
        ok: false,
        error: { name: e.name, message: e.message, code: e.code, field: e.field, stack: e.stack },
      } satisfies WorkerResponse);
    }
  });
}
