/**
 * Gram matrices: MᵀM of a dense row-major factor matrix (rows × cols, the
 * YᵀY of implicit ALS, cost rows·cols²/2) and XᵀX of a sparse CSR matrix as a
 * dense cols×cols Float64Array (EASE's item×item co-occurrences, cost Σ n_r²/2
 * over rows r with n_r entries). Both accumulate the upper triangle in row
 * order, then mirror it, so the result is exactly symmetric and reproducible.
 */

/** out (cols×cols) = MᵀM + ridge·I for a rows×cols row-major M. */
export function gramDense(
  m: Float32Array | Float64Array,
  rows: number,
  cols: number,
  out?: Float64Array,
  ridge = 0,
): Float64Array {
  if (m.length < rows * cols)
    throw new RangeError(`gramDense: length ${m.length} is less than rows×cols = ${rows * cols}`);
  const g = out ?? new Float64Array(cols * cols);
  if (g.length !== cols * cols) throw new RangeError(`gramDense: out has length ${g.length}, expected ${cols * cols}`);
  g.fill(0);
  // Four rows at a time: each update of the (cache-resident) upper triangle then carries four products.
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const r0 = r * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    for (let a = 0; a < cols; a++) {
      const x0 = m[r0 + a]!;
      const x1 = m[r1 + a]!;
      const x2 = m[r2 + a]!;
      const x3 = m[r3 + a]!;
      const ga = a * cols;
      for (let b = a; b < cols; b++) {
        g[ga + b] = g[ga + b]! + (x0 * m[r0 + b]! + x1 * m[r1 + b]! + x2 * m[r2 + b]! + x3 * m[r3 + b]!);
      }
    }
  }
  for (; r < rows; r++) {
    const base = r * cols;
    for (let a = 0; a < cols; a++) {
      const va = m[base + a]!;
      const ga = a * cols;
      for (let b = a; b < cols; b++) g[ga + b] = g[ga + b]! + va * m[base + b]!;
    }
  }
  mirrorUpper(g, cols, ridge);
  return g;
}

/** The sparse matrix shape gramSparse reads (a Csr from src/core/csr.ts fits). */
export interface SparseRows {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/**
 * out (cols×cols) = XᵀX + ridge·I for a CSR X, using each entry's value, or 1
 * for every stored entry when `binary` (EASE on "did the customer interact").
 */
export function gramSparse(x: SparseRows, out?: Float64Array, ridge = 0, binary = false): Float64Array {
  const n = x.cols;
  if (x.indptr.length !== x.rows + 1) {
    throw new RangeError(`gramSparse: indptr has length ${x.indptr.length}, expected rows + 1 = ${x.rows + 1}`);
  }
  const g = out ?? new Float64Array(n * n);
  if (g.length !== n * n) throw new RangeError(`gramSparse: out has length ${g.length}, expected ${n * n}`);
  g.fill(0);
  const { indptr, indices, values } = x;
  for (let r = 0; r < x.rows; r++) {
    const start = indptr[r]!;
    const end = indptr[r + 1]!;
    // Column indices are sorted within a row, so a ≤ b lands in the upper triangle.
    for (let p = start; p < end; p++) {
      const a = indices[p]!;
      const va = binary ? 1 : values[p]!;
      const ga = a * n;
      for (let q = p; q < end; q++) g[ga + indices[q]!] = g[ga + indices[q]!]! + va * (binary ? 1 : values[q]!);
    }
  }
  mirrorUpper(g, n, ridge);
  return g;
}

function mirrorUpper(g: Float64Array, n: number, ridge: number): void {
  for (let a = 0; a < n; a++) {
    g[a * n + a] = g[a * n + a]! + ridge;
    for (let b = a + 1; b < n; b++) g[b * n + a] = g[a * n + b]!;
  }
}
