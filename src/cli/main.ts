/**
 * The `kindred` command line. One file per command in ./commands/, each
 * exporting `command: CliCommand`; registering one is one line in COMMANDS.
 *
 * Exit codes: 0 success, 1 runtime error, 2 usage error (bad flags or
 * arguments, ValidationError). Errors are mapped here and only here: one line
 * on stderr naming the thing and the reason; the stack only with KINDRED_DEBUG=1.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { isKindredError } from "../core/errors.js";
import { Cli, type CliCommand } from "./cli.js";
import { type CliIo, processIo } from "./io.js";

/** The commands, in help order: each is the name of a file in ./commands/. */
export const COMMANDS = [
  "import",
  "recommend",
  "predict",
  "neighbors",
  "similar",
  "styles",
  "rate",
  "customer",
  "train",
  "demo",
  "evaluate",
  "tune",
  "serve",
  "keys",
] as const;

export const EXIT = { ok: 0, runtime: 1, usage: 2 } as const;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

async function buildProgram(cli: Cli): Promise<Command> {
  const program = new Command("kindred")
    .description(
      "Kindred: remember every customer, recommend from the community, explain why.\n" +
        "Start with `kindred import movielens PATH` or `kindred demo`.",
    )
    .version(version(), "-V, --version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => cli.io.stdout(s), writeErr: (s) => cli.io.stderr(s) })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      "\nEvery command takes --db PATH (default $KINDRED_DB or ./kindred.db) and --json.\n" +
        "Exit codes: 0 success, 1 runtime error, 2 usage error. KINDRED_DEBUG=1 prints stacks.",
    );
  for (const name of COMMANDS) {
    // @vite-ignore: the file is chosen at run time (vitest would otherwise try to bundle the pattern).
    const module = (await import(/* @vite-ignore */ `./commands/${name}.js`)) as { command?: CliCommand };
    if (!module.command) throw new Error(`src/cli/commands/${name}.ts exports no \`command\``);
    module.command.register(program, cli);
  }
  return program;
}

/** Runs the CLI on `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const cli = new Cli(io);
  try {
    const program = await buildProgram(cli);
    if (argv.length === 0) {
      io.stderr(program.helpInformation());
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (error) {
    return report(error, io);
  }
}

/** The one place errors become messages and exit codes. */
function report(error: unknown, io: CliIo): number {
  const debug = io.env.KINDRED_DEBUG === "1";
  if (error instanceof CommanderError) {
    // Help and version exit 0; commander has already written its message for usage errors.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT.ok;
    // `kindred help CMD` exits 0; help shown because a command is missing (`kindred import`) is a usage error.
    if (error.code === "commander.help") return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return EXIT.usage;
  }
  if (isKindredError(error)) {
    io.stderr(`kindred: ${error.message}\n`);
    if (debug)
      io.stderr(
        `${error.stack ?? ""}\n${error.cause ? `cause: ${String((error.cause as Error).stack ?? error.cause)}\n` : ""}`,
      );
    return error.code === "INVALID_INPUT" ? EXIT.usage : EXIT.runtime;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  io.stderr(`kindred: internal error: ${e.message}${debug ? "" : " (KINDRED_DEBUG=1 shows the stack)"}\n`);
  if (debug) io.stderr(`${e.stack ?? ""}\n`);
  return EXIT.runtime;
}
