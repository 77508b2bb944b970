/**
 * `npm run bench`: runs every benchmark script in bench/ (each `*.ts` here
 * except this one), one after another in its own process so they never
 * compete for the two cores, and records how long each took in
 * bench/results/run-all.{md,json}. A failing script is reported and the rest
 * still run; the exit code is 1 if any failed.
 *
 *   npm run bench                       # everything
 *   npm run bench -- --only accuracy,scaling
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { machine } from "./lib/machine.js";
import { markdownTable, writeResults } from "./lib/results.js";

const BENCH = fileURLToPath(new URL("./", import.meta.url));
/** The long accuracy and scaling runs go last, so the quick scripts report first. */
const LAST = ["accuracy.ts", "scaling.ts"];

const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1]?.split(",").map((s) => s.replace(/\.ts$/, "")) : undefined;

const scripts = readdirSync(BENCH)
  .filter((f) => f.endsWith(".ts") && f !== "run-all.ts" && !f.startsWith("tmp") && !f.startsWith("_"))
  .filter((f) => only === undefined || only.includes(f.replace(/\.ts$/, "")))
  .sort((a, b) => LAST.indexOf(a) - LAST.indexOf(b) || a.localeCompare(b));

const started = machine();
const t0 = performance.now();
const runs: Array<{ script: string; seconds: number; status: number | null; error?: string }> = [];
for (const script of scripts) {
  console.error(`\n=== bench/${script}`);
  const t = performance.now();
  const child = spawnSync(process.execPath, ["--import", "tsx", `bench/${script}`], {
    cwd: fileURLToPath(new URL("../", import.meta.url)),
    stdio: "inherit",
  });
  const seconds = (performance.now() - t) / 1000;
  runs.push({
    script,
    seconds,
    status: child.status,
    ...(child.error
      ? { error: child.error.message }
      : child.status !== 0
        ? { error: `exit ${child.status ?? child.signal}` }
        : {}),
  });
  console.error(`=== bench/${script}: ${child.status === 0 ? "ok" : "FAILED"} in ${seconds.toFixed(0)} s`);
}
const total = (performance.now() - t0) / 1000;

const markdown = [
  "# npm run bench",
  "",
  "Every script in bench/, one after another (each writes its own results file here).",
  "",
  markdownTable(
    ["script", "seconds", "result"],
    runs.map((r) => [`bench/${r.script}`, r.seconds.toFixed(0), r.error ? `FAILED (${r.error})` : "ok"]),
  ),
  "",
  `Total: ${total.toFixed(0)} s (${(total / 60).toFixed(1)} min).`,
].join("\n");
if (only === undefined) writeResults("run-all", { data: { runs, totalSeconds: total }, markdown, machine: started });
console.error(
  `\nnpm run bench: ${runs.filter((r) => !r.error).length}/${runs.length} ok in ${(total / 60).toFixed(1)} min`,
);
process.exitCode = runs.some((r) => r.error) ? 1 : 0;
