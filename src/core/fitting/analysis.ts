// The analysis of one data set, shared by the build-time loaders and `npm run fit`: fit the
// supervised law, then the distillation law with L~_S from it (Appendix F), the paired bootstrap
// ensemble of both (bootstrap.ts) and its intervals, the validity domain,
// attach predictions and residuals to every run, and run the extrapolation check of Figure 5
// (fit on the weak runs, report the relative error on the strong ones).

import {
  TABLE6, distilledLossFromSupervised, supervisedLoss,
  type CoefficientSet, type DistillationCoefficients, type SupervisedCoefficients,
} from "../laws/laws.js";
import { fitDistillation, fitSupervised, type DistillationFitOptions, type FitProgress, type LawFit, type SupervisedFitOptions } from "./fitSearch.js";
import {
  bootstrapEnsemble, ensembleIntervals,
  type BootstrapResult, type BootstrapSlice, type EnsemblePart,
} from "../ensemble/bootstrap.js";
import { paperDesignDomain, parametricEnsemble } from "../ensemble/parametricBootstrap.js";
import { withoutImplausibleMembers, type PlausibleEnsemble } from "../ensemble/plausibleMembers.js";
import type { OutOfDomainGrowth } from "../domain/outOfDomain.js";
import { outOfDomainCheck } from "./outOfDomainCheck.js";
import type { CoefficientEnsemble } from "../ensemble/ensemble.js";
import { validityDomain, type ValidityDomain } from "../domain/validity.js";
import {
  DISTILLATION_FREE_COEFFICIENTS, SUPERVISED_FREE_COEFFICIENTS, checkRunCount,
  type DistillationRun, type SupervisedRun,
} from "./runs.js";
import { splitProblem, strongestFractionSplit } from "./extrapolationSplit.js";

/** The paper's split for the extrapolation check (docs/spec.md section 6, Figure 5). */
export const EXTRAPOLATION_THRESHOLDS = Object.freeze({ supervised: 2.2, distillation: 2.3 });

export interface AnalysisOptions {
  huberDelta?: number;
  fixedSupervised?: Partial<SupervisedCoefficients>;
  fixedDistillation?: Partial<DistillationCoefficients>;
  /** Bootstrap resamples (ensemble members attempted); 0 skips the bootstrap. */
  resamples?: number;
  seed?: number;
  /** Run the extrapolation check (two more fits). */
  extrapolation?: boolean;
  /** Measure the out-of-domain error growth (outOfDomainCheck.ts: five refits warm-started at the fits). */
  outOfDomain?: boolean;
  /**
   * Its split: the paper's loss cut-offs (L >= 2.2, L_S >= 2.3; the default, for the paper's runs)
   * or the strongest fifth of the runs held out (a reader's runs, whatever their losses).
   */
  extrapolationSplit?: "paper" | "strongest-fifth";
  /** Search settings passed to the fitter (for example a reduced grid in tests). */
  supervisedSearch?: Pick<SupervisedFitOptions, "search" | "startGrid">;
  distillationSearch?: Pick<DistillationFitOptions, "search" | "startGrid">;
  /** Names the data set in progress messages and errors. */
  name?: string;
  /** The run files' names for error messages; default NAME/supervised.csv, NAME/distillation.csv. */
  files?: { supervised?: string; distillation?: string };
  onProgress?: (message: string) => void;
  /** Structured progress of each fit ("supervised fit", "distillation fit", "supervised", ...) for progress bars. */
  onFitProgress?: (law: string, progress: FitProgress) => void;
  /**
   * Runs the ensemble; default: in this thread. A Node caller can spread the members over
   * worker threads (src/node/bootstrapWorkers.ts) with identical results.
   */
  bootstrapRunner?: BootstrapRunner;
}

/** Everything an ensemble needs, in a form that can be posted to a worker thread. */
export type BootstrapJob =
  | {
    kind: "bootstrap"; supervisedRuns: readonly SupervisedRun[]; distillationRuns: readonly DistillationRun[];
    supervisedFit: LawFit<SupervisedCoefficients>; distillationFit: LawFit<DistillationCoefficients> | null;
    resamples: number; seed: number; huberDelta?: number;
    fixedSupervised?: Partial<SupervisedCoefficients>; fixedDistillation?: Partial<DistillationCoefficients>;
    /** Members' distillation law when there are no distillation runs. */
    distillationCoefficients?: DistillationCoefficients;
    name?: string;
  }
  | {
    kind: "parametric-bootstrap"; coefficients: Pick<CoefficientSet, "supervised" | "distillation">;
    resamples: number; seed: number; huberDelta?: number;
  };

/** Builds an ensemble job; `onProgress(done)` counts members refitted. */
export type BootstrapRunner = (job: BootstrapJob, onProgress?: (done: number) => void) => Promise<EnsemblePart>;

/** The members of one slice of an ensemble job, in this thread. */
export function runBootstrapSlice(job: BootstrapJob, slice: BootstrapSlice = {}, onProgress?: (done: number) => void): EnsemblePart {
  const progress = onProgress && ((p: FitProgress) => onProgress(p.done));
  if (job.kind === "parametric-bootstrap") {
    return parametricEnsemble({
      coefficients: job.coefficients, members: job.resamples, seed: job.seed, huberDelta: job.huberDelta, slice, onProgress: progress,
    });
  }
  return bootstrapEnsemble(job.supervisedRuns, job.distillationRuns, {
    supervisedFit: job.supervisedFit, distillationFit: job.distillationFit, resamples: job.resamples, seed: job.seed,
    huberDelta: job.huberDelta, fixedSupervised: job.fixedSupervised, fixedDistillation: job.fixedDistillation,
    distillationCoefficients: job.distillationCoefficients, name: job.name, slice, onProgress: progress,
  });
}

/** The default runner: the whole ensemble in this thread. */
export const inThreadBootstrap: BootstrapRunner = async (job, onProgress) => runBootstrapSlice(job, {}, onProgress);

/** The ensemble as fits.json and `npm run fit` write it: the slice bookkeeping dropped. */
export function publishedEnsemble<P extends EnsemblePart>(part: P): Omit<P, "slice"> {
  const { slice: _slice, ...ensemble } = part;
  return ensemble;
}

/** A built ensemble as published, with the count of members left out as implausible (plausibleMembers.ts). */
export type PublishedEnsemble = PlausibleEnsemble<CoefficientEnsemble & { tally: EnsemblePart["tally"] }>;

export interface LawReport<C> {
  fit: LawFit<C>;
  bootstrap: BootstrapResult<C> | null;
}

export interface ExtrapolationReport {
  threshold: number;
  /** Runs with observed loss at or above the threshold: the fit uses only these. */
  fittedRuns: number;
  /** Runs below the threshold: predicted, not fitted. */
  heldOutRuns: number;
  maxRelativeError: number | null;
  meanRelativeError: number | null;
  coefficients: SupervisedCoefficients | DistillationCoefficients;
}

export interface DatasetAnalysis {
  supervised: LawReport<SupervisedCoefficients>;
  distillation: LawReport<DistillationCoefficients> | null;
  /** The paired bootstrap ensemble (the intervals above are its percentiles); null without resamples. */
  ensemble: PublishedEnsemble | null;
  /** The box the runs span. */
  domain: ValidityDomain;
  extrapolation: { supervised: ExtrapolationReport; distillation: ExtrapolationReport | null } | null;
  /** How the error grows beyond the runs, per law and direction; null unless asked for. */
  outOfDomain: OutOfDomainGrowth | null;
}

function progressReporter(options: AnalysisOptions, law: string): ((p: FitProgress) => void) | undefined {
  const lines = lineReporter(options, law);
  const structured = options.onFitProgress;
  if (!structured) return lines;
  return (p) => { structured(law, p); lines?.(p); };
}

function lineReporter(options: AnalysisOptions, law: string): ((p: FitProgress) => void) | undefined {
  const report = options.onProgress;
  if (!report) return undefined;
  const name = options.name ? `${options.name}: ` : "";
  let last = -1;
  return (p) => {
    // One line per tenth of each phase keeps build logs readable.
    const tenth = Math.floor((10 * p.done) / Math.max(1, p.total));
    if (tenth === last && p.done !== p.total) return;
    last = p.done === p.total ? -1 : tenth;
    report(`${name}${law} ${p.phase} ${p.done}/${p.total}${p.runs === undefined ? "" : ` (on a sample of ${p.runs} runs)`}`);
  };
}

/** The box a job's runs span: the runs resampled, or the paper's design the parametric bootstrap simulates. */
function jobDomain(job: BootstrapJob): ValidityDomain {
  return job.kind === "parametric-bootstrap"
    ? paperDesignDomain(job.coefficients)
    : validityDomain(job.supervisedRuns, job.distillationRuns, `the runs of ${job.name ?? "the data set"}`);
}

/**
 * Runs an ensemble job with progress lines like the fits'; members that predict the impossible
 * where a plan can go (plausibleMembers.ts, judged within reach of the job's runs) are left out
 * and counted with the unusable ones.
 */
export async function runEnsemble(
  job: BootstrapJob, options: Pick<AnalysisOptions, "bootstrapRunner" | "onProgress" | "name">, label: string,
): Promise<PlausibleEnsemble<EnsemblePart>> {
  const report = progressReporter(options, label);
  const runner = options.bootstrapRunner ?? inThreadBootstrap;
  const part = await runner(job, report && ((done) => report({ phase: "bootstrap", done, total: job.resamples })));
  return withoutImplausibleMembers(part, { domain: jobDomain(job) });
}

/**
 * Fits both laws of a data set, then the paired bootstrap ensemble (whose percentiles are the
 * laws' intervals); distillation is skipped when there are no runs (members then carry Table 6's
 * distillation law, as the point set does).
 */
export async function analyseDataset(
  supervisedRuns: readonly SupervisedRun[],
  distillationRuns: readonly DistillationRun[],
  options: AnalysisOptions = {},
): Promise<DatasetAnalysis> {
  const { supervisedFile, distillationFile } = fileNames(options);
  const freeSupervised = SUPERVISED_FREE_COEFFICIENTS - Object.keys(options.fixedSupervised ?? {}).length;
  const freeDistillation = DISTILLATION_FREE_COEFFICIENTS - Object.keys(options.fixedDistillation ?? {}).length;
  checkRunCount(supervisedRuns, freeSupervised, supervisedFile);
  if (distillationRuns.length > 0) checkRunCount(distillationRuns, freeDistillation, distillationFile);
  const resamples = options.resamples ?? 0;
  const seed = options.seed ?? 0;

  const supervisedFit = fitSupervised(supervisedRuns, {
    huberDelta: options.huberDelta, fixed: options.fixedSupervised, ...options.supervisedSearch,
    onProgress: progressReporter(options, "supervised fit"),
  });
  const distillationFit = distillationRuns.length === 0 ? null : fitDistillation(distillationRuns, supervisedFit.coefficients, {
    huberDelta: options.huberDelta, fixed: options.fixedDistillation, ...options.distillationSearch,
    onProgress: progressReporter(options, "distillation fit"),
  });

  // With a worker-thread runner the ensemble runs while this thread does the extrapolation fits;
  // the default in-thread runner computes it at once, before them.
  const pending = resamples > 0
    ? runEnsemble({
      kind: "bootstrap", supervisedRuns, distillationRuns, supervisedFit, distillationFit, resamples, seed,
      huberDelta: options.huberDelta, fixedSupervised: options.fixedSupervised, fixedDistillation: options.fixedDistillation,
      distillationCoefficients: distillationFit ? undefined : TABLE6.distillation, name: options.name,
    }, options, "ensemble")
    : Promise.resolve(null);
  // A rejection is reported where it is awaited, below.
  pending.catch(() => {});
  const extrapolation = options.extrapolation ? extrapolationCheck(supervisedRuns, distillationRuns, options) : null;
  const outOfDomain = options.outOfDomain
    ? outOfDomainCheck(supervisedRuns, distillationRuns, supervisedFit.coefficients, {
      huberDelta: options.huberDelta, name: options.name, onProgress: options.onProgress,
      fixedSupervised: options.fixedSupervised, fixedDistillation: options.fixedDistillation,
      warmStart: { supervised: supervisedFit.coefficients, distillation: distillationFit?.coefficients ?? null },
    })
    : null;
  const ensemble = await pending;
  const intervals = ensemble ? ensembleIntervals(ensemble, 0.9, { supervised: supervisedFit.atBound, distillation: distillationFit?.atBound }) : null;
  const supervised: LawReport<SupervisedCoefficients> = { fit: supervisedFit, bootstrap: intervals?.supervised ?? null };
  const distillation: LawReport<DistillationCoefficients> | null = distillationFit
    ? { fit: distillationFit, bootstrap: intervals?.distillation ?? null }
    : null;
  const source = `the ${supervisedRuns.length} supervised and ${distillationRuns.length} distillation runs` +
    (options.name ? ` of ${options.name}` : "");
  return {
    supervised, distillation, ensemble: ensemble && publishedEnsemble(ensemble),
    domain: validityDomain(supervisedRuns, distillationRuns, source), extrapolation, outOfDomain,
  };
}

/**
 * Figure 5's check: fit both laws on the weak runs only (by default the paper's split, supervised
 * L >= 2.2, distillation L_S >= 2.3) and report the relative error of the predictions on the
 * strong runs.
 */
export function extrapolationCheck(
  supervisedRuns: readonly SupervisedRun[],
  distillationRuns: readonly DistillationRun[],
  options: AnalysisOptions = {},
): { supervised: ExtrapolationReport; distillation: ExtrapolationReport | null } {
  const { supervised: supervisedThreshold, distillation: distillationThreshold } = extrapolationThresholds(supervisedRuns, distillationRuns, options);
  const weak = supervisedRuns.filter((run) => run.L >= supervisedThreshold);
  const strong = supervisedRuns.filter((run) => run.L < supervisedThreshold);
  const { supervisedFile, distillationFile } = fileNames(options);
  checkRunCount(weak, SUPERVISED_FREE_COEFFICIENTS - Object.keys(options.fixedSupervised ?? {}).length,
    `${supervisedFile} (runs with L >= ${supervisedThreshold}, for the extrapolation check)`);
  const weakSupervised = fitSupervised(weak, {
    huberDelta: options.huberDelta, fixed: options.fixedSupervised, ...options.supervisedSearch,
    onProgress: progressReporter(options, "extrapolation supervised fit"),
  }).coefficients;
  const supervisedErrors = strong.map((run) => Math.abs(supervisedLoss(weakSupervised, run.N, run.D) / run.L - 1));
  const supervisedReport: ExtrapolationReport = {
    threshold: supervisedThreshold, fittedRuns: weak.length, heldOutRuns: strong.length,
    ...summarise(supervisedErrors), coefficients: weakSupervised,
  };
  if (distillationRuns.length === 0) return { supervised: supervisedReport, distillation: null };

  const weakDistillation = distillationRuns.filter((run) => run.LS >= distillationThreshold);
  const strongDistillation = distillationRuns.filter((run) => run.LS < distillationThreshold);
  checkRunCount(weakDistillation, DISTILLATION_FREE_COEFFICIENTS - Object.keys(options.fixedDistillation ?? {}).length,
    `${distillationFile} (runs with L_S >= ${distillationThreshold}, for the extrapolation check)`);
  const weakFit = fitDistillation(weakDistillation, weakSupervised, {
    huberDelta: options.huberDelta, fixed: options.fixedDistillation, ...options.distillationSearch,
    onProgress: progressReporter(options, "extrapolation distillation fit"),
  }).coefficients;
  const distillationErrors = strongDistillation.map((run) =>
    Math.abs(distilledLossFromSupervised(weakFit, run.NS, run.DS, run.LT, supervisedLoss(weakSupervised, run.NS, run.DS)) / run.LS - 1));
  return {
    supervised: supervisedReport,
    distillation: {
      threshold: distillationThreshold, fittedRuns: weakDistillation.length, heldOutRuns: strongDistillation.length,
      ...summarise(distillationErrors), coefficients: weakFit,
    },
  };
}

/**
 * The loss cut-offs of the check: the paper's, or with `extrapolationSplit: "strongest-fifth"`
 * those holding out the strongest fifth of these runs. Throws, saying why, when the runs allow no
 * such split.
 */
function extrapolationThresholds(
  supervisedRuns: readonly SupervisedRun[], distillationRuns: readonly DistillationRun[], options: AnalysisOptions,
): { supervised: number; distillation: number } {
  if (options.extrapolationSplit !== "strongest-fifth") return EXTRAPOLATION_THRESHOLDS;
  const free = {
    supervised: SUPERVISED_FREE_COEFFICIENTS - Object.keys(options.fixedSupervised ?? {}).length,
    distillation: DISTILLATION_FREE_COEFFICIENTS - Object.keys(options.fixedDistillation ?? {}).length,
  };
  const supervised = strongestFractionSplit(supervisedRuns.map((r) => r.L), free.supervised);
  if (!supervised) throw new Error(splitProblem("supervised", supervisedRuns.length, free.supervised));
  if (distillationRuns.length === 0) return { supervised: supervised.threshold, distillation: Infinity };
  const distillation = strongestFractionSplit(distillationRuns.map((r) => r.LS), free.distillation);
  if (!distillation) throw new Error(splitProblem("distillation", distillationRuns.length, free.distillation));
  return { supervised: supervised.threshold, distillation: distillation.threshold };
}

function fileNames(options: AnalysisOptions): { supervisedFile: string; distillationFile: string } {
  const prefix = options.name ? `${options.name}/` : "";
  return {
    supervisedFile: options.files?.supervised ?? `${prefix}supervised.csv`,
    distillationFile: options.files?.distillation ?? `${prefix}distillation.csv`,
  };
}

function summarise(errors: number[]): { maxRelativeError: number | null; meanRelativeError: number | null } {
  if (errors.length === 0) return { maxRelativeError: null, meanRelativeError: null };
  return {
    maxRelativeError: Math.max(...errors),
    meanRelativeError: errors.reduce((a, b) => a + b, 0) / errors.length,
  };
}

/** A supervised run with the fitted prediction, its relative residual and its extrapolation split. */
export interface SupervisedRunPrediction {
  predicted: number;
  /** (observed - predicted) / predicted */
  relativeResidual: number;
  split: "fitted" | "held-out";
}

export function predictSupervisedRuns(runs: readonly SupervisedRun[], c: SupervisedCoefficients): SupervisedRunPrediction[] {
  return runs.map((run) => {
    const predicted = supervisedLoss(c, run.N, run.D);
    return {
      predicted,
      relativeResidual: (run.L - predicted) / predicted,
      split: run.L >= EXTRAPOLATION_THRESHOLDS.supervised ? "fitted" : "held-out",
    };
  });
}

export interface DistillationRunPrediction extends SupervisedRunPrediction {
  /** L~_S: the student's supervised loss on the same tokens, from the supervised fit. */
  supervisedStudentLoss: number;
}

export function predictDistillationRuns(
  runs: readonly DistillationRun[],
  supervised: SupervisedCoefficients,
  distillation: DistillationCoefficients,
): DistillationRunPrediction[] {
  return runs.map((run) => {
    const supervisedStudentLoss = supervisedLoss(supervised, run.NS, run.DS);
    const predicted = distilledLossFromSupervised(distillation, run.NS, run.DS, run.LT, supervisedStudentLoss);
    return {
      predicted,
      supervisedStudentLoss,
      relativeResidual: (run.LS - predicted) / predicted,
      split: run.LS >= EXTRAPOLATION_THRESHOLDS.distillation ? "fitted" : "held-out",
    };
  });
}
