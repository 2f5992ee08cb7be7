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
  N: ["n", "params", "nparams", "numparams", "parameters", "nparameters", "numparameters", "modelsize", "size",
    "modelparams", "paramcount", "nonembeddingparams", "nonembeddingparameters", "nonembparams"],
  D: ["d", "tokens", "ntokens", "numtokens", "traintokens", "trainingtokens", "tokensseen", "totaltokens", "datasize", "data"],
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
export function guessMapping(header: readonly string[], kind: RunKind, sample: readonly (readonly string[])[] = []): Required<ColumnMapping> {
  const variables = kind === "supervised" ? SUPERVISED_COLUMNS : DISTILLATION_COLUMNS;
  const read = header.map(readName);
  const taken = new Set<number>();
  const columns: Record<string, string | null> = {};
  const decimalExponents: Record<string, number> = {};
  // Exact names first, so that a file with N, D, L and also "loss" keeps L.
  for (const variable of variables) {
    const index = header.findIndex((name) => name.trim() === variable);
    if (index >= 0) { columns[variable] = header[index]; taken.add(index); }
  }
  for (const variable of variables) {
    if (columns[variable] !== undefined) continue;
    let found = -1;
    for (const name of NAMES[variable]) {
      found = read.findIndex((r, i) => !taken.has(i) && r.key === name);
      if (found >= 0) break;
    }
    columns[variable] = found >= 0 ? header[found] : null;
    if (found >= 0) taken.add(found);
  }
  for (const variable of variables) {
    const quantity = VARIABLE_QUANTITY[variable];
    const column = columns[variable];
    if (quantity === "loss" || column === null) { decimalExponents[variable] = 0; continue; }
    const index = header.indexOf(column);
    const fromName = read[index].exponent;
    if (fromName !== 0 && UNITS[quantity].some((u) => u.exponent === fromName)) { decimalExponents[variable] = fromName; continue; }
    const values = sample.map((row) => Number(row[index])).filter((v) => Number.isFinite(v) && v > 0);
    const small = values.length > 0 && values.every((v) => v < 1e5);
    decimalExponents[variable] = small ? (quantity === "tokens" ? 9 : 6) : 0;
  }
  return { columns, decimalExponents };
}
