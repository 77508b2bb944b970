/**
 * createApp(deps): the HTTP service as a Hono app, with no sockets (serve.ts
 * binds a port; tests call `app.request()`). Middleware: request ids, request
 * metrics, body size limit, authentication; one error handler.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { routePath } from "hono/route";
import { KindredError } from "../core/errors.js";
import type { Kindred } from "../kindred.js";
import { AnswerCache } from "./answer-cache.js";
import { authenticate } from "./auth/access.js";
import { KeyCache } from "./auth/keys.js";
import { resolveTokenSecret } from "./auth/tokens.js";
import { resolveConfig, type ServiceConfig, type ServiceConfigInput } from "./config.js";
import type { Logger, ServiceContext, ServiceEnv } from "./context.js";
import { errorHandler, validationHook } from "./errors.js";
import { ModelLifecycle } from "./lifecycle.js";
import { createServiceMetrics, type ServiceMetrics } from "./metrics.js";
import { catalogueRoutes } from "./routes/catalogue.js";
import { customerRoutes } from "./routes/customers.js";
import { eventRoutes } from "./routes/events.js";
import { keyRoutes } from "./routes/keys.js";
import { knowledgeRoutes } from "./routes/knowledge.js";
import { modelRoutes } from "./routes/models.js";
import { opsRoutes } from "./routes/ops.js";

export interface AppDeps {
  readonly kindred: Kindred;
  readonly config?: ServiceConfig | ServiceConfigInput;
  /** ms since epoch (default Date.now). */
  readonly clock?: () => number;
  readonly log?: Logger;
  readonly metrics?: ServiceMetrics;
  readonly lifecycle?: ModelLifecycle;
}

export type KindredApp = OpenAPIHono<ServiceEnv> & { readonly context: ServiceContext };

const defaultLog: Logger = (message, error) => {
  console.error(`[kindred] ${message}`, error ?? "");
};

export function createApp(deps: AppDeps): KindredApp {
  const config = resolveConfig(deps.config as ServiceConfigInput);
  const clock = deps.clock ?? Date.now;
  const log = deps.log ?? defaultLog;
  const metrics = deps.metrics ?? createServiceMetrics();
  const store = deps.kindred.store;
  let secret: Promise<string> | undefined;
  const answers = new AnswerCache({
    maxEntries: config.cache.enabled ? config.cache.maxEntries : 0,
    ttlMs: config.cache.ttlSeconds * 1000,
    clock,
  });
  const ctx: ServiceContext = {
    kindred: deps.kindred,
    store,
    config,
    clock,
    metrics,
    keys: new KeyCache(store, config.auth.keyCacheSeconds * 1000, clock),
    tokenSecret: () => {
      secret ??= resolveTokenSecret(store, config.auth.tokenSecret).catch((error: unknown) => {
        secret = undefined; // try again on the next request
        throw error;
      });
      return secret;
    },
    lifecycle:
      deps.lifecycle ??
      new ModelLifecycle({ kindred: deps.kindred, config, metrics, clock, log, onChange: () => answers.invalidate() }),
    answers,
    readiness: { warm: true },
    log,
  };

  const app = new OpenAPIHono<ServiceEnv>({ defaultHook: validationHook });
  app.onError(errorHandler(log));
  app.notFound((c) => {
    throw new KindredError("NOT_FOUND", `no route ${c.req.method} ${c.req.path}`);
  });

  app.use(requestId());
  app.use(async (c, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      // After next() the index points at the last handler run: the matched route's pattern (not the raw URL).
      const matched = routePath(c, -1);
      const route = matched === "/*" || matched === "*" ? "unmatched" : matched; // only middleware matched
      const labels = { method: c.req.method, route };
      ctx.metrics.requests.inc({ ...labels, status: String(c.res.status) });
      ctx.metrics.latency.observe(labels, (performance.now() - start) / 1000);
    }
  });
  app.use(
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: () => {
        throw new KindredError("TOO_LARGE", `body: larger than the ${config.maxBodyBytes} bytes allowed`, {
          field: "body",
        });
      },
    }),
  );
  app.use(authenticate(ctx));
  // Writes that change what any answer may say (titles, availability, names, forgotten customers).
  app.use(async (c, next) => {
    await next();
    if (
      c.req.method !== "GET" &&
      c.res.status < 300 &&
      /^\/(items|domains|customers)(\/|$)/.test(c.req.path) &&
      !c.req.path.endsWith("/token")
    ) {
      answers.invalidate();
    }
  });

  opsRoutes(app, ctx);
  catalogueRoutes(app, ctx);
  customerRoutes(app, ctx);
  eventRoutes(app, ctx);
  knowledgeRoutes(app, ctx);
  modelRoutes(app, ctx);
  keyRoutes(app, ctx);

  return Object.assign(app, { context: ctx });
}
