/**
 * A small record shop generated in code for engine and facade tests: two
 * taste groups (rock lovers, jazz lovers) over a music domain (1–5), a films
 * domain on a 1–7 scale, one unavailable album, and named customers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "../../src/core/rng.js";
import type { EventInput } from "../../src/core/validate.js";
import { Kindred, type KindredOptions } from "../../src/kindred.js";

export const ROCK = Array.from({ length: 12 }, (_, k) => `r${k}`);
export const JAZZ = Array.from({ length: 12 }, (_, k) => `j${k}`);
export const FILMS = Array.from({ length: 6 }, (_, k) => `f${k}`);
/** Loved by rock lovers, but not for sale. */
export const UNAVAILABLE = "r11";
export const NAMES = ["Ann", "Bob", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal"];

export interface TempDb {
  readonly path: string;
  remove(): void;
}

export function tempDb(): TempDb {
  const dir = mkdtempSync(join(tmpdir(), "kindred-test-"));
  return { path: join(dir, "kindred.db"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Ratings of customer `c` (0-based): even customers love rock, odd ones love jazz. */
export function communityEvents(customers = 40, seed = 3): EventInput[] {
  const rng = new Rng(seed);
  const events: EventInput[] = [];
  for (let c = 0; c < customers; c++) {
    const rockLover = c % 2 === 0;
    const pick = (list: readonly string[], count: number): string[] =>
      rng
        .shuffle([...list.keys()])
        .slice(0, count)
        .map((k) => list[k]!);
    for (const item of pick(ROCK, 7)) {
      events.push({ customer: `c${c}`, item, type: "rating", value: rockLover ? 4 + rng.int(2) : 1 + rng.int(2) });
    }
    for (const item of pick(JAZZ, 7)) {
      events.push({ customer: `c${c}`, item, type: "rating", value: rockLover ? 1 + rng.int(2) : 4 + rng.int(2) });
    }
    for (const item of pick(FILMS, 3)) {
      events.push({ customer: `c${c}`, item, type: "rating", value: rockLover ? 6 + rng.int(2) : 1 + rng.int(3) });
    }
  }
  return events;
}

export async function openShop(path: string, options: KindredOptions = {}, customers = 40): Promise<Kindred> {
  const k = await Kindred.open(path, { retrain: { background: false, pollMs: 0 }, ...options });
  await k.putDomains([
    { name: "music", scale: { min: 1, max: 5, step: 1 } },
    { name: "films", scale: { min: 1, max: 7, step: 1 } },
  ]);
  await k.putItems([
    ...ROCK.map((id, n) => ({
      id,
      title: `Rock Album ${n}`,
      domain: "music",
      categories: ["rock"],
      available: id !== UNAVAILABLE,
    })),
    ...JAZZ.map((id, n) => ({ id, title: `Jazz Album ${n}`, domain: "music", categories: ["jazz"] })),
    ...FILMS.map((id, n) => ({ id, title: `Film ${n}`, domain: "films", categories: ["drama"] })),
  ]);
  await k.putCustomers(NAMES.map((name, c) => ({ id: `c${c}`, attributes: { name } })));
  await k.addEvents(communityEvents(customers), { channel: "import" });
  return k;
}
