/**
 * Where evaluation data comes from: a dataset file or folder read in memory
 * by the importers (no store touched), or the events of a Kindred store.
 * Either way the result is one InteractionLog plus the rating scale.
 */
import { existsSync } from "node:fs";
import { ValidationError } from "../core/errors.js";
import { InteractionLog } from "../core/interaction-log.js";
import { DEFAULT_SCALE, type Domain, type RatingScale } from "../core/types.js";
import type { Store } from "../storage/store.js";

export interface EvalData {
  readonly log: InteractionLog;
  readonly scale: RatingScale;
  /** The path the data came from (official splits look for published folds there). */
  readonly source?: string;
  /** e.g. "ml-100k: 100,000 events, 943 customers, 1,682 items". */
  readonly description: string;
  /** Lines the importer rejected. */
  readonly rejected: number;
}

export type DataFormat = "csv" | "jsonl" | "movielens";

/** One scale covering every domain's (the widest range, the finest step). */
export function scaleOf(domains: readonly Domain[]): RatingScale {
  if (domains.length === 0) return DEFAULT_SCALE;
  return {
    min: Math.min(...domains.map((d) => d.scale.min)),
    max: Math.max(...domains.map((d) => d.scale.max)),
    step: Math.min(...domains.map((d) => d.scale.step)),
  };
}

function describe(name: string, log: InteractionLog): string {
  const n = (x: number): string => x.toLocaleString("en-US");
  return `${name}: ${n(log.length)} events, ${n(log.users.size)} customers, ${n(log.items.size)} items`;
}

function checkNotEmpty(log: InteractionLog, where: string): void {
  if (log.length === 0) throw new ValidationError("data", `${where} holds no events`);
}

/** Reads a dataset (folder or file) with the importers; `format` forces csv, jsonl or movielens. */
export async function loadDataPath(path: string, format?: DataFormat): Promise<EvalData> {
  if (!existsSync(path)) throw new ValidationError("data", `"${path}" does not exist`);
  if (format !== undefined && !["csv", "jsonl", "movielens"].includes(format)) {
    throw new ValidationError("format", `"${format}" is not a format (csv, jsonl or movielens)`);
  }
  const { readDataset } = await import("../importers/index.js");
  const data = await readDataset(path, format ? { format } : {});
  checkNotEmpty(data.log, `"${path}"`);
  return {
    log: data.log,
    scale: scaleOf(data.domains),
    source: path,
    description: describe(data.report.source, data.log),
    rejected: data.report.rejectedTotal,
  };
}

/** Every event of a store, in log order. */
export async function loadStore(store: Store, pageSize = 50_000): Promise<EvalData> {
  const log = new InteractionLog();
  let after = 0;
  for (;;) {
    const page = await store.scanEvents(after, pageSize);
    for (const event of page) log.pushEvent(event);
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.seq;
  }
  checkNotEmpty(log, `the store ${store.url}`);
  return { log, scale: scaleOf(await store.listDomains()), description: describe(store.url, log), rejected: 0 };
}

/** Opens an existing store file or URL (a missing SQLite file is an error, not a new store). */
export async function openExistingStore(target: string): Promise<Store> {
  const { openStore, parseStoreTarget } = await import("../storage/open.js");
  const parsed = parseStoreTarget(target);
  if (parsed.driver === "sqlite" && parsed.path !== ":memory:" && !existsSync(parsed.path)) {
    throw new ValidationError("db", `"${parsed.path}" does not exist`);
  }
  return openStore(target);
}
