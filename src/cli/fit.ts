// npm run fit -- --supervised FILE [--distillation FILE] [--huber-delta X] [--fix NAME=VALUE ...]
//                 [--bootstrap N] [--seed S] [--samples FILE] [--extrapolation]
// Fits the supervised law, then the distillation law with L~_S from it (Appendix F), and prints
// one JSON object: per law the coefficients, objective, run count and, when bootstrapped, the
// 90% intervals, the ensemble with its members (`ensemble`, or written to --samples FILE) and the validity
// domain. docs/coefficients-format.md describes the format. Progress goes to stderr.

import { readFileSync, writeFileSync } from "node:fs";
import { parseDistillationCsv, parseSupervisedCsv, findDuplicateRuns } from "../core/runs.js";
import { analyseDataset, type DatasetAnalysis, type LawReport } from "../core/analysis.js";
import {
  DISTILLATION_COEFFICIENTS, SUPERVISED_COEFFICIENTS, type DistillationCoefficients, type SupervisedCoefficients,
} from "../core/laws.js";
import { workerBootstrap } from "../node/bootstrapWorkers.js";
import { UsageError, parseArguments, runCli } from "./common.js";


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
    files: { supervised: values.supervised, distillation: values.distillation },
  });
  const output = {
    supervised: describe(analysis.supervised, values.supervised, findDuplicateRuns(supervisedRuns)),
    ...(analysis.distillation
      ? { distillation: describe(analysis.distillation, values.distillation!, findDuplicateRuns(distillationRuns)) }
      : {}),
    ...(analysis.extrapolation ? { extrapolation: analysis.extrapolation } : {}),
    ...(resamples > 0 ? { bootstrap: { resamples, seed, level: 0.9 } } : {}),
    domain: analysis.domain,
    ...samplesOutput(analysis, values.samples),
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
});

/**
 * The ensemble (a CoefficientEnsemble, members included) under `ensemble`, as fits.json carries it
 * per data set; or, with --samples FILE, written to FILE and named by `samplesFile`.
 */
function samplesOutput(analysis: DatasetAnalysis, file: string | undefined) {
  if (!analysis.ensemble) return {};
  if (file === undefined) return { ensemble: analysis.ensemble };
  try {
    writeFileSync(file, `${JSON.stringify(analysis.ensemble)}\n`);
  } catch (error) {
    throw new UsageError(`--samples ${file}: cannot write the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { samplesFile: file };
}

function describe<C>(report: LawReport<C>, file: string, duplicates: number[][]) {
  const { fit, bootstrap } = report;
  return {
    file,
    coefficients: fit.coefficients,
    objective: fit.objective,
    runs: fit.runs,
    huberDelta: fit.huberDelta,
    fixed: fit.fixed,
    converged: fit.converged,
    status: fit.status,
    message: fit.message,
    starts: fit.starts,
    localSearches: fit.localSearches,
    evaluations: fit.evaluations,
    /** Lines of exactly repeated runs: kept in the fit (each counts), reported so it is not silent. */
    duplicateRuns: duplicates,
    ...(bootstrap ? { intervals: bootstrap.intervals, failedResamples: bootstrap.failed } : {}),
  };
}

function readRunFile(argument: string, file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--${argument} ${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function positiveNumber(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) throw new UsageError(`--${name}: expected a positive number, got "${text}"`);
  return value;
}

function integer(name: string, text: string, minimum: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < minimum) throw new UsageError(`--${name}: expected a whole number >= ${minimum}, got "${text}"`);
  return value;
}

/** Reads --fix NAME=VALUE; a primed name (gamma') or distillation.NAME fixes the distillation law. */
export function parseFixes(fixes: string[]): {
  fixedSupervised: Partial<SupervisedCoefficients>;
  fixedDistillation: Partial<DistillationCoefficients>;
} {
  const fixedSupervised: Record<string, number> = {};
  const fixedDistillation: Record<string, number> = {};
  for (const fix of fixes) {
    const match = /^\s*([A-Za-z_.0-9]+'?)\s*=\s*(.+)$/.exec(fix);
    if (!match) throw new UsageError(`--fix: expected NAME=VALUE such as gamma=1, got "${fix}"`);
    const [, rawName, rawValue] = match;
    const value = Number(rawValue);
    if (!Number.isFinite(value)) throw new UsageError(`--fix ${rawName}: expected a number, got "${rawValue}"`);
    let law: "supervised" | "distillation";
    let name: string;
    if (rawName.startsWith("supervised.")) { law = "supervised"; name = rawName.slice("supervised.".length); }
    else if (rawName.startsWith("distillation.")) { law = "distillation"; name = rawName.slice("distillation.".length); }
    else if (rawName.endsWith("'")) { law = "distillation"; name = rawName.slice(0, -1); }
    else if (["c0", "c1", "f1", "d1"].includes(rawName)) { law = "distillation"; name = rawName; }
    else { law = "supervised"; name = rawName; }
    const allowed: readonly string[] = law === "supervised" ? SUPERVISED_COEFFICIENTS : DISTILLATION_COEFFICIENTS;
    if (!allowed.includes(name)) {
      throw new UsageError(`--fix ${rawName}: unknown ${law} coefficient; expected one of ${law === "supervised"
        ? SUPERVISED_COEFFICIENTS.join(", ")
        : DISTILLATION_COEFFICIENTS.map(primed).join(", ")}`);
    }
    if (value <= 0 && name !== "alpha" && name !== "beta" && name !== "gamma" && name !== "c0" && name !== "c1") {
      throw new UsageError(`--fix ${rawName}: expected a positive number, got "${rawValue}"`);
    }
    if (value < 0) throw new UsageError(`--fix ${rawName}: expected a non-negative number, got "${rawValue}"`);
    (law === "supervised" ? fixedSupervised : fixedDistillation)[name] = value;
  }
  return { fixedSupervised, fixedDistillation };
}

export type { DatasetAnalysis };

/** The paper's name of a distillation coefficient: the capacity-term ones are primed (A', gamma'). */
function primed(name: string): string {
  return ["c0", "c1", "f1", "d1"].includes(name) ? name : `${name}'`;
}
