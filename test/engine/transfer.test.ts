import { describe, expect, it } from "vitest";
import { registry } from "../../src/algorithms/index.js";
import { Dataset } from "../../src/core/dataset.js";
import { InteractionLog } from "../../src/core/interaction-log.js";
import { encodeSnapshot } from "../../src/core/snapshot.js";
import { packDataset, unpackDataset } from "../../src/engine/dataset-transfer.js";
import { decodeIds, encodeIds } from "../../src/engine/id-bytes.js";
import { decodeBundle, encodeBundle } from "../../src/engine/model-bundle.js";

function smallDataset(): Dataset {
  const log = new InteractionLog();
  log.pushRating("ann", "a", 4);
  log.pushRating("bob", "b", 2);
  log.pushRating("ann", "b", 5);
  log.pushEvent({ customer: "bob", item: "a", type: "purchase", value: null, quantity: 3, timestamp: 1 });
  return Dataset.fromLog(log, { min: 1, max: 7, step: 1 });
}

describe("ids as bytes", () => {
  it("round-trips any ids, unicode and empty-looking ones included", () => {
    const ids = ["42", "Zoë", "東京", "a b", "x\ny", "🙂"];
    expect(decodeIds(encodeIds(ids)).ids()).toEqual(ids);
    expect(decodeIds(encodeIds([])).size).toBe(0);
  });
});

describe("datasets for worker threads", () => {
  it("packs onto SharedArrayBuffers and unpacks to the same dataset", () => {
    const data = smallDataset();
    const packed = packDataset(data);
    expect(packed.ratings.values.buffer).toBeInstanceOf(SharedArrayBuffer);
    const back = unpackDataset(structuredClone(packed));
    expect(back.users.ids()).toEqual(data.users.ids());
    expect(back.items.ids()).toEqual(data.items.ids());
    expect(Array.from(back.ratings.values)).toEqual(Array.from(data.ratings.values));
    expect(Array.from(back.feedback.purchase.values)).toEqual([3]);
    expect(back.scale).toEqual({ min: 1, max: 7, step: 1 });
    expect(back.globalMean).toBeCloseTo(data.globalMean, 6);
  });
});

describe("model bundles", () => {
  it("restore through the registry with the model's external ids", async () => {
    const data = smallDataset();
    const model = registry.create("popular", { damping: 0 });
    await model.fit(data);
    const bytes = encodeBundle("popular", encodeSnapshot(model.snapshot()), data.users.ids(), data.items.ids());
    const bundle = decodeBundle(bytes.slice(), registry);
    expect(bundle.kind).toBe("popular");
    expect(bundle.task).toBe("rating");
    expect(bundle.items.ids()).toEqual(["a", "b"]);
    expect(Array.from(bundle.model.score({}, Int32Array.from([0, 1])))).toEqual([4, 3.5]);
  });

  it("refuse bytes that are not a bundle", () => {
    const plain = encodeSnapshot({ kind: "popular", version: 1, config: {}, meta: {}, arrays: {} });
    expect(() => decodeBundle(plain, registry)).toThrow(/not a Kindred model bundle/);
  });
});
