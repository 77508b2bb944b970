/**
 * The Store contract on PostgreSQL, when KINDRED_TEST_PG names a server
 * (locally postgres://postgres@127.0.0.1:5432/test). Every test gets a fresh
 * random schema, dropped afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreError, ValidationError } from "../../src/core/errors.js";
import { openStore } from "../../src/storage/open.js";
import { POSTGRES_SCHEMA_VERSION } from "../../src/storage/postgres/index.js";
import { admin, PG, TestSchemas, urlFor, warnSkipped } from "../helpers/postgres.js";
import { describeStoreContract, event } from "./store-contract.js";

warnSkipped("PostgreSQL store tests");
const schemas = new TestSchemas("kindred_test");

describe.skipIf(!PG)("PostgreSQL", () => {
  afterAll(schemas.drop);

  describeStoreContract("postgres", () => openStore(urlFor(schemas.fresh())), schemas.drop);

  describe("PostgreSQL store", () => {
    let schema: string;
    beforeAll(() => {
      schema = schemas.fresh();
    });

    it("creates the schema, keeps data across reopen, and redacts the password in url", async () => {
      const store = await openStore(urlFor(schema));
      await store.appendEvents([event("u", "i", { eventId: "e1" })]);
      await store.close();
      const again = await openStore(urlFor(schema));
      expect((await again.scanEvents()).map((e) => e.eventId)).toEqual(["e1"]);
      await again.close();
      const withPassword = await openStore(urlFor(schema).replace("postgres://postgres@", "postgres://postgres:pw@"));
      expect(withPassword.url).not.toContain("pw");
      await withPassword.close();
    });

    it("refuses a schema holding another application's tables, and leaves it untouched", async () => {
      const other = schemas.fresh();
      await admin(async (c) => {
        await c.query(`CREATE SCHEMA "${other}"`);
        await c.query(`CREATE TABLE "${other}".notes (id int PRIMARY KEY, body text)`);
      });
      await expect(openStore(urlFor(other))).rejects.toThrow(/is not a Kindred database \(.*no Kindred meta table\)/);
      const tables = await admin(
        async (c) =>
          (await c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = $1", [other])).rows,
      );
      expect(tables).toEqual([{ table_name: "notes" }]);
    });

    it("refuses a schema written by a newer Kindred", async () => {
      const newer = schemas.fresh();
      await (await openStore(urlFor(newer))).close();
      await admin((c) =>
        c.query(`INSERT INTO "${newer}".kindred_migrations (version, name) VALUES ($1, 'future')`, [
          POSTGRES_SCHEMA_VERSION + 1,
        ]),
      );
      await expect(openStore(urlFor(newer))).rejects.toThrow(
        /newer Kindred \(schema version 2; this version knows up to 1\)/,
      );
    });

    it("refuses a bad schema name with a ValidationError, and an unreachable server with a StoreError", async () => {
      await expect(openStore(urlFor("bad-name"))).rejects.toBeInstanceOf(ValidationError);
      const error = await openStore("postgres://nobody:secret@127.0.0.1:1/none").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).not.toContain("secret");
    });

    it("keeps seqs dense and ordered when two instances append at once", async () => {
      const shared = schemas.fresh();
      const a = await openStore(urlFor(shared));
      const b = await openStore(urlFor(shared));
      const batch = (who: string, n: number) =>
        Array.from({ length: 50 }, (_, k) => event(who, `i${k}`, { value: (n % 5) + 1 }));
      await Promise.all(
        Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? a : b).appendEvents(batch(n % 2 === 0 ? "a" : "b", n))),
      );
      const seqs = (await a.scanEvents()).map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: 500 }, (_, k) => k + 1));
      expect(await b.deleteCustomer("b")).toBe(true);
      expect(await a.forgottenSince()).toEqual([{ seq: 501, customer: "b" }]);
      expect((await a.stats()).lastSeq).toBe(501);
      await a.close();
      await b.close();
    });
  });
});
