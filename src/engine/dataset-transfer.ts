/**
 * A Dataset in a form a worker thread receives without copying: every typed
 * array is moved onto a SharedArrayBuffer (one copy on the main thread, then
 * shared), the external ids as UTF-8 bytes with offsets.
 */
import type { Csr } from "../core/csr.js";
import { Dataset, type FeedbackType } from "../core/dataset.js";
import type { RatingScale } from "../core/types.js";
import { decodeIds, encodeIds, type IdBytes } from "./id-bytes.js";

export interface PackedDataset {
  readonly users: IdBytes;
  readonly items: IdBytes;
  readonly scale: RatingScale;
  readonly ratings: Csr;
  readonly feedback: Partial<Record<FeedbackType, Csr>>;
}

function shared<T extends Int32Array | Float32Array | Uint8Array>(array: T): T {
  const Ctor = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(Math.max(array.byteLength, 8)));
  const view = out.subarray(0, array.length) as T;
  view.set(array as never);
  return view;
}

function sharedCsr(m: Csr): Csr {
  return {
    rows: m.rows,
    cols: m.cols,
    indptr: shared(m.indptr),
    indices: shared(m.indices),
    values: shared(m.values),
  };
}

function sharedIds(ids: readonly string[]): IdBytes {
  const { bytes, offsets } = encodeIds(ids);
  return { bytes: shared(bytes), offsets: shared(offsets) };
}

export function packDataset(data: Dataset): PackedDataset {
  const feedback: Partial<Record<FeedbackType, Csr>> = {};
  for (const [type, m] of Object.entries(data.feedback) as Array<[FeedbackType, Csr]>) {
    if (m.indices.length > 0) feedback[type] = sharedCsr(m);
  }
  return {
    users: sharedIds(data.users.ids()),
    items: sharedIds(data.items.ids()),
    scale: data.scale,
    ratings: sharedCsr(data.ratings),
    feedback,
  };
}

export function unpackDataset(packed: PackedDataset): Dataset {
  return new Dataset({
    users: decodeIds(packed.users),
    items: decodeIds(packed.items),
    ratings: packed.ratings,
    feedback: packed.feedback,
    scale: packed.scale,
  });
}
