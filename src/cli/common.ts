// What both command-line entries share: argument parsing that fails with one line naming the
// argument, coefficient files, the exit path for user errors, and how a band is printed.

import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import type { CoefficientEnsemble, EnsembleMember } from "../core/ensemble/ensemble.js";
import type { ValidityDomain } from "../core/domain/validity.js";
import type { Band } from "../core/ensemble/bands.js";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { parseQuantity } from "../core/inputs/units.js";
import {
  DISTILLATION_COEFFICIENTS, SUPERVISED_COEFFICIENTS, TABLE6,
  type CoefficientSet, type DistillationCoefficients, type SupervisedCoefficients,
} from "../core/laws/laws.js";

/** An error in what the user gave us: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function parseArguments<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]);
  }
}

/** A positive quantity from an argument ("1.82B", "1.82e9", "1e22"). */
export function quantityArgument(name: string, text: string | undefined, required = true): number | undefined {
  if (text === undefined) {
    if (required) throw new UsageError(`missing --${name}`);
    return undefined;
  }
  const value = parseQuantity(text);
  if (value === null) throw new UsageError(`--${name}: expected a number such as 1.82e9, 1.82B or 1e22, got "${text}"`);
  if (!(value > 0)) throw new UsageError(`--${name}: expected a positive number, got "${text}"`);
  return value;
}


/**
 * Reads coefficients from a JSON file: either the output of `npm run fit` (laws under
 * `supervised.coefficients`, `distillation.coefficients`) or plain `{supervised: {...}, distillation: {...}}`.
 * A file with only a supervised law keeps Table 6's distillation law, and says so.
 * When the file carries an ensemble (`ensemble` with its `members`, as `npm run fit -- --bootstrap N` and
 * fits.json write it, or `samplesFile` naming a file written by `npm run fit -- --samples`), it is
 * returned as `ensemble`, and its validity `domain` as `domain`; docs/coefficients-format.md has the format.
 */
export function readCoefficientsFile(file: string): {
  coefficients: CoefficientSet; warnings: string[]; ensemble: CoefficientEnsemble | null; domain: ValidityDomain | null;
  /** The vocabulary of the file's runs, when it records one (`"n_vocab": 50304`). */
  nVocab: number | null;
} {
  const root = readJson(file, "--coefficients") as Record<string, unknown>;
  const law = (name: string) => {
    const value = root?.[name] as Record<string, unknown> | undefined;
    if (value && typeof value === "object" && "coefficients" in value) return value.coefficients as Record<string, unknown>;
    return value;
  };
  const supervised = law("supervised");
  if (!supervised || typeof supervised !== "object") throw new UsageError(`--coefficients ${file}: no "supervised" law`);
  const distillation = law("distillation");
  const warnings: string[] = [];
  if (!distillation) warnings.push(`${file} has no distillation law; using Table 6's`);
  return {
    coefficients: {
      id: file,
      label: file,
      source: `coefficients read from ${file}`,
      supervised: readLaw(`--coefficients ${file}: supervised`, SUPERVISED_COEFFICIENTS, supervised, true) as SupervisedCoefficients,
      distillation: distillation && typeof distillation === "object"
        ? (readLaw(`--coefficients ${file}: distillation`, DISTILLATION_COEFFICIENTS, distillation, true) as DistillationCoefficients)
        : TABLE6.distillation,
    },
    warnings,
    ensemble: readEnsemble(file, root),
    domain: readDomain(root),
    nVocab: readVocabulary(file, root),
  };
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

/** The validity domain a file carries (`npm run fit` writes it), or null. */
function readDomain(root: Record<string, unknown>): ValidityDomain | null {
  const value = root?.domain as ValidityDomain | undefined;
  return value && typeof value === "object" && value.supervised ? value : null;
}

function readJson(file: string, argument: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`${argument} ${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${argument} ${file}: not valid JSON (${(error as Error).message})`);
  }
}

// Scale coefficients must be positive; exponents and switch coefficients may be 0 (a fit can put
// beta' or c0 on its bound).
const POSITIVE = new Set(["A", "B", "E", "f1", "d1"]);

/** The point coefficients must all be positive (as before); ensemble members follow POSITIVE. */
function readLaw<K extends string>(where: string, keys: readonly K[], value: Record<string, unknown>, strict: boolean): Record<K, number> {
  if (!value || typeof value !== "object") throw new UsageError(`${where}: expected an object of coefficients, got ${JSON.stringify(value)}`);
  const out = {} as Record<K, number>;
  for (const key of keys) {
    const x = value[key];
    const positive = strict || POSITIVE.has(key);
    if (typeof x !== "number" || !Number.isFinite(x) || (positive ? x <= 0 : x < 0)) {
      throw new UsageError(`${where}.${key} must be a ${positive ? "positive" : "non-negative"} number, got ${JSON.stringify(x)}`);
    }
    out[key] = x;
  }
  return out;
}

/** The ensemble of a coefficients file, or null when it has none. */
function readEnsemble(file: string, root: Record<string, unknown>): CoefficientEnsemble | null {
  let source: Record<string, unknown>;
  let where: string;
  let membersKey: string;
  if (root.ensemble && typeof root.ensemble === "object") {
    source = root.ensemble as Record<string, unknown>;
    where = `--coefficients ${file}: ensemble`;
    membersKey = "members";
    if (!Array.isArray(source.members)) throw new UsageError(`${where}: no "members" array`);
  } else if (typeof root.samplesFile === "string") {
    // Relative to the coefficients file first (files moved together), then to the working folder.
    const named = root.samplesFile;
    const besideFile = join(dirname(file), named);
    const path = isAbsolute(named) || !existsSync(besideFile) ? named : besideFile;
    source = readJson(path, `--coefficients ${file}: samplesFile`) as Record<string, unknown>;
    where = `--coefficients ${file}: samplesFile ${path}`;
    membersKey = "members";
    if (!source || !Array.isArray(source.members)) throw new UsageError(`${where}: no "members" array`);
  } else {
    return null;
  }
  const members = (source.members as unknown[]).map((m, i): EnsembleMember => {
    const member = m as Record<string, Record<string, unknown>>;
    if (!member || typeof member !== "object") throw new UsageError(`${where}: ${membersKey}[${i}] is not an object`);
    return {
      supervised: readLaw(`${where}: ${membersKey}[${i}].supervised`, SUPERVISED_COEFFICIENTS, member.supervised, false),
      distillation: readLaw(`${where}: ${membersKey}[${i}].distillation`, DISTILLATION_COEFFICIENTS, member.distillation, false),
    };
  });
  if (members.length === 0) throw new UsageError(`${where}: ${membersKey} is empty`);
  const kind = source.kind === "parametric-bootstrap" ? "parametric-bootstrap" : "bootstrap";
  const count = (key: string, fallback: number) => {
    const x = source[key];
    if (x === undefined) return fallback;
    if (typeof x !== "number" || !Number.isInteger(x) || x < 0) throw new UsageError(`${where}: ${key} must be a whole number, got ${JSON.stringify(x)}`);
    return x;
  };
  const requested = count("requested", members.length);
  const leftOut = count("leftOut", requested - members.length);
  if (requested !== members.length + leftOut) {
    throw new UsageError(`${where}: requested (${requested}) is not members (${members.length}) + leftOut (${leftOut})`);
  }
  return {
    kind,
    description: typeof source.description === "string" ? source.description : `${members.length} coefficient samples read from ${file}`,
    members, requested, leftOut, seed: count("seed", 0),
  };
}

/** A band in a table cell: "low .. high", one value when it collapses, "-" when there is none. */
export function formatBand(b: Band | null, format: (x: number) => string): string {
  return b === null ? "-" : b.low === b.high ? format(b.low) : `${format(b.low)} .. ${format(b.high)}`;
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
