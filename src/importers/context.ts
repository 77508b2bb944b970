/**
 * The running state of one import: counts, rejected lines, the batch of
 * events on its way to the sink, and progress over the input's bytes.
 * Parsers push into it; it flushes to the sink every `batchSize` events.
 */
import { ValidationError } from "../core/errors.js";
import type { Domain, NewEvent } from "../core/types.js";
import type { ImportCounts, ImportOptions, ImportReport, ImportSink, Rejected } from "./types.js";

/** Checks or completes a batch before it is written; returns the events to keep. */
export type BatchFilter = (events: NewEvent[], lines: number[], file: string) => Promise<NewEvent[]>;

/**
 * Events per sink write, i.e. per store transaction: each commit is an fsync, and a batch rewrites the index
 * pages it touches, so larger batches import faster (ml-100k lands in one); 100k events hold ~25 MB in memory.
 */
export const DEFAULT_BATCH = 100_000;

export class ImportContext {
  readonly sink: ImportSink;
  readonly channel: string;
  readonly now: number;
  readonly counts: ImportCounts = { ratings: 0, events: 0, items: 0, customers: 0 };
  readonly rejected: Rejected[] = [];
  readonly ignoredColumns: string[] = [];
  rejectedTotal = 0;
  stored = 0;
  duplicates = 0;
  /** Set by a parser that needs to check batches against the catalogue (CSV, JSONL). */
  filter: BatchFilter | undefined;
  private readonly batchSize: number;
  private readonly maxRejected: number;
  private readonly onProgress: ((done: number, total: number) => void) | undefined;
  private readonly customerIds = new Set<string>();
  private readonly itemIds = new Set<string>();
  private events: NewEvent[] = [];
  private lines: number[] = [];
  private file = "";
  private bytesBefore = 0;
  private totalBytes = 0;
  private readonly started = performance.now();

  constructor(sink: ImportSink, options: ImportOptions = {}) {
    this.sink = sink;
    this.channel = options.channel ?? "import";
    this.now = options.now ?? Date.now();
    this.batchSize = options.batchSize ?? DEFAULT_BATCH;
    this.maxRejected = options.maxRejected ?? 1000;
    this.onProgress = options.onProgress;
  }

  /** Declares the bytes the whole import will read (for progress). */
  setTotalBytes(total: number): void {
    this.totalBytes = total;
  }

  /** Marks `bytes` of the current file as read. */
  progress(bytes: number): void {
    this.onProgress?.(this.bytesBefore + bytes, this.totalBytes);
  }

  /** Called when a file has been read completely. */
  fileDone(bytes: number): void {
    this.bytesBefore += bytes;
    this.onProgress?.(this.bytesBefore, this.totalBytes);
  }

  reject(file: string, line: number, reason: string): void {
    this.rejectedTotal++;
    if (this.rejected.length < this.maxRejected) this.rejected.push({ file, line, reason });
  }

  seenCustomer(id: string): void {
    this.customerIds.add(id);
  }

  seenItem(id: string): void {
    this.itemIds.add(id);
  }

  /**
   * Makes sure the domain exists with this scale. A domain already held with a
   * different scale refuses the import before anything is written.
   */
  async ensureDomain(domain: Domain): Promise<void> {
    const held = await this.sink.getDomain(domain.name);
    if (!held) {
      await this.sink.putDomains([domain]);
      return;
    }
    const a = held.scale;
    const b = domain.scale;
    if (a.min !== b.min || a.max !== b.max || a.step !== b.step) {
      throw new ValidationError(
        "domain",
        `"${domain.name}" already rates ${a.min} to ${a.max} in steps of ${a.step}, this data rates ${b.min} to ${b.max} in steps of ${b.step} (import it into another db)`,
      );
    }
  }

  /** Starts reading the events of `file` (flushes the previous file's batch). */
  async beginEvents(file: string): Promise<void> {
    await this.flush();
    this.file = file;
  }

  /** Queues one valid event read from `line`; true when the batch is full and the caller should `flush()`. */
  add(event: NewEvent, line: number): boolean {
    this.events.push(event);
    this.lines.push(line);
    return this.events.length >= this.batchSize;
  }

  /** Writes the queued events (after the parser's filter, if any). */
  async flush(): Promise<void> {
    if (this.events.length === 0) return;
    let events = this.events;
    const lines = this.lines;
    this.events = [];
    this.lines = [];
    if (this.filter) events = await this.filter(events, lines, this.file);
    for (const e of events) {
      this.customerIds.add(e.customer);
      this.itemIds.add(e.item);
      if (e.type === "rating") this.counts.ratings++;
    }
    this.counts.events += events.length;
    if (events.length === 0) return;
    const result = await this.sink.putEvents(events);
    this.stored += result.stored;
    this.duplicates += result.duplicates;
  }

  async finish(source: string): Promise<ImportReport> {
    await this.flush();
    this.counts.items = this.itemIds.size;
    this.counts.customers = this.customerIds.size;
    // Lines are rejected as read or as their batch is checked: report them in file order.
    const files = [...new Set(this.rejected.map((r) => r.file))];
    this.rejected.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line);
    return {
      source,
      imported: { ...this.counts },
      stored: this.stored,
      duplicates: this.duplicates,
      rejected: this.rejected,
      rejectedTotal: this.rejectedTotal,
      ignoredColumns: this.ignoredColumns,
      seconds: (performance.now() - this.started) / 1000,
    };
  }
}
