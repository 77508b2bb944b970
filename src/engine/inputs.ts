/**
 * Validation of the engine's query inputs (ids and options). Every failure is
 * a ValidationError naming the field.
 */
import { z } from "zod";
import { parseWith } from "../core/validate.js";

export const idSchema = z.union([
  z.string().trim().min(1, "must be a non-empty string").max(256, "must be at most 256 characters"),
  z.number().int().transform(String),
]);

const name = z.string().trim().min(1, "must be a non-empty string").max(256);
const count = (max: number) => z.number().int("must be a whole number").min(1, "must be at least 1").max(max);

export const recommendOptionsSchema = z.object({
  n: count(1000).default(10),
  algorithm: name.optional(),
  domain: name.optional(),
  category: name.optional(),
  explain: z.boolean().default(true),
  includeSeen: z.boolean().default(false),
});

export const kOptionsSchema = z.object({ k: count(1000).default(10), algorithm: name.optional() });
export const algorithmOptionsSchema = z.object({ algorithm: name.optional(), domain: name.optional() });
export const itemListSchema = z.array(idSchema).min(1, "must name at least one item").max(10_000);

export function parseId(value: unknown, field: string): string {
  return parseWith(idSchema, value, field);
}

export { parseWith };
