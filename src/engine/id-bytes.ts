/**
 * External ids as bytes: all ids UTF-8 encoded back to back, with an offsets
 * array (length n + 1). How a model bundle stores the ids of its dense users
 * and items, and how a fit worker receives them, without one JSON string per id.
 */
import { IdMap } from "../core/id-map.js";

export interface IdBytes {
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
}

export function encodeIds(ids: readonly string[]): IdBytes {
  const encoder = new TextEncoder();
  const offsets = new Int32Array(ids.length + 1);
  const parts: Uint8Array[] = new Array(ids.length);
  let total = 0;
  for (let k = 0; k < ids.length; k++) {
    const part = encoder.encode(ids[k]!);
    parts[k] = part;
    total += part.length;
    offsets[k + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let k = 0; k < parts.length; k++) bytes.set(parts[k]!, offsets[k]!);
  return { bytes, offsets };
}

export function decodeIds(encoded: IdBytes): IdMap {
  const decoder = new TextDecoder();
  const { bytes, offsets } = encoded;
  const map = new IdMap();
  for (let k = 0; k + 1 < offsets.length; k++) {
    map.add(decoder.decode(bytes.subarray(offsets[k]!, offsets[k + 1]!)));
  }
  return map;
}
