/**
 * What the MovieLens formats share: the "movies" domain, one cheap check per
 * rating line (numbers and scale, no schema library on the hot path) and a
 * deterministic eventId per rating so that a re-import duplicates nothing.
 *
 * Garbage matters here: an import batch holds 100k events until it is written,
 * so everything an event points to survives the young-generation collections
 * and is copied by each. A rating line therefore keeps only its event object,
 * one flat eventId string and the shared customer and item strings (interned:
 * ml-100k has 943 customers for 100k ratings); the line's pieces die young.
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
  names?: Interned,
): NewEvent | string {
  if (seconds === undefined) return "expected 4 fields: user, item, rating, timestamp";
  const customer = names ? names.get(user!.trim()) : user!.trim();
  const it = names ? names.get(item!.trim()) : item!.trim();
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
    // join builds one flat string (a template literal builds a tree of cons strings that the batch keeps).
    eventId: [source, customer, it, t].join(":"),
  };
}

/** One string object per distinct id: the copies cut from each line die young instead of living in the batch. */
export class Interned {
  private readonly strings = new Map<string, string>();

  get(text: string): string {
    const held = this.strings.get(text);
    if (held !== undefined) return held;
    this.strings.set(text, text);
    return text;
  }
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
  const names = new Interned();
  const step = separator.length;
  await eachLine(ctx, path, "latin1", (text, line, file) => {
    // The first four fields, as text.split(separator) would give them, without the array and the rest.
    const a = text.indexOf(separator);
    const b = a < 0 ? -1 : text.indexOf(separator, a + step);
    const c = b < 0 ? -1 : text.indexOf(separator, b + step);
    const d = c < 0 ? -1 : text.indexOf(separator, c + step);
    const event =
      c < 0
        ? "expected 4 fields: user, item, rating, timestamp"
        : ratingEvent(
            source,
            text.slice(0, a),
            text.slice(a + step, b),
            text.slice(b + step, c),
            text.slice(c + step, d < 0 ? text.length : d),
            scale,
            channel,
            names,
          );
    if (typeof event === "string") {
      ctx.reject(file, line, event);
      return false;
    }
    return ctx.add(event, line);
  });
}
