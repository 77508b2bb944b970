/**
 * Training triples for BPR (Rendle et al. 2009, §4.1: bootstrap sampling with
 * replacement): a positive (u, i) drawn from the evidence — in proportion to
 * its weight ("weighted", Gantner et al. 2012's WBPR-style sampling) or
 * uniformly — and a negative j drawn uniformly from the items u has no
 * evidence on. One epoch = as many triples as there are positives.
 */
import type { Csr } from "../../core/csr.js";
import { findInRow } from "../../core/csr.js";
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

  /** Fills `out` with fresh triples [0, count). */
  sample(rng: Rng, out: BprSamples, count: number): void {
    const m = this.positives;
    const n = this.rowOf.length;
    for (let s = 0; s < count; s++) {
      const e = this.alias ? this.alias.draw(rng) : rng.int(n);
      const u = this.rowOf[e]!;
      out.users[s] = u;
      out.pos[s] = m.indices[e]!;
      out.neg[s] = negativeFor(m, u, rng);
    }
  }
}

/** A uniformly drawn item the customer (row u of `m`) has no evidence on. */
export function negativeFor(m: Csr, u: number, rng: Rng): number {
  let j = rng.int(m.cols);
  for (let t = 1; t < NEGATIVE_TRIES && findInRow(m, u, j) >= 0; t++) j = rng.int(m.cols);
  return j;
}
