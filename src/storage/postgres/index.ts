import { StoreError } from "../../core/errors.js";
import type { Store } from "../store.js";

export async function openPostgresStore(url: string): Promise<Store> {
  throw new StoreError(`PostgreSQL driver not yet available (${url.replace(/:[^:@/]*@/, ":***@")})`);
}
