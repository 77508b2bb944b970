/**
 * The in-memory dataset models are fitted on: dense ids and CSR matrices.
 *
 * - `ratings`: customers × items, the current (latest) rating of each pair;
 * - `ratingsByItem`: its transpose, items × customers;
 * - `feedback[type]`: customers × items for each implicit event type, summed
 *   (purchase quantities, view counts, likes, dislikes).
 *
 * A Dataset is immutable once built; the engine's live overlay handles new
 * events between fits (see engine/), and a refit builds a new Dataset.
 */
import { type Csr, csrFromCoo, emptyCsr, nnz, transpose } from "./csr.js";
import { IdMap } from "./id-map.js";
import type { InteractionLog } from "./interaction-log.js";
import { DEFAULT_SCALE, EVENT_TYPE_CODE, EVENT_TYPES, type EventType, type RatingScale } from "./types.js";

export type FeedbackType = Exclude<EventType, "rating">;
export type EventWeights = Partial<Record<EventType, number>>;

export interface DatasetParts {
  users: IdMap;
  items: IdMap;
  ratings: Csr;
  feedback?: Partial<Record<FeedbackType, Csr>>;
  scale?: RatingScale;
}

export class Dataset {
  readonly users: IdMap;
  readonly items: IdMap;
  readonly ratings: Csr;
  readonly ratingsByItem: Csr;
  readonly feedback: Readonly<Record<FeedbackType, Csr>>;
  readonly scale: RatingScale;
  /** Mean of all ratings (NaN when there are none). */
  readonly globalMean: number;
  private readonly weightedCache = new Map<string, Csr>();

  constructor(parts: DatasetParts) {
    this.users = parts.users;
    this.items = parts.items;
    this.ratings = parts.ratings;
    this.ratingsByItem = transpose(parts.ratings);
    const empty = emptyCsr(parts.ratings.rows, parts.ratings.cols);
    this.feedback = {
      purchase: parts.feedback?.purchase ?? empty,
      view: parts.feedback?.view ?? empty,
      like: parts.feedback?.like ?? empty,
      dislike: parts.feedback?.dislike ?? empty,
    };
    this.scale = parts.scale ?? DEFAULT_SCALE;
    let sum = 0;
    for (const v of this.ratings.values) sum += v;
    this.globalMean = nnz(this.ratings) > 0 ? sum / nnz(this.ratings) : Number.NaN;
  }

  /** Customers known when the dataset was built (rows of every matrix). */
  get userCount(): number {
    return this.ratings.rows;
  }

  /** Items known when the dataset was built (columns of every matrix). */
  get itemCount(): number {
    return this.ratings.cols;
  }

  get ratingCount(): number {
    return nnz(this.ratings);
  }

  /**
   * Builds from a log in time order: ratings keep the latest value per pair,
   * other event types are summed per pair. O(events + users + items).
   */
  static fromLog(log: InteractionLog, scale: RatingScale = DEFAULT_SCALE): Dataset {
    const rows = log.users.size;
    const cols = log.items.size;
    const feedback: Partial<Record<FeedbackType, Csr>> = {};
    let ratings = emptyCsr(rows, cols);
    for (const type of EVENT_TYPES) {
      const positions = log.positionsOf(type);
      if (positions.length === 0) continue;
      const u = new Int32Array(positions.length);
      const i = new Int32Array(positions.length);
      const v = new Float32Array(positions.length);
      for (let k = 0; k < positions.length; k++) {
        const p = positions[k]!;
        u[k] = log.user[p]!;
        i[k] = log.item[p]!;
        v[k] = log.value[p]!;
      }
      const m = csrFromCoo(rows, cols, u, i, v, positions.length, type === "rating" ? "last" : "sum");
      if (type === "rating") ratings = m;
      else feedback[type] = m;
    }
    return new Dataset({ users: log.users, items: log.items, ratings, feedback, scale });
  }

  /**
   * One customers × items matrix of evidence: each event type's matrix times its
   * weight, summed (ratings count as their value times the weight). Used by
   * implicit-feedback models (mixed ratings + purchases + views). Cached per weights.
   */
  weighted(weights: EventWeights): Csr {
    const key = JSON.stringify(EVENT_TYPES.map((t) => weights[t] ?? 0));
    const cached = this.weightedCache.get(key);
    if (cached) return cached;
    let total = 0;
    const parts: Array<[Csr, number]> = [];
    for (const type of EVENT_TYPES) {
      const w = weights[type] ?? 0;
      if (w === 0) continue;
      const m = type === "rating" ? this.ratings : this.feedback[type];
      parts.push([m, w]);
      total += nnz(m);
    }
    const u = new Int32Array(total);
    const i = new Int32Array(total);
    const v = new Float32Array(total);
    let k = 0;
    for (const [m, w] of parts) {
      for (let r = 0; r < m.rows; r++) {
        for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
          u[k] = r;
          i[k] = m.indices[p]!;
          v[k] = m.values[p]! * w;
          k++;
        }
      }
    }
    const result = csrFromCoo(this.userCount, this.itemCount, u, i, v, total, "sum");
    this.weightedCache.set(key, result);
    return result;
  }
}

/** Convenience for tests and small programs: a dataset from [customer, item, rating] triples. */
export function datasetFromTriples(
  triples: ReadonlyArray<readonly [string, string, number]>,
  scale: RatingScale = DEFAULT_SCALE,
): Dataset {
  const users = new IdMap();
  const items = new IdMap();
  const u = new Int32Array(triples.length);
  const i = new Int32Array(triples.length);
  const v = new Float32Array(triples.length);
  triples.forEach(([customer, item, value], k) => {
    u[k] = users.add(customer);
    i[k] = items.add(item);
    v[k] = value;
  });
  return new Dataset({ users, items, ratings: csrFromCoo(users.size, items.size, u, i, v), scale });
}

export { EVENT_TYPE_CODE };
