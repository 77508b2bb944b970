/**
 * Metrics over all customers' lists at once. Lists are flattened: customer
 * j's list is `items[offsets[j] .. offsets[j+1])`, best first.
 *
 * - Catalogue coverage: distinct items recommended / catalogue size.
 * - Novelty: mean self-information −log2(pop_i / users) of recommended items,
 *   pop_i = training customers who had item i (Zhou et al. 2010, "Solving the
 *   apparent diversity-accuracy dilemma", PNAS); higher = less obvious.
 * - Personalisation: 1 − mean over pairs of customers of |L_a ∩ L_b| / k
 *   (Zhou et al. 2010's inter-user diversity). Computed in O(Σ|L|) from how
 *   many lists contain each item: Σ_pairs |L_a ∩ L_b| = Σ_i c_i (c_i − 1) / 2.
 */

function checkOffsets(items: Int32Array, offsets: Int32Array): void {
  if (offsets.length < 1 || offsets[offsets.length - 1] !== items.length) {
    throw new RangeError(`offsets must end at items.length (${items.length})`);
  }
}

/** Distinct items in the lists / catalogue size, in [0, 1]. */
export function catalogueCoverage(items: Int32Array, catalogueSize: number): number {
  if (catalogueSize <= 0) return 0;
  const seen = new Uint8Array(catalogueSize);
  let distinct = 0;
  for (let p = 0; p < items.length; p++) {
    const i = items[p]!;
    if (seen[i] === 0) {
      seen[i] = 1;
      distinct++;
    }
  }
  return distinct / catalogueSize;
}

/**
 * Mean self-information (bits) of the recommended items. `popularity[i]`: how
 * many of `users` training customers had item i (floored at 1). NaN for no items.
 */
export function novelty(items: Int32Array, popularity: Int32Array | Float64Array, users: number): number {
  if (items.length === 0 || users <= 0) return Number.NaN;
  let sum = 0;
  for (let p = 0; p < items.length; p++) {
    const pop = Math.max(1, popularity[items[p]!]!);
    sum += -Math.log2(Math.min(1, pop / users));
  }
  return sum / items.length;
}

/** 1 − mean pairwise overlap of the customers' top-k lists, in [0, 1]; NaN for fewer than 2 lists. */
export function personalisation(items: Int32Array, offsets: Int32Array, k: number, catalogueSize: number): number {
  checkOffsets(items, offsets);
  const lists = offsets.length - 1;
  if (lists < 2 || k <= 0) return Number.NaN;
  const containing = new Int32Array(catalogueSize);
  for (let j = 0; j < lists; j++) {
    for (let p = offsets[j]!, end = Math.min(offsets[j + 1]!, offsets[j]! + k); p < end; p++) {
      containing[items[p]!]!++;
    }
  }
  let shared = 0;
  for (let i = 0; i < catalogueSize; i++) {
    const c = containing[i]!;
    shared += (c * (c - 1)) / 2;
  }
  const pairs = (lists * (lists - 1)) / 2;
  return 1 - shared / (pairs * k);
}
