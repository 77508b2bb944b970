/**
 * The engine on PostgreSQL, when KINDRED_TEST_PG names a server (locally
 * postgres://postgres@127.0.0.1:5432/test): the facade's main paths on a
 * fresh random schema, dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kindred } from "../../src/kindred.js";
import { JAZZ, openShop } from "./community.js";

const PG = process.env.KINDRED_TEST_PG;
if (!PG) {
  console.warn("\n*** SKIPPED: engine tests on PostgreSQL (set KINDRED_TEST_PG) ***\n");
}
const schema = `kindred_engine_${randomBytes(4).toString("hex")}`;
const target = (): string => `${PG}${PG!.includes("?") ? "&" : "?"}schema=${schema}`;

describe.skipIf(!PG)("engine on PostgreSQL", () => {
  const open: Kindred[] = [];
  let k: Kindred;

  beforeAll(async () => {
    k = await openShop(target(), { chain: ["user-knn", "popular"] }, 20);
    open.push(k);
  });

  afterAll(async () => {
    for (const x of open) await x.close();
    const client = new pg.Client({ connectionString: PG });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
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
    const second = await Kindred.open(target(), { chain: ["user-knn", "popular"], retrain: { background: false } });
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
