/** API keys over HTTP (admin only): list, create (the secret is shown once), revoke. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { NotFoundError } from "../../core/errors.js";
import { createKey, publicKey } from "../auth/keys.js";
import type { ServiceContext, ServiceEnv } from "../context.js";
import { apiKeyResponse, errorResponses, json, keyCreateBody, keyParams } from "../schemas.js";
import { guarded, jsonBody } from "./shared.js";

export function keyRoutes(app: OpenAPIHono<ServiceEnv>, ctx: ServiceContext): void {
  const { store } = ctx;

  app.openapi(
    createRoute({
      method: "get",
      path: "/keys",
      tags: ["keys"],
      summary: "Every API key (never their secrets), revoked ones included",
      ...guarded("admin"),
      responses: { 200: json(z.object({ keys: z.array(apiKeyResponse) }), "The keys"), ...errorResponses(401, 403) },
    }),
    async (c) => c.json({ keys: (await store.listApiKeys()).map(publicKey) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/keys",
      tags: ["keys"],
      summary: "Create an API key; its secret is in this response only",
      ...guarded("admin"),
      request: { body: jsonBody(keyCreateBody) },
      responses: {
        201: json(apiKeyResponse.extend({ key: z.string() }), "The key, with its secret"),
        ...errorResponses(400, 401, 403, 413),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const { key, info } = await createKey(
        store,
        {
          scopes: body.scopes,
          ...(body.channel ? { channel: body.channel } : {}),
          ...(body.name ? { name: body.name } : {}),
          customer: body.customer ?? null,
        },
        ctx.clock(),
      );
      return c.json({ key, ...publicKey(info) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/keys/{id}",
      tags: ["keys"],
      summary: "Revoke an API key",
      ...guarded("admin"),
      request: { params: keyParams },
      responses: {
        200: json(z.object({ id: z.string(), revoked: z.boolean() }), "Revoked"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      if (!(await store.revokeApiKey(id))) throw new NotFoundError("key", id);
      ctx.keys.clear();
      return c.json({ id, revoked: true }, 200);
    },
  );
}
