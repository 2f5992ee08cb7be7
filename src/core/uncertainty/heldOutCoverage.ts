// The held-out coverage check (docs/uncertainty.md, "Beyond the runs"): runs drawn from known
// coefficients are fitted, bootstrapped and measured for out-of-domain growth as any data set is;
// then for (student, budget) cases and strategies the true L_S* (the known coefficients' own optimum)
// is compared with the 90% band of planUncertainty, with and without the widening. Pure: the
// bootstrap runner is passed in (worker threads in Node).

import { planAllocations } from "../allocation/plan.js";
import type { StrategyId } from "../allocation/strategy.js";
import { solveStrategy } from "../allocation/strategy.js";
import type { CoefficientSet } from "../laws/laws.js";
import { validityDomain, type ValidityDomain } from "../domain/validity.js";
import type { OutOfDomainGrowth } from "../domain/outOfDomain.js";
import { fitDistillation, fitSupervised, type DistillationFitOptions, type SupervisedFitOptions } from "../fitting/fitSearch.js";
import { runEnsemble, type BootstrapRunner } from "../fitting/analysis.js";
import { outOfDomainCheck } from "../fitting/outOfDomainCheck.js";
import type { DistillationRun, SupervisedRun } from "../fitting/runs.js";
import type { CoefficientEnsemble } from "../ensemble/ensemble.js";
import { planUncertainty, type StrategyUncertainty } from "./planUncertainty.js";

/** Known coefficients that are not Table 6's: every coefficient moved by 5-30%. */
export const HELD_OUT_TRUTH: Pick<CoefficientSet, "supervised" | "distillation"> = Object.freeze({
  supervised: { E: 1.3, A: 2600, B: 15000, alpha: 0.39, beta: 0.42, gamma: 0.47 },
  distillation: { A: 1900, B: 20000, alpha: 0.33, beta: 0.6, gamma: 0.8, c0: 2.4, c1: 400, f1: 0.1, d1: 1.25 },
});

/** Nine (student, budget) cases whose students and supervised tokens lie inside the paper's design. */
export const HELD_OUT_CASES: readonly { student: number; budget: number }[] = Object.freeze(
  [1.98e8, 5.46e8, 1.82e9].flatMap((student) => [1e20, 1e21, 3e21].map((budget) => ({ student, budget }))),
);

export interface HeldOutOptions {
  truth: Pick<CoefficientSet, "supervised" | "distillation">;
  runs: { supervised: readonly SupervisedRun[]; distillation: readonly DistillationRun[] };
  cases: readonly { student: number; budget: number }[];
  strategies: readonly StrategyId[];
  resamples: number;
  seed: number;
  bootstrapRunner: BootstrapRunner;
  supervisedSearch?: Pick<SupervisedFitOptions, "search" | "startGrid">;
  distillationSearch?: Pick<DistillationFitOptions, "search" | "startGrid">;
  onProgress?: (message: string) => void;
}

export interface HeldOutCase {
  student: number;
  budget: number;
  strategy: StrategyId;
  truth: number;
  /** The members' band, and the same band widened beyond the domain. */
  band: { low: number; high: number };
  widenedBand: { low: number; high: number };
  widened: boolean;
  extrapolationFactor: number;
  inside: boolean;
  insideWidened: boolean;
}

export interface HeldOutCoverage {
  cases: HeldOutCase[];
  ensemble: Pick<CoefficientEnsemble, "requested" | "leftOut"> & { members: number };
  domain: ValidityDomain;
  growth: OutOfDomainGrowth;
}

/** What the check plans with: the point fit, its ensemble, its domain and measured growth (JSON). */
export interface HeldOutFit {
  point: Pick<CoefficientSet, "supervised" | "distillation">;
  ensemble: CoefficientEnsemble;
  domain: ValidityDomain;
  growth: OutOfDomainGrowth;
}

/** Fits the runs, bootstraps them and measures their out-of-domain growth, as the loader does for a data set. */
export async function fitHeldOut(options: Omit<HeldOutOptions, "cases" | "strategies" | "truth">): Promise<HeldOutFit> {
  const { runs, resamples, seed } = options;
  const search = { supervisedSearch: options.supervisedSearch, distillationSearch: options.distillationSearch };
  const supervisedFit = fitSupervised(runs.supervised, { ...options.supervisedSearch });
  const distillationFit = fitDistillation(runs.distillation, supervisedFit.coefficients, { ...options.distillationSearch });
  const pending = runEnsemble({
    kind: "bootstrap", supervisedRuns: runs.supervised, distillationRuns: runs.distillation,
    supervisedFit, distillationFit, resamples, seed,
  }, { bootstrapRunner: options.bootstrapRunner, onProgress: options.onProgress, name: "held-out" }, "ensemble");
  pending.catch(() => {});
  const growth = outOfDomainCheck(runs.supervised, runs.distillation, supervisedFit.coefficients, { ...search, onProgress: options.onProgress });
  const ensemble = await pending;
  const domain = validityDomain(runs.supervised, runs.distillation, "the held-out runs");
  return { point: { supervised: supervisedFit.coefficients, distillation: distillationFit.coefficients }, ensemble, domain, growth };
}

/** Fits (fitHeldOut) and checks every feasible case. */
export async function heldOutCoverage(options: HeldOutOptions): Promise<HeldOutCoverage> {
  return checkHeldOut(await fitHeldOut(options), options);
}

/** The true L_S* of every feasible case against the fit's bands, before and after widening. */
export function checkHeldOut(
  fit: HeldOutFit, options: Pick<HeldOutOptions, "truth" | "cases" | "strategies">,
): HeldOutCoverage {
  const { truth } = options;
  const { point, ensemble, domain, growth } = fit;
  const cases: HeldOutCase[] = [];
  for (const { student, budget } of options.cases) {
    const inputs = { studentParameters: student, budget, strategies: ["supervised", ...options.strategies.filter((s) => s !== "supervised")] as StrategyId[] };
    const pointRows = planAllocations({ studentParameters: student, budget, coefficients: point }, inputs.strategies);
    const plain = planUncertainty(inputs, pointRows, ensemble);
    const widened = planUncertainty({ ...inputs, outOfDomain: { domain, growth } }, pointRows, ensemble);
    for (const strategy of options.strategies) {
      const exact = solveStrategy(student, budget, strategy, { coefficients: truth });
      const row = (u: typeof plain) => u.strategies.find((s) => s.strategy === strategy) as StrategyUncertainty;
      const a = row(plain).studentLoss, b = row(widened).studentLoss;
      if (exact.status !== "optimal" || !a || !b) continue;
      const t = exact.studentLoss;
      cases.push({
        student, budget, strategy, truth: t,
        band: { low: a.low, high: a.high }, widenedBand: { low: b.low, high: b.high },
        widened: b.widened, extrapolationFactor: b.extrapolationFactor,
        inside: t >= a.low && t <= a.high, insideWidened: t >= b.low && t <= b.high,
      });
    }
  }
  return { cases, ensemble: { requested: ensemble.requested, leftOut: ensemble.leftOut, members: ensemble.members.length }, domain, growth };
}

/** The figures the docs and tests quote: coverage and median width, before and after widening. */
export function coverageFigures(cases: readonly HeldOutCase[]) {
  const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[s.length >> 1] : NaN; };
  return {
    cases: cases.length,
    inside: cases.filter((c) => c.inside).length,
    insideWidened: cases.filter((c) => c.insideWidened).length,
    widened: cases.filter((c) => c.widened).length,
    medianWidth: median(cases.map((c) => c.band.high - c.band.low)),
    medianWidenedWidth: median(cases.map((c) => c.widenedBand.high - c.widenedBand.low)),
  };
}
