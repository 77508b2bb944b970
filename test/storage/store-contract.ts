/**
 * The contract every Store driver passes (as Gorse runs one storage suite on
 * every backend). `open` must return a new, empty store each time; `cleanup`
 * runs after each test has closed it.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KindredError, NotFoundError, StoreError, ValidationError } from "../../src/core/errors.js";
import type { Customer, EventType, Item, NewEvent } from "../../src/core/types.js";
import { EVENT_TYPES } from "../../src/core/types.js";
import type { Store } from "../../src/storage/store.js";

export function event(customer: string, item: string, extra: Partial<NewEvent> = {}): NewEvent {
  return {
    customer,
    item,
    type: "rating",
    value: 4,
    quantity: null,
    amount: null,
    timestamp: 1_700_000_000_000,
    channel: "test",
    eventId: null,
    ...extra,
  };
}

function item(id: string, extra: Partial<Item> = {}): Item {
  return { id, title: `Title ${id}`, domain: "default", categories: [], attributes: {}, available: true, ...extra };
}

function customer(id: string, extra: Partial<Customer> = {}): Customer {
  return { id, attributes: {}, specs: {}, createdAt: 1_000, ...extra };
}

/** Drops `seq` so stored events compare with what was appended. */
function unseq(events: readonly { seq: number }[]): unknown[] {
  return events.map(({ seq: _seq, ...rest }) => rest);
}

export function describeStoreContract(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    describe("a new store", () => {
      it("is empty, has the default domain, and answers ping", async () => {
        expect(await store.stats()).toEqual({ customers: 0, items: 0, events: 0, lastSeq: 0 });
        expect(await store.getDomain("default")).toEqual({ name: "default", scale: { min: 1, max: 5, step: 1 } });
        expect(await store.scanEvents()).toEqual([]);
        expect(await store.forgottenSince()).toEqual([]);
        await expect(store.ping()).resolves.toBeUndefined();
        expect(typeof store.url).toBe("string");
      });
    });

    describe("catalogue", () => {
      it("upserts domains and reads them back", async () => {
        await store.upsertDomains([{ name: "movies", scale: { min: 0.5, max: 5, step: 0.5 } }]);
        await store.upsertDomains([{ name: "wine", scale: { min: 1, max: 7, step: 1 } }]);
        await store.upsertDomains([{ name: "movies", scale: { min: 1, max: 10, step: 1 } }]);
        expect(await store.getDomain("movies")).toEqual({ name: "movies", scale: { min: 1, max: 10, step: 1 } });
        expect((await store.listDomains()).map((d) => d.name).sort()).toEqual(["default", "movies", "wine"]);
        expect(await store.getDomain("nope")).toBeUndefined();
      });

      it("round-trips items with every field, and replaces on upsert", async () => {
        const full = item("i1", {
          title: "Sticky Fingers",
          categories: ["rock", "1971"],
          attributes: { label: "Rolling Stones", tracks: 10, nested: { a: [1, 2] } },
          available: false,
        });
        await store.upsertItems([full, item("i2", { title: null })]);
        expect(await store.getItem("i1")).toEqual(full);
        expect(await store.getItem("i2")).toEqual(item("i2", { title: null }));
        await store.upsertItems([item("i1", { title: "Exile", categories: ["blues"] })]);
        expect(await store.getItem("i1")).toEqual(item("i1", { title: "Exile", categories: ["blues"] }));
        expect(await store.getItem("missing")).toBeUndefined();
        expect((await store.stats()).items).toBe(2);
      });

      it("creates an unknown domain of an item with the default scale", async () => {
        await store.upsertItems([item("b1", { domain: "books" })]);
        expect(await store.getDomain("books")).toEqual({ name: "books", scale: { min: 1, max: 5, step: 1 } });
        await store.upsertDomains([{ name: "books", scale: { min: 1, max: 10, step: 1 } }]);
        await store.upsertItems([item("b2", { domain: "books" })]); // does not reset the scale
        expect((await store.getDomain("books"))?.scale.max).toBe(10);
      });

      it("keeps the last of ids named twice in one batch", async () => {
        await store.upsertItems([item("d", { title: "first" }), item("d", { title: "second" })]);
        expect((await store.getItem("d"))?.title).toBe("second");
        expect((await store.stats()).items).toBe(1);
      });

      it("gets the existing items among ids and lists by domain, category and page", async () => {
        await store.upsertItems([
          item("a", { categories: ["rock"] }),
          item("b", { domain: "books", categories: ["poetry", "rock"] }),
          item("c", { categories: ["jazz"] }),
          item("d"),
        ]);
        const got = await store.getItems(["c", "a", "zzz"]);
        expect(got.map((i) => i.id).sort()).toEqual(["a", "c"]);
        expect(await store.getItems([])).toEqual([]);
        expect((await store.listItems()).map((i) => i.id)).toEqual(["a", "b", "c", "d"]);
        expect((await store.listItems({ domain: "books" })).map((i) => i.id)).toEqual(["b"]);
        expect((await store.listItems({ category: "rock" })).map((i) => i.id)).toEqual(["a", "b"]);
        expect((await store.listItems({ category: "rock", domain: "default" })).map((i) => i.id)).toEqual(["a"]);
        expect((await store.listItems({ limit: 2, offset: 1 })).map((i) => i.id)).toEqual(["b", "c"]);
        expect(await store.listItems({ category: "none" })).toEqual([]);
        await expect(store.listItems({ limit: -1 })).rejects.toBeInstanceOf(ValidationError);
      });
    });

    describe("customers", () => {
      it("round-trips customers and keeps createdAt on upsert", async () => {
        const ann = customer("ann", { attributes: { age: 31, zip: "10001" }, specs: { shoeSize: 39 }, createdAt: 5 });
        await store.upsertCustomers([ann]);
        expect(await store.getCustomer("ann")).toEqual(ann);
        await store.upsertCustomers([customer("ann", { specs: { shoeSize: 40 }, createdAt: 999 })]);
        expect(await store.getCustomer("ann")).toEqual(customer("ann", { specs: { shoeSize: 40 }, createdAt: 5 }));
        expect(await store.getCustomer("bob")).toBeUndefined();
      });

      it("lists customers in the order first stored, by page", async () => {
        await store.upsertCustomers(["c1", "c2", "c3"].map((id) => customer(id)));
        await store.upsertCustomers([customer("c1", { attributes: { vip: true } })]);
        expect((await store.listCustomers()).map((c) => c.id)).toEqual(["c1", "c2", "c3"]);
        expect((await store.listCustomers({ limit: 1, offset: 1 })).map((c) => c.id)).toEqual(["c2"]);
        expect(await store.listCustomers({ offset: 3 })).toEqual([]);
      });
    });

    describe("the interaction log", () => {
      it("round-trips every field of every event type, with increasing seqs", async () => {
        const events: NewEvent[] = [
          event("u1", "i1", { value: 4.5, eventId: "e1" }),
          event("u1", "i2", { type: "purchase", value: null, quantity: 2, amount: 19.99, channel: "store:soho" }),
          event("u2", "i1", { type: "view", value: null, timestamp: 1 }),
          event("u2", "i3", { type: "like", value: null }),
          event("u3", "i3", { type: "dislike", value: null, eventId: "e5" }),
        ];
        const result = await store.appendEvents(events);
        expect(result.appended).toBe(5);
        expect(result.duplicates).toBe(0);
        const stored = await store.scanEvents();
        expect(unseq(stored)).toEqual(events);
        for (let k = 1; k < stored.length; k++) expect(stored[k]!.seq).toBeGreaterThan(stored[k - 1]!.seq);
        expect(result.lastSeq).toBe(stored[4]!.seq);
        expect(await store.stats()).toEqual({ customers: 3, items: 3, events: 5, lastSeq: result.lastSeq });
      });

      it("creates unknown customers and items (default domain, no title) and keeps known ones", async () => {
        await store.upsertItems([item("known", { title: "Known", domain: "books" })]);
        await store.appendEvents([event("new-customer", "new-item", { timestamp: 1234 }), event("x", "known")]);
        expect(await store.getItem("new-item")).toEqual({
          id: "new-item",
          title: null,
          domain: "default",
          categories: [],
          attributes: {},
          available: true,
        });
        expect((await store.getItem("known"))?.title).toBe("Known");
        const created = await store.getCustomer("new-customer");
        expect(created).toMatchObject({ id: "new-customer", attributes: {}, specs: {} });
        expect(typeof created?.createdAt).toBe("number");
      });

      it("round-trips ids and text with quotes, backslashes, newlines and non-ASCII", async () => {
        const odd = event('cus"tomer\\ 1\n', "ítem ☕ 🎸 '%_", {
          channel: 'store:"soho"\t',
          eventId: "id\\with%_?", // (PostgreSQL text cannot hold U+0000)
        });
        await store.appendEvents([odd]);
        expect(unseq(await store.scanEvents())).toEqual([odd]);
        expect(unseq(await store.customerEvents(odd.customer))).toEqual([odd]);
        expect((await store.getItem(odd.item))?.id).toBe(odd.item);
      });

      it("keeps every event (latest-rating-wins is not the store's job), in seq order", async () => {
        await store.appendEvents([event("u", "i", { value: 1 }), event("u", "i", { value: 5 })]);
        await store.appendEvents([event("u", "i", { value: 3 })]);
        expect((await store.scanEvents()).map((e) => e.value)).toEqual([1, 5, 3]);
        expect((await store.customerEvents("u")).map((e) => e.value)).toEqual([1, 5, 3]);
      });

      it("writes nothing of a batch that has one invalid row", async () => {
        await store.appendEvents([event("old", "old-item")]);
        const before = await store.stats();
        const bad = [
          event("fresh-customer", "fresh-item", { eventId: "will-not-land" }),
          event("old", "old-item"),
          event("old", "old-item", { type: "bogus" as EventType }),
        ];
        await expect(store.appendEvents(bad)).rejects.toBeInstanceOf(KindredError);
        expect(await store.stats()).toEqual(before);
        expect(await store.getCustomer("fresh-customer")).toBeUndefined();
        expect(await store.getItem("fresh-item")).toBeUndefined();
        // the same valid events land afterwards (the failed batch left no cached ids or event ids behind)
        const again = await store.appendEvents(bad.slice(0, 2));
        expect(again.appended).toBe(2);
        expect(unseq(await store.customerEvents("fresh-customer"))).toEqual([bad[0]]);
      });

      it("is idempotent by eventId, within a batch and across batches", async () => {
        const first = await store.appendEvents([
          event("u", "a", { eventId: "x1" }),
          event("u", "b", { eventId: "x1", value: 1 }),
          event("u", "c", { eventId: null }),
          event("u", "c", { eventId: null }),
        ]);
        expect(first).toMatchObject({ appended: 3, duplicates: 1 });
        const second = await store.appendEvents([
          event("v", "a", { eventId: "x1" }),
          event("v", "a", { eventId: "x2" }),
        ]);
        expect(second).toMatchObject({ appended: 1, duplicates: 1 });
        const all = await store.scanEvents();
        expect(all.map((e) => [e.customer, e.item, e.eventId])).toEqual([
          ["u", "a", "x1"],
          ["u", "c", null],
          ["u", "c", null],
          ["v", "a", "x2"],
        ]);
        expect(second.lastSeq).toBe(all[3]!.seq);
        const none = await store.appendEvents([event("v", "a", { eventId: "x2" })]);
        expect(none).toEqual({ appended: 0, duplicates: 1, lastSeq: second.lastSeq });
      });

      it("answers an empty append with the current lastSeq", async () => {
        expect(await store.appendEvents([])).toEqual({ appended: 0, duplicates: 0, lastSeq: 0 });
        const r = await store.appendEvents([event("u", "i")]);
        expect(await store.appendEvents([])).toEqual({ appended: 0, duplicates: 0, lastSeq: r.lastSeq });
      });

      it("lands a batch larger than one statement's parameter limit whole", async () => {
        const events = Array.from({ length: 15_000 }, (_, k) =>
          event(`u${k % 300}`, `i${k % 500}`, { value: (k % 5) + 1, eventId: `big-${k}` }),
        );
        const r = await store.appendEvents(events);
        expect(r).toMatchObject({ appended: 15_000, duplicates: 0 });
        const stored = await store.scanEvents();
        expect(stored.length).toBe(15_000);
        expect(stored[14_999]!.eventId).toBe("big-14999");
        expect(await store.stats()).toMatchObject({ customers: 300, items: 500, events: 15_000 });
      });

      it("round-trips batches of one type and one channel (a driver may bind those once), then mixed ones", async () => {
        const ratings = Array.from({ length: 1203 }, (_, k) =>
          event(`u${k % 7}`, `i${k % 11}`, {
            value: k % 3 === 0 ? null : (k % 5) + 0.5,
            timestamp: 1_700_000_000_000 + k,
            channel: "store:soho",
            eventId: k % 2 === 0 ? null : `r${k}`,
          }),
        );
        const views = [1, 2, 3].map((k) => event(`u${k}`, "i1", { type: "view", value: null, channel: "web" }));
        const purchases = [1, 2].map((k) =>
          event(`u${k}`, "i2", { type: "purchase", value: null, quantity: k, amount: 9.5, channel: "web" }),
        );
        expect((await store.appendEvents(ratings)).appended).toBe(1203);
        expect((await store.appendEvents(views)).appended).toBe(3);
        expect((await store.appendEvents(purchases)).appended).toBe(2);
        expect((await store.appendEvents([...ratings.slice(1, 4), views[0]!])).duplicates).toBe(2);
        expect(unseq(await store.scanEvents())).toEqual([...ratings, ...views, ...purchases, ratings[2]!, views[0]!]);
      });

      it("pages with afterSeq and limit", async () => {
        await store.appendEvents(Array.from({ length: 10 }, (_, k) => event(`u${k}`, "i", { value: (k % 5) + 1 })));
        const all = await store.scanEvents();
        expect(await store.scanEvents(0, 3)).toEqual(all.slice(0, 3));
        expect(await store.scanEvents(all[2]!.seq, 3)).toEqual(all.slice(3, 6));
        expect(await store.scanEvents(all[8]!.seq)).toEqual(all.slice(9));
        expect(await store.scanEvents(all[9]!.seq)).toEqual([]);
        expect(await store.scanEvents(0, 0)).toEqual([]);
        await expect(store.scanEvents(-1)).rejects.toBeInstanceOf(ValidationError);
        await expect(store.scanEvents(0.5)).rejects.toBeInstanceOf(ValidationError);
      });

      it("scans the same events as columns, paged, with null numbers as NaN", async () => {
        await store.appendEvents([
          event("a", "1", { value: 2.5 }),
          event("b", "1", { type: "purchase", value: null, quantity: 3, amount: 9.5 }),
          event("a", "2", { type: "view", value: null, timestamp: 5 }),
          event("c", "3", { type: "like", value: null }),
          event("b", "2", { type: "dislike", value: null }),
          event("a", "1", { type: "purchase", value: null }),
        ]);
        await store.deleteCustomer("c");
        await store.appendEvents([event("c", "3", { value: 1 })]);
        const rows = (cols: Awaited<ReturnType<Store["scanEventColumns"]>>) =>
          Array.from({ length: cols.length }, (_, k) => [
            cols.customerIds[cols.customer[k]!],
            cols.itemIds[cols.item[k]!],
            EVENT_TYPES[cols.type[k]!],
            cols.value[k],
            cols.quantity[k],
            cols.timestamp[k],
          ]);
        const all = await store.scanEvents();
        const expected = all.map((e) => [
          e.customer,
          e.item,
          e.type,
          e.value ?? Number.NaN,
          e.quantity ?? Number.NaN,
          e.timestamp,
        ]);
        const columns = await store.scanEventColumns();
        expect(rows(columns)).toEqual(expected);
        expect(columns.lastSeq).toBe(all[all.length - 1]!.seq);
        expect(new Set(columns.customerIds).size).toBe(columns.customerIds.length);
        expect([...columns.customerIds].sort()).toEqual(["a", "b", "c"]);
        const first = await store.scanEventColumns(0, 2);
        expect(rows(first)).toEqual(expected.slice(0, 2));
        expect(first.lastSeq).toBe(all[1]!.seq);
        const rest = await store.scanEventColumns(first.lastSeq);
        expect(rows(rest)).toEqual(expected.slice(2));
        const none = await store.scanEventColumns(columns.lastSeq, 10);
        expect(none).toMatchObject({ length: 0, lastSeq: columns.lastSeq, customerIds: [], itemIds: [] });
        expect((await store.scanEventColumns(0, 0)).length).toBe(0);
        await expect(store.scanEventColumns(-1)).rejects.toBeInstanceOf(ValidationError);
      });

      it("gives one customer's events oldest first, and [] for an unknown customer", async () => {
        await store.appendEvents([event("a", "1"), event("b", "1"), event("a", "2")]);
        await store.appendEvents([event("a", "3"), event("b", "2")]);
        expect((await store.customerEvents("a")).map((e) => e.item)).toEqual(["1", "2", "3"]);
        expect((await store.customerEvents("b")).map((e) => e.item)).toEqual(["1", "2"]);
        expect(await store.customerEvents("nobody")).toEqual([]);
      });

      it("versions a customer's events by count and last seq (when the driver offers customerVersion)", async () => {
        if (!store.customerVersion) return;
        expect(await store.customerVersion("v")).toEqual({ events: 0, lastSeq: 0 });
        const first = await store.appendEvents([event("v", "i"), event("w", "i"), event("v", "j")]);
        expect(await store.customerVersion("v")).toEqual({ events: 2, lastSeq: first.lastSeq });
        await store.deleteCustomer("v");
        expect(await store.customerVersion("v")).toEqual({ events: 0, lastSeq: 0 });
        const again = await store.appendEvents([event("v", "i"), event("v", "j")]);
        expect(await store.customerVersion("v")).toEqual({ events: 2, lastSeq: again.lastSeq });
        expect(again.lastSeq).toBeGreaterThan(first.lastSeq);
      });

      it("returns exactly what any sequence of appends wrote, in order (property)", async () => {
        let run = 0;
        const arbEvent = fc.record({
          customer: fc.constantFrom("p", "q", "r"),
          item: fc.constantFrom("x", "y", "z", "w"),
          type: fc.constantFrom(...EVENT_TYPES),
          value: fc.oneof(
            fc.constant(null),
            fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((v) => !Object.is(v, -0)),
          ),
          quantity: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 100 })),
          amount: fc.oneof(
            fc.constant(null),
            fc.integer({ min: 0, max: 10_000 }).map((c) => c / 100),
          ),
          timestamp: fc.integer({ min: 0, max: 2 ** 42 }),
          channel: fc.constantFrom("web", "import", "store:soho"),
          eventId: fc.oneof(fc.constant(null), fc.constantFrom("k1", "k2", "k3", "k4")),
        });
        await fc.assert(
          fc.asyncProperty(fc.array(fc.array(arbEvent, { maxLength: 8 }), { maxLength: 5 }), async (batches) => {
            run++;
            const start = (await store.stats()).lastSeq;
            const expected: NewEvent[] = [];
            const seen = new Set<string>();
            for (const batch of batches) {
              const events = batch.map((e) => ({ ...e, eventId: e.eventId && `${run}-${e.eventId}` }));
              const fresh = events.filter((e) => e.eventId === null || !seen.has(e.eventId));
              const kept = fresh.filter(
                (e, k) => e.eventId === null || fresh.findIndex((f) => f.eventId === e.eventId) === k,
              );
              for (const e of kept) if (e.eventId) seen.add(e.eventId);
              expected.push(...kept);
              const r = await store.appendEvents(events);
              expect(r.appended).toBe(kept.length);
              expect(r.duplicates).toBe(events.length - kept.length);
            }
            const stored = await store.scanEvents(start);
            expect(unseq(stored)).toEqual(expected);
            for (let k = 1; k < stored.length; k++) expect(stored[k]!.seq).toBeGreaterThan(stored[k - 1]!.seq);
          }),
          { numRuns: 25 },
        );
      });
    });

    describe("forgetting", () => {
      it("removes every trace of the customer and records a tombstone", async () => {
        await store.upsertCustomers([customer("gone", { specs: { size: 42 } }), customer("stays")]);
        await store.appendEvents([event("gone", "i1", { eventId: "g1" }), event("stays", "i1"), event("gone", "i2")]);
        await store.createApiKey({
          id: "k-gone",
          name: "scorecard",
          hash: "h-gone",
          scopes: ["rate"],
          channel: "web",
          customer: "gone",
          createdAt: 1,
        });
        const { lastSeq } = await store.stats();
        expect(await store.deleteCustomer("gone")).toBe(true);
        expect(await store.getCustomer("gone")).toBeUndefined();
        expect(await store.customerEvents("gone")).toEqual([]);
        expect((await store.scanEvents()).map((e) => e.customer)).toEqual(["stays"]);
        expect(await store.findApiKeyByHash("h-gone")).toBeUndefined();
        expect(await store.listApiKeys()).toEqual([]);
        expect(await store.getCustomer("stays")).toBeDefined();
        expect((await store.getItems(["i1", "i2"])).length).toBe(2); // items are the catalogue, not the customer's

        const tombstones = await store.forgottenSince(0);
        expect(tombstones).toEqual([{ seq: lastSeq + 1, customer: "gone" }]);
        expect((await store.stats()).lastSeq).toBe(lastSeq + 1);
        expect(await store.forgottenSince(lastSeq + 1)).toEqual([]);
        expect(await store.deleteCustomer("gone")).toBe(false);
        expect(await store.deleteCustomer("never-was")).toBe(false);
        expect(await store.forgottenSince()).toHaveLength(1);

        // the forgotten eventId no longer blocks; a returning customer starts after the tombstone
        const back = await store.appendEvents([event("gone", "i1", { eventId: "g1" })]);
        expect(back.appended).toBe(1);
        const [returned] = await store.customerEvents("gone");
        expect(returned!.seq).toBeGreaterThan(lastSeq + 1);
      });

      it("orders tombstones and events in one sequence", async () => {
        await store.appendEvents([event("a", "i"), event("b", "i")]);
        await store.deleteCustomer("a");
        await store.appendEvents([event("c", "i")]);
        await store.deleteCustomer("b");
        const seqs = [
          ...(await store.scanEvents()).map((e) => ({ seq: e.seq, what: `event ${e.customer}` })),
          ...(await store.forgottenSince()).map((f) => ({ seq: f.seq, what: `forget ${f.customer}` })),
        ].sort((x, y) => x.seq - y.seq);
        expect(seqs.map((s) => s.what)).toEqual(["forget a", "event c", "forget b"]);
        expect(new Set(seqs.map((s) => s.seq)).size).toBe(3);
      });
    });

    describe("models", () => {
      const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

      it("saves, lists, loads and activates one model per kind", async () => {
        const a = await store.saveModel("svd", bytes(10, 1), 5, { rmse: 0.9 });
        expect(a).toMatchObject({ kind: "svd", active: false, trainedThroughSeq: 5, meta: { rmse: 0.9 }, bytes: 10 });
        const b = await store.saveModel("svd", bytes(3, 2), 7);
        const c = await store.saveModel("item-knn", bytes(1, 3), 7);
        expect(await store.activeModel("svd")).toBeUndefined();

        await store.activateModel(a.id);
        await store.activateModel(c.id);
        expect((await store.activeModel("svd"))?.info.id).toBe(a.id);
        await store.activateModel(b.id);
        const active = await store.activeModel("svd");
        expect(active?.info).toMatchObject({ id: b.id, active: true, meta: {} });
        expect(Array.from(active!.bytes)).toEqual([2, 2, 2]);
        expect((await store.activeModel("item-knn"))?.info.id).toBe(c.id);
        await store.activateModel(b.id); // idempotent

        const svd = await store.listModels("svd");
        expect(svd.map((m) => [m.id, m.active])).toEqual([
          [b.id, true],
          [a.id, false],
        ]);
        expect((await store.listModels()).length).toBe(3);
        expect(await store.listModels("none")).toEqual([]);

        const loaded = await store.loadModel(a.id);
        expect(loaded?.info).toEqual({ ...a, active: false });
        expect(Array.from(loaded!.bytes)).toEqual(Array.from(bytes(10, 1)));
        expect(await store.loadModel(9999)).toBeUndefined();
        await expect(store.activateModel(9999)).rejects.toBeInstanceOf(NotFoundError);
      });

      it("round-trips bytes exactly, from a view into a larger buffer", async () => {
        const big = new Float32Array([1.5, Number.NaN, -0, 3e38, 7]);
        const view = new Uint8Array(big.buffer, 4, 12);
        const saved = await store.saveModel("raw", view, 0);
        const loaded = await store.loadModel(saved.id);
        expect(Array.from(loaded!.bytes)).toEqual(Array.from(view));
        expect(loaded!.bytes.byteOffset % 8).toBe(0);
      });
    });

    describe("settings", () => {
      it("round-trips JSON values, overwrites, and removes on undefined", async () => {
        const value = { nested: { list: [1, "two", null, true], n: 1.25 }, empty: {} };
        await store.setSetting("params.svd", value);
        expect(await store.getSetting("params.svd")).toEqual(value);
        for (const v of [0, "text", null, false, [1, 2]]) {
          await store.setSetting("k", v);
          expect(await store.getSetting("k")).toEqual(v);
        }
        await store.setSetting("k", undefined);
        expect(await store.getSetting("k")).toBeUndefined();
        expect(await store.getSetting("never")).toBeUndefined();
        await expect(store.setSetting("bad", 10n)).rejects.toBeInstanceOf(ValidationError);
      });
    });

    describe("API keys", () => {
      const key = { id: "k1", name: "ops", hash: "hash-1", scopes: ["read", "write"], channel: "api", createdAt: 100 };

      it("creates, finds by hash, lists and revokes", async () => {
        const created = await store.createApiKey(key);
        expect(created).toEqual({ ...key, customer: null, revokedAt: null });
        await store.createApiKey({ ...key, id: "k2", hash: "hash-2", customer: "ann", scopes: [] });
        expect(await store.findApiKeyByHash("hash-1")).toEqual(created);
        expect(await store.findApiKeyByHash("nope")).toBeUndefined();
        expect((await store.listApiKeys()).map((k) => k.id)).toEqual(["k1", "k2"]);

        expect(await store.revokeApiKey("k1")).toBe(true);
        expect(await store.revokeApiKey("k1")).toBe(false);
        expect(await store.revokeApiKey("nope")).toBe(false);
        expect(await store.findApiKeyByHash("hash-1")).toBeUndefined();
        const listed = await store.listApiKeys();
        expect(typeof listed[0]!.revokedAt).toBe("number");
        expect(listed[1]).toMatchObject({ id: "k2", customer: "ann", revokedAt: null });
      });

      it("refuses a taken id or hash with CONFLICT", async () => {
        await store.createApiKey(key);
        await expect(store.createApiKey({ ...key, hash: "other" })).rejects.toMatchObject({
          code: "CONFLICT",
          field: "id",
        });
        await expect(store.createApiKey({ ...key, id: "other" })).rejects.toMatchObject({
          code: "CONFLICT",
          field: "hash",
        });
        expect(await store.listApiKeys()).toHaveLength(1);
      });

      it("creates a first key only while the store holds none (a revoked one counts)", async () => {
        expect(await store.createFirstApiKey(key)).toEqual({ ...key, customer: null, revokedAt: null });
        expect(await store.createFirstApiKey({ ...key, id: "k2", hash: "hash-2" })).toBeUndefined();
        await store.revokeApiKey("k1");
        expect(await store.createFirstApiKey({ ...key, id: "k3", hash: "hash-3" })).toBeUndefined();
        expect((await store.listApiKeys()).map((k) => k.id)).toEqual(["k1"]);
      });
    });

    describe("lifecycle", () => {
      it("rejects every call after close with a StoreError; close is idempotent", async () => {
        await store.close();
        await store.close();
        await expect(store.ping()).rejects.toBeInstanceOf(StoreError);
        await expect(store.stats()).rejects.toBeInstanceOf(StoreError);
        await expect(store.appendEvents([event("u", "i")])).rejects.toBeInstanceOf(StoreError);
      });
    });
  });
}
