/**
 * Starting worker threads from both the compiled package (dist/*.js) and the
 * TypeScript sources under test (src/*.ts, loaded through tsx).
 *
 * On Node 20 a worker's `execArgv: ["--import", "tsx"]` does not reach the
 * worker's entry module ("Unknown file extension .ts"), so a .ts worker starts
 * from a tiny bootstrap that registers tsx's ESM hooks, then imports the module.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

export function startWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.pathname.endsWith(".ts")) return new Worker(moduleUrl, options);
  const tsxPackage = createRequire(import.meta.url).resolve("tsx/package.json");
  const register = pathToFileURL(tsxPackage.replace(/package\.json$/, "dist/esm/api/index.mjs")).href;
  const bootstrap = `import(${JSON.stringify(register)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** The URL of a sibling module of `base` (import.meta.url), with the caller's own extension (.ts or .js). */
export function siblingModule(base: string, name: string): URL {
  const extension = base.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./${name}${extension}`, base);
}
