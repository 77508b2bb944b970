/**
 * What every command shares: the common options (--db, --json, --algorithm),
 * opening the db (read commands never create one), the checks that ids are
 * known, and printing (JSON on stdout, or a human rendering).
 */
import { existsSync } from "node:fs";
import { type Command, InvalidArgumentError } from "commander";
import { KindredError, NotFoundError } from "../core/errors.js";
import { Kindred } from "../kindred.js";
import { parseStoreTarget, redact } from "../storage/open.js";
import type { Store } from "../storage/store.js";
import type { CliIo } from "./io.js";
import { type Progress, progressBar } from "./progress.js";

export const DEFAULT_DB = "kindred.db";

export interface CommonOptions {
  db?: string;
  json?: boolean;
  algorithm?: string;
}

/** A command's file exports `command: CliCommand`; main.ts lists the file's name (one line). */
export interface CliCommand {
  register(program: Command, cli: Cli): void;
}

export class Cli {
  readonly io: CliIo;

  constructor(io: CliIo) {
    this.io = io;
  }

  /** --db, else $KINDRED_DB, else `fallback` (./kindred.db). */
  dbTarget(options: CommonOptions, fallback = DEFAULT_DB): string {
    return options.db ?? this.io.env.KINDRED_DB ?? fallback;
  }

  /**
   * Opens the facade. With `create: false` a SQLite file that does not exist is an error, and no
   * file is created. The CLI answers with stored models and never refits in the background.
   */
  async open(target: string, create: boolean): Promise<Kindred> {
    if (!create) {
      const parsed = parseStoreTarget(target);
      if (parsed.driver === "sqlite" && parsed.path !== ":memory:" && !existsSync(parsed.path)) {
        throw new KindredError(
          "NOT_FOUND",
          `no Kindred db at ${redact(target)} (run kindred import or kindred demo first)`,
          { field: "db" },
        );
      }
    }
    return Kindred.open(target, { channel: "cli", retrain: { background: false } });
  }

  /** Runs `fn` with the facade open on the command's db, closing it afterwards. */
  async with<T>(options: CommonOptions, create: boolean, fn: (kindred: Kindred) => Promise<T>): Promise<T> {
    const kindred = await this.open(this.dbTarget(options), create);
    try {
      return await fn(kindred);
    } finally {
      await kindred.close();
    }
  }

  /** With --json: the value as one JSON document on stdout. Otherwise the human rendering. */
  print(options: CommonOptions, value: unknown, human: () => string): void {
    if (options.json) this.io.stdout(`${JSON.stringify(value, roundFloats)}\n`);
    else this.io.stdout(human());
  }

  /** A line on stderr (logs never go to stdout). */
  log(text: string): void {
    this.io.stderr(`${text}\n`);
  }

  progress(label: string): Progress {
    return progressBar(this.io, label);
  }
}

/** Floats from Float32Array math carry noise (4.710000038): JSON gets 4 decimals at most. */
function roundFloats(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isInteger(value) && Number.isFinite(value)
    ? Math.round(value * 1e4) / 1e4
    : value;
}

// ---- options shared by commands ----

export function dbOption(command: Command, fallback = DEFAULT_DB): Command {
  return command.option(
    "--db <path>",
    `the Kindred db: a file, sqlite:PATH or postgres://URL (default: $KINDRED_DB or ./${fallback})`,
  );
}

export function jsonOption(command: Command): Command {
  return command.option("--json", "print machine-readable JSON on stdout (and nothing else)");
}

export function algorithmOption(command: Command, what: string): Command {
  return command.option("--algorithm <name>", `${what} (popular, baseline, user-knn, item-knn, ...)`);
}

/** Parser for an integer option in [min, max]; a bad value is a usage error (exit 2). */
export function intArg(name: string, min = 1, max = 10_000): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

export function numberArg(name: string): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (text.trim().length === 0 || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number`);
    return n;
  };
}

// ---- ids the command refers to must be known ----

export async function requireCustomer(store: Store, id: string): Promise<void> {
  if (!(await store.getCustomer(id))) throw new NotFoundError("customer", id);
}

export async function requireItems(store: Store, ids: readonly string[]): Promise<void> {
  const known = new Set((await store.getItems(ids)).map((i) => i.id));
  const missing = ids.find((id) => !known.has(id));
  if (missing !== undefined) throw new NotFoundError("item", missing);
}
