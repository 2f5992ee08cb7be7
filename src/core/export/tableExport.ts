// One table format for every export, the site's downloads and the CLI's --format csv alike:
// snake_case column names and numbers a spreadsheet reads back exactly.

import { csvFormat } from "d3-dsv";

/**
 * One naming convention for every exported column, whatever the page's row objects call them:
 * snake_case, with the paper's symbols kept as written ("studentTokens" -> "student_tokens",
 * "N_T" and "L_S_minus_supervised" unchanged).
 */
export function exportColumnName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])(?=[a-z])/g, (_, a: string, b: string) => `${a}_${b.toLowerCase()}`);
}

/**
 * A number as a spreadsheet reads it back exactly: the shortest text that round-trips (as JSON
 * writes it), but in exponent form, 1.000000000000001e17 rather than 100000000000000100, once the
 * integer form has more digits than a spreadsheet keeps (15); exponents without "+".
 */
export function exportNumber(value: number): string {
  if (!Number.isFinite(value)) return "";
  const text = String(value);
  const digits = text.replace(/^-/, "").replace(/\.\d*$/, "");
  if (/e/.test(text) || digits.length > 15) return value.toExponential().replace("e+", "e");
  return text;
}

/** Rows as exported: columns named by `exportColumnName`. */
export function exportRows(rows: readonly object[]): Record<string, unknown>[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [exportColumnName(key), value])));
}

/**
 * CSV of `rows` over the union of their keys in first-seen order (d3-dsv's csvFormat infers them
 * so; a row without a key gets an empty cell); numbers by `exportNumber`, nested values as JSON,
 * null/undefined as empty.
 */
export function rowsToCsv(rows: readonly object[]): string {
  const cell = (value: unknown) => value == null ? "" : typeof value === "number" ? exportNumber(value)
    : typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value;
  return csvFormat(exportRows(rows).map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, cell(value)]))) as Record<string, string>[]);
}
