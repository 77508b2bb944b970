/** Starting service processes for tests: `node --import tsx <entry>`, waiting for its first JSON line. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const FIXTURE = fileURLToPath(new URL("./serve-fixture.ts", import.meta.url));
export const CLI = fileURLToPath(new URL("../../../src/cli/entry.ts", import.meta.url));

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly adminKey: string | null;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

export async function spawnService(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: ROOT,
    env: { ...process.env, KINDRED_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  const started = Date.now();
  for (;;) {
    const line = out.split("\n").find((l) => l.startsWith("{"));
    if (line) {
      const info = JSON.parse(line) as { url: string; adminKey: string | null };
      return { child, url: info.url, adminKey: info.adminKey, stdout: () => out, stderr: () => err, exited };
    }
    if (child.exitCode !== null || Date.now() - started > timeoutMs) {
      child.kill("SIGKILL");
      throw new Error(`service did not start (exit ${child.exitCode}):\n${out}\n${err}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** fetch with a bearer key and a JSON body. */
export async function call(
  base: string,
  key: string | null,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}
