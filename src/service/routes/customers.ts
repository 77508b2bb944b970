/**
 * Customers: create/update/get, their memory, an export of everything kept
 * about them, forgetting them, and minting a customer token for a browser.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { NotFoundError } from "../../core/errors.js";
import { assertMayActFor } from "../auth/access.js";
import { signCustomerToken } from "../auth/tokens.js";
import type { ServiceContext, ServiceEnv } from "../context.js";
import {
  customerParams,
  customerPutBody,
  customerResponse,
  customersBody,
  errorResponses,
  exportResponse,
  json,
  memoryResponse,
  pageQuery,
  tokenBody,
} from "../schemas.js";
import { assertSameId, guarded, jsonBody, upsertBatch, withBodyFields } from "./shared.js";

export function customerRoutes(app: OpenAPIHono<ServiceEnv>, ctx: ServiceContext): void {
  const { kindred, store } = ctx;

  const known = async (id: string) => {
    const customer = await store.getCustomer(id);
    if (!customer) throw new NotFoundError("customer", id);
    return customer;
  };

  app.openapi(
    createRoute({
      method: "get",
      path: "/customers",
      tags: ["customers"],
      summary: "List customers",
      ...guarded("read"),
      request: { query: pageQuery },
      responses: {
        200: json(
          z.object({ customers: z.array(customerResponse), limit: z.number(), offset: z.number() }),
          "A page of customers",
        ),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { limit, offset } = c.req.valid("query");
      return c.json({ customers: await store.listCustomers({ limit, offset }), limit, offset }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/customers",
      tags: ["customers"],
      summary: "Create or update customers (one or an array), all or none",
      ...guarded("events:write", "body"),
      request: { body: jsonBody(customersBody) },
      responses: {
        200: json(z.object({ upserted: z.number() }), "How many were written"),
        ...errorResponses(400, 401, 403, 413),
      },
    }),
    async (c) => {
      const written = await upsertBatch(
        c.req.valid("json"),
        ctx.config.maxBatch,
        (customers) => kindred.putCustomers(customers),
        (customers) =>
          assertMayActFor(
            c.get("principal"),
            customers.map((x) => x.id),
            "body",
          ),
      );
      return c.json(written, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/customers/{id}",
      tags: ["customers"],
      summary: "One customer",
      ...guarded("read", "own"),
      request: { params: customerParams },
      responses: { 200: json(customerResponse, "The customer"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json(await known(c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/customers/{id}",
      tags: ["customers"],
      summary: "Create or update a customer (attributes, stated specifications); fields left out are kept",
      ...guarded("events:write", "own"),
      request: {
        params: customerParams,
        body: jsonBody(customerPutBody),
      },
      responses: { 200: json(customerResponse, "The customer as stored"), ...errorResponses(400, 401, 403, 413) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      assertSameId(body.id, id);
      const stored = await store.getCustomer(id);
      const merged = {
        id,
        attributes: body.attributes ?? stored?.attributes ?? {},
        specs: body.specs ?? stored?.specs ?? {},
      };
      await withBodyFields(
        () => "body",
        () => kindred.putCustomers([merged]),
      );
      return c.json(await known(id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/customers/{id}",
      tags: ["customers"],
      summary: "Forget a customer: every trace removed from the store and from the next answers",
      ...guarded("admin"),
      request: { params: customerParams },
      responses: {
        200: json(z.object({ customer: z.string(), forgotten: z.boolean() }), "Forgotten"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      if (!(await kindred.forget(id))) throw new NotFoundError("customer", id);
      return c.json({ customer: id, forgotten: true }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/customers/{id}/memory",
      tags: ["customers"],
      summary: "Everything remembered about a customer: ratings, purchases, channels, the whole history",
      ...guarded("read", "own"),
      request: { params: customerParams },
      responses: { 200: json(memoryResponse, "The customer's memory"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json(await kindred.memory(c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/customers/{id}/export",
      tags: ["customers"],
      summary: "The customer's own data, complete, as JSON (a download)",
      ...guarded("read", "own"),
      request: { params: customerParams },
      responses: { 200: json(exportResponse, "The export"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const customer = await known(id);
      const events = await store.customerEvents(id);
      const items = await store.getItems([...new Set(events.map((e) => e.item))]);
      c.header("Content-Disposition", `attachment; filename="customer-${encodeURIComponent(id)}.json"`);
      return c.json({ exportedAt: ctx.clock(), customer, events, items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/customers/{id}/token",
      tags: ["customers"],
      summary: "Mint a signed customer token (read and write this customer's own data only, e.g. from a browser)",
      ...guarded("admin"),
      request: { params: customerParams, body: { content: { "application/json": { schema: tokenBody } } } },
      responses: {
        200: json(z.object({ customer: z.string(), token: z.string(), expiresAt: z.number() }), "The token"),
        ...errorResponses(400, 401, 403, 413),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const expiresAt = ctx.clock() + (body.ttlSeconds ?? ctx.config.auth.tokenTtlSeconds) * 1000;
      const token = signCustomerToken(await ctx.tokenSecret(), {
        customer: id,
        expiresAt,
        ...(body.channel ? { channel: body.channel } : {}),
      });
      return c.json({ customer: id, token, expiresAt }, 200);
    },
  );
}
