/** Catalogue: domains (rating scales) and items. Reads need `read`; writes need `catalog:write`. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { KindredError, NotFoundError } from "../../core/errors.js";
import type { ServiceContext, ServiceEnv } from "../context.js";
import {
  domainParams,
  domainPutBody,
  domainResponse,
  domainsBody,
  errorResponses,
  itemListQuery,
  itemParams,
  itemPutBody,
  itemResponse,
  itemsBody,
  json,
} from "../schemas.js";
import { assertSameId, guarded, jsonBody, upsertBatch, withBodyFields } from "./shared.js";

const upserted = z.object({ upserted: z.number() }).openapi("Upserted");

export function catalogueRoutes(app: OpenAPIHono<ServiceEnv>, ctx: ServiceContext): void {
  const { kindred, store } = ctx;

  app.openapi(
    createRoute({
      method: "get",
      path: "/domains",
      tags: ["catalogue"],
      summary: "List domains and their rating scales",
      ...guarded("read", "catalog"),
      responses: {
        200: json(z.object({ domains: z.array(domainResponse) }), "Every domain"),
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json({ domains: await store.listDomains() }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/domains/{name}",
      tags: ["catalogue"],
      summary: "One domain",
      ...guarded("read", "catalog"),
      request: { params: domainParams },
      responses: { 200: json(domainResponse, "The domain"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { name } = c.req.valid("param");
      const domain = await store.getDomain(name);
      if (!domain) throw new NotFoundError("domain", name);
      return c.json(domain, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/domains/{name}",
      tags: ["catalogue"],
      summary: "Create or update a domain (its rating scale)",
      ...guarded("catalog:write"),
      request: { params: domainParams, body: { content: { "application/json": { schema: domainPutBody } } } },
      responses: { 200: json(domainResponse, "The domain as stored"), ...errorResponses(400, 401, 403, 413) },
    }),
    async (c) => {
      const { name } = c.req.valid("param");
      const body = c.req.valid("json");
      await kindred.putDomains([{ name, ...(body.scale ? { scale: body.scale } : {}) }]);
      const domain = await store.getDomain(name);
      if (!domain) throw new KindredError("STORE", `domain "${name}" was not stored`);
      return c.json(domain, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/domains",
      tags: ["catalogue"],
      summary: "Create or update domains (one or an array), all or none",
      ...guarded("catalog:write"),
      request: { body: jsonBody(domainsBody) },
      responses: { 200: json(upserted, "How many were written"), ...errorResponses(400, 401, 403, 413) },
    }),
    async (c) =>
      c.json(
        await upsertBatch(c.req.valid("json"), ctx.config.maxBatch, (domains) => kindred.putDomains(domains)),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/items",
      tags: ["catalogue"],
      summary: "List items, optionally of one domain or category",
      ...guarded("read", "catalog"),
      request: { query: itemListQuery },
      responses: {
        200: json(z.object({ items: z.array(itemResponse), limit: z.number(), offset: z.number() }), "A page of items"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const items = await store.listItems({
        limit: q.limit,
        offset: q.offset,
        ...(q.domain ? { domain: q.domain } : {}),
        ...(q.category ? { category: q.category } : {}),
      });
      return c.json({ items, limit: q.limit, offset: q.offset }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/items/{id}",
      tags: ["catalogue"],
      summary: "One item",
      ...guarded("read", "catalog"),
      request: { params: itemParams },
      responses: { 200: json(itemResponse, "The item"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const item = await store.getItem(id);
      if (!item) throw new NotFoundError("item", id);
      return c.json(item, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/items/{id}",
      tags: ["catalogue"],
      summary: "Create or replace an item",
      ...guarded("catalog:write"),
      request: {
        params: itemParams,
        body: jsonBody(itemPutBody),
      },
      responses: { 200: json(itemResponse, "The item as stored"), ...errorResponses(400, 401, 403, 413) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      assertSameId(body.id, id);
      await withBodyFields(
        () => "body",
        () => kindred.putItems([{ ...body, id }]),
      );
      const item = await store.getItem(id);
      if (!item) throw new KindredError("STORE", `item "${id}" was not stored`);
      return c.json(item, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/items",
      tags: ["catalogue"],
      summary: "Create or replace items (one or an array), all or none",
      ...guarded("catalog:write"),
      request: { body: jsonBody(itemsBody) },
      responses: { 200: json(upserted, "How many were written"), ...errorResponses(400, 401, 403, 413) },
    }),
    async (c) =>
      c.json(await upsertBatch(c.req.valid("json"), ctx.config.maxBatch, (items) => kindred.putItems(items)), 200),
  );
}
