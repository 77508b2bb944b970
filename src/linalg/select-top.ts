/**
 * Selecting the k largest keys of a scratch buffer without allocating: the
 * kNN models pick, per predicted item, the k most similar neighbours among a
 * few hundred candidates. A binary min-heap of positions, O(n log k); ties go
 * to the lower position, so results do not depend on anything but the input.
 * (Ranking the catalogue for the engine is ./top-k.ts; this is its in-place,
 * buffer-reusing sibling for the hot loops of scoring.)
 */

/** "Position a is a worse pick than b": a smaller key, or an equal key at a higher position. */
function worse(keys: Float64Array, a: number, b: number): boolean {
  const ka = keys[a]!;
  const kb = keys[b]!;
  return ka < kb || (ka === kb && a > b);
}

function siftDown(keys: Float64Array, heap: Int32Array, size: number, start: number): void {
  let i = start;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < size && worse(keys, heap[l]!, heap[m]!)) m = l;
    if (r < size && worse(keys, heap[r]!, heap[m]!)) m = r;
    if (m === i) return;
    const t = heap[i]!;
    heap[i] = heap[m]!;
    heap[m] = t;
    i = m;
  }
}

/**
 * Writes into out[0..kept) the positions of the `k` largest of keys[0..count)
 * (in heap order, not sorted) and returns kept = min(k, count). NaN keys must
 * be filtered out by the caller. `out` must hold at least min(k, count).
 */
export function selectTop(keys: Float64Array, count: number, k: number, out: Int32Array): number {
  if (count < 0 || count > keys.length) throw new RangeError(`count ${count} is outside keys (length ${keys.length})`);
  const size = Math.max(0, Math.min(k, count));
  if (out.length < size) throw new RangeError(`out has length ${out.length}, needs ${size}`);
  if (size === count) {
    for (let p = 0; p < count; p++) out[p] = p;
    return count;
  }
  for (let p = 0; p < size; p++) out[p] = p;
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(keys, out, size, i);
  for (let p = size; p < count; p++) {
    if (worse(keys, out[0]!, p)) {
      out[0] = p;
      siftDown(keys, out, size, 0);
    }
  }
  return size;
}

/** Sorts positions[0..n) best first (larger key first, ties to the lower position). */
export function sortBestFirst(keys: Float64Array, positions: Int32Array, n: number): void {
  if (n > 32) {
    positions.subarray(0, n).sort((a, b) => keys[b]! - keys[a]! || a - b);
    return;
  }
  // Insertion sort: no closure, no allocation, fastest for the handful kept per prediction.
  for (let i = 1; i < n; i++) {
    const p = positions[i]!;
    let j = i - 1;
    while (j >= 0 && worse(keys, positions[j]!, p)) {
      positions[j + 1] = positions[j]!;
      j--;
    }
    positions[j + 1] = p;
  }
}
