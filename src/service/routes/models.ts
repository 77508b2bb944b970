/**
 * Models: the stored snapshots, a fit started now (in the background), the
 * status of the running fit, activation of any snapshot, rollback.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { registry } from "../../algorithms/index.js";
import { KindredError } from "../../core/errors.js";
import type { ServiceContext, ServiceEnv } from "../context.js";
import {
  errorResponses,
  fitStatusResponse,
  json,
  modelParams,
  modelResponse,
  rollbackBody,
  trainBody,
} from "../schemas.js";
import { guarded, jsonBody } from "./shared.js";

export function modelRoutes(app: OpenAPIHono<ServiceEnv>, ctx: ServiceContext): void {
  const { lifecycle } = ctx;

  app.openapi(
    createRoute({
      method: "get",
      path: "/models",
      tags: ["models"],
      summary: "Stored model snapshots, newest first",
      ...guarded("read"),
      responses: {
        200: json(z.object({ models: z.array(modelResponse) }), "Every stored snapshot"),
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const models = (await ctx.kindred.models()).sort((a, b) => b.id - a.id);
      return c.json({ models }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/models/train",
      tags: ["models"],
      summary: "Fit a model now, in the background; the current model answers until the new one swaps in",
      ...guarded("admin"),
      request: { body: jsonBody(trainBody) },
      responses: {
        202: json(fitStatusResponse, "The fit started; poll GET /models/training"),
        ...errorResponses(400, 401, 403, 409, 413),
      },
    }),
    async (c) => {
      const { algorithm, params } = c.req.valid("json");
      registry.get(algorithm); // unknown names are a 400 now, not a failed fit later
      if (params) registry.resolveConfig(algorithm, params);
      const status = await lifecycle.start(algorithm, { ...(params ? { params } : {}), reason: "manual" });
      return c.json(status, 202);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/models/training",
      tags: ["models"],
      summary: "Status of the running (or last) fit of this instance",
      ...guarded("read"),
      responses: { 200: json(fitStatusResponse, "The fit status"), ...errorResponses(401, 403) },
    }),
    (c) => c.json(lifecycle.status(), 200),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/models/training",
      tags: ["models"],
      summary: "Cancel the running fit",
      ...guarded("admin"),
      responses: { 200: json(fitStatusResponse, "The fit status after cancelling"), ...errorResponses(401, 403, 409) },
    }),
    async (c) => {
      if (!lifecycle.cancel()) throw new KindredError("CONFLICT", "no fit is running");
      await lifecycle.idle();
      return c.json(lifecycle.status(), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/models/{id}/activate",
      tags: ["models"],
      summary: "Make a stored snapshot the active model of its algorithm (pins it against the retrain policy)",
      ...guarded("admin"),
      request: { params: modelParams },
      responses: { 200: json(modelResponse, "The model now active"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json(await lifecycle.activate(c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/models/rollback",
      tags: ["models"],
      summary: "Activate the snapshot saved before the active one (pins it against the retrain policy)",
      ...guarded("admin"),
      request: { body: jsonBody(rollbackBody) },
      responses: { 200: json(modelResponse, "The model now active"), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await lifecycle.rollback(c.req.valid("json").algorithm), 200),
  );
}
