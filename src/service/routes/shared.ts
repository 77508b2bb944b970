/** Small helpers shared by the route files. */
import { KindredError } from "../../core/errors.js";

/** Every guarded route accepts an API key or a customer token as a bearer credential. */
export const SECURITY = [{ bearer: [] as string[] }];

export function asArray<T>(body: T | T[]): T[] {
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
