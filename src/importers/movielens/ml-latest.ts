/**
 * MovieLens latest(-small) (GroupLens, 2018): CSV with a header and CRLF line
 * ends. ratings.csv userId,movieId,rating,timestamp on half stars 0.5–5;
 * movies.csv movieId,title,genres (titles hold quoted commas, genres
 * `|`-separated); links.csv movieId,imdbId,tmdbId when present.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../../core/errors.js";
import type { Item, RatingScale } from "../../core/types.js";
import type { ImportContext } from "../context.js";
import { headerIndex, readCsv } from "../csv-records.js";
import { basename, fileSize } from "../lines.js";
import { MOVIES, ratingEvent } from "./common.js";

export const ML_LATEST_SCALE: RatingScale = { min: 0.5, max: 5, step: 0.5 };

/** Reads a CSV file with a header, handing each record's fields by column name to `handle`. */
async function eachRecord(
  ctx: ImportContext,
  path: string,
  columns: readonly string[],
  handle: (get: (column: string) => string | undefined, line: number, file: string) => boolean | undefined,
): Promise<void> {
  const file = basename(path);
  let index: Map<string, number> | undefined;
  let bytes = 0;
  let fields: string[] = [];
  const get = (column: string): string | undefined => fields[index?.get(column.toLowerCase()) ?? -1];
  for await (const record of readCsv(path, (line, reason) => ctx.reject(file, line, reason))) {
    bytes = record.bytes;
    if (!index) {
      index = headerIndex(record.fields);
      const missing = columns.filter((c) => !index?.has(c.toLowerCase()));
      if (missing.length > 0) {
        throw new ValidationError(`${file} header`, `missing column(s) ${missing.join(", ")}`);
      }
      continue;
    }
    fields = record.fields;
    if (handle(get, record.line, file)) await ctx.flush();
    if ((record.line & 1023) === 0) ctx.progress(bytes);
  }
  ctx.fileDone(fileSize(path));
}

export async function importMlLatest(dir: string, ctx: ImportContext): Promise<void> {
  const files = ["links.csv", "movies.csv", "ratings.csv"].map((f) => join(dir, f)).filter((p) => existsSync(p));
  ctx.setTotalBytes(files.reduce((sum, p) => sum + fileSize(p), 0));
  await ctx.ensureDomain({ name: MOVIES, scale: ML_LATEST_SCALE });

  const links = new Map<string, { imdbId?: string; tmdbId?: string }>();
  if (existsSync(join(dir, "links.csv"))) {
    await eachRecord(ctx, join(dir, "links.csv"), ["movieId", "imdbId", "tmdbId"], (get) => {
      const id = get("movieId")?.trim();
      if (id) links.set(id, { imdbId: get("imdbId") || undefined, tmdbId: get("tmdbId") || undefined });
      return false;
    });
  }

  if (existsSync(join(dir, "movies.csv"))) {
    const items: Item[] = [];
    await eachRecord(ctx, join(dir, "movies.csv"), ["movieId", "title", "genres"], (get, line, file) => {
      const id = get("movieId")?.trim();
      if (!id) {
        ctx.reject(file, line, "movieId: empty");
        return false;
      }
      const categories = (get("genres") ?? "").split("|").filter((g) => g.length > 0 && g !== "(no genres listed)");
      const link = links.get(id);
      const attributes: Record<string, unknown> = {};
      if (link?.imdbId) attributes.imdbId = link.imdbId;
      if (link?.tmdbId) attributes.tmdbId = link.tmdbId;
      items.push({ id, title: get("title") || null, domain: MOVIES, categories, attributes, available: true });
      ctx.seenItem(id);
      return false;
    });
    await ctx.sink.putItems(items);
  }

  await ctx.beginEvents("ratings.csv");
  const channel = ctx.channel;
  const columns = ["userId", "movieId", "rating", "timestamp"];
  await eachRecord(ctx, join(dir, "ratings.csv"), columns, (get, line, file) => {
    const e = ratingEvent(
      "mllatest",
      get("userId"),
      get("movieId"),
      get("rating"),
      get("timestamp"),
      ML_LATEST_SCALE,
      channel,
    );
    if (typeof e === "string") {
      ctx.reject(file, line, e);
      return false;
    }
    return ctx.add(e, line);
  });
}
