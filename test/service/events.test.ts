/**
 * Events and bad input: idempotent by eventId, all or none, 400 naming the
 * field, 413 for bodies and batches too large, 404 for unknown ids, and no
 * stack trace in any error body.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCommunity, startTestService, type TestService } from "./harness.js";

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ config: { maxBodyBytes: 64 * 1024, maxBatch: 100 } });
  await seedCommunity(service);
});
afterAll(async () => {
  await service.close();
});

const eventCount = async () => (await service.store.stats()).events;

describe("POST /events", () => {
  it("accepts one event, an array, or { events }", async () => {
    const one = await service.request("POST", "/events", { body: { customer: "e1", item: "m1", type: "view" } });
    expect(one.body).toMatchObject({ appended: 1, duplicates: 0 });
    const many = await service.request("POST", "/events", {
      body: {
        events: [
          { customer: "e1", item: "m2", type: "like" },
          { customer: 17, item: 3, type: "purchase" },
        ],
      },
    });
    expect(many.body).toMatchObject({ appended: 2, duplicates: 0 });
    expect((await service.store.customerEvents("17"))[0]).toMatchObject({ item: "3", type: "purchase", quantity: 1 });
  });

  it("is idempotent by eventId", async () => {
    const body = [
      { customer: "e2", item: "m1", type: "rating", value: 4, eventId: "tablet-1:0001" },
      { customer: "e2", item: "m2", type: "rating", value: 2, eventId: "tablet-1:0002" },
    ];
    const first = await service.request("POST", "/events", { body });
    expect(first.body).toMatchObject({ appended: 2, duplicates: 0 });
    const before = await eventCount();
    const again = await service.request("POST", "/events", { body });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ appended: 0, duplicates: 2 });
    expect(await eventCount()).toBe(before);
    expect(await service.store.customerEvents("e2")).toHaveLength(2);
  });

  it("writes nothing when any event is bad, and names the field", async () => {
    const before = await eventCount();
    const cases: Array<[unknown, string]> = [
      [
        [
          { customer: "e3", item: "m1", type: "view" },
          { customer: "e3", item: "m1", type: "rating" },
        ],
        "body",
      ],
      [[{ customer: "e3", item: "m1", type: "shout" }], "body"],
      [[{ customer: "", item: "m1", type: "view" }], "body"],
      [{ customer: "e3", item: "m1", type: "purchase", quantity: -2 }, "body"],
    ];
    for (const [body, prefix] of cases) {
      const res = await service.request("POST", "/events", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("INVALID_INPUT");
      expect(res.body.error.field.startsWith(prefix)).toBe(true);
    }
    // Off the domain's scale: caught by the engine (it knows the item's domain) before anything is written.
    const offScale = await service.request("POST", "/events", {
      body: [
        { customer: "e3", item: "m1", type: "rating", value: 4 },
        { customer: "e3", item: "m2", type: "rating", value: 9 },
      ],
    });
    expect(offScale.status).toBe(400);
    expect(offScale.body.error.field).toMatch(/1\.value$/);
    expect(offScale.body.error.message).toContain("off the scale");
    expect(await eventCount()).toBe(before);
    expect(await service.store.customerEvents("e3")).toEqual([]);
  });

  it("names the missing rating value", async () => {
    const res = await service.request("POST", "/events", { body: { customer: "e4", item: "m1", type: "rating" } });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe("body.value");
  });

  it("refuses malformed JSON and other content types with a 400 on the body", async () => {
    const malformed = await service.request("POST", "/events", { raw: "{ not json" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.field).toBe("body");
    const text = await service.request("POST", "/events", { raw: "hello", headers: { "content-type": "text/plain" } });
    expect(text.status).toBe(400);
    expect(text.body.error.field).toBe("body");
  });

  it("answers 413 to a body over the limit and to a batch over the maximum, writing nothing", async () => {
    const before = await eventCount();
    const huge = Array.from({ length: 2000 }, (_, i) => ({ customer: "e5", item: `m${i % 12}`, type: "view" }));
    const big = await service.request("POST", "/events", { body: huge });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("TOO_LARGE");
    const batch = await service.request("POST", "/events", { body: huge.slice(0, 101) });
    expect(batch.status).toBe(413);
    expect(batch.body.error.message).toContain("100");
    expect(await eventCount()).toBe(before);
  });
});

describe("bad ids and routes", () => {
  it("answers 404 for unknown customers, items, domains, models and routes", async () => {
    for (const path of [
      "/customers/nobody",
      "/customers/nobody/memory",
      "/customers/nobody/export",
      "/items/nothing",
      "/domains/nowhere",
      "/no/such/route",
    ]) {
      const res = await service.request("GET", path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe("NOT_FOUND");
    }
    expect((await service.request("DELETE", "/customers/nobody")).status).toBe(404);
    expect((await service.request("POST", "/models/9999/activate")).status).toBe(404);
  });

  it("refuses a model id that is not a number with a 400 naming the path parameter", async () => {
    const res = await service.request("POST", "/models/abc/activate");
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe("path.id");
  });

  it("never sends a stack trace", async () => {
    const responses = await Promise.all([
      service.request("POST", "/events", { raw: "{" }),
      service.request("GET", "/customers/c1/recommendations?n=-1"),
      service.request("GET", "/customers/nobody"),
      service.request("POST", "/items", { body: [{ id: "x", categories: "not-a-list" }] }),
    ]);
    for (const res of responses) {
      expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
      expect(res.text).not.toContain("node_modules");
      expect(res.body.error.requestId).toEqual(res.headers.get("x-request-id"));
    }
  });
});

describe("catalogue writes", () => {
  it("creates and replaces items, all or none", async () => {
    const put = await service.request("PUT", "/items/b1", {
      key: service.keys["catalog:write"],
      body: { title: "A book", domain: "movies", categories: ["drama"], attributes: { year: 1999 } },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: "b1", title: "A book", available: true, attributes: { year: 1999 } });
    const mismatch = await service.request("PUT", "/items/b1", { body: { id: "b2" } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.field).toBe("body.id");
    const bad = await service.request("POST", "/items", {
      body: [
        { id: "b3", title: "ok" },
        { id: "b4", available: "yes" },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toContain("available");
    expect(await service.store.getItem("b3")).toBeUndefined();
  });

  it("creates domains with a scale, and refuses a bad scale naming the field", async () => {
    const put = await service.request("PUT", "/domains/wine", { body: { scale: { min: 1, max: 7 } } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ name: "wine", scale: { min: 1, max: 7, step: 1 } });
    const bad = await service.request("PUT", "/domains/beer", { body: { scale: { min: 5, max: 1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("body.scale.max");
    expect((await service.request("GET", "/domains/beer")).status).toBe(404);
  });

  it("lists items by domain and category with paging", async () => {
    const res = await service.request("GET", "/items?domain=movies&category=comedy&limit=2&offset=1");
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items.every((i: { categories: string[] }) => i.categories.includes("comedy"))).toBe(true);
  });
});
