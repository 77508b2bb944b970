/** The load bench's command-line options and fixed inputs (bench/load.ts documents the flags). */
import { fileURLToPath } from "node:url";
import { resolveOptions } from "../../src/engine/config.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const ML100K = fileURLToPath(new URL("../../../shared/data/ml-100k/", import.meta.url));

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

/** Seconds of each measured step other than the mixed soak. */
export const STEP_SECONDS = flag("seconds", 20);
/** Seconds of the mixed soak. */
export const MIXED_SECONDS = Math.round(flag("minutes", 1) * 60);
/** Seconds of unmeasured load before a server's first measured step (JIT, caches, pools). */
export const WARMUP_SECONDS = flag("warmup", 10);
export const CONNECTIONS = flag("connections", 64);
export const PG_URL = process.argv.includes("--no-pg") ? undefined : process.env.KINDRED_TEST_PG;
export const PROFILE = !process.argv.includes("--no-profile");
/** The models the service answers with by default (both chains); each is fitted before the server starts. */
export const CHAIN = resolveOptions({}).chain;
export const CHAINS = resolveOptions({}).chains;
export const RECOMMEND_CHAIN = CHAINS.recommend;
/** The customers of ml-100k (ids 1..943) and its movies (1..1682). */
export const CUSTOMERS = 943;
export const MOVIES = 1682;
