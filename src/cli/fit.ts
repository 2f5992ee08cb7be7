// npm run fit -- --supervised FILE [--distillation FILE] [--huber-delta X] [--fix NAME=VALUE ...]
//                 [--bootstrap N] [--seed S] [--samples FILE] [--extrapolation]
// Fits the supervised law, then the distillation law with L~_S from it (Appendix F), and prints
// one JSON object: per law the coefficients, objective, run count and, when bootstrapped, the
// 90% intervals, the ensemble with its members (`ensemble`, or written to --samples FILE) and the validity
// domain. docs/coefficients-format.md describes the format. Progress goes to stderr.

import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { FILE_LIMITS, readTextFile } from "../node/files.js";
import { parseDistillationCsv, parseSupervisedCsv, findDuplicateRuns } from "../core/fitting/runs.js";
import { analyseDataset, type DatasetAnalysis } from "../core/fitting/analysis.js";
import { fitOutput } from "../core/fitting/fitOutput.js";
import { workerBootstrap } from "../node/bootstrapWorkers.js";
import { UsageError, parseArguments, runCli } from "./common.js";
import { parseQuantity } from "../core/inputs/units.js";
import { validateCoefficientSet } from "../core/ensemble/validateCoefficientSet.js";
import { FixError, parseFixList, primed } from "../core/fitting/fixes.js";
import { DISTILLATION_COEFFICIENTS, SUPERVISED_COEFFICIENTS } from "../core/laws/laws.js";


await runCli("fit", async () => {
  const { values } = parseArguments(process.argv.slice(2), {
    supervised: { type: "string" },
    distillation: { type: "string" },
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
    process.stdout.write("usage: npm run fit -- --supervised FILE [--distillation FILE] [--huber-delta X] " +
      "[--fix NAME=VALUE ...] [--bootstrap N] [--seed S] [--samples FILE] [--extrapolation] [--quiet]\n" +
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
  const resamples = values.bootstrap === undefined ? 0 : integer("bootstrap", values.bootstrap, 1);
  const seed = values.seed === undefined ? 0 : integer("seed", values.seed, 0);
  const { fixedSupervised, fixedDistillation } = parseFixes(values.fix ?? []);
  if (values.samples !== undefined && resamples === 0) throw new UsageError("--samples needs --bootstrap N: the samples are the bootstrap's members");

  const supervisedRuns = parseSupervisedCsv(readRunFile("supervised", values.supervised), values.supervised);
  const distillationRuns = values.distillation === undefined
    ? []
    : parseDistillationCsv(readRunFile("distillation", values.distillation), values.distillation);
  const progress = values.quiet ? undefined : (message: string) => process.stderr.write(`fit: ${message}\n`);
  const analysis = await analyseDataset(supervisedRuns, distillationRuns, {
    huberDelta, fixedSupervised, fixedDistillation, resamples, seed, bootstrapRunner: workerBootstrap(),
    extrapolation: values.extrapolation ?? false, onProgress: progress,
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

function readRunFile(argument: string, file: string): string {
  return readTextFile(file, `--${argument} ${file}`, FILE_LIMITS.runs);
}

// Read by the site's number reader (no hex, suffixes in either case), with fit's own messages.
function positiveNumber(name: string, text: string): number {
  const value = parseQuantity(text);
  if (value === null || !(value > 0)) throw new UsageError(`--${name}: expected a positive number, got "${text}"`);
  return value;
}

function integer(name: string, text: string, minimum: number): number {
  const value = parseQuantity(text);
  if (value === null || !Number.isSafeInteger(value) || value < minimum) throw new UsageError(`--${name}: expected a whole number >= ${minimum}, got "${text}"`);
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
