/**
 * What every route and middleware of the service is handed: the engine, the
 * validated config, the clock, metrics, the key cache and the model lifecycle.
 */
import type { Kindred } from "../kindred.js";
import type { Store } from "../storage/store.js";
import type { AnswerCache } from "./answer-cache.js";
import type { Principal } from "./auth/access.js";
import type { KeyCache } from "./auth/keys.js";
import type { ServiceConfig } from "./config.js";
import type { ModelLifecycle } from "./lifecycle.js";
import type { ServiceMetrics } from "./metrics.js";

export type Logger = (message: string, error?: unknown) => void;

export interface ServiceContext {
  readonly kindred: Kindred;
  readonly store: Store;
  readonly config: ServiceConfig;
  readonly clock: () => number;
  readonly metrics: ServiceMetrics;
  readonly keys: KeyCache;
  /** The HMAC secret of customer tokens (resolved once, lazily: it may live in the store). */
  readonly tokenSecret: () => Promise<string>;
  readonly lifecycle: ModelLifecycle;
  /** Recommendation answers; `invalidate()` whenever models, the catalogue or customers change. */
  readonly answers: AnswerCache;
  /** `warm` is false while serve.ts loads the models at start (/health then says "not ready"). */
  readonly readiness: { warm: boolean };
  readonly log: Logger;
}

/** Hono's per-request variables. */
export interface ServiceEnv {
  Variables: {
    requestId: string;
    principal: Principal | undefined;
    /** Why the credential sent was refused (answered as 401 by guarded routes only). */
    authError: Error | undefined;
  };
}
