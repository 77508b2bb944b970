/**
 * Test data: the official ml-100k folds read from ../shared/data (tests skip
 * when it is absent), and small seeded synthetic communities generated in code.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Dataset } from "../../src/core/dataset.js";
import { IdMap } from "../../src/core/id-map.js";
import { InteractionLog } from "../../src/core/interaction-log.js";
import { Rng } from "../../src/core/rng.js";

export const SHARED_DATA = fileURLToPath(new URL("../../../shared/data/", import.meta.url));
export const ML100K = `${SHARED_DATA}ml-100k/`;
export const hasMl100k = existsSync(`${ML100K}u.data`);

if (!hasMl100k) {
  console.warn(`SKIPPED: real-data tests need ${ML100K} (../shared/data is absent)`);
}

/** Held-out ratings in dense ids of the training dataset (-1 where the train set never saw the id). */
export interface TestPairs {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly values: Float32Array;
}

export interface Fold {
  readonly train: Dataset;
  readonly test: TestPairs;
}

function readTsv(path: string, log: InteractionLog, users: IdMap, items: IdMap): void {
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.length === 0) continue;
    const [u, i, r, t] = line.split("\t");
    log.push(users.add(u!), items.add(i!), 0, Number(r), Number(t) * 1000);
  }
}

/** Official fold k (1..5) of ml-100k: u{k}.base as a Dataset, u{k}.test as pairs. */
export function ml100kFold(k: number): Fold {
  const users = new IdMap();
  const items = new IdMap();
  const trainLog = new InteractionLog(users, items, 80_000);
  readTsv(`${ML100K}u${k}.base`, trainLog, users, items);
  const train = Dataset.fromLog(trainLog);
  const nUsers = users.size;
  const nItems = items.size;
  const testLog = new InteractionLog(users, items, 20_000);
  readTsv(`${ML100K}u${k}.test`, testLog, users, items);
  const n = testLog.length;
  const test = {
    users: testLog.user.slice(0, n).map((u) => (u < nUsers ? u : -1)),
    items: testLog.item.slice(0, n).map((i) => (i < nItems ? i : -1)),
    values: testLog.value.slice(0, n),
  };
  return { train, test };
}

/** All of u.data as one Dataset. */
export function ml100kAll(): Dataset {
  const users = new IdMap();
  const items = new IdMap();
  const log = new InteractionLog(users, items, 100_000);
  readTsv(`${ML100K}u.data`, log, users, items);
  return Dataset.fromLog(log);
}

export interface SyntheticOptions {
  users?: number;
  items?: number;
  factors?: number;
  ratingsPerUser?: number;
  seed?: number;
  noise?: number;
}

/**
 * A seeded community with latent tastes: rating = clamp(round(3 + bias_u + bias_i + p_u·q_i + noise)).
 * Users rate a random subset of items, skewed towards popular ones.
 */
export function syntheticCommunity(options: SyntheticOptions = {}): { log: InteractionLog; dataset: Dataset } {
  const { users = 200, items = 120, factors = 3, ratingsPerUser = 25, seed = 7, noise = 0.3 } = options;
  const rng = new Rng(seed);
  const p = Float64Array.from({ length: users * factors }, () => rng.normal(0, 0.8));
  const q = Float64Array.from({ length: items * factors }, () => rng.normal(0, 0.8));
  const bu = Float64Array.from({ length: users }, () => rng.normal(0, 0.3));
  const bi = Float64Array.from({ length: items }, () => rng.normal(0, 0.4));
  const log = new InteractionLog();
  for (let u = 0; u < users; u++) {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(ratingsPerUser, items)) {
      chosen.add(Math.floor(items * rng.next() ** 1.6)); // popularity skew towards low ids
    }
    for (const i of chosen) {
      let dot = 0;
      for (let f = 0; f < factors; f++) dot += p[u * factors + f]! * q[i * factors + f]!;
      const r = Math.min(5, Math.max(1, Math.round(3 + bu[u]! + bi[i]! + dot + rng.normal(0, noise))));
      log.pushRating(`u${u}`, `i${i}`, r, u * 1000 + i);
    }
  }
  return { log, dataset: Dataset.fromLog(log) };
}

/** RMSE over the pairs a model could score, and the share it could not. */
export function rmseOf(predictions: Float32Array, truth: Float32Array): { rmse: number; unscored: number } {
  let sum = 0;
  let n = 0;
  for (let k = 0; k < predictions.length; k++) {
    const p = predictions[k]!;
    if (Number.isNaN(p)) continue;
    const d = p - truth[k]!;
    sum += d * d;
    n++;
  }
  return { rmse: Math.sqrt(sum / n), unscored: 1 - n / predictions.length };
}
