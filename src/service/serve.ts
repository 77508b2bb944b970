/**
 * Runs the service on a port: opens the store (SQLite file or PostgreSQL),
 * creates an admin key on first start, binds with @hono/node-server, tails
 * the store so several instances stay consistent (other instances' forgets,
 * catalogue changes and activated models; new events are read per request by
 * the engine), runs the retrain policy in the background, and shuts down
 * gracefully (stop accepting, finish in-flight requests, close the store).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Kindred } from "../kindred.js";
import { createApp, type KindredApp } from "./app.js";
import { createFirstKey } from "./auth/keys.js";
import type { ServiceConfig } from "./config.js";
import type { Logger } from "./context.js";
import { createTail } from "./tail.js";

export interface RunningService {
  /** The base URL, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly docsUrl: string;
  readonly port: number;
  /** An admin key created because the store had none (first start); shown once. */
  readonly adminKey: string | undefined;
  readonly app: KindredApp;
  readonly kindred: Kindred;
  /** Graceful: stops accepting, waits for in-flight requests (up to `shutdownMs`), stops fits, closes the store. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** An engine to serve (tests, embedding); default: opened on `config.database` and closed on close(). */
  readonly kindred?: Kindred;
  readonly log?: Logger;
  /** Adds to the app before it listens (an embedding program's own routes). */
  readonly configure?: (app: KindredApp) => void;
}

const defaultLog: Logger = (message, error) => {
  const detail = error instanceof Error ? ` ${error.stack ?? error.message}` : error === undefined ? "" : ` ${error}`;
  process.stderr.write(`[kindred] ${new Date().toISOString()} ${message}${detail}\n`);
};

export async function startService(config: ServiceConfig, options: StartOptions = {}): Promise<RunningService> {
  const log = options.log ?? defaultLog;
  const kindred =
    options.kindred ??
    (await Kindred.open(config.database, {
      ...(config.chain ? { chain: config.chain } : {}),
      // The service runs the retrain policy itself (ModelLifecycle), so its fits show in /models/training.
      retrain: { background: false, everyEvents: config.retrain.everyEvents, pollMs: config.tailMs },
    }));
  try {
    const adminKey = await firstAdminKey(kindred);
    const app = createApp({ kindred, config, log });
    options.configure?.(app);
    const server = await listen(app, config);
    const address = server.address() as AddressInfo;
    const shown = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
    const url = `http://${shown.includes(":") ? `[${shown}]` : shown}:${address.port}`;
    const timers = background(app, kindred, config, log);
    let closing: Promise<void> | undefined;
    return {
      url,
      docsUrl: `${url}/docs`,
      port: address.port,
      adminKey,
      app,
      kindred,
      close: () => {
        closing ??= shutdown(server, app, kindred, config, timers, options.kindred === undefined, log);
        return closing;
      },
    };
  } catch (error) {
    if (!options.kindred) await kindred.close();
    throw error;
  }
}

/** Only the instance that created it gets the key (several may start at once on an empty store). */
async function firstAdminKey(kindred: Kindred): Promise<string | undefined> {
  // Most starts find keys: one read, no write transaction.
  if ((await kindred.store.listApiKeys()).length > 0) return undefined;
  const created = await createFirstKey(kindred.store, {
    scopes: ["admin"],
    name: "first admin (created by kindred serve)",
  });
  return created?.key;
}

function listen(app: KindredApp, config: ServiceConfig): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(server as Server),
    ) as Server;
    server.once("error", reject);
    // Keep-alive sockets idle longer than a load balancer's would otherwise be cut mid-request.
    server.keepAliveTimeout = 65_000;
  });
}

interface Timers {
  stop(): void;
  /** Resolves when the current tick (if any) is done. */
  settled(): Promise<void>;
}

/** Periodic work, each kind of tick never overlapping itself; errors are logged, never thrown. */
function background(app: KindredApp, kindred: Kindred, config: ServiceConfig, log: Logger): Timers {
  const running = new Set<Promise<void>>();
  const every = (ms: number, name: string, tick: () => Promise<unknown>) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      const p = tick()
        .then(() => undefined)
        .catch((error: unknown) => log(`${name} failed`, error))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    }, ms);
    timer.unref();
    return timer;
  };
  const timers = [
    // Other instances' forgets, catalogue edits, newly fitted or rolled-back models.
    every(config.tailMs, "tailing the store", createTail(app.context)),
    every(config.retrain.checkMs, "the retrain policy", () => app.context.lifecycle.checkPolicy()),
  ];
  // Load (or fit, on a store with data but no model) the default chains now, not on the first requests:
  // /health answers "not ready" until then, so a load balancer sends no traffic to a cold instance.
  app.context.readiness.warm = false;
  const warm = kindred.store
    .stats()
    .then(async (stats) => {
      // An empty store has nothing to learn from: models are fitted once data arrives (the policy).
      if (stats.events === 0) return;
      await kindred.recommend("__kindred_warm_up__", { n: 1, explain: false });
      const [item] = await kindred.store.listItems({ limit: 1 });
      if (item) await kindred.predict("__kindred_warm_up__", [item.id]);
    })
    .catch((error: unknown) => log("warming up the models failed", error))
    .finally(() => {
      app.context.readiness.warm = true;
    });
  running.add(warm);
  warm.finally(() => running.delete(warm));
  return {
    stop: () => {
      for (const t of timers) clearInterval(t);
    },
    settled: async () => {
      await Promise.allSettled([...running]);
    },
  };
}

async function shutdown(
  server: Server,
  app: KindredApp,
  kindred: Kindred,
  config: ServiceConfig,
  timers: Timers,
  ownsKindred: boolean,
  log: Logger,
): Promise<void> {
  timers.stop();
  // Stop accepting; idle keep-alive sockets close now, busy ones after their response.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A keep-alive socket whose in-flight response just ended turns idle: close it then, not at its timeout.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  const deadline = setTimeout(() => {
    log(`in-flight requests still running after ${config.shutdownMs} ms: closing their connections`);
    server.closeAllConnections();
  }, config.shutdownMs);
  deadline.unref();
  await closed;
  clearInterval(sweep);
  clearTimeout(deadline);
  app.context.lifecycle.cancel();
  await app.context.lifecycle.idle();
  await app.context.answers.stop();
  await timers.settled();
  if (ownsKindred) await kindred.close();
}

/**
 * Resolves once SIGTERM or SIGINT arrived and the service closed gracefully; a second signal while closing
 * exits at once with status 1.
 */
export function closeOnSignals(service: RunningService, log: Logger = defaultLog): Promise<void> {
  return new Promise((resolve, reject) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log(`${signal} again: exiting now`);
        process.exit(1);
      }
      stopping = true;
      log(`${signal}: finishing in-flight requests, then closing the store`);
      service.close().then(() => {
        process.off("SIGTERM", onSignal);
        process.off("SIGINT", onSignal);
        resolve();
      }, reject);
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
}
