/**
 * POST /events: one event or a batch, validated whole before anything is
 * written, appended in one transaction, acknowledged only once durable,
 * idempotent by `eventId`. The credential's channel is recorded on each.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { assertMayActFor } from "../auth/access.js";
import type { ServiceContext, ServiceEnv } from "../context.js";
import { appendResponse, errorResponses, eventsBody, json } from "../schemas.js";
import { bodyPathOf, checkBatch, guarded, jsonBody, withBodyFields } from "./shared.js";

export function eventRoutes(app: OpenAPIHono<ServiceEnv>, ctx: ServiceContext): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/events",
      tags: ["events"],
      summary: "Record events (rating, purchase, view, like, dislike): one, an array, or { events: [...] }",
      description:
        "All or none: every event is checked (shape, and a rating on its item's domain scale) before any is written. " +
        "The response comes once the events are durable. An event whose `eventId` is already stored is skipped " +
        "and counted in `duplicates`. The channel of the credential is recorded on every event.",
      ...guarded("events:write", "body"),
      request: { body: jsonBody(eventsBody) },
      responses: {
        200: json(appendResponse, "Durable: appended and duplicates counted"),
        ...errorResponses(400, 401, 403, 413, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const events = Array.isArray(body) ? body : "events" in body ? body.events : [body];
      checkBatch(events.length, ctx.config.maxBatch, "body");
      const principal = c.get("principal");
      assertMayActFor(
        principal,
        events.map((e) => e.customer),
        "body",
      );
      const channel = principal?.channel ?? "api";
      const result = await withBodyFields(bodyPathOf(body, "events"), () =>
        ctx.kindred.addEvents(
          events.map((e) => ({ ...e, channel })),
          { channel },
        ),
      );
      if (result.appended > 0) ctx.metrics.eventsIngested.inc({ channel }, result.appended);
      if (result.duplicates > 0) ctx.metrics.eventDuplicates.inc({}, result.duplicates);
      return c.json(result, 200);
    },
  );
}
