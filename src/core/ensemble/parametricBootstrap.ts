// The parametric bootstrap of a point fit that comes without runs (the paper's Table 6): the paper
// published no joint samples of its coefficients, so each member simulates the runs of the paper's
// design (Section 4.2, Appendix E.2: generatePaperSynthetic) from the point fit with the bundled
// data set's noise model and its own seed, and refits both laws to them, warm-started at the point
// fit as the bootstrap refits are, paired as in bootstrap.ts (the distillation refit uses L~_S from
// the member's supervised refit) and under the same usable-member rule.
// Pure: runs in Node, browsers and Web Workers.

import { randomLcg } from "d3-random";
import {
  DEFAULT_RESAMPLES, pairedRefit, tallyRefit,
  type BootstrapSlice, type EnsemblePart, type EnsembleTally,
} from "./bootstrap.js";
import type { EnsembleMember } from "./ensemble.js";
import { FitError, SupervisedData } from "../fitting/fitObjective.js";
import { SUPERVISED_SPEC, resolveProblem, type FitProgress } from "../fitting/fitSearch.js";
import { distillationToVector, supervisedToVector, type CoefficientSet } from "../laws/laws.js";
import { PAPER_SYNTHETIC_OPTIONS, generatePaperSynthetic } from "../fitting/synth.js";
import { validityDomain, type ValidityDomain } from "../domain/validity.js";

export interface ParametricOptions {
  /** The point fit the runs are simulated from. */
  coefficients: Pick<CoefficientSet, "supervised" | "distillation">;
  /** Members to simulate. Default DEFAULT_RESAMPLES. */
  members?: number;
  /** Seeds the members' own noise seeds. Default 0. */
  seed?: number;
  /** Huber delta of the refits. Default 1e-4 (Appendix F). */
  huberDelta?: number;
  /** Only these members (worker threads split the work); mergeEnsembles joins the parts. */
  slice?: BootstrapSlice;
  onProgress?: (progress: FitProgress) => void;
}

/** The seed of member b's simulated runs: drawn from one LCG, so members' noise is unrelated. */
export function memberSeeds(seed: number, count: number): number[] {
  const rng = randomLcg(seed);
  return Array.from({ length: count }, () => Math.floor(rng() * 2 ** 31));
}

/** What the parametric ensemble's noise is, in words. */
export function describeNoise(): string {
  const { noise, noiseModel } = PAPER_SYNTHETIC_OPTIONS;
  return noiseModel === "uniform"
    ? `each loss times exp(u), u uniform in [-${noise}, ${noise}]`
    : `each loss times exp(u), u normal with sd ${noise}`;
}

/** A parametric-bootstrap ensemble of a point fit over the paper's design. */
export function parametricEnsemble(options: ParametricOptions): EnsemblePart {
  const total = Math.floor(options.members ?? DEFAULT_RESAMPLES);
  if (!(total >= 1)) throw new FitError("invalid-options", `members must be at least 1, got ${options.members}`);
  const seed = options.seed ?? 0;
  const first = options.slice?.first ?? 0;
  const count = options.slice?.count ?? total - first;
  if (!(Number.isInteger(first) && Number.isInteger(count) && first >= 0 && count >= 0 && first + count <= total)) {
    throw new FitError("invalid-options", `slice ${first}..${first + count} is not within the ${total} members`);
  }
  const huberDelta = options.huberDelta ?? 1e-4;
  const { coefficients } = options;
  const seeds = memberSeeds(seed, total);
  const members: EnsembleMember[] = [];
  const tally: EnsembleTally = { supervisedLeftOut: 0, distillationLeftOut: 0, keptUnsettled: 0 };
  let runCounts = { supervised: 0, distillation: 0 };
  for (let b = first; b < first + count; b++) {
    const runs = generatePaperSynthetic({ seed: seeds[b], coefficients });
    runCounts = { supervised: runs.supervised.length, distillation: runs.distillation.length };
    const supervisedData = SupervisedData.from(runs.supervised);
    const supervisedBase = resolveProblem(SUPERVISED_SPEC, supervisedData, { huberDelta });
    const refit = pairedRefit({
      supervisedData, supervisedCounts: new Float64Array(supervisedData.count).fill(1), supervisedBase,
      supervisedStart: Float64Array.from(supervisedToVector(coefficients.supervised)),
      distillationRuns: runs.distillation, distillationCounts: new Float64Array(runs.distillation.length).fill(1),
      distillationOptions: { huberDelta }, distillationStart: Float64Array.from(distillationToVector(coefficients.distillation)),
    });
    tallyRefit(tally, refit);
    if (refit.member) members.push(refit.member);
    options.onProgress?.({ phase: "bootstrap", done: b - first + 1, total: count });
  }
  // Every member simulates the same design; its counts do not depend on the seed.
  if (count === 0) {
    const runs = generatePaperSynthetic({ seed: 0, coefficients });
    runCounts = { supervised: runs.supervised.length, distillation: runs.distillation.length };
  }
  const description =
    `Parametric bootstrap: the paper published no joint samples, so ${total} repeats of the paper's design ` +
    `(Section 4.2, E.2: ${runCounts.supervised} supervised and ${runCounts.distillation} distillation runs) were simulated ` +
    `from these coefficients (${describeNoise()}, the bundled synthetic data set's noise) and refitted, ` +
    "warm-started at the point fit, the distillation law with L~_S from each member's supervised refit.";
  return {
    kind: "parametric-bootstrap", description, members, requested: count, leftOut: count - members.length, seed,
    slice: { first, count }, tally,
  };
}

/** The validity domain of the paper's design: the box of the runs a parametric member is fitted on. */
export function paperDesignDomain(coefficients: Pick<CoefficientSet, "supervised" | "distillation">): ValidityDomain {
  const runs = generatePaperSynthetic({ coefficients });
  return validityDomain(runs.supervised, runs.distillation, "the paper's design (Section 4.2, E.2), simulated");
}
