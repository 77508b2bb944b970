/**
 * Validation of what callers send (library, CLI, HTTP, importers), with zod.
 * Every failure becomes a ValidationError naming the field path and the reason.
 */
import { z } from "zod";
import { ValidationError } from "./errors.js";
import {
  type Customer,
  DEFAULT_DOMAIN,
  DEFAULT_SCALE,
  type Domain,
  EVENT_TYPES,
  type Item,
  type NewEvent,
  type RatingScale,
} from "./types.js";

// PostgreSQL text cannot hold U+0000, so no store accepts it: both stores must answer the same.
const NO_NUL = { message: "must not contain the NUL character (U+0000)" };
const noNul = (s: string) => !s.includes("\u0000");
const text = () => z.string().refine(noNul, NO_NUL);
const id = z
  .string()
  .trim()
  .min(1, "must be a non-empty string")
  .max(256, "must be at most 256 characters")
  .refine(noNul, NO_NUL);
const attributes = z.record(z.string(), z.unknown());

const timestamp = z.union([z.number().int().nonnegative(), z.string().min(1), z.date()]).transform((value, ctx) => {
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: "custom", message: `"${String(value)}" is not a date (use ms since epoch or ISO 8601)` });
    return z.NEVER;
  }
  return ms;
});

export const eventSchema = z
  .object({
    customer: z.union([id, z.number().int().transform(String)]),
    item: z.union([id, z.number().int().transform(String)]),
    type: z.enum(EVENT_TYPES),
    value: z.number().nullish(),
    quantity: z.number().positive("must be positive").nullish(),
    amount: z.number().nonnegative("must not be negative").nullish(),
    timestamp: timestamp.optional(),
    channel: z.string().trim().min(1).max(128).refine(noNul, NO_NUL).optional(),
    eventId: z.string().min(1).max(256).refine(noNul, NO_NUL).nullish(),
  })
  .superRefine((e, ctx) => {
    if (e.type === "rating" && (e.value === undefined || e.value === null)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "a rating needs a value" });
    }
  });

export type EventInput = z.input<typeof eventSchema>;

export const scaleSchema = z
  .object({
    min: z.number(),
    max: z.number(),
    step: z.number().positive("must be positive").default(1),
  })
  .refine((s) => s.max > s.min, { message: "max must be greater than min", path: ["max"] });

export const domainSchema = z.object({ name: id, scale: scaleSchema.default(DEFAULT_SCALE) });
export type DomainInput = z.input<typeof domainSchema>;

export const itemSchema = z.object({
  id: z.union([id, z.number().int().transform(String)]),
  title: text().max(1000).nullish(),
  domain: id.default(DEFAULT_DOMAIN),
  categories: z.array(z.string().trim().min(1).max(200).refine(noNul, NO_NUL)).max(100).default([]),
  attributes: attributes.default({}),
  available: z.boolean().default(true),
});
export type ItemInput = z.input<typeof itemSchema>;

export const customerSchema = z.object({
  id: z.union([id, z.number().int().transform(String)]),
  attributes: attributes.default({}),
  specs: attributes.default({}),
});
export type CustomerInput = z.input<typeof customerSchema>;

/** Parses with a zod schema; on failure throws a ValidationError for the first issue, path prefixed by `field`. */
export function parseWith<T extends z.ZodType>(schema: T, raw: unknown, field: string): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue ? [field, ...issue.path.map(String)].filter((p) => p.length > 0).join(".") : field;
  throw new ValidationError(path || "input", issue?.message ?? "is invalid", result.error);
}

export interface EventDefaults {
  channel?: string;
  now?: number;
}

/** Validates one event's shape (not yet its scale: that needs the item's domain, see `checkOnScale`). */
export function parseEvent(raw: unknown, field = "event", defaults: EventDefaults = {}): NewEvent {
  const e = parseWith(eventSchema, raw, field);
  return {
    customer: e.customer,
    item: e.item,
    type: e.type,
    value: e.type === "rating" ? (e.value ?? null) : null,
    quantity: e.type === "purchase" ? (e.quantity ?? 1) : null,
    amount: e.type === "purchase" ? (e.amount ?? null) : null,
    timestamp: e.timestamp ?? defaults.now ?? Date.now(),
    channel: e.channel ?? defaults.channel ?? "api",
    eventId: e.eventId ?? null,
  };
}

/** Throws unless `value` lies on the scale (within [min, max] and on a step from min). */
export function checkOnScale(value: number, scale: RatingScale, field: string, domain: string): void {
  const steps = (value - scale.min) / scale.step;
  if (value < scale.min || value > scale.max || Math.abs(steps - Math.round(steps)) > 1e-6) {
    throw new ValidationError(
      field,
      `${value} is off the scale of domain "${domain}" (${scale.min} to ${scale.max} in steps of ${scale.step})`,
    );
  }
}

export function parseItem(raw: unknown, field = "item"): Item {
  const i = parseWith(itemSchema, raw, field);
  return { ...i, title: i.title ?? null };
}

export function parseCustomer(raw: unknown, field = "customer", now = Date.now()): Customer {
  const c = parseWith(customerSchema, raw, field);
  return { ...c, createdAt: now };
}

export function parseDomain(raw: unknown, field = "domain"): Domain {
  return parseWith(domainSchema, raw, field);
}
