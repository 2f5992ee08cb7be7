// The fit of the "Your runs" page as one job: the same calls `npm run fit --extrapolation` makes
// (analyseDataset, whose paired bootstrap ensemble is bootstrapEnsemble's, then
// extrapolationCheck), timed by phase. Pure: it runs in the page's Web Worker (fitWorker.ts) and
// in Node tests alike.

import { analyseDataset, extrapolationCheck, inThreadBootstrap, type DatasetAnalysis } from "../core/fitting/analysis.js";
import type { FitProgress } from "../core/fitting/fitSearch.js";
import type { DistillationCoefficients, SupervisedCoefficients } from "../core/laws/laws.js";
import type { DistillationRun, SupervisedRun } from "../core/fitting/runs.js";

export interface FitJobInput {
  supervised: SupervisedRun[];
  distillation: DistillationRun[];
  huberDelta?: number;
  fixedSupervised?: Partial<SupervisedCoefficients>;
  fixedDistillation?: Partial<DistillationCoefficients>;
  resamples: number;
  seed: number;
  extrapolation: boolean;
}

/** One progress bar per task and phase: "supervised fit", "distillation fit", "ensemble" (bootstrap), ... */
export interface FitJobProgress {
  task: string;
  progress: FitProgress;
}

export interface FitJobResult {
  /** With the ensemble (analysis.ensemble) and the validity domain (analysis.domain). */
  analysis: DatasetAnalysis;
  /** Why the extrapolation check could not run (too few weak runs, say), when it was asked for. */
  extrapolationProblem: string | null;
  seconds: { fit: number; bootstrap: number; extrapolation: number };
}

export async function runFitJob(input: FitJobInput, onProgress: (p: FitJobProgress) => void = () => {}): Promise<FitJobResult> {
  let bootstrapSeconds = 0;
  const started = performance.now();
  const analysis = await analyseDataset(input.supervised, input.distillation, {
    huberDelta: input.huberDelta, fixedSupervised: input.fixedSupervised, fixedDistillation: input.fixedDistillation,
    resamples: input.resamples, seed: input.seed,
    // As `npm run fit`: with an ensemble, the out-of-domain growth its bands widen by beyond the runs.
    outOfDomain: input.resamples > 0,
    files: { supervised: "supervised runs", distillation: "distillation runs" },
    onFitProgress: (task, progress) => onProgress({ task, progress }),
    // The default in-thread runner, timed.
    bootstrapRunner: async (job, done) => {
      const t = performance.now();
      const part = await inThreadBootstrap(job, done);
      bootstrapSeconds += (performance.now() - t) / 1000;
      return part;
    },
  });
  const fitSeconds = (performance.now() - started) / 1000 - bootstrapSeconds;

  let extrapolationProblem: string | null = null;
  const t = performance.now();
  if (input.extrapolation) {
    try {
      analysis.extrapolation = extrapolationCheck(input.supervised, input.distillation, {
        huberDelta: input.huberDelta, fixedSupervised: input.fixedSupervised, fixedDistillation: input.fixedDistillation,
        onFitProgress: (task, progress) => onProgress({ task, progress }),
        files: { supervised: "supervised runs", distillation: "distillation runs" },
        // The reader's runs: the split comes from their losses, as `npm run fit --extrapolation` does.
        extrapolationSplit: "strongest-fifth",
      });
    } catch (error) {
      extrapolationProblem = (error as Error).message;
    }
  }
  return {
    analysis,
    extrapolationProblem,
    seconds: { fit: fitSeconds, bootstrap: bootstrapSeconds, extrapolation: (performance.now() - t) / 1000 },
  };
}
