/**
 * What every importer shares: the sink it writes to (a store, or memory for
 * the evaluation), the options, and the report of what was read and rejected.
 * One parser per format, two sinks: see ./sinks/.
 */
import type { Customer, Domain, Item, NewEvent, RatingScale } from "../core/types.js";

export type ImportFormat = "movielens" | "csv" | "jsonl";

/** A line that was reported and skipped; the rest of the file is imported. */
export interface Rejected {
  /** The file's base name (a MovieLens folder has several files). */
  readonly file: string;
  /** 1-based line number in that file. */
  readonly line: number;
  readonly reason: string;
}

/** Where parsed records go. Writes arrive in order: domains, items, customers, then events. */
export interface ImportSink {
  getDomain(name: string): Promise<Domain | undefined>;
  putDomains(domains: readonly Domain[]): Promise<void>;
  putItems(items: readonly Item[]): Promise<void>;
  putCustomers(customers: readonly Customer[]): Promise<void>;
  /** Appends events; ones whose eventId is already held are skipped and counted as duplicates. */
  putEvents(events: readonly NewEvent[]): Promise<{ stored: number; duplicates: number }>;
  /** The domain of each item among `ids` that the sink already holds. */
  itemDomains(ids: readonly string[]): Promise<Map<string, string>>;
}

export interface ImportOptions {
  /** Default: detected from the path (a folder = MovieLens, *.jsonl/*.ndjson = JSONL, else CSV). */
  readonly format?: ImportFormat;
  /** CSV/JSONL: an items CSV (header: id,title,domain,categories,available, other columns = attributes). */
  readonly items?: string;
  /** CSV/JSONL: the domain of items that do not name one (default "default"). */
  readonly domain?: string;
  /** CSV/JSONL: the rating scale of `domain` when it is created (default 1–5 step 1). */
  readonly scale?: RatingScale;
  /** Channel of events that do not name one (default "import"). */
  readonly channel?: string;
  /** Events per write transaction (default 100,000). */
  readonly batchSize?: number;
  /** Rejected lines kept in the report (default 1,000; all are counted). */
  readonly maxRejected?: number;
  /** Called as the input is read: bytes done, bytes in total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Timestamp of events without one, and createdAt of customers (default: now). */
  readonly now?: number;
}

export interface ImportCounts {
  /** Valid rating lines read. */
  ratings: number;
  /** Valid event lines read (ratings, purchases, views, likes, dislikes). */
  events: number;
  /** Distinct items in the catalogue file and the events. */
  items: number;
  /** Distinct customers in the customers file and the events. */
  customers: number;
}

export interface ImportReport {
  /** What was read: "ml-100k", "ml-1m", "ml-latest", "csv", "jsonl". */
  readonly source: string;
  readonly imported: ImportCounts;
  /** Events newly written. */
  readonly stored: number;
  /** Events already held (same eventId): a re-import writes none. */
  readonly duplicates: number;
  /** The first `maxRejected` rejected lines. */
  readonly rejected: Rejected[];
  readonly rejectedTotal: number;
  /** CSV columns that are not documented and were ignored. */
  readonly ignoredColumns: string[];
  readonly seconds: number;
}
