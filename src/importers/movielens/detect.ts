/**
 * Which MovieLens release a folder holds, from the files in it.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { KindredError, ValidationError } from "../../core/errors.js";
import type { ImportContext } from "../context.js";
import { importMl1m } from "./ml-1m.js";
import { importMl100k } from "./ml-100k.js";
import { importMlLatest } from "./ml-latest.js";

export type MovieLensRelease = "ml-100k" | "ml-1m" | "ml-latest";

/** The folder of a MovieLens release (a file inside it is accepted too) and which release it is. */
export function detectMovieLens(path: string): { dir: string; release: MovieLensRelease } {
  if (!existsSync(path)) throw new KindredError("NOT_FOUND", `folder "${path}" does not exist`, { field: "path" });
  const dir = statSync(path).isDirectory() ? path : dirname(path);
  if (existsSync(join(dir, "u.data"))) return { dir, release: "ml-100k" };
  if (existsSync(join(dir, "ratings.dat"))) return { dir, release: "ml-1m" };
  if (existsSync(join(dir, "ratings.csv"))) return { dir, release: "ml-latest" };
  throw new ValidationError(
    "path",
    `"${path}" holds no MovieLens ratings (expected u.data for ml-100k, ratings.dat for ml-1m or ratings.csv for ml-latest)`,
  );
}

/** Reads a MovieLens folder into the context; returns the release read. */
export async function importMovieLens(path: string, ctx: ImportContext): Promise<MovieLensRelease> {
  const { dir, release } = detectMovieLens(path);
  if (release === "ml-100k") await importMl100k(dir, ctx);
  else if (release === "ml-1m") await importMl1m(dir, ctx);
  else await importMlLatest(dir, ctx);
  return release;
}
