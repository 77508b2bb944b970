/** Runs the CLI in-process with captured stdout/stderr. */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

export interface Run {
  code: number;
  out: string;
  err: string;
}

export async function run(argv: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const io = bufferIo(env);
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

/** Runs with --json and parses stdout (which must be exactly one JSON document). */
export async function runJson<T = Record<string, unknown>>(
  argv: string[],
  env: Record<string, string> = {},
): Promise<T> {
  const r = await run([...argv, "--json"], env);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.err}`);
  return JSON.parse(r.out) as T;
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(os.tmpdir(), "kindred-cli-test-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
