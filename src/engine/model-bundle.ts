/**
 * A model bundle: what the store keeps for one fitted model. The algorithm's
 * own snapshot bytes plus the external ids of the model's dense users and
 * items (so any later process maps "customer 42" to the model's row), in one
 * outer snapshot of kind "kindred-bundle". The seq the data ran through is
 * kept by the store beside it (ModelInfo.trainedThroughSeq).
 */

import type { Recommender } from "../algorithms/recommender.js";
import type { AlgorithmRegistry } from "../algorithms/registry.js";
import { KindredError } from "../core/errors.js";
import type { IdMap } from "../core/id-map.js";
import { decodeSnapshot, encodeSnapshot } from "../core/snapshot.js";
import { decodeIds, encodeIds } from "./id-bytes.js";

const BUNDLE_KIND = "kindred-bundle";
const BUNDLE_VERSION = 1;

export interface ModelBundle {
  readonly kind: string;
  readonly model: Recommender;
  /** The model's dense users and items as external ids. */
  readonly users: IdMap;
  readonly items: IdMap;
  /** "rating" models predict on the scale (clamped per domain); "ranking" models give preference scores. */
  readonly task: "rating" | "ranking";
}

/**
 * Whether the bundle's scores are ratings (clamped to each item's domain scale). Popular ranked by "count"
 * is registered as a rating model but then scores customer counts, which must not be clamped.
 */
export function predictsRatings(bundle: ModelBundle): boolean {
  return bundle.task === "rating" && (bundle.model.config as { rankBy?: unknown }).rankBy !== "count";
}

export function encodeBundle(
  kind: string,
  modelBytes: Uint8Array,
  users: readonly string[],
  items: readonly string[],
): Uint8Array {
  const u = encodeIds(users);
  const i = encodeIds(items);
  return encodeSnapshot({
    kind: BUNDLE_KIND,
    version: BUNDLE_VERSION,
    config: {},
    meta: { modelKind: kind },
    arrays: { model: modelBytes, userIds: u.bytes, userOffsets: u.offsets, itemIds: i.bytes, itemOffsets: i.offsets },
  });
}

export function decodeBundle(bytes: Uint8Array, registry: AlgorithmRegistry): ModelBundle {
  const outer = decodeSnapshot(bytes);
  if (outer.kind !== BUNDLE_KIND || outer.version !== BUNDLE_VERSION) {
    throw new KindredError("STORE", `stored model is not a Kindred model bundle v${BUNDLE_VERSION} (${outer.kind})`);
  }
  const a = outer.arrays;
  const part = <T>(name: string, Ctor: new (...args: never[]) => T): T => {
    const array = a[name];
    if (!(array instanceof Ctor)) throw new KindredError("STORE", `model bundle lacks its "${name}" array`);
    return array;
  };
  const snapshot = decodeSnapshot(part("model", Uint8Array));
  const model = registry.restore(snapshot);
  return {
    kind: snapshot.kind,
    model,
    users: decodeIds({ bytes: part("userIds", Uint8Array), offsets: part("userOffsets", Int32Array) }),
    items: decodeIds({ bytes: part("itemIds", Uint8Array), offsets: part("itemOffsets", Int32Array) }),
    task: registry.get(snapshot.kind).task,
  };
}
