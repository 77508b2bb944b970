/**
 * Small dense kernels on row-major typed arrays. Lengths are checked once, at
 * entry; the loops do not check.
 */

/** Euclidean norm of each row of a rows×cols matrix (into `out` when given); cost rows·cols. */
export function rowNorms(m: Float32Array | Float64Array, rows: number, cols: number, out?: Float64Array): Float64Array {
  if (m.length !== rows * cols) throw new RangeError(`rowNorms: length ${m.length} is not rows×cols = ${rows * cols}`);
  const norms = out ?? new Float64Array(rows);
  if (norms.length !== rows) throw new RangeError(`rowNorms: out has length ${norms.length}, expected ${rows}`);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = r * cols, end = c + cols; c < end; c++) s += m[c]! * m[c]!;
    norms[r] = Math.sqrt(s);
  }
  return norms;
}
