/**
 * Running an import: pick the format, read every file through its one parser,
 * and hand the records to a sink: a store (`importInto`) or memory
 * (`readDataset`, for the evaluation).
 */
import { existsSync, statSync } from "node:fs";
import { basename, extname } from "node:path";
import { KindredError, ValidationError } from "../core/errors.js";
import type { InteractionLog } from "../core/interaction-log.js";
import type { Customer, Domain, Item } from "../core/types.js";
import type { Store } from "../storage/store.js";
import { Catalogue } from "./catalogue.js";
import { ImportContext } from "./context.js";
import { importCsvEvents } from "./csv.js";
import { importJsonlEvents } from "./jsonl.js";
import { fileSize } from "./lines.js";
import { importMovieLens } from "./movielens/detect.js";
import { MemorySink } from "./sinks/memory-sink.js";
import { StoreSink } from "./sinks/store-sink.js";
import type { ImportFormat, ImportOptions, ImportReport, ImportSink, Rejected } from "./types.js";

const MOVIELENS_FILES = new Set(["u.data", "ratings.dat"]);

/** The format of a path: a folder (or u.data, ratings.dat) is MovieLens, *.jsonl/*.ndjson JSONL, *.csv CSV. */
export function detectFormat(path: string): ImportFormat {
  if (!existsSync(path)) throw new KindredError("NOT_FOUND", `file "${path}" does not exist`, { field: "path" });
  if (statSync(path).isDirectory() || MOVIELENS_FILES.has(basename(path))) return "movielens";
  const ext = extname(path).toLowerCase();
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  if (ext === ".csv" || ext === ".tsv" || ext === ".txt") return "csv";
  throw new ValidationError("format", `cannot tell the format of "${path}" (name it .csv or .jsonl, or pass a format)`);
}

/** Reads `path` in its format into `sink`. */
export async function runImport(sink: ImportSink, path: string, options: ImportOptions = {}): Promise<ImportReport> {
  const format = options.format ?? detectFormat(path);
  const ctx = new ImportContext(sink, options);
  if (format === "movielens") {
    const release = await importMovieLens(path, ctx);
    return ctx.finish(release);
  }
  const catalogue = new Catalogue(ctx, options);
  ctx.setTotalBytes(fileSize(path) + (options.items ? fileSize(options.items) : 0));
  if (options.items) await catalogue.readItems(options.items);
  ctx.filter = catalogue.check;
  if (format === "csv") await importCsvEvents(path, ctx);
  else if (format === "jsonl") await importJsonlEvents(path, ctx);
  else throw new ValidationError("format", `unknown format "${String(format)}" (known: movielens, csv, jsonl)`);
  return ctx.finish(format);
}

/** Imports into a store: batches of up to 100k events, one transaction each; idempotent by eventId. */
export function importInto(store: Store, path: string, options: ImportOptions = {}): Promise<ImportReport> {
  return runImport(new StoreSink(store), path, options);
}

export interface LoadedDataset {
  /** Events in file order, in the log's dense ids. */
  readonly log: InteractionLog;
  readonly items: Item[];
  readonly customers: Customer[];
  readonly domains: Domain[];
  readonly rejected: Rejected[];
  readonly report: ImportReport;
}

/** Reads a dataset into memory without a store (the same parsers as `importInto`). */
export async function readDataset(
  path: string,
  options: ImportOptions & { format?: ImportFormat } = {},
): Promise<LoadedDataset> {
  const format = options.format ?? detectFormat(path);
  const sink = new MemorySink({ dedupe: format !== "movielens" });
  const report = await runImport(sink, path, { ...options, format });
  return {
    log: sink.log,
    items: [...sink.items.values()],
    customers: [...sink.customers.values()],
    domains: [...sink.domains.values()],
    rejected: report.rejected,
    report,
  };
}
