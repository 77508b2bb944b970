/** Importers: MovieLens (100K, 1M, latest), generic CSV and JSONL, into a store or into memory. */

export { ITEM_COLUMNS } from "./catalogue.js";
export { EVENT_COLUMNS } from "./csv.js";
export { detectMovieLens, type MovieLensRelease } from "./movielens/detect.js";
export { detectFormat, importInto, type LoadedDataset, readDataset, runImport } from "./run.js";
export { MemorySink } from "./sinks/memory-sink.js";
export { StoreSink } from "./sinks/store-sink.js";
export type { ImportCounts, ImportFormat, ImportOptions, ImportReport, ImportSink, Rejected } from "./types.js";
