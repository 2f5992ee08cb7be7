// Splits a run table as trackers and spreadsheets export it, CSV or TSV, into rows of cells: the
// "Your runs" page reads any such file with it, so one parser (d3-dsv, the build's) splits every
// run table the project reads and quoting rules cannot differ between the page and `npm run fit`.

import { dsvFormat } from "d3";

/** Tab when the first line has more tabs than commas (a TSV export), else comma. */
export function detectDelimiter(text: string): "," | "\t" {
  const end = text.search(/\r\n|\r|\n/);
  const first = end === -1 ? text : text.slice(0, end);
  const count = (c: string) => first.split(c).length - 1;
  return count("\t") > count(",") ? "\t" : ",";
}

/** The text without a leading byte-order mark (spreadsheet exports often start with one). */
export function withoutByteOrderMark(text: string): string {
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

/**
 * The rows of a CSV or TSV text, the delimiter found from the first line. Quoted cells may hold
 * delimiters, quotes and line breaks; a leading byte-order mark (spreadsheet exports often start
 * with one) is dropped so that it does not stick to the first column name; blank lines stay as
 * rows of one empty cell, so that the checks can count physical lines.
 */
export function parseDelimitedRows(text: string): string[][] {
  const source = withoutByteOrderMark(text);
  if (source.trim() === "") return [];
  return dsvFormat(detectDelimiter(source)).parseRows(source);
}
