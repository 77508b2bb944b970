/**
 * MovieLens 1M (GroupLens, 2003): `::`-separated latin-1 files.
 * ratings.dat UserID::MovieID::Rating::Timestamp; movies.dat
 * MovieID::Title::Genres (genres `|`-separated); users.dat
 * UserID::Gender::Age::Occupation::Zip-code (age and occupation are codes,
 * kept with their labels from the dataset's README).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Customer, Item, RatingScale } from "../../core/types.js";
import type { ImportContext } from "../context.js";
import { fileSize } from "../lines.js";
import { eachLine, MOVIES, ratingLines } from "./common.js";

export const ML1M_SCALE: RatingScale = { min: 1, max: 5, step: 1 };

const AGE_GROUPS: Record<string, string> = {
  "1": "Under 18",
  "18": "18-24",
  "25": "25-34",
  "35": "35-44",
  "45": "45-49",
  "50": "50-55",
  "56": "56+",
};

const OCCUPATIONS = [
  "other",
  "academic/educator",
  "artist",
  "clerical/admin",
  "college/grad student",
  "customer service",
  "doctor/health care",
  "executive/managerial",
  "farmer",
  "homemaker",
  "K-12 student",
  "lawyer",
  "programmer",
  "retired",
  "sales/marketing",
  "scientist",
  "self-employed",
  "technician/engineer",
  "tradesman/craftsman",
  "unemployed",
  "writer",
];

export async function importMl1m(dir: string, ctx: ImportContext): Promise<void> {
  const files = ["movies.dat", "users.dat", "ratings.dat"].map((f) => join(dir, f)).filter((p) => existsSync(p));
  ctx.setTotalBytes(files.reduce((sum, p) => sum + fileSize(p), 0));
  await ctx.ensureDomain({ name: MOVIES, scale: ML1M_SCALE });
  if (existsSync(join(dir, "movies.dat"))) await readMovies(ctx, join(dir, "movies.dat"));
  if (existsSync(join(dir, "users.dat"))) await readUsers(ctx, join(dir, "users.dat"));
  await ratingLines(ctx, join(dir, "ratings.dat"), "ml1m", "::", ML1M_SCALE);
}

async function readMovies(ctx: ImportContext, path: string): Promise<void> {
  const items: Item[] = [];
  await eachLine(ctx, path, "latin1", (text, line, file) => {
    const [id, title, genres] = text.split("::");
    if (genres === undefined || !id?.trim()) {
      ctx.reject(file, line, "expected MovieID::Title::Genres");
      return false;
    }
    const categories = genres.split("|").filter((g) => g.length > 0 && g !== "(no genres listed)");
    items.push({ id: id.trim(), title: title || null, domain: MOVIES, categories, attributes: {}, available: true });
    ctx.seenItem(id.trim());
    return false;
  });
  await ctx.sink.putItems(items);
}

async function readUsers(ctx: ImportContext, path: string): Promise<void> {
  const customers: Customer[] = [];
  await eachLine(ctx, path, "latin1", (text, line, file) => {
    const [id, gender, age, occupation, zip] = text.split("::");
    if (zip === undefined || !id?.trim()) {
      ctx.reject(file, line, "expected UserID::Gender::Age::Occupation::Zip-code");
      return false;
    }
    const attributes = {
      gender,
      age: Number(age),
      ageGroup: AGE_GROUPS[age ?? ""] ?? null,
      occupation: OCCUPATIONS[Number(occupation)] ?? occupation,
      zip,
    };
    customers.push({ id: id.trim(), attributes, specs: {}, createdAt: ctx.now });
    ctx.seenCustomer(id.trim());
    return false;
  });
  await ctx.sink.putCustomers(customers);
}
