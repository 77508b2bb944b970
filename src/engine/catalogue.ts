/**
 * The catalogue as the engine sees it: every item in the store with its
 * domain's rating scale, availability, title and categories, in one dense
 * order (catalogue positions). Recommendation candidates, filters and
 * clamping all work on these positions; each model's own dense item ids are
 * reached through `alignTo`.
 */
import { IdMap } from "../core/id-map.js";
import { DEFAULT_DOMAIN, DEFAULT_SCALE, type Domain, type Item, type RatingScale } from "../core/types.js";
import type { Store } from "../storage/store.js";

const PAGE = 5000;

export class Catalogue {
  readonly ids: IdMap;
  readonly items: readonly Item[];
  /** 1 where the item may be recommended. */
  readonly available: Uint8Array;
  /** The item's domain scale, per position (predictions are clamped to it). */
  readonly lo: Float32Array;
  readonly hi: Float32Array;
  readonly scales: ReadonlyMap<string, RatingScale>;
  /** When it was read from the store (ms since epoch). */
  readonly loadedAt = Date.now();
  private readonly masks = new Map<string, Uint8Array>();
  private readonly alignments = new WeakMap<IdMap, Int32Array>();
  private byCategory: Map<string, Int32Array> | undefined;

  constructor(items: readonly Item[], domains: readonly Domain[]) {
    const scales = new Map<string, RatingScale>([[DEFAULT_DOMAIN, DEFAULT_SCALE]]);
    for (const d of domains) scales.set(d.name, d.scale);
    this.scales = scales;
    this.ids = new IdMap(items.map((item) => item.id));
    this.items = items;
    const n = items.length;
    this.available = new Uint8Array(n);
    this.lo = new Float32Array(n);
    this.hi = new Float32Array(n);
    for (let p = 0; p < n; p++) {
      const item = items[p]!;
      const scale = this.scaleOf(item.domain);
      this.available[p] = item.available ? 1 : 0;
      this.lo[p] = scale.min;
      this.hi[p] = scale.max;
    }
  }

  static async load(store: Store): Promise<Catalogue> {
    const [domains, items] = await Promise.all([store.listDomains(), listAllItems(store)]);
    return new Catalogue(items, domains);
  }

  get size(): number {
    return this.items.length;
  }

  /** A domain's scale; unknown domains have the default 1–5 scale. */
  scaleOf(domain: string): RatingScale {
    return this.scales.get(domain) ?? DEFAULT_SCALE;
  }

  /** The item's title, or its id when it has none. */
  label(position: number): string {
    const item = this.items[position]!;
    return item.title ?? item.id;
  }

  /**
   * Positions that may not be recommended under these filters (1 = excluded): unavailable items and items
   * outside the domain/category. Cached per filter; callers copy before adding their own exclusions.
   */
  excluded(domain?: string, category?: string): Uint8Array {
    const key = `${domain ?? ""}\u0000${category ?? ""}`;
    const cached = this.masks.get(key);
    if (cached) return cached;
    const mask = new Uint8Array(this.size);
    for (let p = 0; p < this.size; p++) {
      const item = this.items[p]!;
      const out =
        !item.available ||
        (domain !== undefined && item.domain !== domain) ||
        (category !== undefined && !item.categories.includes(category));
      mask[p] = out ? 1 : 0;
    }
    this.masks.set(key, mask);
    return mask;
  }

  /** Positions of each category's items. */
  categories(): ReadonlyMap<string, Int32Array> {
    if (this.byCategory) return this.byCategory;
    const lists = new Map<string, number[]>();
    this.items.forEach((item, p) => {
      for (const c of item.categories) {
        const list = lists.get(c);
        if (list) list.push(p);
        else lists.set(c, [p]);
      }
    });
    this.byCategory = new Map([...lists].map(([c, ps]) => [c, Int32Array.from(ps)]));
    return this.byCategory;
  }

  /** For each catalogue position, the dense id in `ids` (a model's items), or -1. Cached per IdMap. */
  alignTo(ids: IdMap): Int32Array {
    const cached = this.alignments.get(ids);
    if (cached) return cached;
    const out = new Int32Array(this.size);
    for (let p = 0; p < this.size; p++) out[p] = ids.get(this.items[p]!.id);
    this.alignments.set(ids, out);
    return out;
  }

  /** The smallest scale spanning every domain that has items: the scale a cross-domain dataset declares. */
  scaleHull(): RatingScale {
    const used = new Set(this.items.map((item) => item.domain));
    let hull: RatingScale | undefined;
    for (const name of used) {
      const s = this.scaleOf(name);
      hull = hull
        ? { min: Math.min(hull.min, s.min), max: Math.max(hull.max, s.max), step: Math.min(hull.step, s.step) }
        : s;
    }
    return hull ?? DEFAULT_SCALE;
  }
}

async function listAllItems(store: Store): Promise<Item[]> {
  const all: Item[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.listItems({ limit: PAGE, offset });
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}
