/**
 * A service under test: a REAL SQLite store in a temp file, the Kindred facade
 * on it, the Hono app (no sockets; requests go through `app.request()`), and
 * keys of every scope.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kindred, type KindredOptions } from "../../src/kindred.js";
import { createApp, type KindredApp } from "../../src/service/app.js";
import { createKey, SCOPES, type Scope } from "../../src/service/auth/keys.js";
import type { ServiceConfigInput } from "../../src/service/config.js";
import { openStore } from "../../src/storage/open.js";
import type { Store } from "../../src/storage/store.js";

export interface TestService {
  readonly app: KindredApp;
  readonly store: Store;
  readonly kindred: Kindred;
  readonly dir: string;
  /** A key per scope, and per scope a key holding every OTHER scope except admin. */
  readonly keys: Record<Scope, string>;
  readonly lacking: Record<Scope, string>;
  readonly logged: unknown[];
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface RequestOptions {
  /** Bearer credential; `null` sends none. Default: the admin key. */
  key?: string | null;
  body?: unknown;
  /** Raw body text (sent as is, with a JSON content type). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
  readonly body: any;
}

export async function startTestService(
  options: { config?: ServiceConfigInput; kindred?: KindredOptions; clock?: () => number } = {},
): Promise<TestService> {
  const dir = mkdtempSync(join(tmpdir(), "kindred-service-"));
  const store = await openStore(join(dir, "kindred.db"));
  const kindred = await Kindred.fromStore(store, {
    retrain: { background: false, pollMs: 0 },
    ...options.kindred,
  });
  const logged: unknown[] = [];
  const app = createApp({
    kindred,
    config: { retrain: { enabled: false }, auth: { keyCacheSeconds: 0 }, ...options.config },
    log: (message, error) => logged.push({ message, error }),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const keys = {} as Record<Scope, string>;
  const lacking = {} as Record<Scope, string>;
  for (const scope of SCOPES) {
    keys[scope] = (await createKey(store, { scopes: [scope], channel: `channel:${scope}` })).key;
    const others = SCOPES.filter((s) => s !== scope && s !== "admin");
    lacking[scope] = (await createKey(store, { scopes: others, channel: "lacking" })).key;
  }

  const request = async (method: string, path: string, o: RequestOptions = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...o.headers };
    const key = o.key === undefined ? keys.admin : o.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | undefined;
    if (method === "GET" || method === "HEAD") body = undefined;
    else if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined && !("content-type" in headers)) headers["content-type"] = "application/json";
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (metrics, docs)
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };

  return {
    app,
    store,
    kindred,
    dir,
    keys,
    lacking,
    logged,
    request,
    close: async () => {
      await app.context.lifecycle.idle();
      await app.context.answers.stop();
      await kindred.close().catch(() => store.close());
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A small catalogue and community: 2 domains, 12 items, 8 customers with ratings. */
export async function seedCommunity(service: TestService): Promise<void> {
  const { request } = service;
  const ok = (r: TestResponse) => {
    if (r.status !== 200) throw new Error(`seed failed: ${r.status} ${r.text}`);
  };
  ok(await request("POST", "/domains", { body: [{ name: "movies", scale: { min: 1, max: 5, step: 1 } }] }));
  ok(
    await request("POST", "/items", {
      body: Array.from({ length: 12 }, (_, i) => ({
        id: `m${i}`,
        title: `Movie ${i}`,
        domain: "movies",
        categories: [i % 2 === 0 ? "drama" : "comedy"],
      })),
    }),
  );
  const events = [];
  for (let u = 0; u < 8; u++) {
    for (let i = 0; i < 12; i++) {
      if ((u + i) % 3 === 0) continue;
      // Two taste groups: even customers like even movies, odd customers odd ones.
      const value = u % 2 === i % 2 ? 5 : 1;
      events.push({ customer: `c${u}`, item: `m${i}`, type: "rating", value, timestamp: 1_000_000 + u * 100 + i });
    }
  }
  ok(await request("POST", "/events", { body: events }));
}
