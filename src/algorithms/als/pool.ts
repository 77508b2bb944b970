/**
 * Runs ALS half-steps on several threads: the main thread prepares the
 * half-step (the Gram matrix), then each worker solves a balanced range of
 * rows of the shared factor matrices. With one thread it runs inline.
 */
import type { Worker } from "node:worker_threads";
import { KindredError } from "../../core/errors.js";
import { siblingModule, startWorker } from "../../core/workers.js";
import { balancedRanges, halfStep, prepareHalfStep } from "./half-step.js";
import type { AlsProblem, SideName } from "./problem.js";
import { RowSolver } from "./row-solver.js";
import type { WorkerReply, WorkerRequest } from "./worker.js";

export interface HalfStepRunner {
  run(side: SideName): Promise<void>;
  close(): Promise<void>;
}

/** Inline runner: the main thread solves every row. */
export function inlineRunner(problem: AlsProblem): HalfStepRunner {
  const solver = new RowSolver(problem.params);
  return {
    async run(side) {
      prepareHalfStep(problem, side);
      halfStep(problem, side, 0, problem[side].matrix.rows, solver);
    },
    async close() {},
  };
}

/** A pool of `threads` workers over a problem whose arrays live on SharedArrayBuffers. */
export async function workerRunner(problem: AlsProblem, threads: number): Promise<HalfStepRunner> {
  const workers: Worker[] = [];
  const request = (worker: Worker, message: WorkerRequest): Promise<void> =>
    new Promise((resolve, reject) => {
      const onMessage = (reply: WorkerReply): void => {
        cleanup();
        if (reply.type === "done") resolve();
        else reject(new KindredError("INTERNAL", `ALS worker failed: ${reply.message}`));
      };
      const onError = (error: Error): void => {
        cleanup();
        reject(new KindredError("INTERNAL", `ALS worker crashed: ${error.message}`, { cause: error }));
      };
      // A worker that stops without an error (killed, out of memory) must not leave the fit waiting forever.
      const onExit = (code: number): void => {
        cleanup();
        reject(new KindredError("INTERNAL", `ALS worker stopped (exit code ${code}) during a half-step`));
      };
      const cleanup = (): void => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage(message);
    });
  const close = async (): Promise<void> => {
    await Promise.all(workers.map((w) => w.terminate()));
  };
  try {
    for (let t = 0; t < threads; t++) workers.push(startWorker(siblingModule(import.meta.url, "worker")));
    await Promise.all(workers.map((w) => request(w, { type: "init", problem })));
  } catch (error) {
    await close();
    throw error;
  }
  const k = problem.params.factors;
  const perRowCost = Math.max(1, Math.round(k / 2)); // the k×k work of a row, in units of one entry's ~2k
  const ranges: Record<SideName, Array<[number, number]>> = {
    users: balancedRanges(problem.users.matrix.indptr, threads, perRowCost),
    items: balancedRanges(problem.items.matrix.indptr, threads, perRowCost),
  };
  return {
    async run(side) {
      prepareHalfStep(problem, side);
      await Promise.all(
        ranges[side].map(([start, end], t) => request(workers[t]!, { type: "half", side, start, end })),
      );
    },
    close,
  };
}
