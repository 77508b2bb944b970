/**
 * Builds the Dataset models are fitted on from the store's event log:
 * store.scanEvents (paged, seq order) into a columnar InteractionLog, then
 * Dataset.fromLog (ratings latest-wins, purchases/views/likes summed).
 *
 * Rating scales when domains differ: the dataset keeps every rating's raw
 * value on its own domain's scale and declares the hull of the scales (the
 * smallest min to the largest max) as its `scale`; the engine clamps each
 * prediction to the predicted item's own domain scale. Mixing a 1–7 domain
 * with a 1–5 one therefore works, at the price of biases learnt across both.
 */
import { Dataset } from "../core/dataset.js";
import { InteractionLog } from "../core/interaction-log.js";
import { EVENT_TYPE_CODE, eventStrength } from "../core/types.js";
import type { Store } from "../storage/store.js";
import { Catalogue } from "./catalogue.js";

export interface LoadOptions {
  /** Events per store round trip (default 50 000). */
  readonly pageSize?: number;
  /** The catalogue, when the caller already has a fresh one. */
  readonly catalogue?: Catalogue;
}

export interface LoadedDataset {
  readonly dataset: Dataset;
  /** seq of the last event included: the model's trainedThroughSeq. */
  readonly lastSeq: number;
  /** Events read. */
  readonly events: number;
  /** Item domains, categories, availability and scales (align to dataset.items with `catalogue.alignTo`). */
  readonly catalogue: Catalogue;
  readonly milliseconds: number;
}

export async function loadDataset(store: Store, options: LoadOptions = {}): Promise<LoadedDataset> {
  const started = performance.now();
  const pageSize = options.pageSize ?? 50_000;
  const catalogue = options.catalogue ?? (await Catalogue.load(store));
  const log = new InteractionLog(undefined, undefined, pageSize);
  let lastSeq = 0;
  let events = 0;
  for (;;) {
    const page = await store.scanEvents(lastSeq, pageSize);
    for (const e of page) {
      log.push(
        log.users.add(e.customer),
        log.items.add(e.item),
        EVENT_TYPE_CODE[e.type],
        eventStrength(e),
        e.timestamp,
      );
    }
    events += page.length;
    if (page.length > 0) lastSeq = page[page.length - 1]!.seq;
    if (page.length < pageSize) break;
  }
  const dataset = Dataset.fromLog(log, catalogue.scaleHull());
  return { dataset, lastSeq, events, catalogue, milliseconds: performance.now() - started };
}
