/**
 * Training triples for BPR (Rendle et al. 2009, §4.1: bootstrap sampling with
 * replacement): a positive (u, i) drawn from the evidence — in proportion to
 * its weight ("weighted", Gantner et al. 2012's WBPR-style sampling) or
 * uniformly — and a negative j drawn uniformly from the items u has no
 * evidence on. One epoch = as many triples as there are positives.
 */
import { type Csr, findSorted } from "../../core/csr.js";
import type { Rng } from "../../core/rng.js";
import type { BprSamples } from "../../linalg/wasm/sgd-types.js";

/** Tries before a negative is accepted even if the customer has evidence on it (customers with nearly every item). */
const NEGATIVE_TRIES = 32;

/**
 * Walker's alias method (Vose 1991's stable construction): O(n) to build,
 * O(1) per draw with two uniforms.
 */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: Float32Array) {
    const n = weights.length;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let total = 0;
    for (let k = 0; k < n; k++) total += weights[k]!;
    const scaled = Float64Array.from(weights, (w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    for (let k = n - 1; k >= 0; k--) (scaled[k]! < 1 ? small : large).push(k);
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const k of large) this.prob[k] = 1;
    for (const k of small) this.prob[k] = 1; // rounding leftovers
  }

  draw(rng: Rng): number {
    const k = rng.int(this.prob.length);
    return rng.next() < this.prob[k]! ? k : this.alias[k]!;
  }
}

export class BprSampler {
  private readonly rowOf: Int32Array;
  private readonly alias: AliasTable | null;

  constructor(
    private readonly positives: Csr,
    weighted: boolean,
  ) {
    const n = positives.indptr[positives.rows]!;
    this.rowOf = new Int32Array(n);
    for (let r = 0; r < positives.rows; r++) this.rowOf.fill(r, positives.indptr[r]!, positives.indptr[r + 1]!);
    this.alias = weighted && n > 0 ? new AliasTable(positives.values.subarray(0, n)) : null;
  }

  /** Fills `out` with fresh triples [0, count). The hot loop of a BPR epoch: everything in locals. */
  sample(rng: Rng, out: BprSamples, count: number): void {
    const { indptr, indices, cols } = this.positives;
    const rowOf = this.rowOf;
    const n = rowOf.length;
    const alias = this.alias;
    for (let s = 0; s < count; s++) {
      const e = alias ? alias.draw(rng) : rng.int(n);
      const u = rowOf[e]!;
      out.users[s] = u;
      out.pos[s] = indices[e]!;
      const start = indptr[u]!;
      const end = indptr[u + 1]!;
      let j = rng.int(cols);
      for (let t = 1; t < NEGATIVE_TRIES && contains(indices, start, end, j); t++) j = rng.int(cols);
      out.neg[s] = j;
    }
  }
}

/** True when the sorted indices[start..end) hold `value`. */
const contains = (indices: Int32Array, start: number, end: number, value: number): boolean =>
  findSorted(indices, start, end, value) >= 0;

/** A uniformly drawn item the customer (row u of `m`) has no evidence on. */
export function negativeFor(m: Csr, u: number, rng: Rng): number {
  const start = m.indptr[u]!;
  const end = m.indptr[u + 1]!;
  let j = rng.int(m.cols);
  for (let t = 1; t < NEGATIVE_TRIES && contains(m.indices, start, end, j); t++) j = rng.int(m.cols);
  return j;
}
