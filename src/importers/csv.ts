/**
 * Generic CSV of events. A header is required; the documented columns are
 *
 *   customer, item                 required
 *   type                           rating | purchase | view | like | dislike
 *                                  (default: rating when value is set, else purchase)
 *   value                          the rating, on the item's domain scale
 *   quantity, amount               purchases: units (default 1) and money spent
 *   timestamp                      ms since the epoch or ISO 8601 (default: the time of the import)
 *   channel                        default "import"
 *   event_id                       default: a hash of the line's fields, so a re-import duplicates nothing
 *
 * Other columns are ignored (and listed in the report). Column names are
 * case-insensitive.
 */
import { createHash } from "node:crypto";
import { ValidationError } from "../core/errors.js";
import type { NewEvent } from "../core/types.js";
import { parseEvent } from "../core/validate.js";
import type { ImportContext } from "./context.js";
import { headerIndex, readCsv } from "./csv-records.js";
import { basename, fileSize } from "./lines.js";

export const EVENT_COLUMNS = [
  "customer",
  "item",
  "type",
  "value",
  "quantity",
  "amount",
  "timestamp",
  "channel",
  "event_id",
] as const;

/** A number from a CSV field: undefined when empty, NaN-free or a reason. */
function numberField(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text.trim().length === 0) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new ValidationError(name, `"${text}" is not a number`);
  return n;
}

export function lineHash(prefix: string, text: string): string {
  return `${prefix}:${createHash("sha1").update(text).digest("base64url").slice(0, 22)}`;
}

/** Reads the events of a CSV file into the context. */
export async function importCsvEvents(path: string, ctx: ImportContext): Promise<void> {
  const file = basename(path);
  await ctx.beginEvents(file);
  let columns: Array<number | undefined> | undefined;
  const defaults = { channel: ctx.channel, now: ctx.now };
  for await (const record of readCsv(path, (line, reason) => ctx.reject(file, line, reason))) {
    if (!columns) {
      const index = headerIndex(record.fields);
      if (!index.has("event_id") && index.has("eventid")) index.set("event_id", index.get("eventid")!);
      const missing = ["customer", "item"].filter((c) => !index.has(c));
      if (missing.length > 0) {
        throw new ValidationError(
          `${file} header`,
          `missing column(s) ${missing.join(", ")} (documented: ${EVENT_COLUMNS.join(", ")}; found: ${record.fields.join(", ")})`,
        );
      }
      columns = EVENT_COLUMNS.map((c) => index.get(c));
      const documented = new Set<string>([...EVENT_COLUMNS, "eventid"]);
      for (const name of index.keys()) if (!documented.has(name)) ctx.ignoredColumns.push(name);
      continue;
    }
    const f = record.fields;
    const [customer, item, type, value, quantity, amount, timestamp, channel, eventId] = columns.map((k) =>
      k === undefined ? undefined : f[k]?.trim(),
    );
    let event: NewEvent;
    try {
      const v = numberField("value", value);
      const t = timestamp && /^\d+$/.test(timestamp) ? Number(timestamp) : timestamp || undefined;
      event = parseEvent(
        {
          customer,
          item,
          type: type || (v !== undefined ? "rating" : "purchase"),
          value: v,
          quantity: numberField("quantity", quantity),
          amount: numberField("amount", amount),
          timestamp: t,
          channel: channel || undefined,
          eventId:
            eventId ||
            lineHash("csv", [customer, item, type, value, quantity, amount, timestamp, channel].join("\u001f")),
        },
        "",
        defaults,
      );
    } catch (error) {
      ctx.reject(file, record.line, error instanceof Error ? error.message : String(error));
      continue;
    }
    if (ctx.add(event, record.line)) await ctx.flush();
    if ((record.line & 1023) === 0) ctx.progress(record.bytes);
  }
  if (!columns) throw new ValidationError(`${file} header`, "the file is empty (a header line is required)");
  ctx.fileDone(fileSize(path));
}
