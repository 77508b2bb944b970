/**
 * Streaming CSV with csv-parse: quoted fields (commas, quotes, line breaks),
 * CRLF, a UTF-8 byte-order mark. Malformed records are reported with their
 * line number and skipped; the rest of the file is read.
 */
import { createReadStream } from "node:fs";
import { type Options, Parser } from "csv-parse";
import type { TextEncoding } from "./lines.js";
import { fileSize } from "./lines.js";

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line number (of the record's last line when a quoted field spans lines). */
  readonly line: number;
  /** Bytes of the file read so far. */
  readonly bytes: number;
}

/**
 * csv-parse's `info: true` copies its whole info object for every record (half the parse time on
 * ml-latest); the live `info` is read instead, at the moment the record is pushed, when `lines` is
 * the record's own line.
 */
class NumberedParser extends Parser {
  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    const record: CsvRecord = { fields: chunk as string[], line: this.info.lines, bytes: this.info.bytes };
    return super.push(record, encoding);
  }
}

/** Yields the records of a CSV file, the header included; `onSkip` hears about malformed records. */
export async function* readCsv(
  path: string,
  onSkip: (line: number, reason: string) => void,
  encoding: TextEncoding = "utf8",
): AsyncGenerator<CsvRecord> {
  fileSize(path);
  // on_skip is in csv-parse 5 but missing from its type definitions.
  const options: Options & { on_skip: (error: Error & { lines?: number }) => void } = {
    bom: true,
    encoding,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error: Error & { lines?: number }) => {
      onSkip(error.lines ?? 0, error.message);
    },
  };
  const parser = createReadStream(path).pipe(new NumberedParser(options));
  yield* parser as AsyncIterable<CsvRecord>;
}

/** Column index by lower-cased, trimmed header name. */
export function headerIndex(header: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((name, k) => {
    const key = name.trim().toLowerCase();
    if (key.length > 0 && !index.has(key)) index.set(key, k);
  });
  return index;
}
