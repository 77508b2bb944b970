/**
 * A Fold as SharedArrayBuffer-backed typed arrays, so worker threads read the
 * training matrices and test pairs without a copy per worker. The external
 * ids travel as plain string arrays (copied once per worker and fold).
 */
import type { Csr } from "../core/csr.js";
import { Dataset, type FeedbackType } from "../core/dataset.js";
import { IdMap } from "../core/id-map.js";
import type { RatingScale } from "../core/types.js";
import type { Fold, TestPairs } from "./types.js";

type Typed = Int32Array | Float32Array | Uint8Array;

interface SharedCsr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export interface SharedFold {
  readonly id: string;
  readonly name: string;
  readonly users: readonly string[];
  readonly items: readonly string[];
  readonly scale: RatingScale;
  readonly ratings: SharedCsr;
  readonly feedback: Partial<Record<FeedbackType, SharedCsr>>;
  readonly test: TestPairs;
}

function share<T extends Typed>(array: T): T {
  const Ctor = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Ctor(new SharedArrayBuffer(array.byteLength));
  copy.set(array as never);
  return copy;
}

function shareCsr(m: Csr): SharedCsr {
  return { rows: m.rows, cols: m.cols, indptr: share(m.indptr), indices: share(m.indices), values: share(m.values) };
}

export function shareFold(fold: Fold, id: string): SharedFold {
  const feedback: Partial<Record<FeedbackType, SharedCsr>> = {};
  for (const [type, m] of Object.entries(fold.train.feedback) as Array<[FeedbackType, Csr]>) {
    if ((m.indptr[m.rows] ?? 0) > 0) feedback[type] = shareCsr(m);
  }
  return {
    id,
    name: fold.name,
    users: fold.train.users.ids(),
    items: fold.train.items.ids(),
    scale: fold.train.scale,
    ratings: shareCsr(fold.train.ratings),
    feedback,
    test: {
      users: share(fold.test.users),
      items: share(fold.test.items),
      values: share(fold.test.values),
      types: share(fold.test.types),
    },
  };
}

/** Rebuilds the Fold in a worker (the typed arrays stay views of the shared memory). */
export function unshareFold(shared: SharedFold): Fold {
  const train = new Dataset({
    users: new IdMap(shared.users),
    items: new IdMap(shared.items),
    ratings: shared.ratings,
    feedback: shared.feedback,
    scale: shared.scale,
  });
  return { name: shared.name, train, test: shared.test };
}
