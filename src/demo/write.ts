/**
 * Writes a generated community through an import sink (a store, or memory
 * for tests), in batches, reporting progress.
 */
import type { ImportSink } from "../importers/types.js";
import type { DemoCommunity } from "./community.js";

export interface WriteReport {
  readonly items: number;
  readonly customers: number;
  readonly events: number;
  readonly stored: number;
}

export async function writeCommunity(
  sink: ImportSink,
  community: DemoCommunity,
  onProgress?: (done: number, total: number) => void,
): Promise<WriteReport> {
  await sink.putDomains(community.domains);
  await sink.putItems(community.items);
  await sink.putCustomers(community.customers);
  const total = community.events.length;
  let stored = 0;
  for (let k = 0; k < total; k += 10_000) {
    stored += (await sink.putEvents(community.events.slice(k, k + 10_000))).stored;
    onProgress?.(Math.min(total, k + 10_000), total);
  }
  return { items: community.items.length, customers: community.customers.length, events: total, stored };
}
