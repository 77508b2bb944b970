/** Customers over HTTP: create/update, memory, export, and forgetting every trace. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCommunity, startTestService, type TestService } from "./harness.js";

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ kindred: { chain: ["user-knn", "popular"] } });
  await seedCommunity(service);
});
afterAll(async () => {
  await service.close();
});

describe("customers", () => {
  it("are created with attributes and specs, updated, listed", async () => {
    const post = await service.request("POST", "/customers", {
      key: service.keys["events:write"],
      body: [{ id: "ann", attributes: { name: "Ann", segment: "gold" }, specs: { shoeSize: 38 } }, { id: "bob" }],
    });
    expect(post.body).toEqual({ upserted: 2 });
    const put = await service.request("PUT", "/customers/ann", { body: { specs: { shoeSize: 39 } } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: "ann", specs: { shoeSize: 39 } });
    const list = await service.request("GET", "/customers?limit=100", { key: service.keys.read });
    expect(list.body.customers.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(["ann", "bob", "c0"]));
    const bad = await service.request("POST", "/customers", { body: [{ id: "x" }, { id: "y", specs: [1] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("body.1.specs");
    expect(await service.store.getCustomer("x")).toBeUndefined();
  });

  it("have a memory of everything they told, by channel", async () => {
    await service.request("POST", "/events", {
      key: service.keys["events:write"],
      body: [
        { customer: "ann", item: "m1", type: "rating", value: 4 },
        { customer: "ann", item: "m2", type: "purchase", quantity: 2, amount: 30 },
      ],
    });
    const res = await service.request("GET", "/customers/ann/memory", { key: service.keys.read });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(await service.kindred.memory("ann"))));
    expect(res.body.ratings).toMatchObject([{ item: "m1", value: 4, channel: "channel:events:write" }]);
    expect(res.body.purchases).toEqual({ count: 1, quantity: 2, amount: 30 });
    expect(res.body.channels).toEqual({ "channel:events:write": 2 });
  });

  it("export their own data completely, as a download", async () => {
    const res = await service.request("GET", "/customers/ann/export");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("customer-ann.json");
    expect(res.body.customer).toMatchObject({ id: "ann", attributes: { name: "Ann" } });
    expect(res.body.events).toHaveLength(2);
    expect(res.body.items.map((i: { id: string }) => i.id).sort()).toEqual(["m1", "m2"]);
  });
});

describe("DELETE /customers/{id} (forget)", () => {
  it("removes every trace: the customer, their events, their keys, and them from others' answers", async () => {
    // c2 is a neighbour of c0 (both like even movies) before being forgotten.
    const before = await service.request("GET", "/customers/c0/neighbors?k=10");
    expect(before.body.neighbors.map((n: { customer: string }) => n.customer)).toContain("c2");
    const bound = await service.request("POST", "/keys", { body: { scopes: ["read"], customer: "c2" } });
    expect((await service.request("GET", "/customers/c2", { key: bound.body.key })).status).toBe(200);

    const res = await service.request("DELETE", "/customers/c2");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ customer: "c2", forgotten: true });

    expect(await service.store.getCustomer("c2")).toBeUndefined();
    expect(await service.store.customerEvents("c2")).toEqual([]);
    const all = await service.store.scanEvents(0);
    expect(all.some((e) => e.customer === "c2")).toBe(false);
    expect((await service.request("GET", "/customers/c2/memory")).status).toBe(404);
    expect((await service.request("GET", "/customers/c2/export")).status).toBe(404);
    expect((await service.request("GET", "/customers/c2", { key: bound.body.key })).status).toBe(401);
    const after = await service.request("GET", "/customers/c0/neighbors?k=10");
    expect(after.body.neighbors.map((n: { customer: string }) => n.customer)).not.toContain("c2");
    const recs = await service.request("GET", "/customers/c0/recommendations?n=5");
    expect(JSON.stringify(recs.body)).not.toContain('"c2"');
    // Forgotten twice: nothing left to forget.
    expect((await service.request("DELETE", "/customers/c2")).status).toBe(404);
  });
});
