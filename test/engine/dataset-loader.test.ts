import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findInRow } from "../../src/core/csr.js";
import { DatasetFeed, loadDataset } from "../../src/engine/dataset-loader.js";
import type { Kindred } from "../../src/kindred.js";
import { FILMS, JAZZ, openShop, ROCK, type TempDb, tempDb } from "./community.js";

let db: TempDb;
let k: Kindred;

beforeAll(async () => {
  db = tempDb();
  k = await openShop(db.path, {}, 10);
  await k.addEvents([
    { customer: "c0", item: "r0", type: "rating", value: 1 },
    { customer: "c0", item: "r0", type: "rating", value: 3 },
    { customer: "c0", item: "j0", type: "purchase", quantity: 2 },
    { customer: "c0", item: "j0", type: "purchase", quantity: 1 },
    { customer: "c0", item: "j0", type: "view" },
  ]);
});
afterAll(async () => {
  await k?.close();
  db?.remove();
});

describe("loadDataset", () => {
  it("reads the whole log in pages: ratings latest-wins, purchases summed, scale the hull of the domains", async () => {
    const stats = await k.store.stats();
    const loaded = await loadDataset(k.store, { pageSize: 7 }); // many pages
    const { dataset } = loaded;
    expect(loaded.events).toBe(stats.events);
    expect(loaded.lastSeq).toBe(stats.lastSeq);
    expect(dataset.userCount).toBe(10);
    expect(dataset.ratingCount).toBe(10 * 17);
    const u = dataset.users.get("c0");
    const r0 = findInRow(dataset.ratings, u, dataset.items.get("r0"));
    expect(dataset.ratings.values[r0]).toBe(3);
    const j0 = findInRow(dataset.feedback.purchase, u, dataset.items.get("j0"));
    expect(dataset.feedback.purchase.values[j0]).toBe(3);
    expect(dataset.feedback.view.indices.length).toBe(1);
    expect(dataset.scale).toEqual({ min: 1, max: 7, step: 1 });
  });

  it("gives each dataset item its domain and categories for filters", async () => {
    const { dataset, catalogue } = await loadDataset(k.store);
    const align = catalogue.alignTo(dataset.items);
    const films = catalogue.excluded("films");
    for (let p = 0; p < catalogue.size; p++) {
      if (align[p]! < 0) continue;
      const id = catalogue.items[p]!.id;
      expect(films[p] === 0).toBe(FILMS.includes(id));
      expect(catalogue.items[p]!.categories).toEqual([
        ROCK.includes(id) ? "rock" : JAZZ.includes(id) ? "jazz" : "drama",
      ]);
    }
  });

  it("a feed tails new events, leaves earlier datasets alone, and starts over after a forget", async () => {
    const feed = new DatasetFeed(k.store, 4);
    const first = await feed.load();
    await k.rate("tail-newcomer", "r5", 4);
    const second = await feed.load();
    expect(second.events).toBe(first.events + 1);
    expect(second.dataset.users.has("tail-newcomer")).toBe(true);
    expect(first.dataset.users.has("tail-newcomer")).toBe(false);
    expect(second.dataset.ratingCount).toBe(first.dataset.ratingCount + 1);
    await k.forget("c9");
    const third = await feed.load();
    expect(third.dataset.users.has("c9")).toBe(false);
    expect(third.events).toBe(second.events - 17);
    expect(third.lastSeq).toBe(second.lastSeq);
  });
});
