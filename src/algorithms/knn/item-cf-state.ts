/**
 * The evidence and fitted state of item-cf: every event type as one weighted,
 * positive customers × items matrix (ratings at or above a threshold count as
 * `weights.rating` each, or as their value; purchases, views and likes as
 * their weight times their count), each item's neighbour list, and how a
 * snapshot stores them.
 */
import { type Csr, csrFromCoo } from "../../core/csr.js";
import type { Dataset } from "../../core/dataset.js";
import type { ModelSnapshot, NumericArray } from "../../core/snapshot.js";
import { csrArrays, snapshotCount, snapshotCsr, snapshotNumber } from "../classic/snapshot-io.js";
import type { NeighbourLists } from "./item-similarities.js";

export interface EvidenceWeights {
  readonly rating: number;
  readonly purchase: number;
  readonly view: number;
  readonly like: number;
}

export interface EvidenceSettings {
  readonly weights: EvidenceWeights;
  /** "binary": a rating counts weights.rating; "value": weights.rating × the rating. */
  readonly ratings: "binary" | "value";
}

export interface ItemCfState {
  /** Customers × items, positive values only (scores fitted customers without a history). */
  readonly evidence: Csr;
  readonly neighbours: NeighbourLists;
  /** Ratings below this are no evidence (the same rule for fold-in). */
  readonly threshold: number;
}

/** What one rating is worth as evidence (0 below the threshold). */
export function ratingEvidence(value: number, threshold: number, settings: EvidenceSettings): number {
  if (!(value >= threshold)) return 0;
  return settings.weights.rating * (settings.ratings === "binary" ? 1 : value);
}

/** The weighted evidence matrix of a dataset, summed per pair, entries ≤ 0 dropped. O(events). */
export function evidenceMatrix(data: Dataset, threshold: number, settings: EvidenceSettings): Csr {
  const parts: Array<[Csr, (v: number) => number]> = [[data.ratings, (v) => ratingEvidence(v, threshold, settings)]];
  for (const type of ["purchase", "view", "like"] as const) {
    const w = settings.weights[type];
    if (w > 0) parts.push([data.feedback[type], (v) => (v > 0 ? w * v : 0)]);
  }
  let total = 0;
  for (const [m] of parts) total += m.indptr[m.rows]!;
  const u = new Int32Array(total);
  const i = new Int32Array(total);
  const v = new Float32Array(total);
  let n = 0;
  for (const [m, worth] of parts) {
    for (let r = 0; r < m.rows; r++) {
      for (let p = m.indptr[r]!, end = m.indptr[r + 1]!; p < end; p++) {
        const value = worth(m.values[p]!);
        if (!(value > 0)) continue;
        u[n] = r;
        i[n] = m.indices[p]!;
        v[n++] = value;
      }
    }
  }
  return csrFromCoo(data.userCount, data.itemCount, u, i, v, n, "sum");
}

export function itemCfArrays(s: ItemCfState): { meta: Record<string, unknown>; arrays: Record<string, NumericArray> } {
  return {
    meta: { users: s.evidence.rows, items: s.evidence.cols, threshold: s.threshold },
    arrays: {
      ...csrArrays("evidence", s.evidence),
      ...csrArrays("neighbours", {
        ...s.neighbours,
        rows: s.evidence.cols,
        cols: s.evidence.cols,
        values: s.neighbours.similarities,
      }),
    },
  };
}

export function readItemCfState(snapshot: ModelSnapshot): ItemCfState {
  const users = snapshotCount(snapshot, "users");
  const items = snapshotCount(snapshot, "items");
  const lists = snapshotCsr(snapshot, "neighbours", items, items);
  return {
    evidence: snapshotCsr(snapshot, "evidence", users, items),
    neighbours: { indptr: lists.indptr, indices: lists.indices, similarities: lists.values },
    threshold: snapshotNumber(snapshot, "threshold"),
  };
}
