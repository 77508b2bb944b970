/** Human output: aligned plain-text tables and number formatting. */

export type Align = "left" | "right";

/** Rows under a header, columns padded to their widest cell; numbers are usually right-aligned. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (align[c] === "right" ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  return `${[line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")}\n`;
}

/** A score or similarity for people: at most `digits` decimals. */
export function num(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "-";
  return value.toFixed(digits);
}

/** A count with thousands separators. */
export function count(value: number): string {
  return value.toLocaleString("en");
}

/** Text cut to `max` characters with an ellipsis. */
export function clip(text: string | null | undefined, max = 48): string {
  const t = text ?? "";
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}
