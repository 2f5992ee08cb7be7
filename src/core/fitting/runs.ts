// Training runs: the rows of the run CSVs of docs/spec.md section 7, and their parsing and validation.
// This module is imported by the browser, so it must not touch the file system; reading a data set
// folder lives in datasets.ts.

import { csvFormatRows, csvParseRows } from "d3";
import { DISTILLATION_COEFFICIENTS, SUPERVISED_COEFFICIENTS } from "../laws/laws.js";
import { INPUT_LIMITS } from "../inputs/inputLimits.js";
import { withoutByteOrderMark } from "./delimited.js";

/** One supervised training run: a model of N non-embedding parameters trained on D tokens reached loss L (nats). */
export interface SupervisedRun {
  N: number;
  D: number;
  L: number;
  /** Optional text columns (protocol, name, ...), kept as they were. */
  labels?: Record<string, string>;
  /** 1-based line of the run in its CSV (the header is line 1); absent for runs not read from a file. */
  line?: number;
}

/** One distillation run: a student (N_S, D_S) distilled from a teacher (N_T, D_T) of loss L_T reached L_S. */
export interface DistillationRun {
  NS: number;
  DS: number;
  NT: number;
  DT: number;
  LT: number;
  LS: number;
  labels?: Record<string, string>;
  /** 1-based line of the run in its CSV (the header is line 1); absent for runs not read from a file. */
  line?: number;
}

export type ParsedSupervisedRun = SupervisedRun & { line: number; labels: Record<string, string> };
export type ParsedDistillationRun = DistillationRun & { line: number; labels: Record<string, string> };

/** The CSV column of each numeric field, in the order files are written. */
export const SUPERVISED_COLUMNS = ["N", "D", "L"] as const;
export const DISTILLATION_COLUMNS = ["N_S", "D_S", "N_T", "D_T", "L_T", "L_S"] as const;

/** Free coefficients of each law when none is fixed (docs/spec.md section 3). */
export const SUPERVISED_FREE_COEFFICIENTS = SUPERVISED_COEFFICIENTS.length;
export const DISTILLATION_FREE_COEFFICIENTS = DISTILLATION_COEFFICIENTS.length;

/**
 * A problem in a run file. `line` is 1-based with the header on line 1; 0 means the file as a whole
 * (a missing file, too few runs). `column` is the CSV column name when one is to blame.
 */
export class RunDataError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column?: string;
  /** What was expected, without the location prefix. */
  readonly detail: string;

  constructor(file: string, line: number, column: string | undefined, detail: string) {
    const where = [line > 0 ? `line ${line}` : "", column !== undefined ? `column ${column}` : ""]
      .filter((part) => part !== "")
      .join(", ");
    super(`${file}${where ? ` ${where}` : ""}: ${detail}`);
    this.name = "RunDataError";
    this.file = file;
    this.line = line;
    if (column !== undefined) this.column = column;
    this.detail = detail;
  }
}

// Plain decimal or exponent notation; rejects thousands separators, hex, "Infinity" and the like,
// which Number() would partly accept and which are more likely typos than intent.
const NUMBER_PATTERN = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a cell that must hold a positive finite number, or throws a RunDataError naming the cell.
 * `decimalExponent` reads the cell in a unit of 10^k (9: billions): the shift is applied to the
 * decimal text, so "1.5" billions is exactly the number "1.5e9" is, not 1.5 * 1e9 rounded twice.
 */
export function parsePositiveNumber(text: string, file: string, line: number, column: string, decimalExponent = 0): number {
  const trimmed = text.trim();
  const match = NUMBER_PATTERN.exec(trimmed);
  const value = match === null
    ? NaN
    : decimalExponent === 0 ? Number(trimmed) : Number(`${match[1]}e${Number(match[2] ?? 0) + decimalExponent}`);
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RunDataError(file, line, column, `expected a positive finite number, got ${JSON.stringify(text)}`);
  }
  return value;
}

// A loss outside the accepted range of losses (a cross-entropy of 1e-300 nats, or 1e5) is a unit
// or column slip; fitted, it gives coefficients whose plans are not finite.
const LOSS_COLUMNS: ReadonlySet<string> = new Set(["L", "L_T", "L_S"]);

function checkLoss(value: number, text: string, file: string, line: number, column: string): void {
  const { min, max } = INPUT_LIMITS.loss;
  if (value < min || value > max) throw new RunDataError(file, line, column, `expected a cross-entropy from ${min} to ${max} nats, got ${JSON.stringify(text.trim().slice(0, 40))}`);
}

// Names people commonly use instead of the required ones, compared after normalising (lower case,
// letters and digits only). Case and underscore slips (N_s, ns) are caught by the normalisation itself.
const COLUMN_ALIASES: Record<string, readonly string[]> = {
  N: ["params", "parameters", "nparams", "size", "modelsize"],
  D: ["tokens", "ntokens", "data"],
  L: ["loss", "crossentropy", "xent", "ce", "valloss", "validationloss"],
  N_S: ["studentparams", "studentsize", "nstudent"],
  D_S: ["studenttokens", "distillationtokens", "dstudent"],
  N_T: ["teacherparams", "teachersize", "nteacher"],
  D_T: ["teachertokens", "dteacher"],
  L_T: ["teacherloss", "lteacher"],
  L_S: ["studentloss", "lstudent"],
};

function normaliseColumnName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function suggestColumn(required: string, header: readonly string[], requiredColumns: readonly string[]): string | undefined {
  const target = normaliseColumnName(required);
  const aliases = COLUMN_ALIASES[required] ?? [];
  const candidates = header.filter((name) => !requiredColumns.includes(name));
  return (
    candidates.find((name) => normaliseColumnName(name) === target) ??
    candidates.find((name) => aliases.includes(normaliseColumnName(name)))
  );
}

export type RunKind = "supervised" | "distillation";

/**
 * How a table's columns feed a law's variables, for files whose names are not the required ones
 * (tracker exports). `columns` maps a variable (N, D, L or N_S, ..., L_S) to a header name; an
 * unmapped variable is read from the column of its own name. `decimalExponents` gives a variable's
 * unit as a power of ten (9: billions of tokens, 6: millions of parameters).
 */
export interface ColumnMapping {
  columns?: Partial<Record<string, string | null>>;
  decimalExponents?: Partial<Record<string, number>>;
}

/** Everything wrong with a table, in the order the build reports it (the first is what the build throws). */
export interface RunTableCheck<R> {
  /** The runs of the rows without a problem, in file order. */
  runs: R[];
  /** Every problem found. A problem on line 0 or 1 concerns the whole file: then `runs` is empty. */
  problems: RunDataError[];
  /** Data rows in the file (trailing blank lines excluded). */
  rows: number;
  /** Lines of the rows with at least one problem. */
  badLines: number[];
  header: string[];
}

function isBlankRow(cells: readonly string[]): boolean {
  return cells.length === 1 && cells[0].trim() === "";
}

/** Physical 1-based line of each parsed row: line breaks inside quoted cells are counted. */
function rowLines(parsed: readonly (readonly string[])[]): number[] {
  const lines: number[] = [];
  let nextLine = 1;
  for (const cells of parsed) {
    lines.push(nextLine);
    nextLine += 1;
    for (const cell of cells) nextLine += (cell.match(/\r\n|\r|\n/g) ?? []).length;
  }
  return lines;
}

/**
 * Checks rows already split into cells (d3-dsv, here and on the page) and reads the runs of
 * the good rows. The build, `npm run fit` and the page share it, so they report the same problems
 * with the same words; the build stops at the first one (parseSupervisedCsv, parseDistillationCsv).
 */
export function checkRunTable<R>(
  parsed: readonly (readonly string[])[], file: string, kind: RunKind, mapping: ColumnMapping = {},
): RunTableCheck<R> {
  const requiredColumns = kind === "supervised" ? SUPERVISED_COLUMNS : DISTILLATION_COLUMNS;
  const expectedHeader = requiredColumns.join(", ");
  const fatal = (problem: RunDataError, header: string[] = []): RunTableCheck<R> =>
    ({ runs: [], problems: [problem], rows: 0, badLines: [], header });
  if (parsed.length === 0 || parsed.every(isBlankRow)) {
    return fatal(new RunDataError(file, 1, undefined, `the file is empty; expected a header row with the columns ${expectedHeader}`));
  }
  const lines = rowLines(parsed);
  if (isBlankRow(parsed[0])) {
    return fatal(new RunDataError(file, 1, undefined, `expected a header row with the columns ${expectedHeader}, got a blank line`));
  }
  const header = parsed[0].map((name) => name.trim());
  const seen = new Map<string, number>();
  for (let index = 0; index < header.length; index++) {
    const name = header[index];
    if (name === "") {
      return fatal(new RunDataError(file, 1, undefined, `column ${index + 1} of the header has no name; name it or delete it`), header);
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      return fatal(new RunDataError(file, 1, name, `duplicated column name (columns ${earlier + 1} and ${index + 1}); each column must appear once`), header);
    }
    seen.set(name, index);
  }
  // Variable -> column index, from the mapping or the variable's own name.
  const source: number[] = [];
  for (const required of requiredColumns) {
    const mapped = mapping.columns?.[required];
    const name = mapped ?? required;
    const index = seen.get(name);
    if (index !== undefined) { source.push(index); continue; }
    if (mapped != null) {
      return fatal(new RunDataError(file, 1, required, `mapped to column ${JSON.stringify(mapped)}, which the header does not have; found ${header.join(", ")}`), header);
    }
    const suggestion = suggestColumn(required, header, requiredColumns);
    const hint = suggestion !== undefined ? `; did you mean ${JSON.stringify(suggestion)}? (names are case-sensitive)` : "";
    const otherKind = kind === "supervised" ? DISTILLATION_COLUMNS : SUPERVISED_COLUMNS;
    const looksLikeOther = suggestion === undefined && otherKind.every((name) => seen.has(name))
      ? `; this looks like a ${kind === "supervised" ? "distillation" : "supervised"} file`
      : "";
    return fatal(new RunDataError(
      file, 1, required,
      `missing required column; a ${kind} file needs ${expectedHeader}, found ${header.join(", ")}${hint}${looksLikeOther}`,
    ), header);
  }
  for (let i = 0; i < source.length; i++) {
    const j = source.indexOf(source[i]);
    if (j < i) {
      return fatal(new RunDataError(file, 1, requiredColumns[i],
        `column ${JSON.stringify(header[source[i]])} is mapped to both ${requiredColumns[j]} and ${requiredColumns[i]}; map each variable to its own column`), header);
    }
  }

  // Trailing blank lines are what editors leave behind; a blank line between runs may be a lost row.
  let end = parsed.length;
  while (end > 1 && isBlankRow(parsed[end - 1])) end -= 1;
  if (end <= 1) {
    return fatal(new RunDataError(file, 2, undefined, `expected a run below the header, found the end of the file`), header);
  }
  // Shape problems of every row first, then values: the order in which the build meets them.
  const shapeProblems: RunDataError[] = [];
  const valueProblems: RunDataError[] = [];
  const bad = new Set<number>();
  const good: { cells: readonly string[]; line: number }[] = [];
  for (let i = 1; i < end; i++) {
    const cells = parsed[i];
    if (isBlankRow(cells)) {
      shapeProblems.push(new RunDataError(file, lines[i], undefined, "blank line between runs; delete it or fill in the run"));
      bad.add(lines[i]);
    } else if (cells.length !== header.length) {
      shapeProblems.push(new RunDataError(file, lines[i], undefined, `expected ${header.length} fields as in the header, got ${cells.length}`));
      bad.add(lines[i]);
    } else {
      good.push({ cells, line: lines[i] });
    }
  }
  const mappedNames = new Set(source.map((index) => header[index]));
  const runs: R[] = [];
  for (const { cells, line } of good) {
    const values: number[] = [];
    for (let k = 0; k < requiredColumns.length; k++) {
      const variable = requiredColumns[k];
      const name = header[source[k]];
      // The file's column is named; a mapped variable is named too when it differs.
      const column = name === variable ? variable : `${name} (${variable})`;
      try {
        const value = parsePositiveNumber(cells[source[k]], file, line, column, mapping.decimalExponents?.[variable] ?? 0);
        if (LOSS_COLUMNS.has(variable)) checkLoss(value, cells[source[k]], file, line, column);
        values.push(value);
      } catch (error) {
        if (!(error instanceof RunDataError)) throw error;
        valueProblems.push(error);
      }
    }
    if (values.length < requiredColumns.length) { bad.add(line); continue; }
    const labels: Record<string, string> = {};
    header.forEach((name, index) => {
      if (!mappedNames.has(name) && !(requiredColumns as readonly string[]).includes(name)) labels[name] = cells[index];
    });
    const run = kind === "supervised"
      ? { N: values[0], D: values[1], L: values[2], labels, line }
      : { NS: values[0], DS: values[1], NT: values[2], DT: values[3], LT: values[4], LS: values[5], labels, line };
    runs.push(run as R);
  }
  return {
    runs, problems: [...shapeProblems, ...valueProblems], rows: end - 1,
    badLines: [...bad].sort((a, b) => a - b), header,
  };
}

export function parseCsvRows(text: string): string[][] {
  return csvParseRows(withoutByteOrderMark(text));
}

/**
 * Parses a supervised run CSV (columns N, D, L and optional text columns kept in `labels`).
 * Throws a RunDataError at the first problem; never drops a row.
 */
export function parseSupervisedCsv(text: string, fileName: string, mapping: ColumnMapping = {}): ParsedSupervisedRun[] {
  const check = checkRunTable<ParsedSupervisedRun>(parseCsvRows(text), fileName, "supervised", mapping);
  if (check.problems.length > 0) throw check.problems[0];
  return check.runs;
}

/**
 * Parses a distillation run CSV (columns N_S, D_S, N_T, D_T, L_T, L_S and optional text columns kept in
 * `labels`). Throws a RunDataError at the first problem; never drops a row.
 */
export function parseDistillationCsv(text: string, fileName: string, mapping: ColumnMapping = {}): ParsedDistillationRun[] {
  const check = checkRunTable<ParsedDistillationRun>(parseCsvRows(text), fileName, "distillation", mapping);
  if (check.problems.length > 0) throw check.problems[0];
  return check.runs;
}

/**
 * Throws a RunDataError if there are fewer distinct runs than the coefficients left free to fit:
 * such a fit is underdetermined, and a repeated run adds no information (73 copies of one run fit
 * any coefficients with objective 0). Callers pass the count after fixing coefficients (6 or 9 when
 * none is fixed).
 */
export function checkRunCount(runs: readonly SupervisedRun[] | readonly DistillationRun[], freeCoefficients: number, file: string): void {
  const distinct = distinctRunCount(runs);
  if (distinct < freeCoefficients) {
    const missing = freeCoefficients - distinct;
    const counted = distinct === runs.length
      ? `${runs.length} run${runs.length === 1 ? "" : "s"}`
      : `${runs.length} runs (${distinct} distinct: the others repeat one exactly)`;
    throw new RunDataError(
      file, 0, undefined,
      `${counted} cannot determine ${freeCoefficients} free coefficients; ` +
        `add at least ${missing} more ${distinct === runs.length ? "" : "distinct "}run${missing === 1 ? "" : "s"} or fix ${missing} coefficient${missing === 1 ? "" : "s"}`,
    );
  }
}

/** Runs counted once per set of numeric values (findDuplicateRuns' notion of a repeat). */
export function distinctRunCount(runs: readonly SupervisedRun[] | readonly DistillationRun[]): number {
  return new Set((runs as readonly (SupervisedRun | DistillationRun)[]).map(numericKey)).size;
}

function numericKey(run: SupervisedRun | DistillationRun): string {
  return "NS" in run
    ? [run.NS, run.DS, run.NT, run.DT, run.LT, run.LS].join(",")
    : [run.N, run.D, run.L].join(",");
}

/**
 * Groups of runs whose numeric columns are identical (text columns are ignored: the same
 * measurement under two names is still counted twice by a fit). Each group lists line numbers
 * (or 1-based positions for runs without one) in file order; groups are ordered by their first line.
 */
export function findDuplicateRuns(runs: readonly SupervisedRun[] | readonly DistillationRun[]): number[][] {
  const groups = new Map<string, number[]>();
  (runs as readonly (SupervisedRun | DistillationRun)[]).forEach((run, i) => {
    const key = numericKey(run);
    const group = groups.get(key);
    const line = run.line ?? i + 1;
    if (group) group.push(line);
    else groups.set(key, [line]);
  });
  return [...groups.values()].filter((group) => group.length > 1);
}

/** Text columns in order of first appearance across runs. */
function labelColumns(runs: readonly { labels?: Record<string, string> }[], reserved: readonly string[]): string[] {
  const columns: string[] = [];
  for (const run of runs) {
    for (const name of Object.keys(run.labels ?? {})) {
      if (!columns.includes(name) && !reserved.includes(name)) columns.push(name);
    }
  }
  return columns;
}

/** Writes runs as CSV: the number columns in order, each run's value of each by `value`, then text columns. */
function runsToCsv<Run extends { labels?: Record<string, string> }, Column extends string>(
  runs: readonly Run[],
  columns: readonly Column[],
  value: (run: Run, column: Column) => number,
  formatNumber: (value: number, column: Column) => string,
): string {
  const extra = labelColumns(runs, columns);
  const rows = runs.map((run) => [
    ...columns.map((column) => formatNumber(value(run, column), column)),
    ...extra.map((name) => run.labels?.[name] ?? ""),
  ]);
  return csvFormatRows([[...columns, ...extra], ...rows]) + "\n";
}

const SUPERVISED_FIELDS = { N: "N", D: "D", L: "L" } as const satisfies Record<(typeof SUPERVISED_COLUMNS)[number], keyof SupervisedRun>;
const DISTILLATION_FIELDS = { N_S: "NS", D_S: "DS", N_T: "NT", D_T: "DT", L_T: "LT", L_S: "LS" } as const satisfies Record<(typeof DISTILLATION_COLUMNS)[number], keyof DistillationRun>;

/**
 * Writes supervised runs as CSV (N, D, L, then text columns). `formatNumber` decides the notation;
 * the default is JavaScript's shortest round-trip form, which the parser reads back exactly.
 */
export function supervisedRunsToCsv(
  runs: readonly SupervisedRun[],
  formatNumber: (value: number, column: (typeof SUPERVISED_COLUMNS)[number]) => string = (value) => String(value),
): string {
  return runsToCsv(runs, SUPERVISED_COLUMNS, (run, column) => run[SUPERVISED_FIELDS[column]], formatNumber);
}

/** Writes distillation runs as CSV (N_S, D_S, N_T, D_T, L_T, L_S, then text columns). */
export function distillationRunsToCsv(
  runs: readonly DistillationRun[],
  formatNumber: (value: number, column: (typeof DISTILLATION_COLUMNS)[number]) => string = (value) => String(value),
): string {
  return runsToCsv(runs, DISTILLATION_COLUMNS, (run, column) => run[DISTILLATION_FIELDS[column]], formatNumber);
}
