/**
 * What the MovieLens formats share: the "movies" domain, one cheap check per
 * rating line (numbers and scale, no schema library on the hot path) and a
 * deterministic eventId per rating so that a re-import duplicates nothing.
 */
import type { NewEvent, RatingScale } from "../../core/types.js";
import type { ImportContext } from "../context.js";
import { basename, readLines, type TextEncoding } from "../lines.js";

export const MOVIES = "movies";

/** True when `value` lies on the scale (within [min, max], on a step from min). */
export function onScale(value: number, scale: RatingScale): boolean {
  if (!(value >= scale.min && value <= scale.max)) return false;
  const steps = (value - scale.min) / scale.step;
  return Math.abs(steps - Math.round(steps)) < 1e-6;
}

/**
 * One rating from its four text fields, or the reason it is rejected.
 * MovieLens timestamps are seconds since the epoch; Kindred stores ms.
 */
export function ratingEvent(
  source: string,
  user: string | undefined,
  item: string | undefined,
  rating: string | undefined,
  seconds: string | undefined,
  scale: RatingScale,
  channel: string,
): NewEvent | string {
  if (seconds === undefined) return "expected 4 fields: user, item, rating, timestamp";
  const customer = user!.trim();
  const it = item!.trim();
  if (customer.length === 0) return "user: empty";
  if (it.length === 0) return "item: empty";
  const value = Number(rating);
  if (rating!.trim().length === 0 || !onScale(value, scale)) {
    return `rating: "${rating}" is off the scale ${scale.min} to ${scale.max} in steps of ${scale.step}`;
  }
  const t = Number(seconds);
  if (!Number.isSafeInteger(t) || t < 0 || seconds.trim().length === 0) {
    return `timestamp: "${seconds}" is not a whole number of seconds`;
  }
  return {
    customer,
    item: it,
    type: "rating",
    value,
    quantity: null,
    amount: null,
    timestamp: t * 1000,
    channel,
    eventId: `${source}:${customer}:${it}:${t}`,
  };
}

/**
 * Reads a file line by line (empty lines skipped), reporting progress; `handle` returns true when
 * the context's batch is full and must be flushed.
 */
export async function eachLine(
  ctx: ImportContext,
  path: string,
  encoding: TextEncoding,
  handle: (text: string, line: number, file: string) => boolean | undefined,
): Promise<void> {
  const file = basename(path);
  let bytes = 0;
  for await (const chunk of readLines(path, encoding)) {
    const { lines, first } = chunk;
    for (let k = 0; k < lines.length; k++) {
      const text = lines[k]!;
      if (text.length === 0) continue;
      if (handle(text, first + k, file)) await ctx.flush();
    }
    bytes = chunk.bytes;
    ctx.progress(bytes);
  }
  ctx.fileDone(bytes);
}

/** Reads a file of rating lines split by `separator` into the context's event batches. */
export async function ratingLines(
  ctx: ImportContext,
  path: string,
  source: string,
  separator: string,
  scale: RatingScale,
): Promise<void> {
  await ctx.beginEvents(basename(path));
  const channel = ctx.channel;
  await eachLine(ctx, path, "latin1", (text, line, file) => {
    const f = text.split(separator);
    const event = ratingEvent(source, f[0], f[1], f[2], f[3], scale, channel);
    if (typeof event === "string") {
      ctx.reject(file, line, event);
      return false;
    }
    return ctx.add(event, line);
  });
}
