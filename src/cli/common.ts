// What both command-line entries share: argument parsing that fails with one line naming the
// argument, coefficient files, and the exit path for user errors.

import { readFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { parseQuantity } from "../core/units.js";
import {
  DISTILLATION_COEFFICIENTS, SUPERVISED_COEFFICIENTS, TABLE6,
  type CoefficientSet, type DistillationCoefficients, type SupervisedCoefficients,
} from "../core/laws.js";

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
 */
export function readCoefficientsFile(file: string): { coefficients: CoefficientSet; warnings: string[] } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--coefficients ${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--coefficients ${file}: not valid JSON (${(error as Error).message})`);
  }
  const root = json as Record<string, unknown>;
  const law = (name: string) => {
    const value = root?.[name] as Record<string, unknown> | undefined;
    if (value && typeof value === "object" && "coefficients" in value) return value.coefficients as Record<string, unknown>;
    return value;
  };
  const read = <K extends string>(name: string, keys: readonly K[], value: Record<string, unknown>) => {
    const out = {} as Record<K, number>;
    for (const key of keys) {
      const x = value[key];
      if (typeof x !== "number" || !Number.isFinite(x) || x <= 0) {
        throw new UsageError(`--coefficients ${file}: ${name}.${key} must be a positive number, got ${JSON.stringify(x)}`);
      }
      out[key] = x;
    }
    return out;
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
      supervised: read("supervised", SUPERVISED_COEFFICIENTS, supervised) as SupervisedCoefficients,
      distillation: distillation && typeof distillation === "object"
        ? (read("distillation", DISTILLATION_COEFFICIENTS, distillation) as DistillationCoefficients)
        : TABLE6.distillation,
    },
    warnings,
  };
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
