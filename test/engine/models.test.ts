/**
 * Model lifecycle on a real SQLite file: fitted in a worker thread on first
 * use, saved as a bundle, restored (not refitted) by another instance,
 * adopted when another instance trains a newer one, refitted in the
 * background by the retrain policy, cancellable.
 */
import { threadId } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KindredError } from "../../src/core/errors.js";
import { DEFAULT_CHAINS } from "../../src/engine/config.js";
import { Kindred } from "../../src/kindred.js";
import { openShop, type TempDb, tempDb } from "./community.js";

let db: TempDb;
const open: Kindred[] = [];

beforeEach(() => {
  db = tempDb();
});
afterEach(async () => {
  for (const k of open.splice(0)) await k.close();
  db.remove();
});

async function shop(options: Parameters<typeof openShop>[1] = {}): Promise<Kindred> {
  const k = await openShop(db.path, options);
  open.push(k);
  return k;
}

/** Polls `check` until it holds (background work finishing), at most ~20 s. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("condition never held");
}

describe("model lifecycle", () => {
  it("fits missing models on first use, in a worker thread, and saves them active", async () => {
    const k = await shop();
    expect(await k.models()).toEqual([]);
    const result = await k.recommend("c0", { n: 3 });
    expect(result.algorithm).toBe(DEFAULT_CHAINS.recommend[0]);
    const models = await k.models();
    expect(models.map((m) => m.kind).sort()).toEqual([...DEFAULT_CHAINS.recommend].sort());
    const { lastSeq } = await k.store.stats();
    for (const m of models) {
      expect(m.active).toBe(true);
      expect(m.trainedThroughSeq).toBe(lastSeq);
      expect(m.meta.fittedIn).toBe("worker");
      expect(m.meta.threadId).toBeGreaterThan(0);
      expect(m.meta.threadId).not.toBe(threadId);
    }
  });

  it("a second instance on the same file restores the stored model instead of refitting", async () => {
    const a = await shop({ chain: ["item-knn"] });
    const trained = await a.train("item-knn");
    await a.train("popular");
    const fromA = await a.recommend("c3", { n: 5 });
    const b = await shop({ chain: ["item-knn"] });
    const fromB = await b.recommend("c3", { n: 5 });
    expect(fromB).toEqual(fromA);
    const models = await b.models();
    expect(models.length).toBe(2);
    expect(models.find((m) => m.kind === "item-knn")?.id).toBe(trained.id);
  });

  it("adopts a newer model another instance trained", async () => {
    const a = await shop({ chain: ["user-knn"] });
    const b = await shop({ chain: ["user-knn"] });
    await b.recommend("c1", { n: 1 });
    const rawMean = async (): Promise<number> => {
      const r0 = (await b.store.scanEvents(0)).filter((e) => e.item === "r0" && e.type === "rating");
      return r0.reduce((sum, e) => sum + e.value!, 0) / r0.length;
    };
    const damped = (await b.predict("newcomer", ["r0"])).predictions[0]!;
    expect(damped.algorithm).toBe("popular");
    expect(damped.score).not.toBeCloseTo(await rawMean(), 3);
    const newer = await a.train("popular", { params: { damping: 0 } });
    // b answers with a's popular model: with damping 0 its prediction is the raw average.
    const raw = (await b.predict("newcomer", ["r0"])).predictions[0]!;
    expect(raw.score).toBeCloseTo(await rawMean(), 5);
    const stored = await b.models();
    expect(stored.find((m) => m.kind === "popular" && m.active)?.id).toBe(newer.id);
  });

  it("refits a stale model in the background, with its own config, once enough events arrived", async () => {
    const k = await shop({ retrain: { everyEvents: 5, background: true, pollMs: 0 } });
    const first = await k.train("item-knn", { params: { k: 7 } });
    await k.recommend("c0", { n: 3 });
    await k.addEvents(
      Array.from({ length: 6 }, (_, n) => ({ customer: `late${n}`, item: "r0", type: "rating", value: 5 })),
    );
    await eventually(async () => (await k.models()).some((m) => m.kind === "item-knn" && m.id > first.id && m.active));
    const second = (await k.models()).find((m) => m.kind === "item-knn" && m.active)!;
    expect(second.trainedThroughSeq).toBeGreaterThan(first.trainedThroughSeq);
    // The refit reproduces the model it replaces on newer data: same config.
    expect((second.meta.config as { k: number }).k).toBe(7);
  });

  it("refits models that still hold a forgotten customer", async () => {
    const k = await shop({ chain: ["item-knn"], retrain: { everyEvents: 1_000_000, background: true, pollMs: 0 } });
    await k.recommend("c0", { n: 3 });
    const before = await k.models();
    await k.forget("c7");
    await eventually(
      async () => (await k.models()).filter((m) => m.active && !before.some((b) => b.id === m.id)).length === 2,
    );
    for (const m of (await k.models()).filter((x) => x.active)) {
      expect(m.meta.users).toBe(39);
    }
  });

  it("a model fitted on an empty store counts as missing once events arrive", async () => {
    const k = await Kindred.open(db.path, { retrain: { background: false } });
    open.push(k);
    expect((await k.recommend("x")).items).toEqual([]);
    expect((await k.models()).every((m) => m.trainedThroughSeq === 0)).toBe(true);
    await k.rate("x", "a", 4);
    expect((await k.recommend("y")).items.map((i) => i.item)).toEqual(["a"]);
    expect((await k.models()).filter((m) => m.active).every((m) => m.trainedThroughSeq > 0)).toBe(true);
  });

  it("reports an iterative fit's epochs from its worker, and answers with the factor model", async () => {
    const k = await shop();
    const epochs: number[] = [];
    const info = await k.train("als", { params: { factors: 4, epochs: 3 }, onEpoch: (p) => epochs.push(p.epoch) });
    expect(epochs.length).toBe(3);
    expect(info.meta.fittedIn).toBe("worker");
    const result = await k.recommend("c2", { n: 3, algorithm: "als" });
    expect(result.items.length).toBe(3);
    for (const r of result.items) {
      expect(r.explanation?.algorithm).toBe("als");
      expect(r.explanation?.text.length).toBeGreaterThan(10);
    }
  });

  it("a cancelled fit rejects with CANCELLED and saves nothing", async () => {
    const k = await shop();
    const controller = new AbortController();
    const fit = k.train("item-knn", { signal: controller.signal });
    controller.abort();
    await expect(fit).rejects.toMatchObject({ code: "CANCELLED" });
    await expect(fit).rejects.toBeInstanceOf(KindredError);
    expect(await k.models()).toEqual([]);
  });
});
