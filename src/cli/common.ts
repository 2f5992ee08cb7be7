// What both command-line entries share: argument parsing that fails with one line naming the
// argument, coefficient files, the exit path for user errors, and how a band is printed.

import { basename, dirname, join } from "node:path";
import { readJsonFile } from "../node/files.js";
import type { CoefficientEnsemble } from "../core/ensemble/ensemble.js";
import type { ValidityDomain } from "../core/domain/validity.js";
import { DIRECTION_LABELS, type DirectionGrowth, type OutOfDomainGrowth } from "../core/domain/outOfDomain.js";
import type { Band } from "../core/ensemble/bands.js";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { parseLimited, type Parsed } from "../core/inputs/fieldParsers.js";
import type { InputLimit } from "../core/inputs/inputLimits.js";
import { TABLE6, type CoefficientSet } from "../core/laws/laws.js";
import { validateCoefficientSet, validateEnsemble } from "../core/ensemble/validateCoefficientSet.js";
import { withoutImplausibleMembers } from "../core/ensemble/plausibleMembers.js";

/** An error in what the user gave us: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Reads the arguments strictly: unknown options and positionals are errors, an option given twice
 * is an error (rather than the last one silently winning, except for options declared `multiple`),
 * and a negative number after an option ("--student -1") is its value, so that it reaches the
 * number parser and gets its message.
 */
export function parseArguments<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T) {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals: false, tokens: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name) && !options[token.name]?.multiple) throw new UsageError(`--${token.name}: given more than once; give each option once`);
    seen.add(token.name);
  }
  return parsed;
}

/** "--student -1" as "--student=-1" for options that take a value: parseArgs would call -1 an option. */
function joinNegativeValues(argv: readonly string[], options: NonNullable<ParseArgsConfig["options"]>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([^=]+)$/.exec(argv[i])?.[1];
    if (name !== undefined && options[name]?.type === "string" && i + 1 < argv.length && /^-[\d.]/.test(argv[i + 1])) {
      joined.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else joined.push(argv[i]);
  }
  return joined;
}

/** A number from an argument within its accepted range ("1.82B", "1.82e9", "1e22"); the message names the argument. */
export function limitedArgument(name: string, text: string | undefined, limit: InputLimit, required = true): number | undefined {
  if (text === undefined) {
    if (required) throw new UsageError(`missing --${name}`);
    return undefined;
  }
  return parsedArgument(name, parseLimited(text, limit));
}

/** A parser's value, or its message as a UsageError naming the argument. */
export function parsedArgument<T>(name: string, parsed: Parsed<T>): T {
  if (!parsed.ok) throw new UsageError(`--${name}: ${parsed.error}`);
  return parsed.value;
}

/**
 * Reads coefficients from a JSON file: either the output of `npm run fit` (laws under
 * `supervised.coefficients`, `distillation.coefficients`) or plain `{supervised: {...}, distillation: {...}}`.
 * A file with only a supervised law carries Table 6's distillation law in `coefficients` with
 * `distillationFitted` false: the caller plans distillation with it only when the reader chose it.
 * When the file carries an ensemble (`ensemble` with its `members`, as `npm run fit -- --bootstrap N` and
 * fits.json write it, or `samplesFile` naming a file written by `npm run fit -- --samples`), it is
 * returned as `ensemble`, and its validity `domain` as `domain`; docs/coefficients-format.md has the format.
 */
export function readCoefficientsFile(file: string): {
  coefficients: CoefficientSet; warnings: string[]; ensemble: CoefficientEnsemble | null; domain: ValidityDomain | null;
  /** False when the file has no distillation law (a supervised-only fit). */
  distillationFitted: boolean;
  /** The out-of-domain error growth measured on the set's runs (bands widen by it beyond the domain), or null. */
  outOfDomain: OutOfDomainGrowth | null;
  /** The vocabulary of the file's runs, when it records one (`"n_vocab": 50304`). */
  nVocab: number | null;
} {
  const raw = readJson(file, "--coefficients");
  const checked = validateCoefficientSet(raw);
  if (!checked.ok) throw new UsageError(`--coefficients ${file}: ${checked.error}`);
  const { supervised, distillation, domain, samplesFile } = checked.value;
  let ensemble = checked.value.ensemble;
  if (ensemble === null && samplesFile !== null) ensemble = readSamplesFile(file, samplesFile);
  const nVocab = readVocabulary(file, raw as Record<string, unknown>);
  // An ensemble that records its implausible count was checked when it was built.
  if (ensemble && ensemble.implausible === undefined) ensemble = withoutImplausibleMembers(ensemble, { domain, nVocab: nVocab ?? undefined });
  if (ensemble && ensemble.members.length === 0) {
    throw new UsageError(`--coefficients ${file}: every ensemble member predicts the impossible where a plan can go (${ensemble.implausibleReason})`);
  }
  const warnings: string[] = [];
  return {
    coefficients: {
      id: file,
      label: file,
      source: `coefficients read from ${file}`,
      supervised,
      distillation: distillation ?? TABLE6.distillation,
    },
    warnings,
    distillationFitted: !!distillation,
    ensemble,
    domain,
    outOfDomain: readOutOfDomain(file, raw as Record<string, unknown>),
    nVocab,
  };
}

/** The measured out-of-domain growth a file carries (`npm run fit -- --bootstrap N` writes it), or null. */
function readOutOfDomain(file: string, root: Record<string, unknown>): OutOfDomainGrowth | null {
  const value = root?.outOfDomain as OutOfDomainGrowth | undefined;
  if (value === undefined || value === null) return null;
  const where = `--coefficients ${file}: outOfDomain`;
  const check = (list: unknown, law: string) => {
    if (!Array.isArray(list)) throw new UsageError(`${where}.${law} must be an array`);
    list.forEach((g: Partial<DirectionGrowth>, i) => {
      if (!g || !(g.direction && g.direction in DIRECTION_LABELS)) throw new UsageError(`${where}.${law}[${i}].direction must be one of ${Object.keys(DIRECTION_LABELS).join(", ")}`);
      if (typeof g.slope !== "number" || !(g.slope >= 0) || !Number.isFinite(g.slope)) throw new UsageError(`${where}.${law}[${i}].slope must be a non-negative number, got ${JSON.stringify(g.slope)}`);
    });
  };
  check(value.supervised, "supervised");
  if (value.distillation !== null) check(value.distillation, "distillation");
  return value;
}

/** A recorded vocabulary must be a whole number of tokens of at least 2. */
function readVocabulary(file: string, root: Record<string, unknown>): number | null {
  const value = root?.n_vocab;
  if (value === undefined) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 2) {
    throw new UsageError(`--coefficients ${file}: n_vocab must be a whole number of tokens (at least 2), got ${JSON.stringify(value)}`);
  }
  return value;
}


function readJson(file: string, argument: string): unknown {
  return readJsonFile(file, `${argument} ${file}`);
}

/** The ensemble kept beside a fit (`npm run fit -- --samples FILE`), checked as every set is. */
function readSamplesFile(file: string, named: string): CoefficientEnsemble {
  // A file name beside the coefficient file (`fit --samples` writes it so): a coefficient file
  // cannot point the CLI at any other file on the machine.
  if (named !== basename(named) || named === "." || named === ".." || !/\.json$/i.test(named)) {
    throw new UsageError(`--coefficients ${file}: samplesFile must name a .json file in the same folder, got ${JSON.stringify(named.slice(0, 80))}`);
  }
  const path = join(dirname(file), named);
  const checked = validateEnsemble(readJson(path, `--coefficients ${file}: samplesFile`));
  if (!checked.ok) throw new UsageError(`--coefficients ${file}: samplesFile ${path}: ${checked.error}`);
  return checked.value;
}

/** A band in a table cell: "low .. high", one value when it collapses, "-" when there is none. */
export function formatBand(b: Band | null, format: (x: number) => string): string {
  return b === null ? "-" : b.low === b.high ? format(b.low) : `${format(b.low)} .. ${b.high === Infinity ? "unbounded" : format(b.high)}`;
}

/** A band that may be widened beyond the domain, marked "(widened)" when it is. */
export function formatWidenedBand(b: (Band & { widened?: boolean }) | null, format: (x: number) => string): string {
  return `${formatBand(b, format)}${b?.widened ? " (widened)" : ""}`;
}

/** Runs a CLI body; user errors become one stderr line and exit code 2, anything else exit 1. */
export async function runCli(name: string, body: () => void | Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    const known = error as Error & { file?: string };
    if (known?.name && known.name !== "Error" && known.message) {
      // Typed domain errors (bad run files, infeasible fits) carry their own precise message.
      process.stderr.write(`${name}: ${known.message.split("\n")[0]}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${name}: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
