/**
 * Driver errors become StoreErrors naming the operation, the store and the
 * driver's message, with the driver error as `cause` (as Drizzle wraps a failed
 * query). Kindred's own typed errors pass through untouched.
 */
import { KindredError, StoreError } from "../../core/errors.js";

export function wrapError(operation: string, where: string, cause: unknown): KindredError {
  if (cause instanceof KindredError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new StoreError(`${operation} on ${where} failed: ${message}`, cause);
}

/** A write that contradicts what is stored (HTTP 409). */
export function conflict(field: string, message: string): KindredError {
  return new KindredError("CONFLICT", message, { field });
}

export function closedError(where: string): StoreError {
  return new StoreError(`the store ${where} is closed`);
}
