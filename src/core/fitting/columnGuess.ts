// Guessing which column of an experiment tracker's export holds which variable of a law, and in
// which unit, from the column names. Only a guess: the "Your runs" page shows it for the reader to
// change, with a preview of the values it reads.

import { DISTILLATION_COLUMNS, SUPERVISED_COLUMNS, type ColumnMapping, type RunKind } from "./runs.js";

/** Units a tracker may use, as powers of ten. */
export const UNITS = {
  parameters: [
    { label: "parameters", exponent: 0 },
    { label: "millions of parameters", exponent: 6 },
    { label: "billions of parameters", exponent: 9 },
  ],
  tokens: [
    { label: "tokens", exponent: 0 },
    { label: "millions of tokens", exponent: 6 },
    { label: "billions of tokens", exponent: 9 },
    { label: "trillions of tokens", exponent: 12 },
  ],
} as const;

/** What each variable measures: which unit list applies (losses have none). */
export const VARIABLE_QUANTITY: Record<string, "parameters" | "tokens" | "loss"> = {
  N: "parameters", D: "tokens", L: "loss",
  N_S: "parameters", D_S: "tokens", N_T: "parameters", D_T: "tokens", L_T: "loss", L_S: "loss",
};

export const VARIABLE_DESCRIPTION: Record<string, string> = {
  N: "model size (non-embedding parameters)", D: "training tokens", L: "loss (cross-entropy, nats)",
  N_S: "student size", D_S: "student (distillation) tokens", N_T: "teacher size", D_T: "teacher tokens",
  L_T: "teacher loss", L_S: "student loss",
};

// Names after normalisation (lower case, letters and digits, unit words removed), most specific first.
const NAMES: Record<string, readonly string[]> = {
  // The laws take non-embedding counts: a file with both counts gets the non-embedding one.
  N: ["n", "nonembeddingparams", "nonembeddingparameters", "nonembparams", "nonembeddingparametercount",
    "nonembeddingparamcount", "params", "nparams", "numparams", "parameters", "nparameters", "numparameters", "modelsize", "size",
    "modelparams", "paramcount", "parametercount"],
  D: ["d", "tokens", "toks", "ntokens", "numtokens", "traintokens", "trainingtokens", "tokensseen", "totaltokens", "datasize", "data",
    "tokensprocessed", "consumedtokens"],
  L: ["l", "loss", "valloss", "validationloss", "evalloss", "testloss", "crossentropy", "valcrossentropy", "xent", "ce",
    "finalloss", "trainloss"],
  N_S: ["ns", "studentparams", "studentsize", "nstudent", "studentn", "studentparameters"],
  D_S: ["ds", "studenttokens", "distillationtokens", "distilltokens", "dstudent", "studentd"],
  N_T: ["nt", "teacherparams", "teachersize", "nteacher", "teachern", "teacherparameters"],
  D_T: ["dt", "teachertokens", "dteacher", "teacherd"],
  L_T: ["lt", "teacherloss", "lteacher", "teachervalloss", "teacherevalloss"],
  L_S: ["ls", "studentloss", "lstudent", "studentvalloss", "studentevalloss", "loss", "valloss", "evalloss"],
};

const UNIT_WORDS: Record<string, number> = {
  b: 9, bn: 9, billion: 9, billions: 9, m: 6, mn: 6, million: 6, millions: 6, t: 12, trillion: 12, trillions: 12,
};

/**
 * Trackers prefix a metric with its panel ("throughput/total_tokens", "eval/paloma/macro_loss"):
 * the part after the last "/" names the quantity.
 */
function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}

/** A loss column's name when nothing else matched: a key ending in "loss", evaluation losses first. */
function lossColumn(read: readonly { key: string }[], taken: ReadonlySet<number>): number {
  const losses = read.map((r, i) => ({ key: r.key, i })).filter((r) => !taken.has(r.i) && r.key.endsWith("loss") && !r.key.includes("teacher"));
  return (losses.find((r) => /eval|val|test/.test(r.key)) ?? losses[0])?.i ?? -1;
}

/** Splits a column name into lower-case words ("eval/loss" -> eval, loss; "trainTokensB" stays one word). */
function words(name: string): string[] {
  return name.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== "");
}

/** The name without unit words, and the unit those words give (0 when none). */
function readName(name: string): { key: string; exponent: number } {
  const all = words(name);
  // A unit word counts only when something else names the quantity ("M" alone is not a unit).
  const kept = all.filter((w) => !(w in UNIT_WORDS));
  if (kept.length === 0 || kept.length === all.length) return { key: all.join(""), exponent: 0 };
  return { key: kept.join(""), exponent: UNIT_WORDS[all.find((w) => w in UNIT_WORDS)!] };
}

/**
 * The guessed mapping for a header: each variable gets the first column whose name matches one of
 * its common names (exact required name first), a column going to one variable at most; the unit
 * from unit words in the name ("tokens_B", "params (M)"), else from the values when every one is far
 * below any real count (under 1e5 tokens or parameters reads as billions or millions).
 */
export function guessMapping(
  header: readonly string[], kind: RunKind, sample: readonly (readonly string[])[] = [],
  fixed: Readonly<Partial<Record<string, string>>> = {},
): Required<ColumnMapping> {
  const variables = kind === "supervised" ? SUPERVISED_COLUMNS : DISTILLATION_COLUMNS;
  const read = header.map(readName);
  const taken = new Set<number>();
  const columns: Record<string, string | null> = {};
  const decimalExponents: Record<string, number> = {};
  // Columns the reader chose: kept as given (checkRunTable reports a name the header lacks).
  for (const variable of variables) {
    const column = fixed[variable];
    if (column === undefined) continue;
    columns[variable] = column;
    if (header.includes(column)) taken.add(header.indexOf(column));
  }
  // Exact names first, so that a file with N, D, L and also "loss" keeps L.
  for (const variable of variables) {
    const index = header.findIndex((name) => name.trim() === variable);
    if (columns[variable] === undefined && index >= 0 && !taken.has(index)) { columns[variable] = header[index]; taken.add(index); }
  }
  // Then common names, of the whole name and then of its last "/" segment; a loss, last, by its ending.
  const segments = header.map((name) => readName(lastSegment(name)));
  for (const names of [read, segments]) {
    for (const variable of variables) {
      if (columns[variable] != null) continue;
      let found = -1;
      // A column of the teacher's ("teacher/loss") is never the student's or a supervised run's.
      const teacherVariable = variable.endsWith("_T");
      for (const name of NAMES[variable]) {
        found = names.findIndex((r, i) => !taken.has(i) && r.key === name && (teacherVariable || !read[i].key.includes("teacher")));
        if (found >= 0) break;
      }
      columns[variable] = found >= 0 ? header[found] : null;
      if (found >= 0) taken.add(found);
    }
  }
  for (const variable of variables) {
    if (columns[variable] != null || VARIABLE_QUANTITY[variable] !== "loss" || variable === "L_T") continue;
    const found = lossColumn(read, taken);
    if (found >= 0) { columns[variable] = header[found]; taken.add(found); }
  }
  for (const variable of variables) {
    const quantity = VARIABLE_QUANTITY[variable];
    const column = columns[variable];
    if (quantity === "loss" || column === null) { decimalExponents[variable] = 0; continue; }
    const index = header.indexOf(column);
    if (index < 0) { decimalExponents[variable] = 0; continue; }
    const fromName = read[index].exponent || segments[index].exponent;
    if (fromName !== 0 && UNITS[quantity].some((u) => u.exponent === fromName)) { decimalExponents[variable] = fromName; continue; }
    const values = sample.map((row) => Number(row[index])).filter((v) => Number.isFinite(v) && v > 0);
    const small = values.length > 0 && values.every((v) => v < 1e5);
    decimalExponents[variable] = small ? (quantity === "tokens" ? 9 : 6) : 0;
  }
  return { columns, decimalExponents };
}

/**
 * The mapping `npm run fit` reads a file with: the reader's choice, else the column of the
 * variable's own name, else the guess. A column named as its variable follows the documented
 * format, so its values are read as written (no unit guessed from small values).
 */
export function runFileMapping(
  header: readonly string[], kind: RunKind, sample: readonly (readonly string[])[],
  chosen: Readonly<Partial<Record<string, string>>> = {},
): Required<ColumnMapping> {
  const mapping = guessMapping(header, kind, sample, chosen);
  for (const v of Object.keys(mapping.columns)) if (mapping.columns[v] === v) mapping.decimalExponents[v] = 0;
  return mapping;
}

const NON_EMBEDDING = /nonemb|noemb|excludingemb|withoutemb/;
const WITH_EMBEDDING = /total|withemb|includingemb|inclemb|embincl/;

/**
 * What to tell the reader about the parameter counts a mapping reads. The laws take non-embedding
 * parameters, and counts with the embeddings give a different law (alpha 0.67 instead of 0.33 on
 * one public set): a count named as a total, a file with both counts, or a count whose name does
 * not say which it is gets a note naming the column.
 */
export function parameterCountNotes(header: readonly string[], mapping: Pick<ColumnMapping, "columns">): string[] {
  const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");
  const nonEmbedding = header.filter((name) => NON_EMBEDDING.test(key(name)) && /param|size|count/.test(key(name)));
  const totals = header.filter((name) => !NON_EMBEDDING.test(key(name)) && /param/.test(key(name)) && !/teacher|student/.test(key(name)));
  const notes: string[] = [];
  for (const [variable, column] of Object.entries(mapping.columns ?? {})) {
    if (VARIABLE_QUANTITY[variable] !== "parameters" || column == null) continue;
    const k = key(column);
    if (NON_EMBEDDING.test(k)) {
      const others = totals.filter((name) => name !== column);
      if (others.length > 0) notes.push(`${variable} reads the non-embedding count "${column}"; the file also has ${others.map((d) => `"${d}"`).join(", ")}, not used (the laws take non-embedding parameters)`);
    } else if (WITH_EMBEDDING.test(k)) {
      notes.push(`${variable} reads "${column}", which looks like a total count with the embeddings; the laws take non-embedding parameters, and totals give a different law (alpha 0.67 instead of 0.33 on one public set)${nonEmbedding.length ? `: map ${variable} to ${nonEmbedding.map((d) => `"${d}"`).join(" or ")}` : ""}`);
    } else if (nonEmbedding.length > 0) {
      notes.push(`${variable} reads "${column}", but the file also has the non-embedding count ${nonEmbedding.map((d) => `"${d}"`).join(", ")}, which the laws take: map ${variable} to it`);
    } else if (column !== variable) {
      notes.push(`${variable} reads "${column}": the laws take non-embedding parameters; if it counts the embeddings, subtract them (totals give a different law: alpha 0.67 instead of 0.33 on one public set)`);
    }
  }
  return notes;
}
