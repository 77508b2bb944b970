/**
 * Worker-thread entry: fits one model on a shared dataset and posts back the
 * snapshot bytes (transferred, not copied). Started by fit-runner.ts; knows
 * the built-in algorithms of the default registry.
 */
import { parentPort, threadId, workerData } from "node:worker_threads";
import { registry } from "../algorithms/index.js";
import type { EpochProgress } from "../algorithms/recommender.js";
import { isKindredError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { encodeSnapshot } from "../core/snapshot.js";
import { unpackDataset } from "./dataset-transfer.js";
import type { FitJob, WorkerMessage } from "./fit-runner.js";

const post = (message: WorkerMessage, transfer?: ArrayBuffer[]): void => parentPort?.postMessage(message, transfer);

async function run(job: FitJob): Promise<void> {
  try {
    const dataset = unpackDataset(job.data);
    const model = registry.create(job.kind, job.config);
    const report = await model.fit(dataset, {
      rng: new Rng(job.seed),
      onEpoch: (progress: EpochProgress) => post({ type: "epoch", progress }),
    });
    const bytes = encodeSnapshot(model.snapshot());
    post({ type: "done", bytes, report, threadId }, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    post({
      type: "error",
      code: isKindredError(error) ? error.code : "INTERNAL",
      message: error instanceof Error ? error.message : String(error),
      field: isKindredError(error) ? error.field : undefined,
    });
  }
}

await run(workerData as FitJob);
