/**
 * Setting up the demo db: generate the community into an empty store (once;
 * a marker setting says it is there), fit the models the demo shows, and pick
 * a sample customer to show them for.
 */
import { ValidationError } from "../core/errors.js";
import { StoreSink } from "../importers/sinks/store-sink.js";
import type { Kindred } from "../kindred.js";
import type { Store } from "../storage/store.js";
import { type DemoOptions, generateCommunity } from "./community.js";
import { writeCommunity } from "./write.js";

export const DEMO_SETTING = "demo";
/** The models the demo shows, in the order they are fitted. */
export const DEMO_MODELS = ["popular", "user-knn", "item-knn"] as const;

interface DemoMarker {
  state: "generating" | "ready";
  seed: number;
  customers: number;
}

export interface DemoSetup {
  /** False when the db already held the demo community. */
  readonly generated: boolean;
  readonly seed: number;
}

/** Generates the community into the store unless it is there; refuses a store holding other data. */
export async function ensureDemoCommunity(
  store: Store,
  options: DemoOptions = {},
  onProgress?: (done: number, total: number) => void,
): Promise<DemoSetup> {
  const marker = await store.getSetting<DemoMarker>(DEMO_SETTING);
  if (marker?.state === "ready") return { generated: false, seed: marker.seed };
  if (!marker) {
    const stats = await store.stats();
    if (stats.events > 0 || stats.customers > 0) {
      throw new ValidationError(
        "db",
        `${store.url} already holds data that is not the demo community (give kindred demo another --db)`,
      );
    }
  }
  // An interrupted generation is simply run again: every demo event has a fixed id, so nothing doubles.
  const seed = options.seed ?? marker?.seed ?? 42;
  const customers = options.customers ?? marker?.customers ?? 3000;
  await store.setSetting(DEMO_SETTING, { state: "generating", seed, customers } satisfies DemoMarker);
  const community = generateCommunity({ ...options, seed, customers });
  await writeCommunity(new StoreSink(store), community, onProgress);
  await store.setSetting(DEMO_SETTING, { state: "ready", seed, customers } satisfies DemoMarker);
  return { generated: true, seed };
}

/** Fits each demo model that has no active model yet; returns the kinds fitted. */
export async function ensureDemoModels(kindred: Kindred, onStart?: (kind: string) => void): Promise<string[]> {
  const fitted: string[] = [];
  const active = new Set((await kindred.models()).filter((m) => m.active).map((m) => m.kind));
  for (const kind of DEMO_MODELS) {
    if (active.has(kind)) continue;
    onStart?.(kind);
    await kindred.train(kind);
    fitted.push(kind);
  }
  return fitted;
}

/** The first customer (c0001, c0002, ...) with at least `minRatings` ratings and a purchase. */
export async function sampleCustomer(store: Store, minRatings = 15): Promise<string> {
  for (let k = 1; k <= 200; k++) {
    const id = `c${String(k).padStart(4, "0")}`;
    const events = await store.customerEvents(id);
    const ratings = events.filter((e) => e.type === "rating").length;
    if (ratings >= minRatings && events.some((e) => e.type === "purchase")) return id;
  }
  return "c0001";
}
