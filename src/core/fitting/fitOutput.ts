// The JSON `npm run fit` prints (docs/coefficients-format.md), built in one place so that the
// "Your runs" page downloads exactly the same object (the ensemble inline), and
// `npm run plan --coefficients FILE` reads either.

import type { DatasetAnalysis, LawReport } from "./analysis.js";

export interface FitOutputOptions {
  /** The run files' names, printed as each law's `file`. */
  files: { supervised: string; distillation?: string };
  /** Lines of exactly repeated runs (findDuplicateRuns). */
  duplicates: { supervised: number[][]; distillation: number[][] };
  resamples: number;
  seed: number;
  /**
   * With `npm run fit --samples FILE` the ensemble goes to FILE and the output names it; otherwise
   * it is inline under `ensemble`, members included (docs/coefficients-format.md).
   */
  samplesFile?: string;
}

export function describeLaw<C>(report: LawReport<C>, file: string, duplicates: number[][]) {
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
    /** Coefficients at a limit of the search; their intervals (if any) are one-sided from it. */
    atBound: fit.atBound,
    /** Lines of exactly repeated runs: kept in the fit (each counts), reported so it is not silent. */
    duplicateRuns: duplicates,
    ...(bootstrap ? { intervals: bootstrap.intervals, failedResamples: bootstrap.failed } : {}),
  };
}

export type FitOutput = ReturnType<typeof fitOutput>;

export function fitOutput(analysis: DatasetAnalysis, options: FitOutputOptions) {
  return {
    supervised: describeLaw(analysis.supervised, options.files.supervised, options.duplicates.supervised),
    ...(analysis.distillation
      ? { distillation: describeLaw(analysis.distillation, options.files.distillation ?? "", options.duplicates.distillation) }
      : {}),
    ...(analysis.extrapolation ? { extrapolation: analysis.extrapolation } : {}),
    ...(analysis.outOfDomain ? { outOfDomain: analysis.outOfDomain } : {}),
    ...(options.resamples > 0 ? { bootstrap: { resamples: options.resamples, seed: options.seed, level: 0.9 } } : {}),
    domain: analysis.domain,
    ...samplesOutput(analysis, options.samplesFile),
  };
}

/** The ensemble (members included) under `ensemble`, as fits.json carries it; or named by `samplesFile`. */
function samplesOutput(analysis: DatasetAnalysis, file: string | undefined) {
  if (!analysis.ensemble) return {};
  return file === undefined ? { ensemble: analysis.ensemble } : { samplesFile: file };
}
