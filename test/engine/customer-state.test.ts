/**
 * The engine keeps each customer's folded-in state between answers, keyed by the store's version of their
 * events (count and last seq): whatever writes the next event (this instance, another one on the same
 * store), the next answer reflects it, and the same events give the same answer.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Kindred } from "../../src/kindred.js";
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

async function shop(): Promise<Kindred> {
  const k = await openShop(db.path, { retrain: { background: false } });
  open.push(k);
  return k;
}

describe("customer state between answers", () => {
  it("reflects at once an event another instance wrote, and a customer it forgot", async () => {
    const a = await shop();
    const b = await shop();
    const first = await a.recommend("c0", { n: 5, explain: true });
    expect(await a.recommend("c0", { n: 5, explain: true })).toEqual(first); // same events, same answer
    const top = first.items[0]!.item;
    await b.rate("c0", top, 1);
    const after = await a.recommend("c0", { n: 5, explain: true });
    expect(after.items.map((i) => i.item)).not.toContain(top); // rated now: seen, not recommended
    const again = await a.recommend("c0", { n: 5, explain: true });
    expect(again).toEqual(after);
    await b.forget("c0");
    const fresh = await a.recommend("c0", { n: 5, explain: true });
    const newcomer = await a.recommend("never-seen", { n: 5, explain: true });
    expect(fresh.items).toEqual(newcomer.items);
  });

  it("answers from a refitted model, not from the fold-in of the model it replaced", async () => {
    const a = await shop();
    await a.recommend("c1", { n: 5, explain: true }); // c1's state and fold-in kept for the current models
    await a.rate("c2", "r3", 5); // new data, then a refit: other factors, other id maps
    await a.train("ials");
    const after = await a.recommend("c1", { n: 5, explain: true });
    const other = await shop(); // restores the refitted model from the store, nothing cached
    expect(await other.recommend("c1", { n: 5, explain: true })).toEqual(after);
  });
});
