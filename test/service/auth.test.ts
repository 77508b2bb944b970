/**
 * Keys and scopes: every route refuses a request without a credential (401)
 * and one without the route's scope (403); a customer token reaches only its
 * own customer's data. The route table below is checked against the OpenAPI
 * document, so a new route cannot escape these tests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Scope } from "../../src/service/auth/keys.js";
import { signCustomerToken } from "../../src/service/auth/tokens.js";
import { startTestService, type TestService } from "./harness.js";

type Rule = "own" | "catalog" | "body" | "never";
interface RouteCase {
  readonly method: string;
  readonly template: string;
  readonly path: string;
  readonly scope: Scope;
  readonly rule: Rule;
}

const route = (method: string, template: string, path: string, scope: Scope, rule: Rule = "never"): RouteCase => ({
  method,
  template,
  path,
  scope,
  rule,
});

const GUARDED: readonly RouteCase[] = [
  route("GET", "/domains", "/domains", "read", "catalog"),
  route("POST", "/domains", "/domains", "catalog:write"),
  route("GET", "/domains/{name}", "/domains/movies", "read", "catalog"),
  route("PUT", "/domains/{name}", "/domains/movies", "catalog:write"),
  route("GET", "/items", "/items", "read", "catalog"),
  route("POST", "/items", "/items", "catalog:write"),
  route("GET", "/items/{id}", "/items/m1", "read", "catalog"),
  route("PUT", "/items/{id}", "/items/m1", "catalog:write"),
  route("GET", "/items/{id}/similar", "/items/m1/similar", "read", "catalog"),
  route("GET", "/customers", "/customers", "read"),
  route("POST", "/customers", "/customers", "events:write", "body"),
  route("GET", "/customers/{id}", "/customers/c2", "read", "own"),
  route("PUT", "/customers/{id}", "/customers/c2", "events:write", "own"),
  route("DELETE", "/customers/{id}", "/customers/c2", "admin"),
  route("GET", "/customers/{id}/memory", "/customers/c2/memory", "read", "own"),
  route("GET", "/customers/{id}/export", "/customers/c2/export", "read", "own"),
  route("POST", "/customers/{id}/token", "/customers/c2/token", "admin"),
  route("POST", "/events", "/events", "events:write", "body"),
  route("GET", "/customers/{id}/recommendations", "/customers/c2/recommendations", "read", "own"),
  route("GET", "/customers/{id}/predictions", "/customers/c2/predictions?items=m1", "read", "own"),
  route("GET", "/customers/{id}/neighbors", "/customers/c2/neighbors", "read", "own"),
  route("GET", "/customers/{id}/styles", "/customers/c2/styles", "read", "own"),
  route("GET", "/models", "/models", "read"),
  route("POST", "/models/train", "/models/train", "admin"),
  route("GET", "/models/training", "/models/training", "read"),
  route("DELETE", "/models/training", "/models/training", "admin"),
  route("POST", "/models/{id}/activate", "/models/1/activate", "admin"),
  route("POST", "/models/rollback", "/models/rollback", "admin"),
  route("GET", "/keys", "/keys", "admin"),
  route("POST", "/keys", "/keys", "admin"),
  route("DELETE", "/keys/{id}", "/keys/key_000000000000", "admin"),
  route("GET", "/metrics", "/metrics", "read"),
];

/** Routes anyone may call. */
const PUBLIC = ["GET /health"];

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});

describe("the route table", () => {
  it("covers every operation of the OpenAPI document, and nothing else", async () => {
    const doc = (await service.request("GET", "/openapi.json", { key: null })).body;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const tested = [...GUARDED.map((r) => `${r.method} ${r.template}`), ...PUBLIC];
    expect([...documented].sort()).toEqual([...tested].sort());
  });

  it("documents the bearer security of every guarded operation", async () => {
    const doc = (await service.request("GET", "/openapi.json", { key: null })).body;
    for (const r of GUARDED) {
      const op = doc.paths[r.template][r.method.toLowerCase()];
      expect(op.security, `${r.method} ${r.template}`).toEqual([{ bearer: [] }]);
    }
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });
});

describe.each(GUARDED)("$method $template", (r) => {
  it("answers 401 without a credential", async () => {
    const res = await service.request(r.method, r.path, { key: null, body: {} });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHORIZED");
  });

  it("answers 401 with an unknown key", async () => {
    const res = await service.request(r.method, r.path, { key: "kdr_not-a-real-key", body: {} });
    expect(res.status).toBe(401);
  });

  it(`answers 403 to a key without the "${r.scope}" scope`, async () => {
    const res = await service.request(r.method, r.path, { key: service.lacking[r.scope], body: {} });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
    expect(res.body.error.message).toContain(r.scope);
  });

  it(`lets a key with the "${r.scope}" scope (and an admin key) past the guard`, async () => {
    for (const key of [service.keys[r.scope], service.keys.admin]) {
      const res = await service.request(r.method, r.path, { key, body: {} });
      expect([401, 403]).not.toContain(res.status);
    }
  });

  it(`treats a customer token as rule "${r.rule}"`, async () => {
    const secret = await service.app.context.tokenSecret();
    const token = signCustomerToken(secret, { customer: "c1", expiresAt: Date.now() + 60_000 });
    const res = await service.request(r.method, r.path, {
      key: token,
      body:
        r.template === "/customers"
          ? [{ id: "c2" }]
          : r.template === "/events"
            ? [{ customer: "c2", item: "m1", type: "view" }]
            : {},
    });
    // Every path above names customer c2 or nothing: only the catalogue is open to c1's token.
    if (r.rule === "catalog") expect([401, 403]).not.toContain(res.status);
    else expect(res.status).toBe(403);
  });
});

describe("customer tokens", () => {
  const tokenFor = async (customer: string, expiresAt = Date.now() + 60_000) =>
    signCustomerToken(await service.app.context.tokenSecret(), { customer, expiresAt });

  it("reach their own customer's routes", async () => {
    const token = await tokenFor("c7");
    const put = await service.request("PUT", "/customers/c7", { key: token, body: { specs: { shoeSize: 42 } } });
    expect(put.status).toBe(200);
    const get = await service.request("GET", "/customers/c7", { key: token });
    expect(get.status).toBe(200);
    expect(get.body.specs).toEqual({ shoeSize: 42 });
    const other = await service.request("GET", "/customers/c1", { key: token });
    expect(other.status).toBe(403);
  });

  it("write events for their own customer only, all or none", async () => {
    const token = await tokenFor("c8");
    const before = (await service.store.stats()).events;
    const mixed = await service.request("POST", "/events", {
      key: token,
      body: [
        { customer: "c8", item: "m1", type: "view" },
        { customer: "c9", item: "m1", type: "view" },
      ],
    });
    expect(mixed.status).toBe(403);
    expect(mixed.body.error.field).toBe("body.1.customer");
    expect((await service.store.stats()).events).toBe(before);
    const own = await service.request("POST", "/events", {
      key: token,
      body: { customer: "c8", item: "m1", type: "view" },
    });
    expect(own.status).toBe(200);
    const events = await service.store.customerEvents("c8");
    expect(events.map((e) => e.channel)).toEqual(["web"]);
  });

  it("are minted by an admin, and refused when tampered with or expired", async () => {
    const minted = await service.request("POST", "/customers/c3/token", { body: { ttlSeconds: 60 } });
    expect(minted.status).toBe(200);
    expect(minted.body.token).toMatch(/^kct\./);
    expect((await service.request("GET", "/customers/c3", { key: minted.body.token })).status).not.toBe(401);

    const [prefix, payload, signature] = minted.body.token.split(".");
    const forged = Buffer.from(JSON.stringify({ c: "c1", exp: 9_999_999_999 })).toString("base64url");
    expect((await service.request("GET", "/customers/c1", { key: `${prefix}.${forged}.${signature}` })).status).toBe(
      401,
    );
    expect((await service.request("GET", "/customers/c3", { key: `${prefix}.${payload}.x${signature}` })).status).toBe(
      401,
    );
    const expired = await tokenFor("c3", Date.now() - 1000);
    const res = await service.request("GET", "/customers/c3", { key: expired });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain("expired");
  });
});

describe("API keys", () => {
  it("are stored hashed, shown once, recorded as the channel of events, and revocable", async () => {
    const created = await service.request("POST", "/keys", {
      body: { scopes: ["events:write"], channel: "store:soho", name: "soho tablets" },
    });
    expect(created.status).toBe(201);
    const { key, id } = created.body;
    expect(key).toMatch(/^kdr_/);
    const listed = await service.request("GET", "/keys");
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(JSON.stringify(listed.body)).not.toContain("hash");
    expect(listed.body.keys.find((k: { id: string }) => k.id === id)).toMatchObject({
      scopes: ["events:write"],
      channel: "store:soho",
      revokedAt: null,
    });

    const posted = await service.request("POST", "/events", {
      key,
      body: { customer: "soho-1", item: "m1", type: "purchase", channel: "ignored" },
    });
    expect(posted.status).toBe(200);
    expect((await service.store.customerEvents("soho-1"))[0]?.channel).toBe("store:soho");

    expect((await service.request("DELETE", `/keys/${id}`)).status).toBe(200);
    expect((await service.request("POST", "/events", { key, body: {} })).status).toBe(401);
    expect((await service.request("DELETE", `/keys/${id}`)).status).toBe(404);
  });

  it("refuse unknown scopes with a 400 naming the field", async () => {
    const res = await service.request("POST", "/keys", { body: { scopes: ["read", "root"] } });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe("body.scopes.1");
  });

  it("are ignored by public routes, and a bad one is named by guarded routes", async () => {
    const health = await service.request("GET", "/health", { key: "kdr_revoked-or-wrong" });
    expect(health.status).toBe(200);
    const basic = await service.request("GET", "/health", { key: null, headers: { authorization: "Basic abc" } });
    expect(basic.status).toBe(200);
    const guarded = await service.request("GET", "/models", { key: null, headers: { authorization: "Basic abc" } });
    expect(guarded.status).toBe(401);
    expect(guarded.body.error.message).toContain("Bearer");
    const unknown = await service.request("GET", "/models", { key: "kdr_revoked-or-wrong" });
    expect(unknown.body.error.message).toContain("unknown or revoked");
  });

  it("accept X-API-Key as well as Authorization: Bearer", async () => {
    const res = await service.request("GET", "/models", { key: null, headers: { "x-api-key": service.keys.read } });
    expect(res.status).toBe(200);
  });
});
