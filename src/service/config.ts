/**
 * The service's configuration, layered (after Gorse): defaults → a JSON file
 * (`--config`) → environment variables (KINDRED_*) → explicit overrides
 * (command-line flags) → one zod validation that names the field at fault.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ValidationError } from "../core/errors.js";
import { parseWith } from "../core/validate.js";

const positiveInt = z.number().int().positive();

export const serviceConfigSchema = z.object({
  /** Where the store lives: a file path, sqlite:PATH or postgres://URL. */
  database: z.string().trim().min(1).default("kindred.db"),
  host: z.string().trim().min(1).default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(8080),
  /** Largest request body accepted (bytes); larger bodies get 413. */
  maxBodyBytes: positiveInt.default(1_048_576),
  /** Most events in one POST /events batch. */
  maxBatch: positiveInt.default(10_000),
  /** Fallback chain of the engine (default: the engine's own). */
  chain: z.array(z.string().trim().min(1)).min(1).optional(),
  /** Default of `explain=` on recommendations. */
  explain: z.boolean().default(true),
  auth: z
    .object({
      /** HMAC secret of customer tokens; default: generated once and kept in the store (shared by instances). */
      tokenSecret: z.string().min(32, "must be at least 32 characters").optional(),
      tokenTtlSeconds: positiveInt.default(86_400),
      /** Channel recorded on events written with a customer token. */
      tokenChannel: z.string().trim().min(1).max(128).default("web"),
      /** How long a looked-up API key is trusted before it is read again (a revocation elsewhere takes this long). */
      keyCacheSeconds: z.number().nonnegative().default(10),
      /** Serve /metrics without a key (for a Prometheus scraper inside the network). */
      metricsPublic: z.boolean().default(false),
    })
    .prefault({}),
  retrain: z
    .object({
      /**
       * Retrain in the background at all (false: never on this instance). Of several instances sharing a
       * PostgreSQL store, one at a time runs the policy (lifecycle.ts); the others adopt its models.
       */
      enabled: z.boolean().default(true),
      /** Refit when this many events arrived since the model's data. */
      everyEvents: positiveInt.default(5000),
      /** Refit when the model is older than this and new events arrived (0 = never by age). */
      everyMinutes: z.number().nonnegative().default(60),
      /** Algorithms kept fresh (default: the active models' kinds). */
      algorithms: z.array(z.string().trim().min(1)).optional(),
      /** How often the policy is checked (ms). */
      checkMs: positiveInt.default(30_000),
    })
    .prefault({}),
  cache: z
    .object({
      /** Cache recommendation answers (validated per request against the customer's events; see answer-cache.ts). */
      enabled: z.boolean().default(true),
      ttlSeconds: z.number().nonnegative().default(30),
      maxEntries: z.number().int().nonnegative().default(10_000),
    })
    .prefault({}),
  /** How often to look for customers forgotten and models activated by other instances (ms). */
  tailMs: positiveInt.default(2000),
  /** How long a graceful shutdown waits for in-flight requests (ms). */
  shutdownMs: positiveInt.default(10_000),
});

export type ServiceConfig = z.output<typeof serviceConfigSchema>;
export type ServiceConfigInput = z.input<typeof serviceConfigSchema>;

/** Environment variable → config path, and how to read the text. */
const ENV: ReadonlyArray<readonly [string, string, "string" | "number" | "boolean" | "list"]> = [
  ["KINDRED_DATABASE_URL", "database", "string"],
  ["KINDRED_HOST", "host", "string"],
  ["KINDRED_PORT", "port", "number"],
  ["KINDRED_MAX_BODY_BYTES", "maxBodyBytes", "number"],
  ["KINDRED_MAX_BATCH", "maxBatch", "number"],
  ["KINDRED_CHAIN", "chain", "list"],
  ["KINDRED_EXPLAIN", "explain", "boolean"],
  ["KINDRED_TOKEN_SECRET", "auth.tokenSecret", "string"],
  ["KINDRED_TOKEN_TTL_SECONDS", "auth.tokenTtlSeconds", "number"],
  ["KINDRED_TOKEN_CHANNEL", "auth.tokenChannel", "string"],
  ["KINDRED_KEY_CACHE_SECONDS", "auth.keyCacheSeconds", "number"],
  ["KINDRED_METRICS_PUBLIC", "auth.metricsPublic", "boolean"],
  ["KINDRED_RETRAIN", "retrain.enabled", "boolean"],
  ["KINDRED_RETRAIN_EVERY_EVENTS", "retrain.everyEvents", "number"],
  ["KINDRED_RETRAIN_EVERY_MINUTES", "retrain.everyMinutes", "number"],
  ["KINDRED_RETRAIN_ALGORITHMS", "retrain.algorithms", "list"],
  ["KINDRED_RETRAIN_CHECK_MS", "retrain.checkMs", "number"],
  ["KINDRED_CACHE", "cache.enabled", "boolean"],
  ["KINDRED_CACHE_TTL_SECONDS", "cache.ttlSeconds", "number"],
  ["KINDRED_CACHE_MAX_ENTRIES", "cache.maxEntries", "number"],
  ["KINDRED_TAIL_MS", "tailMs", "number"],
  ["KINDRED_SHUTDOWN_MS", "shutdownMs", "number"],
];

type Layer = Record<string, unknown>;

function isPlainObject(value: unknown): value is Layer {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deep merge of plain objects; later layers win, `undefined` never overrides. */
export function mergeLayers(...layers: ReadonlyArray<Layer | undefined>): Layer {
  const out: Layer = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      const prior = out[key];
      out[key] = isPlainObject(prior) && isPlainObject(value) ? mergeLayers(prior, value) : value;
    }
  }
  return out;
}

function setPath(target: Layer, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node[part] = isPlainObject(next) ? next : {};
    node = node[part] as Layer;
  }
  node[parts[parts.length - 1] as string] = value;
}

/** The KINDRED_* variables present in `env`, as a config layer. Bad numbers/booleans name the variable. */
export function envLayer(env: NodeJS.ProcessEnv): Layer {
  const layer: Layer = {};
  for (const [name, path, type] of ENV) {
    const text = env[name];
    if (text === undefined || text.trim() === "") continue;
    let value: unknown = text.trim();
    if (type === "number") {
      value = Number(text);
      if (!Number.isFinite(value)) throw new ValidationError(name, `"${text}" is not a number`);
    } else if (type === "boolean") {
      const t = text.trim().toLowerCase();
      if (!["1", "0", "true", "false", "yes", "no", "on", "off"].includes(t)) {
        throw new ValidationError(name, `"${text}" is not a boolean (true/false)`);
      }
      value = ["1", "true", "yes", "on"].includes(t);
    } else if (type === "list") {
      value = text
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    }
    setPath(layer, path, value);
  }
  return layer;
}

/** A JSON config file as a layer; a missing or malformed file names itself. */
export function fileLayer(path: string): Layer {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ValidationError("config", `cannot read ${path}: ${(error as Error).message}`, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ValidationError("config", `${path} is not valid JSON: ${(error as Error).message}`, error);
  }
  if (!isPlainObject(parsed)) throw new ValidationError("config", `${path} must hold a JSON object`);
  return parsed;
}

export interface LoadConfigOptions {
  /** A JSON file (the --config flag). */
  file?: string;
  /** Environment (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The last layer: command-line flags. */
  overrides?: ServiceConfigInput | Layer;
}

/** defaults → file → env → overrides → validation. Errors name the field (`config.retrain.everyEvents: ...`). */
export function loadConfig(options: LoadConfigOptions = {}): ServiceConfig {
  const merged = mergeLayers(
    options.file === undefined ? undefined : fileLayer(options.file),
    envLayer(options.env ?? process.env),
    options.overrides as Layer | undefined,
  );
  return parseWith(serviceConfigSchema, merged, "config");
}

/** Validated config from an in-code object (tests, embedding). */
export function resolveConfig(input: ServiceConfigInput = {}): ServiceConfig {
  return parseWith(serviceConfigSchema, input, "config");
}
