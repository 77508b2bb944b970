/**
 * Streaming line reading: a file is read in chunks and handed over as arrays
 * of lines (never the whole file in memory). Handles CRLF, a UTF-8 byte-order
 * mark and latin-1 (MovieLens titles such as "Misérables").
 */
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { KindredError } from "../core/errors.js";

export type TextEncoding = "utf8" | "latin1";

export interface LineChunk {
  /** The lines of this chunk, without their line ends. */
  readonly lines: string[];
  /** 1-based line number of `lines[0]`. */
  readonly first: number;
  /** Bytes of the file read so far. */
  readonly bytes: number;
}

/** Size of a file that must exist, or a NOT_FOUND error naming it. */
export function fileSize(path: string): number {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new KindredError("INVALID_INPUT", `"${path}" is not a file`, { field: "file" });
    return stat.size;
  } catch (error) {
    if (error instanceof KindredError) throw error;
    throw new KindredError("NOT_FOUND", `file "${path}" does not exist`, { field: "file", cause: error });
  }
}

export { basename };

/** Yields the file's lines chunk by chunk. */
export async function* readLines(path: string, encoding: TextEncoding = "utf8"): AsyncGenerator<LineChunk> {
  fileSize(path);
  const stream = createReadStream(path, { encoding, highWaterMark: 1 << 20 });
  let rest = "";
  let line = 1;
  let start = true;
  for await (const piece of stream as AsyncIterable<string>) {
    let text = rest + piece;
    if (start) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      start = false;
    }
    const lines = text.split("\n");
    rest = lines.pop() ?? "";
    for (let k = 0; k < lines.length; k++) {
      const l = lines[k]!;
      if (l.charCodeAt(l.length - 1) === 13) lines[k] = l.slice(0, -1);
    }
    yield { lines, first: line, bytes: stream.bytesRead };
    line += lines.length;
  }
  if (rest.length > 0) {
    if (rest.charCodeAt(rest.length - 1) === 13) rest = rest.slice(0, -1);
    yield { lines: [rest], first: line, bytes: stream.bytesRead };
  }
}
