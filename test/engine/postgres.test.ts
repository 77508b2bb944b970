/**
 * The engine on PostgreSQL, when KINDRED_TEST_PG names a server (locally
 * postgres://postgres@127.0.0.1:5432/test): the facade's main paths on a
 * fresh random schema, dropped afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kindred } from "../../src/kindred.js";
import { PG, TestSchemas, urlFor, warnSkipped } from "../helpers/postgres.js";
import { JAZZ, openShop } from "./community.js";

warnSkipped("engine tests on PostgreSQL");
const schemas = new TestSchemas("kindred_engine");

describe.skipIf(!PG)("engine on PostgreSQL", () => {
  const open: Kindred[] = [];
  let target: string;
  let k: Kindred;

  beforeAll(async () => {
    target = urlFor(schemas.fresh());
    k = await openShop(target, { chain: ["user-knn", "popular"] }, 20);
    open.push(k);
  });

  afterAll(async () => {
    for (const x of open) await x.close();
    await schemas.drop();
  });

  it("fits on first use, folds in new ratings without a refit, and a second instance restores the models", async () => {
    const cold = await k.recommend("pg-newbie", { n: 3 });
    expect(cold.items.every((i) => i.explanation?.algorithm === "popular")).toBe(true);
    const models = await k.models();
    for (const r of ["j0", "j1", "j2"]) await k.rate("pg-newbie", r, 5);
    for (const r of ["r0", "r1", "r2"]) await k.rate("pg-newbie", r, 1);
    const warm = await k.recommend("pg-newbie", { n: 3, domain: "music" });
    expect(warm.items.every((i) => JAZZ.includes(i.item) && i.explanation?.algorithm === "user-knn")).toBe(true);
    expect((await k.models()).map((m) => m.id)).toEqual(models.map((m) => m.id));
    const second = await Kindred.open(target, { chain: ["user-knn", "popular"], retrain: { background: false } });
    open.push(second);
    expect(await second.recommend("pg-newbie", { n: 3, domain: "music" })).toEqual(warm);
    expect((await second.models()).length).toBe(models.length);
  });

  it("writes nothing from a batch with one rating off the scale", async () => {
    const before = (await k.store.stats()).events;
    await expect(
      k.addEvents([
        { customer: "c0", item: "f0", type: "rating", value: 7 },
        { customer: "c0", item: "r0", type: "rating", value: 7 },
      ]),
    ).rejects.toThrow('events[1].value: 7 is off the scale of domain "music"');
    expect((await k.store.stats()).events).toBe(before);
  });
});
