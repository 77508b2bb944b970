/**
 * Builds the Dataset models are fitted on from the store's event log:
 * store.scanEventColumns (paged, seq order) into a columnar InteractionLog, then
 * Dataset.fromLog (ratings latest-wins, purchases/views/likes summed).
 * `loadDataset` reads everything once; a `DatasetFeed` loads once, then
 * tails only the new events on each later call (starting over when a
 * customer was forgotten, since their events are in what it holds).
 *
 * Rating scales when domains differ: the dataset keeps every rating's raw
 * value on its own domain's scale and declares the hull of the scales (the
 * smallest min to the largest max) as its `scale`; the engine clamps each
 * prediction to the predicted item's own domain scale, and ranks rating
 * predictions by their place on that scale (a 6 of 7 and a 4.3 of 5 compare
 * as 0.83 and 0.82). Mixing a 1–7 domain with a 1–5 one therefore works, at
 * the price of biases learnt across both.
 */
import { Dataset, type FeedbackType } from "../core/dataset.js";
import { InteractionLog } from "../core/interaction-log.js";
import { EVENT_TYPE_CODE } from "../core/types.js";
import type { Store } from "../storage/store.js";
import { Catalogue } from "./catalogue.js";

const RATING = EVENT_TYPE_CODE.rating;
const PURCHASE = EVENT_TYPE_CODE.purchase;
/** Events per store round trip: columns cost ~33 bytes an event, so a page of this size is ~7 MB. */
const PAGE_SIZE = 200_000;

export interface LoadOptions {
  /** Events per store round trip (default 200 000). */
  readonly pageSize?: number;
  /** The catalogue, when the caller already has a fresh one. */
  readonly catalogue?: Catalogue;
}

export interface LoadedDataset {
  readonly dataset: Dataset;
  /** seq of the last event included: the model's trainedThroughSeq. */
  readonly lastSeq: number;
  /** Events in the dataset's log. */
  readonly events: number;
  /** Item domains, categories, availability and scales (align to dataset.items with `catalogue.alignTo`). */
  readonly catalogue: Catalogue;
  readonly milliseconds: number;
}

/**
 * Appends the events after `afterSeq` to `log`, in pages of columns (no object per event); the last seq read
 * (or afterSeq). Customer and item ids are mapped once per page, not per event.
 */
async function readInto(log: InteractionLog, store: Store, afterSeq: number, pageSize: number): Promise<number> {
  let lastSeq = afterSeq;
  for (;;) {
    const page = await store.scanEventColumns(lastSeq, pageSize);
    const users = Int32Array.from(page.customerIds, (id) => log.users.add(id));
    const items = Int32Array.from(page.itemIds, (id) => log.items.add(id));
    const { customer, item, type, value, quantity, timestamp } = page;
    log.reserve(log.length + page.length);
    for (let k = 0; k < page.length; k++) {
      const code = type[k]!;
      // eventStrength: the rating (NaN when absent), the quantity bought (1 when absent), else 1.
      const strength =
        code === RATING ? value[k]! : code === PURCHASE && !Number.isNaN(quantity[k]!) ? quantity[k]! : 1;
      log.push(users[customer[k]!]!, items[item[k]!]!, code, strength, timestamp[k]!);
    }
    lastSeq = page.lastSeq;
    if (page.length < pageSize) return lastSeq;
  }
}

export async function loadDataset(store: Store, options: LoadOptions = {}): Promise<LoadedDataset> {
  const started = performance.now();
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const catalogue = options.catalogue ?? (await Catalogue.load(store));
  const log = new InteractionLog(undefined, undefined, 1 << 16);
  const lastSeq = await readInto(log, store, 0, pageSize);
  const dataset = Dataset.fromLog(log, catalogue.scaleHull());
  return { dataset, lastSeq, events: log.length, catalogue, milliseconds: performance.now() - started };
}

/**
 * Load once, then tail: each `load()` reads only the events appended since the previous one. Calls must not
 * overlap (the model host serialises them). Each Dataset gets its own copy of the id maps, so a later tail
 * never changes a dataset a fit is still using.
 */
export class DatasetFeed {
  private log: InteractionLog | undefined;
  private lastSeq = 0;

  constructor(
    private readonly store: Store,
    private readonly pageSize = PAGE_SIZE,
  ) {}

  async load(catalogue?: Catalogue): Promise<LoadedDataset> {
    const started = performance.now();
    const current = catalogue ?? (await Catalogue.load(this.store));
    const forgotten = this.log ? await this.store.forgottenSince(this.lastSeq) : [];
    if (!this.log || forgotten.length > 0) {
      this.log = new InteractionLog(undefined, undefined, 1 << 16);
      this.lastSeq = 0;
    }
    const log = this.log;
    this.lastSeq = await readInto(log, this.store, this.lastSeq, this.pageSize);
    const built = Dataset.fromLog(log, current.scaleHull());
    const feedback: Partial<Record<FeedbackType, typeof built.ratings>> = { ...built.feedback };
    const dataset = new Dataset({
      users: log.users.clone(),
      items: log.items.clone(),
      ratings: built.ratings,
      feedback,
      scale: built.scale,
    });
    return {
      dataset,
      lastSeq: this.lastSeq,
      events: log.length,
      catalogue: current,
      milliseconds: performance.now() - started,
    };
  }
}
