/**
 * Who is calling, and what they may do. `authenticate` reads the credential
 * (`Authorization: Bearer …` or `X-API-Key`) once per request; `requireAccess`
 * guards one route: 401 without a valid credential, 403 without the scope.
 *
 * A principal bound to a customer (a customer token, or a key created for one
 * customer) may read the catalogue and read/write that customer's own data
 * only; the event route checks each event's customer itself.
 */
import type { MiddlewareHandler } from "hono";
import { KindredError } from "../../core/errors.js";
import type { ServiceContext, ServiceEnv } from "../context.js";
import type { Scope } from "./keys.js";
import { isCustomerToken, verifyCustomerToken } from "./tokens.js";

export interface Principal {
  readonly via: "key" | "token";
  /** The key id, or `customer:<id>` for a token. */
  readonly id: string;
  readonly scopes: ReadonlySet<string>;
  /** Channel recorded on events this principal writes. */
  readonly channel: string;
  /** When set, the principal may act only for this customer. */
  readonly customer: string | null;
}

/** What a customer token may do (within its own customer). */
const TOKEN_SCOPES: ReadonlySet<string> = new Set(["read", "events:write"]);

export const unauthorized = () =>
  new KindredError("UNAUTHORIZED", "send an API key or customer token: Authorization: Bearer <key>");

function credentialOf(authorization: string | undefined, apiKey: string | undefined): string | undefined {
  if (apiKey?.trim()) return apiKey.trim();
  if (!authorization) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!match) throw new KindredError("UNAUTHORIZED", "Authorization must be `Bearer <key>`");
  return (match[1] as string).trim();
}

/**
 * Sets `principal` when a credential is present and valid. A present but invalid one is remembered and
 * becomes the 401 of any guarded route (public routes such as /health ignore credentials).
 */
export function authenticate(ctx: ServiceContext): MiddlewareHandler<ServiceEnv> {
  return async (c, next) => {
    try {
      const credential = credentialOf(c.req.header("authorization"), c.req.header("x-api-key"));
      if (credential !== undefined) c.set("principal", await principalOf(ctx, credential));
    } catch (error) {
      if (!(error instanceof KindredError) || error.code !== "UNAUTHORIZED") throw error;
      c.set("authError", error);
    }
    await next();
  };
}

async function principalOf(ctx: ServiceContext, credential: string): Promise<Principal> {
  if (isCustomerToken(credential)) {
    const claims = verifyCustomerToken(await ctx.tokenSecret(), credential, ctx.clock());
    return {
      via: "token",
      id: `customer:${claims.customer}`,
      scopes: TOKEN_SCOPES,
      channel: claims.channel ?? ctx.config.auth.tokenChannel,
      customer: claims.customer,
    };
  }
  const key = await ctx.keys.find(credential);
  if (!key) throw new KindredError("UNAUTHORIZED", "unknown or revoked API key");
  return { via: "key", id: key.id, scopes: new Set(key.scopes), channel: key.channel, customer: key.customer };
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.has(scope) || (principal.customer === null && principal.scopes.has("admin"));
}

/**
 * How a customer-bound principal relates to a route:
 * - "own": the path's `{id}` must be their customer id;
 * - "catalog": public catalogue reads (items, domains, similar items);
 * - "body": the handler checks the customers in the body;
 * - "never" (default): customer-bound principals are refused.
 */
export type CustomerRule = "own" | "catalog" | "body" | "never";

export function requireAccess(scope: Scope, rule: CustomerRule = "never"): MiddlewareHandler<ServiceEnv> {
  return async (c, next) => {
    const principal = c.get("principal");
    if (!principal) throw c.get("authError") ?? unauthorized();
    if (!hasScope(principal, scope)) {
      throw new KindredError("FORBIDDEN", `this credential lacks the scope "${scope}"`);
    }
    if (principal.customer !== null) {
      const allowed =
        rule === "catalog" || rule === "body" || (rule === "own" && c.req.param("id") === principal.customer);
      if (!allowed) {
        throw new KindredError("FORBIDDEN", `this credential may act only for customer "${principal.customer}"`);
      }
    }
    await next();
  };
}

/** For routes whose body names customers: refuse any customer a bound principal may not act for. */
export function assertMayActFor(principal: Principal | undefined, customers: Iterable<string>, field: string): void {
  if (!principal || principal.customer === null) return;
  let i = 0;
  for (const customer of customers) {
    if (customer !== principal.customer) {
      throw new KindredError(
        "FORBIDDEN",
        `${field}.${i}.customer: this credential may act only for customer "${principal.customer}"`,
        { field: `${field}.${i}.customer` },
      );
    }
    i++;
  }
}
