// The fit of the "Your runs" page as one job, the same calls `npm run fit --extrapolation` makes
// (analyseDataset, then extrapolationCheck), with the bootstrap's members kept as an ensemble.
// Pure: it runs in the page's Web Worker (fitWorker.ts) and in Node tests alike.

import { analyseDataset, extrapolationCheck, runBootstrapSlice, type DatasetAnalysis } from "../core/analysis.js";
import { bootstrapIntervals, type BootstrapDraws, type FitProgress } from "../core/fitter.js";
import type { CoefficientEnsemble, EnsembleMember } from "../core/ensemble.js";
import { TABLE6, type DistillationCoefficients, type SupervisedCoefficients } from "../core/laws.js";
import type { DistillationRun, SupervisedRun } from "../core/runs.js";

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

/** One progress bar per phase: "supervised fit", "distillation fit", "supervised" (bootstrap), ... */
export interface FitJobProgress {
  task: string;
  progress: FitProgress;
}

export interface FitJobResult {
  analysis: DatasetAnalysis;
  ensemble: CoefficientEnsemble | null;
  /** Why the extrapolation check could not run (too few weak runs, say), when it was asked for. */
  extrapolationProblem: string | null;
  seconds: { fit: number; bootstrap: number; extrapolation: number };
}

export async function runFitJob(input: FitJobInput, onProgress: (p: FitJobProgress) => void = () => {}): Promise<FitJobResult> {
  const draws: Partial<Record<"supervised" | "distillation", BootstrapDraws<unknown>>> = {};
  let bootstrapSeconds = 0;
  const started = performance.now();
  const analysis = await analyseDataset(input.supervised, input.distillation, {
    huberDelta: input.huberDelta, fixedSupervised: input.fixedSupervised, fixedDistillation: input.fixedDistillation,
    resamples: input.resamples, seed: input.seed,
    onFitProgress: (task, progress) => onProgress({ task, progress }),
    // The in-thread runner, keeping each resample's refit for the ensemble.
    bootstrapRunner: async (job, done) => {
      const t = performance.now();
      const slice = runBootstrapSlice(job, {}, done);
      draws[job.law] = slice;
      bootstrapSeconds += (performance.now() - t) / 1000;
      return bootstrapIntervals([slice]);
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
      });
    } catch (error) {
      extrapolationProblem = (error as Error).message;
    }
  }
  return {
    analysis,
    ensemble: ensembleOf(draws, input),
    extrapolationProblem,
    seconds: { fit: fitSeconds, bootstrap: bootstrapSeconds, extrapolation: (performance.now() - t) / 1000 },
  };
}

/**
 * Member b pairs resample b's supervised refit with resample b's distillation refit (the latter
 * with the supervised law held at the point fit, as the build's bootstrap does); without
 * distillation runs every member carries Table 6's distillation law.
 */
function ensembleOf(draws: Partial<Record<"supervised" | "distillation", BootstrapDraws<unknown>>>, input: FitJobInput): CoefficientEnsemble | null {
  const supervised = draws.supervised?.refits as (SupervisedCoefficients | null)[] | undefined;
  if (!supervised) return null;
  const distillation = draws.distillation?.refits as (DistillationCoefficients | null)[] | undefined;
  const members: EnsembleMember[] = [];
  supervised.forEach((s, b) => {
    const d = distillation ? distillation[b] : TABLE6.distillation;
    if (s !== null && d !== null) members.push({ supervised: s, distillation: d });
  });
  return {
    kind: "bootstrap",
    description: distillation
      ? `${input.resamples} bootstrap resamples of your runs (seed ${input.seed}), each law refitted to its resample`
      : `${input.resamples} bootstrap resamples of your supervised runs (seed ${input.seed}); the distillation law is the paper's Table 6 in every member`,
    members,
    requested: input.resamples,
    leftOut: input.resamples - members.length,
    seed: input.seed,
  };
}
