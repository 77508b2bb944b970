/**
 * JSONL of events: one JSON object per line in the shape of core/validate.ts
 * `eventSchema` ({customer, item, type, value?, quantity?, amount?,
 * timestamp?, channel?, eventId?}). Empty lines are skipped. An event without
 * an eventId gets a hash of its line, so a re-import duplicates nothing.
 */
import type { NewEvent } from "../core/types.js";
import { parseEvent } from "../core/validate.js";
import type { ImportContext } from "./context.js";
import { lineHash } from "./csv.js";
import { basename, readLines } from "./lines.js";

export async function importJsonlEvents(path: string, ctx: ImportContext): Promise<void> {
  const file = basename(path);
  await ctx.beginEvents(file);
  const defaults = { channel: ctx.channel, now: ctx.now };
  let bytes = 0;
  for await (const chunk of readLines(path, "utf8")) {
    for (let k = 0; k < chunk.lines.length; k++) {
      const text = chunk.lines[k]!.trim();
      if (text.length === 0) continue;
      const line = chunk.first + k;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (error) {
        ctx.reject(file, line, `not JSON (${error instanceof Error ? error.message : String(error)})`);
        continue;
      }
      let event: NewEvent;
      try {
        if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
          ctx.reject(file, line, "expected a JSON object (one event per line)");
          continue;
        }
        const withId =
          (raw as { eventId?: unknown }).eventId == null ? { ...raw, eventId: lineHash("jsonl", text) } : raw;
        event = parseEvent(withId, "", defaults);
      } catch (error) {
        ctx.reject(file, line, error instanceof Error ? error.message : String(error));
        continue;
      }
      if (ctx.add(event, line)) await ctx.flush();
    }
    bytes = chunk.bytes;
    ctx.progress(bytes);
  }
  ctx.fileDone(bytes);
}
