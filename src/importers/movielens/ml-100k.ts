/**
 * MovieLens 100K (GroupLens, 1998): u.data (tab-separated user, item, rating,
 * timestamp), u.item (latin-1, `|`-separated: id, title, release date, video
 * release date, IMDb URL, then one 0/1 flag per genre of u.genre), u.user
 * (id|age|gender|occupation|zip, kept as customer attributes).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Customer, Item, RatingScale } from "../../core/types.js";
import type { ImportContext } from "../context.js";
import { fileSize } from "../lines.js";
import { eachLine, MOVIES, ratingLines } from "./common.js";

export const ML100K_SCALE: RatingScale = { min: 1, max: 5, step: 1 };

/** The genres of u.genre, in flag order (used when u.genre is absent). */
const GENRES = [
  "unknown",
  "Action",
  "Adventure",
  "Animation",
  "Children's",
  "Comedy",
  "Crime",
  "Documentary",
  "Drama",
  "Fantasy",
  "Film-Noir",
  "Horror",
  "Musical",
  "Mystery",
  "Romance",
  "Sci-Fi",
  "Thriller",
  "War",
  "Western",
];

export async function importMl100k(dir: string, ctx: ImportContext): Promise<void> {
  const files = ["u.genre", "u.item", "u.user", "u.data"].map((f) => join(dir, f)).filter((p) => existsSync(p));
  ctx.setTotalBytes(files.reduce((sum, p) => sum + fileSize(p), 0));
  await ctx.ensureDomain({ name: MOVIES, scale: ML100K_SCALE });

  const genres = existsSync(join(dir, "u.genre")) ? await readGenres(ctx, join(dir, "u.genre")) : GENRES;
  if (existsSync(join(dir, "u.item"))) await readItems(ctx, join(dir, "u.item"), genres);
  if (existsSync(join(dir, "u.user"))) await readUsers(ctx, join(dir, "u.user"));
  await ratingLines(ctx, join(dir, "u.data"), "ml100k", "\t", ML100K_SCALE);
}

async function readGenres(ctx: ImportContext, path: string): Promise<string[]> {
  const genres: string[] = [];
  await eachLine(ctx, path, "latin1", (text, line, file) => {
    const [name, index] = text.split("|");
    const k = Number(index);
    if (!name || !Number.isInteger(k) || k < 0 || k > 100) ctx.reject(file, line, "expected name|index");
    else genres[k] = name;
    return false;
  });
  return Array.from(genres, (g, k) => g ?? `genre ${k}`);
}

async function readItems(ctx: ImportContext, path: string, genres: readonly string[]): Promise<void> {
  const items: Item[] = [];
  await eachLine(ctx, path, "latin1", (text, line, file) => {
    const f = text.split("|");
    const id = f[0]?.trim() ?? "";
    if (f.length < 5 + genres.length || id.length === 0) {
      ctx.reject(file, line, `expected id|title|release date|video release date|URL and ${genres.length} genre flags`);
      return false;
    }
    const categories: string[] = [];
    for (let g = 0; g < genres.length; g++) {
      if (f[5 + g] === "1" && genres[g] !== "unknown") categories.push(genres[g]!);
    }
    const attributes: Record<string, unknown> = {};
    if (f[2]) attributes.releaseDate = f[2];
    if (f[3]) attributes.videoReleaseDate = f[3];
    if (f[4]) attributes.imdbUrl = f[4];
    items.push({ id, title: f[1] || null, domain: MOVIES, categories, attributes, available: true });
    ctx.seenItem(id);
    return false;
  });
  await ctx.sink.putItems(items);
}

async function readUsers(ctx: ImportContext, path: string): Promise<void> {
  const customers: Customer[] = [];
  await eachLine(ctx, path, "latin1", (text, line, file) => {
    const [id, age, gender, occupation, zip] = text.split("|");
    if (zip === undefined || !id || !Number.isFinite(Number(age))) {
      ctx.reject(file, line, "expected id|age|gender|occupation|zip");
      return false;
    }
    const attributes = { age: Number(age), gender, occupation, zip };
    customers.push({ id: id.trim(), attributes, specs: {}, createdAt: ctx.now });
    ctx.seenCustomer(id.trim());
    return false;
  });
  await ctx.sink.putCustomers(customers);
}
