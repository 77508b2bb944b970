/**
 * The demo community: a few thousand customers in latent taste groups. Each
 * group loves some styles and dislikes others; a customer's rating of an item
 * is 3 + their bias + the item's quality + their taste for its style + noise,
 * rounded onto the 1–5 scorecard. Customers mostly come across popular items
 * in styles they like, and buy some of what they rate highly (shoes only in
 * their stated size). Because the taste is shared within a group, what the
 * community rated tells more than popularity alone: that is what user-knn finds.
 */
import { Rng } from "../core/rng.js";
import type { Customer, Domain, Item, NewEvent } from "../core/types.js";
import { type DemoItem, generateCatalogue, MUSIC_STYLES, SHOE_STYLES } from "./catalogue.js";
import { CITIES, FIRST_NAMES, LAST_NAMES, pick } from "./names.js";

export const DEMO_DOMAINS: Domain[] = [
  { name: "music", scale: { min: 1, max: 5, step: 1 } },
  { name: "shoes", scale: { min: 1, max: 5, step: 1 } },
];

export interface DemoOptions {
  /** Default 42. */
  readonly seed?: number;
  /** Default 3000. */
  readonly customers?: number;
  /** Latent taste groups (default 8). */
  readonly groups?: number;
}

export interface DemoCommunity {
  readonly seed: number;
  readonly domains: Domain[];
  readonly items: Item[];
  readonly customers: Customer[];
  /** In time order. */
  readonly events: NewEvent[];
  /** The hidden truth: the taste group of each customer (same order as `customers`). */
  readonly groups: Int32Array;
}

const DAY = 86_400_000;
/** Fixed, so the same seed gives the same timestamps on any day. */
const START = Date.UTC(2024, 0, 1);

/** Style weights of one taste group: two loved, one liked, two disliked per domain. */
function groupTastes(rng: Rng, styles: number, love: number, dislike: number): Float64Array {
  const w = new Float64Array(styles);
  const order = rng.shuffle(Int32Array.from({ length: styles }, (_, k) => k));
  w[order[0]!] = love;
  w[order[1]!] = love;
  w[order[2]!] = love * 0.4;
  w[order[styles - 1]!] = -dislike;
  w[order[styles - 2]!] = -dislike;
  return w;
}

export function generateCommunity(options: DemoOptions = {}): DemoCommunity {
  const { seed = 42, customers: count = 3000, groups = 8 } = options;
  const rng = new Rng(seed);
  const catalogue = generateCatalogue(rng.fork());
  const music = catalogue.filter((d) => d.domain === "music");
  const shoes = catalogue.filter((d) => d.domain === "shoes");
  const musicTaste = Array.from({ length: groups }, () => groupTastes(rng, MUSIC_STYLES.length, 1.3, 1.2));
  const shoeTaste = Array.from({ length: groups }, () => groupTastes(rng, SHOE_STYLES.length, 1.2, 1.0));

  const customers: Customer[] = [];
  const events: NewEvent[] = [];
  const membership = new Int32Array(count);
  for (let c = 0; c < count; c++) {
    const id = `c${String(c + 1).padStart(4, "0")}`;
    const group = rng.int(groups);
    membership[c] = group;
    const joined = START + rng.int(300) * DAY + rng.int(DAY);
    const size = Math.round(Math.min(46, Math.max(36, rng.normal(41, 2.5))));
    customers.push({
      id,
      attributes: { name: `${pick(rng, FIRST_NAMES)} ${pick(rng, LAST_NAMES)}`, city: pick(rng, CITIES) },
      specs: { shoeSize: size },
      createdAt: joined,
    });
    const bias = rng.normal(0, 0.35);
    const spend = 0.1 + 0.4 * rng.next();
    // The group's taste, plus a little of the customer's own.
    const ownMusic = musicTaste[group]!.map((w) => w + rng.normal(0, 0.3));
    const ownShoes = shoeTaste[group]!.map((w) => w + rng.normal(0, 0.3));
    const taste = (d: DemoItem): number => (d.domain === "music" ? ownMusic[d.style]! : ownShoes[d.style]!);
    const ratings = Math.min(90, 12 + Math.floor(-Math.log(1 - rng.next()) * 20));
    const chosen = new Set<DemoItem>();
    const musicWeights = music.map((d) => d.popularity * Math.exp(1.4 * taste(d)));
    const shoeWeights = shoes.map((d) => d.popularity * Math.exp(1.4 * taste(d)));
    for (let tries = 0; chosen.size < ratings && tries < ratings * 5; tries++) {
      const inMusic = rng.next() < 0.7;
      chosen.add(weighted(rng, inMusic ? music : shoes, inMusic ? musicWeights : shoeWeights));
    }
    let k = 0;
    for (const d of chosen) {
      const t = joined + rng.int(240 * DAY);
      const raw = 3 + bias + d.quality + taste(d) + rng.normal(0, 0.55);
      const value = Math.min(5, Math.max(1, Math.round(raw)));
      const fits = d.domain === "music" || d.sizes.includes(size);
      if (value >= 4 && fits && rng.next() < spend) {
        const store = rng.next() < (d.domain === "shoes" ? 0.5 : 0.3);
        const quantity = d.domain === "music" && rng.next() < 0.1 ? 2 : 1;
        events.push(event(id, d.item.id, "purchase", null, quantity, quantity * d.price, t - 3 * DAY, store, k++));
      }
      events.push(event(id, d.item.id, "rating", value, null, null, t, "scorecard", k++));
    }
  }
  events.sort((a, b) => a.timestamp - b.timestamp);
  return {
    seed,
    domains: DEMO_DOMAINS,
    items: catalogue.map((d) => d.item),
    customers,
    events,
    groups: membership,
  };
}

function event(
  customer: string,
  item: string,
  type: "rating" | "purchase",
  value: number | null,
  quantity: number | null,
  amount: number | null,
  timestamp: number,
  channel: boolean | string,
  k: number,
): NewEvent {
  return {
    customer,
    item,
    type,
    value,
    quantity,
    amount,
    timestamp,
    channel: typeof channel === "string" ? channel : channel ? "store:soho" : "web",
    eventId: `demo:${customer}:${k}`,
  };
}

/** Draws one element with chance proportional to its weight. */
function weighted<T>(rng: Rng, list: readonly T[], weights: readonly number[]): T {
  let total = 0;
  for (const w of weights) total += w;
  let r = rng.next() * total;
  for (let k = 0; k < list.length; k++) {
    r -= weights[k]!;
    if (r < 0) return list[k]!;
  }
  return list[list.length - 1]!;
}
