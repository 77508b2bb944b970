/**
 * Worker-thread entry of the ALS pool: receives the problem once (typed arrays
 * on SharedArrayBuffers, so nothing is copied), then runs half-steps over the
 * row ranges the main thread sends, and answers "done" after each.
 */
import { parentPort } from "node:worker_threads";
import { halfStep } from "./half-step.js";
import type { AlsProblem, SideName } from "./problem.js";
import { RowSolver } from "./row-solver.js";

export type WorkerRequest =
  | { readonly type: "init"; readonly problem: AlsProblem }
  | { readonly type: "half"; readonly side: SideName; readonly start: number; readonly end: number };

export type WorkerReply = { readonly type: "done" } | { readonly type: "error"; readonly message: string };

let problem: AlsProblem | undefined;
let solver: RowSolver | undefined;

parentPort?.on("message", (request: WorkerRequest) => {
  try {
    if (request.type === "init") {
      problem = request.problem;
      solver = new RowSolver(problem.params);
    } else {
      if (!problem || !solver) throw new Error("ALS worker: half-step before init");
      halfStep(problem, request.side, request.start, request.end, solver);
    }
    parentPort?.postMessage({ type: "done" } satisfies WorkerReply);
  } catch (error) {
    parentPort?.postMessage({ type: "error", message: String((error as Error)?.stack ?? error) } satisfies WorkerReply);
  }
});
