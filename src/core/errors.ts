/**
 * Typed errors. Every error carries a stable `code`, a message that names the
 * field or thing at fault and the reason, and (where there is one) the cause.
 * The CLI maps codes to exit statuses and the HTTP service maps them to HTTP
 * statuses, each in exactly one place.
 */
export type ErrorCode =
  | "INVALID_INPUT" // the caller sent something wrong: exit 2 / HTTP 400
  | "NOT_FOUND" // an id the store does not know: exit 1 / HTTP 404
  | "CONFLICT" // a write that contradicts what is stored: HTTP 409
  | "UNAUTHORIZED" // HTTP 401
  | "FORBIDDEN" // HTTP 403
  | "TOO_LARGE" // a problem or body too big for this machine: HTTP 413
  | "STORE" // the store failed or is not a Kindred store: exit 1 / HTTP 503
  | "CANCELLED" // a fit or job was aborted
  | "INTERNAL"; // a bug: exit 1 / HTTP 500

export class KindredError extends Error {
  readonly code: ErrorCode;
  /** The input field at fault (dotted path), when there is one. */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KindredError";
    this.code = code;
    this.field = options.field;
  }
}

/** Bad input: names the field and the reason, e.g. `rating: 7 is off the scale 1–5 of domain "movies"`. */
export class ValidationError extends KindredError {
  constructor(field: string, reason: string, cause?: unknown) {
    super("INVALID_INPUT", `${field}: ${reason}`, { field, cause });
    this.name = "ValidationError";
  }
}

/** An id that is not in the store, e.g. `customer "9999" is not known`. */
export class NotFoundError extends KindredError {
  readonly kind: string;
  readonly id: string;
  constructor(kind: string, id: string) {
    super("NOT_FOUND", `${kind} "${id}" is not known`, { field: kind });
    this.name = "NotFoundError";
    this.kind = kind;
    this.id = id;
  }
}

/** A failure of the store, wrapped with what was being done. */
export class StoreError extends KindredError {
  constructor(message: string, cause?: unknown) {
    super("STORE", message, { cause });
    this.name = "StoreError";
  }
}

export function isKindredError(error: unknown): error is KindredError {
  return error instanceof KindredError;
}
