/**
 * Community knowledge over HTTP: the same shapes as the library (and the CLI's
 * --json), cold start for a customer never seen, and instant learning (a
 * rating posted changes the next recommendations without a refit).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCommunity, startTestService, type TestService } from "./harness.js";

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ kindred: { chain: ["item-knn", "popular"] } });
  await seedCommunity(service);
});
afterAll(async () => {
  await service.close();
});

describe("recommendations", () => {
  it("have the library's shape, with explanations by default", async () => {
    const res = await service.request("GET", "/customers/c0/recommendations?n=3", { key: service.keys.read });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(await service.kindred.recommend("c0", { n: 3 }));
    expect(res.body.customer).toBe("c0");
    expect(res.body.items).toHaveLength(3);
    for (const item of res.body.items) {
      expect(item).toMatchObject({ item: expect.any(String), title: expect.any(String), score: expect.any(Number) });
      expect(item.explanation.text.length).toBeGreaterThan(0);
    }
    const bare = await service.request("GET", "/customers/c0/recommendations?n=3&explain=false");
    expect(bare.body.items.every((i: object) => !("explanation" in i))).toBe(true);
  });

  it("answer a customer never seen with cold-start items, not a 404", async () => {
    const res = await service.request("GET", "/customers/stranger/recommendations?n=5");
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(5);
    expect(await service.store.getCustomer("stranger")).toBeUndefined();
  });

  it("learn instantly: a rating posted changes the next answer, with no refit", async () => {
    const models = (await service.store.listModels()).length;
    const before = await service.request("GET", "/customers/newbie/recommendations?n=4&explain=false");
    const posted = await service.request("POST", "/events", {
      key: service.keys["events:write"],
      body: [
        { customer: "newbie", item: "m1", type: "rating", value: 5 },
        { customer: "newbie", item: "m3", type: "rating", value: 5 },
        { customer: "newbie", item: "m0", type: "rating", value: 1 },
      ],
    });
    expect(posted.status).toBe(200);
    const after = await service.request("GET", "/customers/newbie/recommendations?n=4");
    const ids = after.body.items.map((i: { item: string }) => i.item);
    expect(ids).not.toEqual(before.body.items.map((i: { item: string }) => i.item));
    expect(ids).not.toContain("m1"); // what they rated is not recommended back
    // They like odd movies, as the odd customers do: the community's odd movies come first.
    expect(Number(ids[0].slice(1)) % 2).toBe(1);
    expect((await service.store.listModels()).length).toBe(models);
  });

  it("filter by domain and category, and refuse unknown ones naming the field", async () => {
    const drama = await service.request("GET", "/customers/c1/recommendations?category=drama&n=3");
    expect(drama.status).toBe(200);
    for (const i of drama.body.items) expect(Number(i.item.slice(1)) % 2).toBe(0);
    const bad = await service.request("GET", "/customers/c1/recommendations?category=western");
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("category");
    const domain = await service.request("GET", "/customers/c1/recommendations?domain=books");
    expect(domain.status).toBe(400);
    expect(domain.body.error.field).toBe("domain");
  });

  it("refuse bad query parameters with a 400 naming the field", async () => {
    for (const [query, field] of [
      ["n=0", "query.n"],
      ["n=abc", "query.n"],
      ["n=100000", "query.n"],
      ["explain=maybe", "query.explain"],
    ] as const) {
      const res = await service.request("GET", `/customers/c1/recommendations?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.field, query).toBe(field);
    }
    const algorithm = await service.request("GET", "/customers/c1/recommendations?algorithm=magic");
    expect(algorithm.status).toBe(400);
    expect(algorithm.body.error.field).toBe("algorithm");
    expect(algorithm.body.error.message).toContain("item-knn");
  });
});

describe("predictions, neighbours, styles, similar items", () => {
  it("predict the given items", async () => {
    const res = await service.request("GET", "/customers/c0/predictions?items=m2,m5", { key: service.keys.read });
    expect(res.status).toBe(200);
    expect(res.body.customer).toBe("c0");
    expect(res.body.predictions.map((p: { item: string }) => p.item)).toEqual(["m2", "m5"]);
    expect(res.body.predictions[0].score).toBeGreaterThan(res.body.predictions[1].score);
  });

  it("refuse predictions without items, and unknown items with 404", async () => {
    const none = await service.request("GET", "/customers/c0/predictions");
    expect(none.status).toBe(400);
    expect(none.body.error.field).toBe("query.items");
    const unknown = await service.request("GET", "/customers/c0/predictions?items=m1,nope");
    expect(unknown.status).toBe(404);
  });

  it("find neighbours with the same tastes", async () => {
    const res = await service.request("GET", "/customers/c0/neighbors?k=3&algorithm=user-knn");
    expect(res.status).toBe(200);
    expect(res.body.neighbors.length).toBeGreaterThan(0);
    for (const n of res.body.neighbors) expect(Number(n.customer.slice(1)) % 2).toBe(0);
  });

  it("rank styles", async () => {
    const res = await service.request("GET", "/customers/c1/styles");
    expect(res.status).toBe(200);
    expect(res.body.styles.map((s: { category: string }) => s.category).sort()).toEqual(["comedy", "drama"]);
  });

  it("find similar items, and answer 404 for an unknown item", async () => {
    const res = await service.request("GET", "/items/m0/similar?k=3");
    expect(res.status).toBe(200);
    expect(res.body.item).toBe("m0");
    expect(res.body.items.length).toBeGreaterThan(0);
    expect((await service.request("GET", "/items/nope/similar")).status).toBe(404);
  });
});
