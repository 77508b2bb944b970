/**
 * Top-k selection with one binary min-heap: O(n log k) time, O(k) memory.
 * Ranking happens once, here, for the engine and the evaluation alike.
 */

/**
 * Positions of the k highest scores, best first. NaN scores (cannot score)
 * and positions where `skip` is non-zero are never selected; ties prefer the
 * lower position so results are deterministic.
 */
export function topK(scores: Float32Array | Float64Array, k: number, skip?: Uint8Array): Int32Array {
  const n = scores.length;
  const size = Math.max(0, Math.min(k, n));
  const heap = new Int32Array(size); // positions; heap[0] is the worst kept
  let count = 0;
  // "a is worse than b": lower score, or equal score and higher position.
  const worse = (a: number, b: number): boolean => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    return sa < sb || (sa === sb && a > b);
  };
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < count && worse(heap[l]!, heap[m]!)) m = l;
      if (r < count && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      const t = heap[i]!;
      heap[i] = heap[m]!;
      heap[m] = t;
      i = m;
    }
  };
  if (size === 0) return heap;
  for (let p = 0; p < n; p++) {
    const s = scores[p]!;
    if (Number.isNaN(s) || (skip !== undefined && skip[p] !== 0)) continue;
    if (count < size) {
      let i = count++;
      heap[i] = p;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        const t = heap[i]!;
        heap[i] = heap[parent]!;
        heap[parent] = t;
        i = parent;
      }
    } else if (worse(heap[0]!, p)) {
      heap[0] = p;
      siftDown(0);
    }
  }
  // Pop worst-first into the tail to get best-first order.
  const out = new Int32Array(count);
  for (let i = count - 1; i >= 0; i--) {
    out[i] = heap[0]!;
    heap[0] = heap[--count]!;
    siftDown(0);
  }
  return out;
}
