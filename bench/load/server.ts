/** `kindred serve` as a child process of the load bench, and what the bench reads from it (/proc, /metrics). */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { ROOT } from "./options.js";

export interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the service on `db` (a file or a postgres URL) and waits until /health says the models are loaded. */
export async function startServer(
  db: string,
  env: Record<string, string> = {},
  nodeFlags: string[] = [],
): Promise<Server> {
  const args = [...nodeFlags, "--import", "tsx", "src/cli/entry.ts", "serve", "--json", "--db", db];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, KINDRED_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  for (let waited = 0; ; waited += 100) {
    const line = out.split("\n").find((l) => l.startsWith("{"));
    if (line) {
      const url = (JSON.parse(line) as { url: string }).url;
      // Ready = the models are loaded (the warm-up runs right after the port opens).
      for (let w = 0; w < 600; w++) {
        if ((await fetch(`${url}/health`)).status === 200) return { child, url };
        await sleep(100);
      }
      throw new Error("the service never became ready");
    }
    if (child.exitCode !== null || waited > 60_000) throw new Error(`the service did not start:\n${out}`);
    await sleep(100);
  }
}

export async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.on("exit", resolve));
  server.child.kill("SIGTERM");
  await exited;
}

async function metricsText(server: Server, headers: Record<string, string>): Promise<string> {
  return (await fetch(`${server.url}/metrics`, { headers })).text();
}

/** Answers the cache served (hit or stale) and computed (miss), from /metrics. */
export async function cacheCounts(
  server: Server,
  headers: Record<string, string>,
): Promise<{ hit: number; miss: number }> {
  const text = await metricsText(server, headers);
  const count = (outcome: string) =>
    Number(new RegExp(`kindred_answer_cache_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  // A stale answer (past its time to live, recomputed in the background) is served from the cache too.
  return { hit: count("hit") + count("stale"), miss: count("miss") };
}

/**
 * From /metrics: the V8 heap in use (MB) and the event loop's delay since the previous scrape (ms: p99 and
 * max; the service resets it on each scrape, so a series of scrapes tiles the run).
 */
export async function serverGauges(
  server: Server,
  headers: Record<string, string>,
): Promise<{ heapMB: number; loopP99Ms: number; loopMaxMs: number }> {
  const text = await metricsText(server, headers);
  const loop = (q: string) =>
    Number(new RegExp(`kindred_event_loop_delay_seconds\\{quantile="${q}"\\} ([\\d.e+-]+)`).exec(text)?.[1] ?? 0) *
    1000;
  return {
    heapMB: Number(/kindred_process_memory_bytes\{kind="heap_used"\} (\d+)/.exec(text)?.[1] ?? 0) / 2 ** 20,
    loopP99Ms: loop("0.99"),
    loopMaxMs: loop("1"),
  };
}

/** utime + stime of a process, in ms (Linux /proc). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

export function rssMB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON from the service
export async function fetchJson(url: string, headers: Record<string, string>): Promise<any> {
  return (await fetch(url, { headers })).json();
}
