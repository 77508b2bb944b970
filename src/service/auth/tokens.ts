/**
 * Customer tokens: `kct.<payload>.<signature>`, the payload base64url JSON
 * `{ c: customer, exp: seconds since epoch, ch?: channel }`, the signature
 * HMAC-SHA256 over `kct.<payload>` with the service's token secret. A token
 * lets a browser (the scorecard) read and write one customer's data only.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { KindredError } from "../../core/errors.js";
import type { Store } from "../../storage/store.js";

const PREFIX = "kct";
/** Store setting holding the generated secret, shared by every instance on the store. */
export const TOKEN_SECRET_SETTING = "service.tokenSecret";

export interface CustomerClaims {
  readonly customer: string;
  /** Expiry, ms since epoch. */
  readonly expiresAt: number;
  readonly channel?: string;
}

export function isCustomerToken(credential: string): boolean {
  return credential.startsWith(`${PREFIX}.`);
}

function sign(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64url");
}

export function signCustomerToken(secret: string, claims: CustomerClaims): string {
  const payload = Buffer.from(
    JSON.stringify({
      c: claims.customer,
      exp: Math.floor(claims.expiresAt / 1000),
      ...(claims.channel ? { ch: claims.channel } : {}),
    }),
    "utf8",
  ).toString("base64url");
  const body = `${PREFIX}.${payload}`;
  return `${body}.${sign(secret, body)}`;
}

const invalid = (reason: string) => new KindredError("UNAUTHORIZED", `customer token ${reason}`);

/** The claims of a valid, unexpired token; UNAUTHORIZED otherwise (never says more than needed). */
export function verifyCustomerToken(secret: string, token: string, now = Date.now()): CustomerClaims {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== PREFIX) throw invalid("is malformed");
  const [, payload, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(secret, `${PREFIX}.${payload}`), "utf8");
  const given = Buffer.from(signature, "utf8");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid("has a bad signature");
  let claims: { c?: unknown; exp?: unknown; ch?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw invalid("is malformed");
  }
  if (typeof claims.c !== "string" || typeof claims.exp !== "number") throw invalid("is malformed");
  if (claims.exp * 1000 <= now) throw invalid("has expired");
  return {
    customer: claims.c,
    expiresAt: claims.exp * 1000,
    ...(typeof claims.ch === "string" ? { channel: claims.ch } : {}),
  };
}

/** The configured secret, else the one kept in the store, else a new one saved there (first start). */
export async function resolveTokenSecret(store: Store, configured?: string): Promise<string> {
  if (configured) return configured;
  const stored = await store.getSetting<string>(TOKEN_SECRET_SETTING);
  if (typeof stored === "string" && stored.length >= 32) return stored;
  await store.setSetting(TOKEN_SECRET_SETTING, randomBytes(32).toString("hex"));
  // Read back: when two instances start at once, both end up with whichever write landed last.
  const saved = await store.getSetting<string>(TOKEN_SECRET_SETTING);
  if (typeof saved !== "string") throw new KindredError("STORE", "the token secret could not be saved");
  return saved;
}
