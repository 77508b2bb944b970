/**
 * The HTTP API's schemas: requests are validated with them and the OpenAPI
 * document is generated from them (one source). Request bodies reuse the
 * core schemas (src/core/validate.ts); response schemas mirror the engine's
 * result types (src/engine/types.ts), the same shapes as the CLI's --json.
 */
import { z } from "@hono/zod-openapi";
import { EVENT_TYPES } from "../core/types.js";
import { customerSchema, domainSchema, eventSchema, itemSchema, scaleSchema } from "../core/validate.js";
import { SCOPES } from "./auth/keys.js";

// ---- shared pieces ---------------------------------------------------------------------------

const id = z.string().min(1).max(256);
const attributes = z.record(z.string(), z.unknown());
/** Response lists are readonly: the engine's result types hand out readonly arrays. */
const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "INVALID_INPUT" }),
      message: z.string().openapi({ example: "query.n: must be at most 1000" }),
      field: z.string().optional().openapi({ example: "query.n" }),
      requestId: z.string().optional(),
    }),
  })
  .openapi("Error");

/** `true/false/1/0` in a query string. */
const booleanQuery = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1")
  .openapi({ type: "string", enum: ["true", "false"] });

const count = (max: number, fallback: number) =>
  z.coerce
    .number()
    .int("must be an integer")
    .min(1, "must be at least 1")
    .max(max, `must be at most ${max}`)
    .default(fallback);

const algorithmQuery = z.string().min(1).max(64).optional().openapi({
  description: "Head of the fallback chain (default: the configured chain)",
  example: "item-knn",
});

// ---- path parameters -------------------------------------------------------------------------

export const customerParams = z.object({
  id: id.openapi({ param: { name: "id", in: "path" }, example: "196" }),
});
export const itemParams = z.object({
  id: id.openapi({ param: { name: "id", in: "path" }, example: "242" }),
});
export const domainParams = z.object({
  name: id.openapi({ param: { name: "name", in: "path" }, example: "movies" }),
});
export const modelParams = z.object({
  id: z.coerce
    .number()
    .int("must be an integer")
    .positive("must be positive")
    .openapi({ param: { name: "id", in: "path" }, example: 3, type: "integer" }),
});
export const keyParams = z.object({
  id: id.openapi({ param: { name: "id", in: "path" }, example: "key_3f2a1b9c0d4e" }),
});

// ---- query strings ---------------------------------------------------------------------------

export const pageQuery = z.object({
  limit: count(1000, 100),
  offset: z.coerce.number().int().min(0, "must not be negative").default(0),
});

export const itemListQuery = pageQuery.extend({
  domain: id.optional(),
  category: z.string().min(1).max(200).optional(),
});

export const recommendationsQuery = z.object({
  n: count(1000, 10),
  domain: id.optional(),
  category: z.string().min(1).max(200).optional(),
  algorithm: algorithmQuery,
  explain: booleanQuery.optional(),
  includeSeen: booleanQuery.optional(),
});

export const predictionsQuery = z.object({
  items: z
    .string()
    .min(1, "name at least one item")
    .transform((text) => text.split(",").map((s) => s.trim()))
    .pipe(z.array(id).max(1000, "at most 1000 items"))
    .openapi({ type: "string", description: "Comma-separated item ids", example: "242,302,377" }),
  algorithm: algorithmQuery,
});

export const neighborsQuery = z.object({ k: count(1000, 20), algorithm: algorithmQuery });
export const similarQuery = z.object({ k: count(1000, 10), algorithm: algorithmQuery });
export const stylesQuery = z.object({ domain: id.optional(), algorithm: algorithmQuery });

// ---- request bodies --------------------------------------------------------------------------

export const eventBody = eventSchema;
export const eventsBody = z
  .union([eventBody, z.array(eventBody), z.object({ events: z.array(eventBody) })])
  .openapi({ description: "One event, an array of events, or `{ events: [...] }`" });

export const itemBody = itemSchema;
export const itemsBody = z.union([itemBody, z.array(itemBody)]);
export const itemPutBody = itemSchema.omit({ id: true }).extend({ id: id.optional() });

export const domainBody = domainSchema;
export const domainsBody = z.union([domainBody, z.array(domainBody)]);
export const domainPutBody = z.object({ scale: scaleSchema.optional() });

export const customerBody = customerSchema;
export const customersBody = z.union([customerBody, z.array(customerBody)]);
/** A customer update: the fields sent replace the stored ones; fields left out are kept. */
export const customerPutBody = z.object({
  id: id.optional(),
  attributes: attributes.optional(),
  specs: attributes.optional(),
});

export const tokenBody = z.object({
  ttlSeconds: z.number().int().positive().max(31_536_000).optional(),
  channel: z.string().trim().min(1).max(128).optional(),
});

export const trainBody = z.object({
  algorithm: z.string().min(1).max(64).openapi({ example: "item-knn" }),
  params: z.record(z.string(), z.unknown()).optional(),
});
export const rollbackBody = z.object({ algorithm: z.string().min(1).max(64).openapi({ example: "item-knn" }) });

export const keyCreateBody = z.object({
  scopes: z.array(z.enum(SCOPES)).min(1, "name at least one scope"),
  channel: z.string().trim().min(1).max(128).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  customer: id.nullish(),
});

// ---- responses -------------------------------------------------------------------------------

export const scaleResponse = z.object({ min: z.number(), max: z.number(), step: z.number() });
export const domainResponse = z.object({ name: z.string(), scale: scaleResponse }).openapi("Domain");
export const itemResponse = z
  .object({
    id: z.string(),
    title: z.string().nullable(),
    domain: z.string(),
    categories: list(z.string()),
    attributes,
    available: z.boolean(),
  })
  .openapi("Item");
export const customerResponse = z
  .object({ id: z.string(), attributes, specs: attributes, createdAt: z.number() })
  .openapi("Customer");

export const storedEventResponse = z
  .object({
    seq: z.number(),
    customer: z.string(),
    item: z.string(),
    type: z.enum(EVENT_TYPES),
    value: z.number().nullable(),
    quantity: z.number().nullable(),
    amount: z.number().nullable(),
    timestamp: z.number(),
    channel: z.string(),
    eventId: z.string().nullable(),
  })
  .openapi("StoredEvent");

export const appendResponse = z
  .object({ appended: z.number(), duplicates: z.number(), lastSeq: z.number() })
  .openapi("AppendResult");

export const memoryResponse = z
  .object({
    customer: customerResponse,
    ratings: list(
      z.object({
        item: z.string(),
        title: z.string().nullable(),
        value: z.number(),
        timestamp: z.number(),
        channel: z.string(),
      }),
    ),
    purchases: z.object({ count: z.number(), quantity: z.number(), amount: z.number() }),
    channels: z.record(z.string(), z.number()),
    events: list(storedEventResponse),
  })
  .openapi("CustomerMemory");

export const exportResponse = z
  .object({
    exportedAt: z.number(),
    customer: customerResponse,
    events: list(storedEventResponse),
    items: list(itemResponse).openapi({ description: "The items the customer's events refer to" }),
  })
  .openapi("CustomerExport");

export const explanationResponse = z
  .object({
    text: z.string().openapi({ example: "37 customers whose ratings agree with yours rated it 4.6 on average" }),
    kind: z.string().openapi({ description: "The kind of evidence", example: "neighbors" }),
    algorithm: z.string(),
    count: z.number().optional(),
    average: z.number().optional(),
    neighbors: list(z.object({ customer: z.string(), similarity: z.number() })).optional(),
    items: list(
      z.object({ item: z.string(), title: z.string().nullable(), value: z.number(), weight: z.number() }),
    ).optional(),
  })
  .openapi("Explanation");

export const recommendationsResponse = z
  .object({
    customer: z.string(),
    algorithm: z.string(),
    items: list(
      z.object({
        item: z.string(),
        title: z.string().nullable(),
        score: z.number(),
        explanation: explanationResponse.optional(),
      }),
    ),
  })
  .openapi("Recommendations");

export const predictionsResponse = z
  .object({
    customer: z.string(),
    predictions: list(z.object({ item: z.string(), score: z.number().nullable(), algorithm: z.string().nullable() })),
  })
  .openapi("Predictions");

export const neighborsResponse = z
  .object({
    customer: z.string(),
    neighbors: list(z.object({ customer: z.string(), similarity: z.number(), overlap: z.number() })),
  })
  .openapi("Neighbors");

export const similarResponse = z
  .object({
    item: z.string(),
    items: list(z.object({ item: z.string(), title: z.string().nullable(), similarity: z.number() })),
  })
  .openapi("SimilarItems");

export const stylesResponse = z
  .object({
    customer: z.string(),
    styles: list(
      z.object({ category: z.string(), affinity: z.number(), rated: z.number(), ratedMean: z.number().nullable() }),
    ),
  })
  .openapi("Styles");

export const modelResponse = z
  .object({
    id: z.number(),
    kind: z.string(),
    createdAt: z.number(),
    active: z.boolean(),
    trainedThroughSeq: z.number(),
    meta: z.record(z.string(), z.unknown()),
    bytes: z.number(),
  })
  .openapi("Model");

export const fitStatusResponse = z
  .object({
    state: z.enum(["idle", "running", "succeeded", "failed", "cancelled"]),
    algorithm: z.string().nullable(),
    reason: z.enum(["manual", "policy"]).nullable(),
    startedAt: z.number().nullable(),
    finishedAt: z.number().nullable(),
    progress: z.object({ epoch: z.number(), epochs: z.number(), loss: z.number().optional() }).nullable(),
    model: modelResponse.nullable(),
    error: z.string().nullable(),
  })
  .openapi("FitStatus");

export const apiKeyResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: list(z.string()),
    channel: z.string(),
    customer: z.string().nullable(),
    createdAt: z.number(),
    revokedAt: z.number().nullable(),
  })
  .openapi("ApiKey");

export const healthResponse = z
  .object({
    status: z.enum(["ok", "degraded"]),
    live: z.boolean(),
    ready: z.boolean(),
    store: z.object({ ok: z.boolean(), url: z.string(), error: z.string().optional() }),
    models: list(z.object({ kind: z.string(), id: z.number(), ageSeconds: z.number() })),
    uptimeSeconds: z.number(),
  })
  .openapi("Health");

/** The error responses every guarded route documents. */
export function errorResponses(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: "Invalid input (the message names the field)",
    401: "No valid API key or customer token",
    403: "The credential lacks the scope, or acts for another customer",
    404: "Unknown id",
    409: "Conflicts with the current state",
    413: "Body too large",
    503: "The store is unavailable",
  };
  const out: Record<number, { description: string; content: { "application/json": { schema: typeof errorSchema } } }> =
    {};
  for (const status of statuses) {
    out[status] = {
      description: descriptions[status] ?? "Error",
      content: { "application/json": { schema: errorSchema } },
    };
  }
  return out;
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
