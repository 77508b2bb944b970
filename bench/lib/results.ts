/**
 * Writing a benchmark's results: bench/results/<name>.json (the numbers) and
 * <name>.md (for people, quoted by the README), both recording the machine
 * (cores, memory, Node version, load), the date and the exact command.
 *
 *   writeResults("accuracy", { command, data, markdown })
 *
 * `markdown` is the body; a first line "# Title" stays first, and the
 * date/command/machine lines follow it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describeMachine, type Machine, machine } from "./machine.js";

export const RESULTS_DIR = fileURLToPath(new URL("../results/", import.meta.url));
const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** How this script was started, as someone would type it from the repository root. */
export function currentCommand(): string {
  const script = process.argv[1] ? relative(REPO, process.argv[1]) : "bench/?";
  const args = process.argv.slice(2).map((a) => (/^[\w.,:=/@%+-]+$/.test(a) ? a : JSON.stringify(a)));
  return ["node --import tsx", script, ...args].join(" ");
}

export interface ResultsInput {
  /** Default: currentCommand(). */
  readonly command?: string;
  readonly data: unknown;
  readonly markdown: string;
  /** Default: machine() now (pass the one taken at the start to record the load then). */
  readonly machine?: Machine;
}

export function writeResults(name: string, input: ResultsInput): { json: string; md: string } {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const m = input.machine ?? machine();
  const command = input.command ?? currentCommand();
  const date = new Date().toISOString();
  const json = `${RESULTS_DIR}${name}.json`;
  const md = `${RESULTS_DIR}${name}.md`;
  writeFileSync(json, `${JSON.stringify({ name, date, command, machine: m, data: input.data }, null, 2)}\n`);
  const header = `Date: ${date}  \nCommand: \`${command}\`  \nMachine: ${describeMachine(m)}\n`;
  const body = input.markdown.trimEnd();
  const text = body.startsWith("# ")
    ? `${body.split("\n")[0]}\n\n${header}\n${body.split("\n").slice(1).join("\n").replace(/^\n+/, "")}\n`
    : `# ${name}\n\n${header}\n${body}\n`;
  writeFileSync(md, text);
  return { json, md };
}

/** A markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], right = true): string {
  const align = header.map((_, c) => (c === 0 || !right ? "---" : "---:"));
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(align), ...rows.map(line)].join("\n");
}
