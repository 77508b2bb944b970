/**
 * The one place where errors become HTTP responses. KindredError codes map to
 * statuses; zod validation failures become 400s naming the field; anything
 * else is a 500 whose body says only "internal error" and the request id (the
 * stack goes to the log, never to the client).
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { type ErrorCode, KindredError, ValidationError } from "../core/errors.js";

const STATUS: Readonly<Record<ErrorCode, ContentfulStatusCode>> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  STORE: 503,
  CANCELLED: 500,
  INTERNAL: 500,
};

export function statusOf(code: ErrorCode): ContentfulStatusCode {
  return STATUS[code];
}

/** The body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; requestId?: string };
}

const HTTP_CODES: Readonly<Record<number, ErrorCode>> = {
  400: "INVALID_INPUT",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "TOO_LARGE",
  415: "INVALID_INPUT",
};

export type ErrorLogger = (message: string, error: unknown) => void;

/** Converts anything thrown into a KindredError a client may see. */
export function toKindredError(error: unknown): KindredError {
  if (error instanceof KindredError) return error;
  if (error instanceof HTTPException) {
    const code = HTTP_CODES[error.status] ?? "INTERNAL";
    // Hono throws 400 for malformed JSON and 415 for a wrong content type: both concern the body.
    const field = error.status === 400 || error.status === 415 ? "body" : undefined;
    const message =
      error.status === 415 ? "body: send JSON with Content-Type: application/json" : `${error.message || code}`;
    return new KindredError(code, field && !message.startsWith("body") ? `body: ${message}` : message, {
      ...(field ? { field } : {}),
      cause: error,
    });
  }
  return new KindredError("INTERNAL", "internal error", { cause: error });
}

/** The app's onError: maps, logs 5xx with the request id, answers with an ErrorBody. */
export function errorHandler(log: ErrorLogger) {
  return (error: unknown, c: Context): Response => {
    const mapped = toKindredError(error);
    const status = statusOf(mapped.code);
    const requestId = c.get("requestId") as string | undefined;
    if (status >= 500) log(`request ${requestId ?? "?"} ${c.req.method} ${c.req.path} failed`, error);
    // A 500 never echoes the message of an unexpected error (it may carry internals); a 503 says only what failed.
    const message = mapped.code === "INTERNAL" ? "internal error" : mapped.message;
    const body: ErrorBody = {
      error: {
        code: mapped.code,
        message,
        ...(mapped.field !== undefined ? { field: mapped.field } : {}),
        ...(requestId !== undefined ? { requestId } : {}),
      },
    };
    return c.json(body, status);
  };
}

/** A zod failure of request part `target` ("json", "query", "param") as a ValidationError naming the field. */
export function validationErrorOf(target: string, error: ZodError): ValidationError {
  const issue = error.issues[0] ? deepest(error.issues[0]) : undefined;
  const prefix = target === "json" ? "body" : target === "param" ? "path" : target;
  const path = [prefix, ...(issue?.path ?? []).map(String)].join(".");
  return new ValidationError(path, issue?.message ?? "is invalid", error);
}

interface IssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly errors?: readonly (readonly IssueLike[])[];
}

/**
 * A body that may be one record or an array fails every branch of its union; the branch that got furthest
 * (its first issue has the longest path) is the one the client meant, e.g. `body.3.available`, not `body`.
 */
function deepest(issue: IssueLike): IssueLike {
  if (issue.code !== "invalid_union" || !issue.errors || issue.errors.length === 0) return issue;
  let best: IssueLike | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first) continue;
    const candidate = deepest(first);
    if (!best || candidate.path.length > best.path.length) best = candidate;
  }
  return best ? { ...best, path: [...issue.path, ...best.path] } : issue;
}

/**
 * The default hook of every OpenAPI route: throw, so the one error handler answers.
 * (Throwing rather than returning keeps one response shape for every error.)
 */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target?: string },
  _c: Context,
): void {
  if (!result.success) throw validationErrorOf(result.target ?? "input", result.error);
}
