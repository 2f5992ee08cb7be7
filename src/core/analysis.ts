// The analysis of one data set, shared by the build-time loaders and `npm run fit`: fit the
// supervised law, then the distillation law with L~_S from it (Appendix F), bootstrap both,
// attach predictions and residuals to every run, and run the extrapolation check of Figure 5
// (fit on the weak runs, report the relative error on the strong ones).

import { distilledLossGiven, supervisedLoss, type DistillationCoefficients, type SupervisedCoefficients } from "./laws.js";
import {
  bootstrapIntervals, distillationBootstrapDraws, fitDistillation, fitSupervised, supervisedBootstrapDraws,
  type BootstrapDraws, type BootstrapResult, type BootstrapSlice, type DistillationFitOptions, type FitProgress,
  type LawFit, type SupervisedFitOptions,
} from "./fitter.js";
import {
  DISTILLATION_FREE_COEFFICIENTS, SUPERVISED_FREE_COEFFICIENTS, checkRunCount,
  type DistillationRun, type SupervisedRun,
} from "./runs.js";

/** The paper's split for the extrapolation check (Section 6 of SPEC.md, Figure 5). */
export const EXTRAPOLATION_THRESHOLDS = Object.freeze({ supervised: 2.2, distillation: 2.3 });

export interface AnalysisOptions {
  huberDelta?: number;
  fixedSupervised?: Partial<SupervisedCoefficients>;
  fixedDistillation?: Partial<DistillationCoefficients>;
  /** Bootstrap resamples per law; 0 skips the bootstrap. */
  resamples?: number;
  seed?: number;
  /** Run the extrapolation check (two more fits). */
  extrapolation?: boolean;
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
   * Runs the bootstraps; default: in this thread. A Node caller can spread the resamples over
   * worker threads (src/node/bootstrapWorkers.ts) with identical results.
   */
  bootstrapRunner?: BootstrapRunner;
}

/** Everything a bootstrap needs, in a form that can be posted to a worker thread. */
export type BootstrapJob =
  | { law: "supervised"; runs: readonly SupervisedRun[]; fit: LawFit<SupervisedCoefficients>; resamples: number; seed: number }
  | {
    law: "distillation"; runs: readonly DistillationRun[]; supervised: SupervisedCoefficients;
    fit: LawFit<DistillationCoefficients>; resamples: number; seed: number;
  };

/** Runs a bootstrap job; `onProgress(done)` counts refitted resamples. */
export type BootstrapRunner = (job: BootstrapJob, onProgress?: (done: number) => void) => Promise<BootstrapResult<unknown>>;

/** The refits of one slice of a bootstrap job, in this thread. */
export function runBootstrapSlice(job: BootstrapJob, slice: BootstrapSlice = {}, onProgress?: (done: number) => void): BootstrapDraws<unknown> {
  const options = { resamples: job.resamples, seed: job.seed, onProgress: onProgress && ((p: FitProgress) => onProgress(p.done)) };
  return job.law === "supervised"
    ? supervisedBootstrapDraws(job.runs, job.fit, options, slice) as BootstrapDraws<unknown>
    : distillationBootstrapDraws(job.runs, job.supervised, job.fit, options, slice) as BootstrapDraws<unknown>;
}

/** The default runner: the whole bootstrap in this thread. */
export const inThreadBootstrap: BootstrapRunner = async (job, onProgress) => bootstrapIntervals([runBootstrapSlice(job, {}, onProgress)]);

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
  extrapolation: { supervised: ExtrapolationReport; distillation: ExtrapolationReport | null } | null;
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
    report(`${name}${law} ${p.phase} ${p.done}/${p.total}`);
  };
}

/** Fits and bootstraps both laws of a data set; distillation is skipped when there are no runs. */
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
  const runBootstrap = options.bootstrapRunner ?? inThreadBootstrap;
  const bootstrap = async <C>(job: BootstrapJob, law: string): Promise<BootstrapResult<C> | null> => {
    if (resamples <= 0) return null;
    const report = progressReporter(options, law);
    return await runBootstrap(job, report && ((done) => report({ phase: "bootstrap", done, total: resamples }))) as BootstrapResult<C>;
  };

  const supervisedFit = fitSupervised(supervisedRuns, {
    huberDelta: options.huberDelta, fixed: options.fixedSupervised, ...options.supervisedSearch,
    onProgress: progressReporter(options, "supervised fit"),
  });
  const supervised: LawReport<SupervisedCoefficients> = {
    fit: supervisedFit,
    bootstrap: await bootstrap({ law: "supervised", runs: supervisedRuns, fit: supervisedFit, resamples, seed }, "supervised"),
  };

  let distillation: LawReport<DistillationCoefficients> | null = null;
  if (distillationRuns.length > 0) {
    const fit = fitDistillation(distillationRuns, supervisedFit.coefficients, {
      huberDelta: options.huberDelta, fixed: options.fixedDistillation, ...options.distillationSearch,
      onProgress: progressReporter(options, "distillation fit"),
    });
    distillation = {
      fit,
      bootstrap: await bootstrap(
        { law: "distillation", runs: distillationRuns, supervised: supervisedFit.coefficients, fit, resamples, seed }, "distillation"),
    };
  }

  const extrapolation = options.extrapolation ? extrapolationCheck(supervisedRuns, distillationRuns, options) : null;
  return { supervised, distillation, extrapolation };
}

/**
 * Figure 5's check: fit both laws on the weak runs only (supervised L >= 2.2, distillation
 * L_S >= 2.3) and report the relative error of the predictions on the strong runs.
 */
export function extrapolationCheck(
  supervisedRuns: readonly SupervisedRun[],
  distillationRuns: readonly DistillationRun[],
  options: AnalysisOptions = {},
): { supervised: ExtrapolationReport; distillation: ExtrapolationReport | null } {
  const { supervised: supervisedThreshold, distillation: distillationThreshold } = EXTRAPOLATION_THRESHOLDS;
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
    Math.abs(distilledLossGiven(weakFit, run.NS, run.DS, run.LT, supervisedLoss(weakSupervised, run.NS, run.DS)) / run.LS - 1));
  return {
    supervised: supervisedReport,
    distillation: {
      threshold: distillationThreshold, fittedRuns: weakDistillation.length, heldOutRuns: strongDistillation.length,
      ...summarise(distillationErrors), coefficients: weakFit,
    },
  };
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
    const predicted = distilledLossGiven(distillation, run.NS, run.DS, run.LT, supervisedStudentLoss);
    return {
      predicted,
      supervisedStudentLoss,
      relativeResidual: (run.LS - predicted) / predicted,
      split: run.LS >= EXTRAPOLATION_THRESHOLDS.distillation ? "fitted" : "held-out",
    };
  });
}
