/**
 * Operations: /health (liveness and readiness), /metrics (Prometheus text),
 * /openapi.json and the offline /docs page.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ServiceContext, ServiceEnv } from "../context.js";
import { DOCS_HTML, DOCS_SCRIPT } from "../docs-page.js";
import { errorResponses, healthResponse, json } from "../schemas.js";
import { guarded } from "./shared.js";

export const API_VERSION = "1";

export function opsRoutes(app: OpenAPIHono<ServiceEnv>, ctx: ServiceContext): void {
  const startedAt = ctx.clock();

  app.openapi(
    createRoute({
      method: "get",
      path: "/health",
      tags: ["operations"],
      summary: "Liveness and readiness: the store answers and a model is loaded (503 when not ready)",
      responses: { 200: json(healthResponse, "Ready"), 503: json(healthResponse, "Alive but not ready") },
    }),
    async (c) => {
      let storeError: string | undefined;
      try {
        await ctx.store.ping();
      } catch (error) {
        storeError = error instanceof Error ? error.message : "unreachable";
      }
      const now = ctx.clock();
      let models: Array<{ kind: string; id: number; ageSeconds: number }> = [];
      let hasEvents = false;
      if (storeError === undefined) {
        try {
          const [all, stats] = await Promise.all([ctx.store.listModels(), ctx.store.stats()]);
          models = all
            .filter((m) => m.active)
            .map((m) => ({ kind: m.kind, id: m.id, ageSeconds: Math.round((now - m.createdAt) / 1000) }));
          hasEvents = stats.events > 0;
        } catch (error) {
          storeError = error instanceof Error ? error.message : "unreachable";
        }
      }
      // Ready when the store answers, the models are loaded (serve.ts warms them up at start), and a model
      // can answer (an empty store needs none: cold start).
      const ready = storeError === undefined && ctx.readiness.warm && (models.length > 0 || !hasEvents);
      const body = {
        status: ready ? ("ok" as const) : ("degraded" as const),
        live: true,
        ready,
        store: { ok: storeError === undefined, url: ctx.store.url, ...(storeError ? { error: storeError } : {}) },
        models,
        uptimeSeconds: Math.round((now - startedAt) / 1000),
      };
      return ready ? c.json(body, 200) : c.json(body, 503);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/metrics",
      tags: ["operations"],
      summary: "Prometheus metrics: requests and latencies per route, events ingested, model age, fit durations",
      ...(ctx.config.auth.metricsPublic ? {} : guarded("read")),
      responses: {
        200: { description: "Prometheus text format 0.0.4", content: { "text/plain": { schema: z.string() } } },
        ...(ctx.config.auth.metricsPublic ? {} : errorResponses(401, 403)),
      },
    }),
    async (c) => {
      const now = ctx.clock();
      ctx.metrics.modelAge.reset();
      for (const m of await ctx.store.listModels()) {
        if (m.active) ctx.metrics.modelAge.set({ algorithm: m.kind }, (now - m.createdAt) / 1000);
      }
      return c.text(ctx.metrics.registry.render(), 200, { "Content-Type": "text/plain; version=0.0.4" });
    },
  );

  app.get("/openapi.json", (c) => c.json(openApiDocument(app)));

  const securityHeaders = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
    "X-Content-Type-Options": "nosniff",
  };
  app.get("/docs", (c) => c.html(DOCS_HTML, 200, securityHeaders));
  app.get("/docs/app.js", (c) =>
    c.body(DOCS_SCRIPT, 200, { ...securityHeaders, "Content-Type": "text/javascript; charset=utf-8" }),
  );
}

const documents = new WeakMap<object, unknown>();

/** The OpenAPI 3 document, generated once per app from the routes' schemas. */
export function openApiDocument(app: OpenAPIHono<ServiceEnv>): unknown {
  if (documents.has(app)) return documents.get(app);
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API key (kdr_…) or a customer token (kct.…)",
  });
  const doc = app.getOpenAPIDocument({
    openapi: "3.0.3",
    info: {
      title: "Kindred",
      version: API_VERSION,
      description:
        "Community-knowledge engine: remember every customer, recommend from the community, explain why. " +
        "Errors are `{ error: { code, message, field?, requestId } }`.",
    },
  });
  documents.set(app, doc);
  return doc;
}
