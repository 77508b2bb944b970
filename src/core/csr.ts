/**
 * Compressed sparse rows on typed arrays: row r's entries are
 * `indices[indptr[r] .. indptr[r+1])` with `values` alongside, column indices
 * sorted ascending within each row. This is the one sparse layout every
 * algorithm loops over.
 */
export interface Csr {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array; // length rows + 1
  readonly indices: Int32Array; // length nnz, sorted within each row
  readonly values: Float32Array; // length nnz
}

export function nnz(m: Csr): number {
  return m.indptr[m.rows] ?? 0;
}

/** Entries in row r. */
export function rowLength(m: Csr, r: number): number {
  return (m.indptr[r + 1] as number) - (m.indptr[r] as number);
}

/**
 * Builds a CSR from coordinate triples by counting sort, O(nnz + rows).
 * Duplicate (row, col) pairs keep the value that comes last in the input,
 * (combine "last", how "the current rating is the latest" is honoured when
 * the input is in time order) or their sum (combine "sum", for counts).
 */
export function csrFromCoo(
  rows: number,
  cols: number,
  rowIds: Int32Array,
  colIds: Int32Array,
  vals: Float32Array,
  length = rowIds.length,
  combine: "last" | "sum" = "last",
): Csr {
  const counts = new Int32Array(rows + 1);
  for (let i = 0; i < length; i++) counts[(rowIds[i] as number) + 1]!++;
  for (let r = 0; r < rows; r++) counts[r + 1] = (counts[r + 1] as number) + (counts[r] as number);
  const cursor = counts.slice(0, rows);
  const tmpCols = new Int32Array(length);
  const tmpVals = new Float32Array(length);
  const order = new Int32Array(length); // input position, to resolve duplicates by recency
  for (let i = 0; i < length; i++) {
    const r = rowIds[i] as number;
    const at = cursor[r]!++;
    tmpCols[at] = colIds[i] as number;
    tmpVals[at] = vals[i] as number;
    order[at] = i;
  }
  // Sort each row by column (insertion sort for short rows, typed sort otherwise), then drop duplicates.
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(length);
  const values = new Float32Array(length);
  let out = 0;
  for (let r = 0; r < rows; r++) {
    const start = counts[r] as number;
    const end = counts[r + 1] as number;
    sortRowSegment(tmpCols, tmpVals, order, start, end);
    indptr[r] = out;
    for (let i = start; i < end; i++) {
      const c = tmpCols[i] as number;
      if (out > (indptr[r] as number) && indices[out - 1] === c) {
        // Equal columns are in input order: "last" keeps the latest, "sum" accumulates (counts, quantities).
        values[out - 1] =
          combine === "sum" ? (values[out - 1] as number) + (tmpVals[i] as number) : (tmpVals[i] as number);
        continue;
      }
      indices[out] = c;
      values[out] = tmpVals[i] as number;
      out++;
    }
  }
  indptr[rows] = out;
  return {
    rows,
    cols,
    indptr,
    indices: out === length ? indices : indices.slice(0, out),
    values: out === length ? values : values.slice(0, out),
  };
}

/** Sorts cols[start..end) ascending, carrying vals and order; ties keep input order. */
function sortRowSegment(cols: Int32Array, vals: Float32Array, order: Int32Array, start: number, end: number): void {
  const n = end - start;
  if (n < 2) return;
  if (n <= 32) {
    for (let i = start + 1; i < end; i++) {
      const c = cols[i] as number;
      const v = vals[i] as number;
      const o = order[i] as number;
      let j = i - 1;
      while (j >= start && ((cols[j] as number) > c || (cols[j] === c && (order[j] as number) > o))) {
        cols[j + 1] = cols[j] as number;
        vals[j + 1] = vals[j] as number;
        order[j + 1] = order[j] as number;
        j--;
      }
      cols[j + 1] = c;
      vals[j + 1] = v;
      order[j + 1] = o;
    }
    return;
  }
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = start + i;
  perm.sort((x, y) => (cols[x] as number) - (cols[y] as number) || (order[x] as number) - (order[y] as number));
  const c2 = new Int32Array(n);
  const v2 = new Float32Array(n);
  const o2 = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = perm[i] as number;
    c2[i] = cols[p] as number;
    v2[i] = vals[p] as number;
    o2[i] = order[p] as number;
  }
  cols.set(c2, start);
  vals.set(v2, start);
  order.set(o2, start);
}

/** The transpose (column-major view as rows), O(nnz + cols). Rows of the result are sorted. */
export function transpose(m: Csr): Csr {
  const total = nnz(m);
  const indptr = new Int32Array(m.cols + 1);
  for (let i = 0; i < total; i++) indptr[(m.indices[i] as number) + 1]!++;
  for (let c = 0; c < m.cols; c++) indptr[c + 1] = (indptr[c + 1] as number) + (indptr[c] as number);
  const cursor = indptr.slice(0, m.cols);
  const indices = new Int32Array(total);
  const values = new Float32Array(total);
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r] as number, end = m.indptr[r + 1] as number; p < end; p++) {
      const c = m.indices[p] as number;
      const at = cursor[c]!++;
      indices[at] = r;
      values[at] = m.values[p] as number;
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, values };
}

/** An empty matrix of the given shape. */
export function emptyCsr(rows: number, cols: number): Csr {
  return { rows, cols, indptr: new Int32Array(rows + 1), indices: new Int32Array(0), values: new Float32Array(0) };
}

/** Binary search for `value` in the ascending sorted[start..end); its position, or -1. */
export function findSorted(sorted: Int32Array, start: number, end: number, value: number): number {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Binary search for column c in row r; the position in indices/values, or -1. */
export function findInRow(m: Csr, r: number, c: number): number {
  return findSorted(m.indices, m.indptr[r] as number, m.indptr[r + 1] as number, c);
}
