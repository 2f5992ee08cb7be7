// npm run fit -- --supervised FILE [--distillation FILE] [--columns VAR=COLUMN,...] [--huber-delta X]
//                 [--fix NAME=VALUE ...] [--bootstrap N] [--seed S] [--samples FILE] [--extrapolation]
// A tracker's export needs no renaming: the columns are guessed from their names as the "Your
// runs" page guesses them (parameter_count, throughput/total_tokens, eval/.../loss), and
// --columns N=parameter_count,D=...,L=... chooses them; what was read is said on stderr.
// Fits the supervised law, then the distillation law with L~_S from it (Appendix F), and prints
// one JSON object: per law the coefficients, objective, run count and, when bootstrapped, the
// 90% intervals, the ensemble with its members (`ensemble`, or written to --samples FILE) and the validity
// domain. docs/coefficients-format.md describes the format. Progress goes to stderr. The
// --extrapolation check (Figure 5) fits all but the strongest fifth of the runs (lowest loss) and
// predicts those: the paper's fixed cut-offs (L >= 2.2) suit only the paper's runs.

import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { FILE_LIMITS, readTextFile } from "../node/files.js";
import {
  DISTILLATION_COLUMNS, SUPERVISED_COLUMNS, findDuplicateRuns, parseCsvRows, parseDistillationCsv, parseSupervisedCsv,
  type ColumnMapping, type RunKind,
} from "../core/fitting/runs.js";
import { VARIABLE_DESCRIPTION, parameterCountNotes, runFileMapping } from "../core/fitting/columnGuess.js";
import { analyseDataset, type DatasetAnalysis } from "../core/fitting/analysis.js";
import { fitOutput } from "../core/fitting/fitOutput.js";
import { workerBootstrap } from "../node/bootstrapWorkers.js";
import { UsageError, parseArguments, runCli } from "./common.js";
import { parseQuantity } from "../core/inputs/units.js";
import { limitProblem } from "../core/inputs/fieldParsers.js";
import { INPUT_LIMITS, type InputLimit } from "../core/inputs/inputLimits.js";
import { validateCoefficientSet } from "../core/ensemble/validateCoefficientSet.js";
import { describeLeftOut } from "../core/ensemble/summary.js";
import { FixError, parseFixList, primed } from "../core/fitting/fixes.js";
import { DISTILLATION_COEFFICIENTS, SUPERVISED_COEFFICIENTS } from "../core/laws/laws.js";


await runCli("fit", async () => {
  const { values } = parseArguments(process.argv.slice(2), {
    supervised: { type: "string" },
    distillation: { type: "string" },
    columns: { type: "string", multiple: true },
    "huber-delta": { type: "string" },
    fix: { type: "string", multiple: true },
    bootstrap: { type: "string" },
    seed: { type: "string" },
    samples: { type: "string" },
    extrapolation: { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write("usage: npm run fit -- --supervised FILE [--distillation FILE] [--columns VAR=COLUMN,...] [--huber-delta X] " +
      "[--fix NAME=VALUE ...] [--bootstrap N] [--seed S] [--samples FILE] [--extrapolation] [--quiet]\n" +
      `  VAR: ${SUPERVISED_COLUMNS.join(" ")} (supervised file); ${DISTILLATION_COLUMNS.join(" ")} (distillation file);\n` +
      "  a variable not given is read from the column of its own name, else guessed from the names\n" +
      `  NAME: ${SUPERVISED_COEFFICIENTS.join(" ")} (supervised); ${DISTILLATION_COEFFICIENTS.map(primed).join(" ")} (distillation);\n` +
      "  or supervised.NAME / distillation.NAME\n");
    return;
  }
  if (values.supervised === undefined) {
    throw new UsageError(values.distillation !== undefined
      ? "--distillation needs --supervised: the distillation law is fitted with L~_S from the supervised fit"
      : "missing --supervised FILE");
  }
  const huberDelta = values["huber-delta"] === undefined ? undefined : positiveNumber("huber-delta", values["huber-delta"]);
  const resamples = values.bootstrap === undefined ? 0 : integer("bootstrap", values.bootstrap, 1, INPUT_LIMITS.bootstrapResamples);
  const seed = values.seed === undefined ? 0 : integer("seed", values.seed, 0);
  const { fixedSupervised, fixedDistillation } = parseFixes(values.fix ?? []);
  if (values.samples !== undefined && resamples === 0) throw new UsageError("--samples needs --bootstrap N: the samples are the bootstrap's members");

  const chosen = parseColumns(values.columns ?? []);
  const say = (message: string) => process.stderr.write(`fit: ${message}\n`);
  const supervisedText = readRunFile("supervised", values.supervised);
  const supervisedRuns = parseSupervisedCsv(supervisedText, values.supervised, fileMapping("supervised", values.supervised, supervisedText, chosen, say));
  const distillationText = values.distillation === undefined ? null : readRunFile("distillation", values.distillation);
  const distillationRuns = values.distillation === undefined || distillationText === null
    ? []
    : parseDistillationCsv(distillationText, values.distillation, fileMapping("distillation", values.distillation, distillationText, chosen, say));
  const progress = values.quiet ? undefined : say;
  const analysis = await analyseDataset(supervisedRuns, distillationRuns, {
    huberDelta, fixedSupervised, fixedDistillation, resamples, seed, bootstrapRunner: workerBootstrap(),
    extrapolation: values.extrapolation ?? false, extrapolationSplit: "strongest-fifth", onProgress: progress,
    // Bands beyond the runs widen by this growth (plan --coefficients reads it with the ensemble).
    outOfDomain: resamples > 0,
    files: { supervised: values.supervised, distillation: values.distillation },
  });
  const output = fitOutput(analysis, {
    files: { supervised: values.supervised, distillation: values.distillation },
    duplicates: { supervised: findDuplicateRuns(supervisedRuns), distillation: findDuplicateRuns(distillationRuns) },
    // Named without its folder: a coefficient file finds its samples beside itself.
    resamples, seed, samplesFile: values.samples === undefined ? undefined : basename(values.samples),
  });
  // What fit prints is what plan --coefficients reads back: it passes the same check first.
  const checked = validateCoefficientSet(output);
  if (!checked.ok) throw new UsageError(`the fitted coefficient set fails the coefficient-set check: ${checked.error}`);
  if (values.samples !== undefined && analysis.ensemble) writeSamples(analysis, values.samples);
  if (analysis.ensemble && !values.quiet) {
    const e = analysis.ensemble;
    say(`ensemble: ${e.members.length} members kept; ${describeLeftOut(e)}`);
  }
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
});

/** With --samples FILE, the ensemble (members included) goes to FILE as one CoefficientEnsemble. */
function writeSamples(analysis: DatasetAnalysis, file: string): void {
  try {
    writeFileSync(file, `${JSON.stringify(analysis.ensemble)}\n`);
  } catch (error) {
    throw new UsageError(`--samples ${file}: cannot write the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** --columns N=parameter_count,D=tokens (repeatable): variable -> column name. */
export function parseColumns(entries: readonly string[]): Record<string, string> {
  const known: readonly string[] = [...SUPERVISED_COLUMNS, ...DISTILLATION_COLUMNS];
  const chosen: Record<string, string> = {};
  for (const entry of entries.flatMap((e) => e.split(","))) {
    if (entry.trim() === "") continue;
    const equals = entry.indexOf("=");
    const variable = entry.slice(0, Math.max(equals, 0)).trim();
    const column = entry.slice(equals + 1).trim();
    if (equals < 0 || column === "") throw new UsageError(`--columns: expected VAR=COLUMN, got "${entry}"`);
    if (!known.includes(variable)) throw new UsageError(`--columns: unknown variable "${variable}" in "${entry}"; expected one of ${known.join(", ")}`);
    if (chosen[variable] !== undefined) throw new UsageError(`--columns: ${variable} is given twice ("${chosen[variable]}" and "${column}")`);
    chosen[variable] = column;
  }
  return chosen;
}

/**
 * The columns a run file's variables are read from: the reader's choice, else the column of the
 * variable's own name, else the page's guess from the names. Says on stderr what was guessed and
 * what the parameter counts are, and names the variables no column was found for.
 */
function fileMapping(kind: RunKind, file: string, text: string, chosen: Record<string, string>, say: (message: string) => void): ColumnMapping {
  const rows = parseCsvRows(text);
  const header = (rows[0] ?? []).map((name) => name.trim());
  // An empty file or a bad header is checkRunTable's to report.
  if (header.length === 0 || header.some((name) => name === "")) return { columns: chosen };
  const variables: readonly string[] = kind === "supervised" ? SUPERVISED_COLUMNS : DISTILLATION_COLUMNS;
  for (const v of variables) {
    if (chosen[v] !== undefined && !header.includes(chosen[v])) {
      throw new UsageError(`--columns ${v}=${chosen[v]}: ${file} has no column "${chosen[v]}"; its header has ${header.join(", ")}`);
    }
  }
  const mapping = runFileMapping(header, kind, rows.slice(1, 21), chosen);
  const missing = variables.filter((v) => mapping.columns[v] == null);
  if (missing.length > 0) {
    throw new UsageError(`--${kind} ${file}: no column found for ${missing.map((v) => `${v} (${VARIABLE_DESCRIPTION[v]})`).join(", ")}; ` +
      `the header has ${header.join(", ")}; name them with --columns ${missing.map((v) => `${v}=COLUMN`).join(",")}`);
  }
  const guessed = variables.filter((v) => chosen[v] === undefined && mapping.columns[v] !== v);
  if (guessed.length > 0) {
    const unit = (v: string) => (mapping.decimalExponents[v] ? ` (x 1e${mapping.decimalExponents[v]})` : "");
    say(`${file}: columns guessed from their names: ${guessed.map((v) => `${v} = "${mapping.columns[v]}"${unit(v)}`).join(", ")}; --columns VAR=COLUMN,... changes them`);
  }
  for (const note of parameterCountNotes(header, mapping)) say(`${file}: ${note}`);
  return mapping;
}

function readRunFile(argument: string, file: string): string {
  return readTextFile(file, `--${argument} ${file}`, FILE_LIMITS.runs);
}

// Read by the site's number reader (no hex, suffixes in either case), with fit's own messages.
function positiveNumber(name: string, text: string): number {
  const value = parseQuantity(text);
  if (value === null || !(value > 0)) throw new UsageError(`--${name}: expected a positive number, got "${text}"`);
  return value;
}

/** A whole number >= minimum, held to `limit` (the shared input limits) when one is given. */
function integer(name: string, text: string, minimum: number, limit?: InputLimit): number {
  const value = parseQuantity(text);
  if (value === null || !Number.isSafeInteger(value) || value < minimum) throw new UsageError(`--${name}: expected a whole number >= ${minimum}, got "${text}"`);
  const problem = limit && limitProblem(value, limit, text.trim());
  if (problem) throw new UsageError(`--${name}: ${problem}`);
  return value;
}

/** Reads --fix NAME=VALUE; a primed name (gamma') or distillation.NAME fixes the distillation law. */
export function parseFixes(fixes: string[]): ReturnType<typeof parseFixList> {
  try {
    return parseFixList(fixes);
  } catch (error) {
    if (error instanceof FixError) throw new UsageError(error.message);
    throw error;
  }
}

export type { DatasetAnalysis };
