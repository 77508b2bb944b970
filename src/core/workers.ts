/**
 * Starting worker threads from both the compiled package (dist/*.js) and the
 * TypeScript sources under test (src/*.ts, loaded through tsx).
 */
import { Worker, type WorkerOptions } from "node:worker_threads";

export function startWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  const isTypeScript = moduleUrl.pathname.endsWith(".ts");
  return new Worker(moduleUrl, {
    ...options,
    execArgv: isTypeScript ? [...(options.execArgv ?? []), "--import", "tsx"] : options.execArgv,
  });
}

/** The URL of a sibling module of `base` (import.meta.url), with the caller's own extension (.ts or .js). */
export function siblingModule(base: string, name: string): URL {
  const extension = base.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./${name}${extension}`, base);
}
