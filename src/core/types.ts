/**
 * The things a business remembers: domains (with their rating scale), items,
 * customers, and the append-only log of what customers did.
 */

export const EVENT_TYPES = ["rating", "purchase", "view", "like", "dislike"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Dense codes for event types in typed arrays (Uint8Array columns). */
export const EVENT_TYPE_CODE: Readonly<Record<EventType, number>> = {
  rating: 0,
  purchase: 1,
  view: 2,
  like: 3,
  dislike: 4,
};

/** A domain's rating scale: 1–5 step 1 by default; 1–7 as on Firefly; 0.5–5 step 0.5 for half stars. */
export interface RatingScale {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

export const DEFAULT_SCALE: RatingScale = { min: 1, max: 5, step: 1 };
export const DEFAULT_DOMAIN = "default";

export interface Domain {
  readonly name: string;
  readonly scale: RatingScale;
}

export type Attributes = Record<string, unknown>;

export interface Item {
  readonly id: string;
  readonly title: string | null;
  readonly domain: string;
  /** Genres, styles: what category-level recommendations are made of. */
  readonly categories: readonly string[];
  readonly attributes: Attributes;
  /** Unavailable items are remembered but never recommended. */
  readonly available: boolean;
}

export interface Customer {
  readonly id: string;
  /** Demographics and anything else the business knows (age, segment, zip). */
  readonly attributes: Attributes;
  /** Stated specifications the customer gave: shoe size, preferred channel, budget. */
  readonly specs: Attributes;
  readonly createdAt: number; // ms since epoch
}

/** An event as a caller submits it (validated by `parseEvent`). */
export interface NewEvent {
  readonly customer: string;
  readonly item: string;
  readonly type: EventType;
  /** Rating value on the item's domain scale (ratings only). */
  readonly value: number | null;
  /** Units bought (purchases; default 1). */
  readonly quantity: number | null;
  /** Money spent (purchases, optional): the basis of customer value. */
  readonly amount: number | null;
  readonly timestamp: number; // ms since epoch
  /** Where it happened: "web", "store:soho", "import", ... */
  readonly channel: string;
  /** Client-chosen id; a second event with the same id is a duplicate and is ignored. */
  readonly eventId: string | null;
}

/** An event as the store remembers it: with its position in the log. */
export interface StoredEvent extends NewEvent {
  readonly seq: number;
}

/** The numeric weight an event contributes as evidence: the rating, the quantity, or 1. */
export function eventStrength(event: Pick<NewEvent, "type" | "value" | "quantity">): number {
  if (event.type === "rating") return event.value ?? Number.NaN;
  if (event.type === "purchase") return event.quantity ?? 1;
  return 1;
}
