/**
 * Community knowledge: recommendations (with the reason), predictions,
 * neighbours, styles, similar items. A customer never seen before gets the
 * fallback chain's answers, not a 404; every answer reflects the customer's
 * latest events at once (the engine folds them in per request).
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { NotFoundError } from "../../core/errors.js";
import { AnswerCache } from "../answer-cache.js";
import type { ServiceContext, ServiceEnv } from "../context.js";
import {
  customerParams,
  errorResponses,
  itemParams,
  json,
  neighborsQuery,
  neighborsResponse,
  predictionsQuery,
  predictionsResponse,
  recommendationsQuery,
  recommendationsResponse,
  similarQuery,
  similarResponse,
  stylesQuery,
  stylesResponse,
} from "../schemas.js";
import { guarded } from "./shared.js";

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

export function knowledgeRoutes(app: OpenAPIHono<ServiceEnv>, ctx: ServiceContext): void {
  const { kindred } = ctx;

  app.openapi(
    createRoute({
      method: "get",
      path: "/customers/{id}/recommendations",
      tags: ["community knowledge"],
      summary: "Top-n items this customer will want, each with the reason",
      ...guarded("read", "own"),
      request: { params: customerParams, query: recommendationsQuery },
      responses: {
        200: json(recommendationsResponse, "Recommendations, best first"),
        ...errorResponses(400, 401, 403, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      const options = {
        n: q.n,
        explain: q.explain ?? ctx.config.explain,
        ...optional("algorithm", q.algorithm),
        ...optional("domain", q.domain),
        ...optional("category", q.category),
        ...optional("includeSeen", q.includeSeen),
      };
      // The customer's evidence now: a cached answer computed from the same evidence is still the answer.
      const key = JSON.stringify([id, options]);
      const recompute = async (): Promise<void> => {
        const generation = ctx.answers.generation;
        const fingerprint = await AnswerCache.fingerprint(ctx.store, id);
        ctx.answers.set(
          key,
          fingerprint,
          generation,
          Buffer.from(JSON.stringify(await kindred.recommend(id, options))),
        );
      };
      const generation = ctx.answers.generation;
      const fingerprint = await AnswerCache.fingerprint(ctx.store, id);
      const cached = ctx.answers.get(key, fingerprint);
      if (cached !== undefined) {
        const outcome = cached.stale ? "stale" : "hit";
        ctx.metrics.answerCache.inc({ outcome });
        // Past its time to live (same events, same models): served, and recomputed in the background.
        if (cached.stale) ctx.answers.revalidate(key, recompute);
        // The typed route expects c.json(); the text is byte-for-byte what c.json would send (serialised once).
        return c.body(cached.body, 200, { "Content-Type": "application/json", "X-Kindred-Cache": outcome }) as never;
      }
      ctx.metrics.answerCache.inc({ outcome: "miss" });
      // Encoded once: the same bytes are sent now and by every hit.
      const body = Buffer.from(JSON.stringify(await kindred.recommend(id, options)));
      ctx.answers.set(key, fingerprint, generation, body);
      return c.body(body, 200, { "Content-Type": "application/json", "X-Kindred-Cache": "miss" }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/customers/{id}/predictions",
      tags: ["community knowledge"],
      summary: "Predicted scores of the given items for this customer (null when no model can score one)",
      ...guarded("read", "own"),
      request: { params: customerParams, query: predictionsQuery },
      responses: { 200: json(predictionsResponse, "Predictions"), ...errorResponses(400, 401, 403, 503) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      return c.json(await kindred.predict(id, q.items, optional("algorithm", q.algorithm)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/customers/{id}/neighbors",
      tags: ["community knowledge"],
      summary: "Customers whose tastes are closest to this one's",
      ...guarded("read", "own"),
      request: { params: customerParams, query: neighborsQuery },
      responses: { 200: json(neighborsResponse, "Neighbours, closest first"), ...errorResponses(400, 401, 403, 503) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      return c.json(await kindred.neighbors(id, { k: q.k, ...optional("algorithm", q.algorithm) }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/customers/{id}/styles",
      tags: ["community knowledge"],
      summary: "Categories (genres, styles) by this customer's predicted affinity",
      ...guarded("read", "own"),
      request: { params: customerParams, query: stylesQuery },
      responses: { 200: json(stylesResponse, "Styles, highest affinity first"), ...errorResponses(400, 401, 403, 503) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      return c.json(
        await kindred.styles(id, { ...optional("domain", q.domain), ...optional("algorithm", q.algorithm) }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/items/{id}/similar",
      tags: ["community knowledge"],
      summary: "Items most like this one",
      ...guarded("read", "catalog"),
      request: { params: itemParams, query: similarQuery },
      responses: {
        200: json(similarResponse, "Similar items, most similar first"),
        ...errorResponses(400, 401, 403, 404, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      if (!(await ctx.store.getItem(id))) throw new NotFoundError("item", id);
      return c.json(await kindred.similar(id, { k: q.k, ...optional("algorithm", q.algorithm) }), 200);
    },
  );
}
