/**
 * The demo catalogue: albums in music styles and shoes in shoe styles, each
 * with a latent quality and popularity that the community's ratings reflect.
 */
import type { Rng } from "../core/rng.js";
import type { Item } from "../core/types.js";
import { albumTitle, artistName, COLORS, pick, SHOE_BRANDS, shoeName } from "./names.js";

export const MUSIC_STYLES = [
  "rock",
  "jazz",
  "soul",
  "electronic",
  "folk",
  "classical",
  "hip-hop",
  "blues",
  "reggae",
  "country",
] as const;

export const SHOE_STYLES = ["runners", "boots", "loafers", "sandals", "sneakers", "brogues", "trail", "heels"] as const;

export const SHOE_SIZES = [36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46] as const;

/** An item with the hidden truths the community's behaviour is drawn from. */
export interface DemoItem {
  readonly item: Item;
  readonly domain: "music" | "shoes";
  /** Index into MUSIC_STYLES or SHOE_STYLES. */
  readonly style: number;
  /** Latent quality added to every rating (about ±0.5). */
  readonly quality: number;
  /** Relative chance that a customer has come across it. */
  readonly popularity: number;
  readonly price: number;
  /** Shoe sizes in stock (shoes only). */
  readonly sizes: readonly number[];
}

export interface CatalogueOptions {
  readonly artistsPerStyle?: number;
  readonly shoesPerStyle?: number;
}

export function generateCatalogue(rng: Rng, options: CatalogueOptions = {}): DemoItem[] {
  const { artistsPerStyle = 8, shoesPerStyle = 12 } = options;
  const out: DemoItem[] = [];
  const popularity = () => Math.exp(rng.normal(0, 0.9));
  MUSIC_STYLES.forEach((style, s) => {
    for (let a = 0; a < artistsPerStyle; a++) {
      const artist = artistName(rng, style);
      const albums = 2 + rng.int(3);
      const artistQuality = rng.normal(0, 0.35);
      for (let b = 0; b < albums; b++) {
        const id = `album-${String(out.length + 1).padStart(4, "0")}`;
        const title = `${albumTitle(rng, style)} (${artist})`;
        const year = 1965 + rng.int(60);
        const price = 9 + rng.int(4) * 3;
        out.push({
          item: {
            id,
            title,
            domain: "music",
            categories: [style],
            attributes: { artist, year, price },
            available: true,
          },
          domain: "music",
          style: s,
          quality: artistQuality + rng.normal(0, 0.25),
          popularity: popularity(),
          price,
          sizes: [],
        });
      }
    }
  });
  let shoe = 0;
  SHOE_STYLES.forEach((style, s) => {
    for (let m = 0; m < shoesPerStyle; m++) {
      const brand = pick(rng, SHOE_BRANDS);
      const color = pick(rng, COLORS);
      const first = rng.int(4);
      const sizes = SHOE_SIZES.filter((_, k) => k >= first && k <= first + 6 + rng.int(4));
      const price = 60 + rng.int(15) * 10;
      const id = `shoe-${String(++shoe).padStart(4, "0")}`;
      out.push({
        item: {
          id,
          title: `${shoeName(rng, style, brand)}, ${color}`,
          domain: "shoes",
          categories: [style],
          attributes: { brand, color, sizes, price },
          available: rng.next() > 0.03,
        },
        domain: "shoes",
        style: s,
        quality: rng.normal(0, 0.45),
        popularity: popularity(),
        price,
        sizes,
      });
    }
  });
  return out;
}
