/**
 * Per-algorithm parameters on the command line: `--params '{"user-knn": {"k": 40}}'`
 * or `--params FILE` holding the same JSON (what `kindred tune --out FILE` writes).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { ValidationError } from "../core/errors.js";
import type { ParamsByAlgorithm } from "./run.js";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses inline JSON (starting with "{") or reads a JSON file. */
export function parseParams(text: string, field = "params"): ParamsByAlgorithm {
  const inline = text.trim().startsWith("{");
  if (!inline && !existsSync(text)) {
    throw new ValidationError(field, `"${text}" is neither JSON (starting with "{") nor an existing file`);
  }
  const source = inline ? text : readFileSync(text, "utf8");
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new ValidationError(
      field,
      `${inline ? "is" : `"${text}" is`} not valid JSON: ${(error as Error).message}`,
      error,
    );
  }
  if (!isPlainObject(value)) throw new ValidationError(field, 'must be an object like {"user-knn": {"k": 40}}');
  for (const [kind, params] of Object.entries(value)) {
    if (!isPlainObject(params)) throw new ValidationError(`${field}.${kind}`, "must be an object of parameters");
  }
  return value as ParamsByAlgorithm;
}

/** Sets `kind`'s parameters in a params JSON file, keeping the other algorithms'; written atomically. */
export function writeParamsFile(path: string, kind: string, params: Readonly<Record<string, unknown>>): void {
  const existing = existsSync(path) ? parseParams(path, "out") : {};
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ ...existing, [kind]: params }, null, 2)}\n`);
  renameSync(temporary, path);
}
