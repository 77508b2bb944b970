/** Small helpers shared by the route files. */
import type { z } from "@hono/zod-openapi";
import { KindredError, ValidationError } from "../../core/errors.js";
import { type CustomerRule, requireAccess } from "../auth/access.js";
import type { Scope } from "../auth/keys.js";

/** Every guarded route accepts an API key or a customer token as a bearer credential. */
const SECURITY = [{ bearer: [] as string[] }];

/**
 * The route options of a guarded operation: the access check, and the bearer security the OpenAPI
 * document shows for it (the two always go together).
 */
export function guarded(scope: Scope, rule?: CustomerRule) {
  return { middleware: [requireAccess(scope, rule)], security: SECURITY };
}

/** A required JSON request body of this schema. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { "application/json": { schema } }, required: true as const };
}

function asArray<T>(body: T | T[]): T[] {
  return Array.isArray(body) ? body : [body];
}

/** A batch larger than the configured maximum is refused whole (413), before anything is written. */
export function checkBatch(size: number, max: number, field: string): void {
  if (size > max) {
    throw new KindredError("TOO_LARGE", `${field}: ${size} records is more than the ${max} allowed in one request`, {
      field,
    });
  }
  if (size === 0) throw new KindredError("INVALID_INPUT", `${field}: send at least one record`, { field });
}

/**
 * Writes a body of one record or an array, all or none: refused whole when it holds too many records or
 * none, `check` (who may act for them) before anything is written, validation errors naming where the
 * record sits in the body. Answers how many were written.
 */
export async function upsertBatch<T>(
  body: T | T[],
  maxBatch: number,
  write: (records: T[]) => Promise<unknown>,
  check: (records: T[]) => void = () => {},
): Promise<{ upserted: number }> {
  const records = asArray(body);
  checkBatch(records.length, maxBatch, "body");
  check(records);
  await withBodyFields(bodyPathOf(body), () => write(records));
  return { upserted: records.length };
}

/** A PUT body may repeat the path's id, not contradict it. */
export function assertSameId(bodyId: string | undefined, pathId: string): void {
  if (bodyId !== undefined && bodyId !== pathId) {
    throw new KindredError("INVALID_INPUT", `body.id: "${bodyId}" differs from the path's "${pathId}"`, {
      field: "body.id",
    });
  }
}

/** Where record `i` of a request body sits: `body` (one object), `body.3` (an array), `body.events.3` (wrapped). */
export type BodyPath = (index: number) => string;

export function bodyPathOf(body: unknown, wrapper?: string): BodyPath {
  if (Array.isArray(body)) return (i) => `body.${i}`;
  if (wrapper !== undefined && typeof body === "object" && body !== null && wrapper in body) {
    return (i) => `body.${wrapper}.${i}`;
  }
  return () => "body";
}

const ENGINE_FIELD = /^[a-z]+\[(\d+)\](.*)$/;

/**
 * Runs an engine write whose ValidationErrors name records as `events[3].value`, renaming the field to
 * where the record sits in the request body (`body.3.value`), so HTTP errors name what the client sent.
 */
export async function withBodyFields<T>(path: BodyPath, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof ValidationError) || error.field === undefined) throw error;
    const match = ENGINE_FIELD.exec(error.field);
    if (!match) throw error;
    const field = `${path(Number(match[1]))}${match[2] ?? ""}`;
    const reason = error.message.startsWith(`${error.field}: `)
      ? error.message.slice(error.field.length + 2)
      : error.message;
    throw new ValidationError(field, reason, error);
  }
}
