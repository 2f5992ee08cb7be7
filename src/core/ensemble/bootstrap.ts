// Resampling the runs: percentile intervals of each law's coefficients, and paired coefficient
// ensembles (docs/spec.md section 9) whose members carry both laws.
//
// Each resample draws as many runs as there are, with replacement (d3-random's randomLcg(seed)),
// and is refitted with L-BFGS-B runs warm-started from the full-data optimum, not with the grid
// search of fitSearch.ts: resampled data move the optimum only a little, so the full-data optimum
// lies in the basin of the resample's optimum, and a local run (tens to a few thousand
// evaluations) instead of a grid search is what makes hundreds of resamples affordable at build time.
//
// Pairing. Member b of an ensemble refits the supervised law on resample b of the supervised runs,
// then the distillation law on resample b of the distillation runs with L~_S = L(N_S, D_S) from
// member b's own supervised law; so the supervised law's uncertainty reaches the distillation law
// and the plans. One random stream serves both: resample b draws the supervised runs, then the
// distillation runs.
//
// The usable-member rule (docs/coefficients-format.md). A refit is usable when it is at its
// resample's optimum in objective and in predictions, whether or not its coefficients settled:
//   - it settled (the projected-gradient test of fitSearch.ts), or
//   - it is still moving but going nowhere: refitted in chunks of REFIT_CHUNK iterations, one more
//     chunk lowers the objective by at most STABLE_OBJECTIVE relative and changes no run's
//     predicted loss by more than STABLE_PREDICTION (relative), judged at every run of the data
//     set, not only the resampled ones.
// The second case is the distillation law walking along a flat valley (gamma' or c1 growing
// without bound) where the predictions hardly change; such a member predicts what its resample
// says, which is all a plan asks of it. A refit still changing after REFIT_MAX_ITERATIONS, or
// whose coefficients overflow, is left out and counted.

import { quantileSorted } from "d3-array";
import { randomLcg } from "d3-random";
import type { CoefficientEnsemble, EnsembleMember } from "./ensemble.js";
import { minimizeBounded } from "../numerics/lbfgsb.js";
import { DistillationData, FitError, SupervisedData, type Data } from "../fitting/fitObjective.js";
import {
  DISTILLATION_SEARCH, DISTILLATION_SPEC, SUPERVISED_SEARCH, SUPERVISED_SPEC,
  freeObjective, localOptions, resolveProblem, settled,
  type CoefficientAtBound, type FitProgress, type LawFit, type LawSpec, type Problem, type SearchOptions,
} from "../fitting/fitSearch.js";
import type { DistillationCoefficients, SupervisedCoefficients } from "../laws/laws.js";
import type { DistillationRun, SupervisedRun } from "../fitting/runs.js";

/**
 * Members (resamples) when a caller does not say: the count the site is built with
 * (src/data/fits.zip.ts, for each data set's bootstrap and for Table 6's parametric bootstrap), so
 * `npm run fit -- --bootstrap` users, the CLI's shipped Table 6 ensemble and the site agree. The
 * paper drew 4096; measured here, a paired member costs 0.26 s of CPU (bootstrap of the bundled data
 * set) and 0.33 s (parametric bootstrap), so the two ensembles at 225 resamples take about 65 s on the
 * build's two cores beside ~35 s of point fits (225, not 200: about 3% are left out as unusable and
 * about 5% as implausible (plausibleMembers.ts; measured 2026-12-06: 17 of Table 6's first 210, 15 of
 * the bundled data set's), and the site promises at least 200 members), which keeps `npm run build` within its 180 s budget
 * with room for the build-time band grids; 4096 would take about 20 minutes. The cost: the 5th and
 * 95th percentiles rest on the 10 most extreme members on each side, so interval ends are noisier.
 */
export const DEFAULT_RESAMPLES = 225;

/** Refits run in chunks of this many iterations; the rule compares consecutive chunks. */
export const REFIT_CHUNK = 1000;
/** A refit still changing after this many iterations is left out. */
export const REFIT_MAX_ITERATIONS = 10000;
/** Relative size of the jitter a restart begins with (see refitResample). */
export const RESTART_JITTER = 1e-3;
const RESTART_SEED = 0x5eed;
/** One more chunk may lower the objective by at most this, relative. */
export const STABLE_OBJECTIVE = 1e-5;
/** ... and move no run's predicted loss by more than this, relative (0.001%: 1/400 of the 0.4% noise). */
export const STABLE_PREDICTION = 1e-5;

export interface Interval {
  lower: number;
  upper: number;
  /**
   * Set when the point fit sits at a limit of the search: the interval is one-sided from that
   * limit (the limit to the `level` quantile on the other side), not a central one.
   */
  atBound?: "lower" | "upper";
}

export interface BootstrapOptions<C> {
  /** Default DEFAULT_RESAMPLES. */
  resamples?: number;
  /** Seed of d3-random's randomLcg; equal seeds give identical results. Default 0. */
  seed?: number;
  /** Central coverage of the percentile intervals. Default 0.9. */
  level?: number;
  /** Default: the fit's. */
  huberDelta?: number;
  /** Default: the fit's. */
  fixed?: Partial<C>;
  search?: SearchOptions;
  onProgress?: (progress: FitProgress) => void;
}

export interface BootstrapResult<C> {
  intervals: Record<keyof C & string, Interval>;
  level: number;
  /** Resamples drawn. */
  resamples: number;
  /** Resamples whose refit is unusable (see the rule above); they are left out of the intervals. */
  failed: number;
  seed: number;
}

// ---------------------------------------------------------------------------------------------
// One refit under the usable-member rule

/** Why a refit was kept or left out. */
export type RefitOutcome = "settled" | "stable" | "moving" | "non-finite";

export interface Refit<C> {
  coefficients: C | null;
  outcome: RefitOutcome;
  iterations: number;
  /** The normalised objective at the refit (Infinity when unusable). */
  objective: number;
}

/**
 * @internal Refits `problem` (a resample) from `start` (free parameters) under the usable-member
 * rule; `full` holds every run of the data set, where predictions are compared.
 */
export function refitResample<C>(problem: Problem<C>, full: Data, start: Float64Array, search: Required<SearchOptions>): Refit<C> {
  const { fun } = freeObjective(problem, { evaluations: 0 });
  const options = localOptions(problem, search, Math.min(REFIT_CHUNK, search.maxIterations));
  const theta = problem.template.slice();
  const toTheta = (x: Float64Array) => {
    for (let k = 0; k < problem.free.length; k++) theta[problem.free[k]] = x[k];
    return theta;
  };
  const finish = (x: Float64Array, outcome: RefitOutcome, iterations: number): Refit<C> => {
    const c = problem.spec.fromVector(toTheta(x));
    const finite = problem.spec.coefficients.every((name) => Number.isFinite((c as Record<string, number>)[name]));
    return finite ? { coefficients: c, outcome, iterations, objective: fun(x, new Float64Array(x.length)) } : { coefficients: null, outcome: "non-finite", iterations, objective: Infinity };
  };

  let best = minimizeBounded(fun, start, options);
  let iterations = best.iterations;
  if (!Number.isFinite(best.fun)) return { coefficients: null, outcome: "non-finite", iterations, objective: Infinity };
  if (settled(best, search.gradientTolerance)) return finish(best.x, "settled", iterations);
  let before: Float64Array = full.logPredictions(toTheta(best.x), new Float64Array(full.count));
  let after: Float64Array = new Float64Array(full.count);
  // Restarts begin a little off the best point: L-BFGS-B's line search fails at the kinks of the
  // Huber sum (curvature 1/delta^2 on one side, 0 on the other), and a restart from the very point
  // fails again at once; a jitter of RESTART_JITTER relative escapes it. Seeded, so refits repeat.
  const jitter = randomLcg(RESTART_SEED);
  const { lower, upper } = options;
  const limit = Math.max(search.maxIterations, REFIT_CHUNK);
  while (iterations < limit) {
    const x0 = best.x.map((v, k) => Math.min(upper[k], Math.max(lower[k], v + RESTART_JITTER * (2 * jitter() - 1) * Math.max(1, Math.abs(v)))));
    const next = minimizeBounded(fun, x0, options);
    iterations += Math.max(1, next.iterations);
    if (!Number.isFinite(next.fun) || next.fun >= best.fun) {
      // The restart came back no lower: the best point stands; a second failure in a row ends the search as stable.
      if (next.fun >= best.fun && Number.isFinite(next.fun)) {
        after = full.logPredictions(toTheta(next.x), after);
        if (maxDifference(after, before) <= Math.log1p(STABLE_PREDICTION)) return finish(best.x, "stable", iterations);
      }
      continue;
    }
    if (settled(next, search.gradientTolerance)) return finish(next.x, "settled", iterations);
    after = full.logPredictions(toTheta(next.x), after);
    const moved = maxDifference(after, before);
    // Relative changes: log predictions differ by log(1 + relative change); the objective is
    // normalised to O(1) (fitSearch.ts), so its relative gain is well defined.
    const gain = (best.fun - next.fun) / Math.max(Math.abs(next.fun), 1e-300);
    best = next;
    [before, after] = [after, before];
    if (gain <= STABLE_OBJECTIVE && moved <= Math.log1p(STABLE_PREDICTION)) return finish(best.x, "stable", iterations);
  }
  return { coefficients: null, outcome: "moving", iterations, objective: Infinity };
}

/** A scale coefficient (log-parametrised) at most this far above 0 sits at its search's limit (docs/spec.md section 10). */
export const SCALE_AT_ZERO = 1e-9;

/**
 * @internal The starts of a resample's refit: the point fit's, and for each scale coefficient the
 * point fit put at zero (E = 1e-20, say), the point fit with that coefficient at each value of its
 * start grid. At zero a scale's gradient in the fitting parametrisation (its log) is zero as well,
 * so a refit warm-started there can never leave it, whatever its resample says.
 */
export function refitStarts<C>(problem: Problem<C>, start: Float64Array): Float64Array[] {
  const starts = [start];
  problem.free.forEach((p, k) => {
    if (!problem.spec.logarithmic[p] || !(Math.exp(start[k]) <= SCALE_AT_ZERO)) return;
    for (const value of problem.grids[p]) {
      const moved = start.slice();
      moved[k] = Math.min(problem.upper[p], Math.max(problem.lower[p], value));
      starts.push(moved);
    }
  });
  return starts;
}

/** @internal refitResample from each of refitStarts(problem, start); the usable refit with the lowest objective. */
export function refitFromStarts<C>(problem: Problem<C>, full: Data, start: Float64Array, search: Required<SearchOptions>): Refit<C> {
  let best: Refit<C> | null = null;
  let iterations = 0;
  for (const from of refitStarts(problem, start)) {
    const r = refitResample(problem, full, from, search);
    iterations += r.iterations;
    if (best === null || (r.coefficients !== null && (best.coefficients === null || r.objective < best.objective))) best = r;
  }
  return { ...best!, iterations };
}

function maxDifference(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Resample counts: `n` draws with replacement, as weights over the runs (zero for runs not drawn). */
function drawCounts(rng: () => number, n: number, counts: Float64Array): void {
  counts.fill(0);
  for (let k = 0; k < n; k++) counts[Math.floor(rng() * n)]++;
}

/** The resample as a subset of `data`: multiplicities as weights over the distinct runs drawn. */
function resampled(data: Data, counts: Float64Array): Data {
  let distinct = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) distinct++;
  const indices = new Int32Array(distinct);
  const weights = new Float64Array(distinct);
  for (let i = 0, j = 0; i < counts.length; i++) if (counts[i] > 0) { indices[j] = i; weights[j++] = counts[i]; }
  return data.subset(indices, weights);
}

function checkResamples(resamples: number | undefined): number {
  const count = Math.floor(resamples ?? DEFAULT_RESAMPLES);
  if (!(count >= 1)) throw new FitError("invalid-options", `resamples must be at least 1, got ${resamples}`);
  return count;
}

// ---------------------------------------------------------------------------------------------
// Per-law percentile intervals

function lawBootstrap<P extends string, C>(
  spec: LawSpec<P, C>, data: Data, fit: LawFit<C>, options: BootstrapOptions<C>, defaults: Required<SearchOptions>,
): BootstrapResult<C> {
  const resamples = checkResamples(options.resamples);
  const seed = options.seed ?? 0;
  const search: Required<SearchOptions> = { ...defaults, maxIterations: REFIT_MAX_ITERATIONS, ...(options.search ?? {}) };
  const base = resolveProblem(spec, data, { fixed: options.fixed ?? fit.fixed, huberDelta: options.huberDelta ?? fit.huberDelta });
  const start = Float64Array.from(base.free, (p) => fit.parameters[p]);
  const rng = randomLcg(seed);
  const counts = new Float64Array(data.count);
  const refits: (C | null)[] = [];
  for (let b = 0; b < resamples; b++) {
    drawCounts(rng, data.count, counts);
    refits.push(refitFromStarts({ ...base, data: resampled(data, counts) }, data, start, search).coefficients);
    options.onProgress?.({ phase: "bootstrap", done: b + 1, total: resamples });
  }
  const kept = refits.filter((c): c is C => c !== null);
  return {
    intervals: percentileIntervals(kept, spec.coefficients as readonly (keyof C & string)[], options.level ?? 0.9, fit.atBound),
    level: options.level ?? 0.9, resamples, failed: resamples - kept.length, seed,
  };
}

/** Percentile bootstrap of the supervised law over its runs. */
export function bootstrapSupervised(
  runs: readonly SupervisedRun[], fit: LawFit<SupervisedCoefficients>, options: BootstrapOptions<SupervisedCoefficients> = {},
): BootstrapResult<SupervisedCoefficients> {
  return lawBootstrap(SUPERVISED_SPEC, SupervisedData.from(runs), fit, options, SUPERVISED_SEARCH);
}

/**
 * Percentile bootstrap of the distillation law alone, with the supervised law held at
 * `supervised` in every resample: the two-stage fit of Appendix F. bootstrapEnsemble pairs the
 * laws instead, which is what plans use.
 */
export function bootstrapDistillation(
  runs: readonly DistillationRun[], supervised: SupervisedCoefficients, fit: LawFit<DistillationCoefficients>,
  options: BootstrapOptions<DistillationCoefficients> = {},
): BootstrapResult<DistillationCoefficients> {
  return lawBootstrap(DISTILLATION_SPEC, DistillationData.from(runs, supervised), fit, options, DISTILLATION_SEARCH);
}

function percentileIntervals<C>(
  refits: readonly C[], names: readonly (keyof C & string)[], level: number, atBound: readonly CoefficientAtBound[] = [],
): Record<keyof C & string, Interval> {
  if (!(level > 0 && level < 1)) throw new FitError("invalid-options", `level must be in (0, 1), got ${level}`);
  const tail = (1 - level) / 2;
  const intervals = {} as Record<keyof C & string, Interval>;
  for (const name of names) {
    const sorted = refits.map((c) => c[name] as number).sort((a, b) => a - b);
    const bound = atBound.find((b) => b.coefficient === name);
    intervals[name] = sorted.length === 0
      ? { lower: NaN, upper: NaN }
      : bound?.side === "lower" ? { lower: bound.limit, upper: quantileSorted(sorted, level)!, atBound: "lower" }
      : bound?.side === "upper" ? { lower: quantileSorted(sorted, 1 - level)!, upper: bound.limit, atBound: "upper" }
      : { lower: quantileSorted(sorted, tail)!, upper: quantileSorted(sorted, 1 - tail)! };
  }
  return intervals;
}

// ---------------------------------------------------------------------------------------------
// Paired ensembles

export interface BootstrapSlice {
  /** Index of the first resample to refit. Default 0. */
  first?: number;
  /** How many resamples to refit. Default: all from `first` on. */
  count?: number;
}

export interface EnsembleOptions {
  supervisedFit: LawFit<SupervisedCoefficients>;
  /** The point fit of the distillation law; null when there are no distillation runs. */
  distillationFit: LawFit<DistillationCoefficients> | null;
  /** Default DEFAULT_RESAMPLES. */
  resamples?: number;
  seed?: number;
  /** Default: the fits'. */
  huberDelta?: number;
  fixedSupervised?: Partial<SupervisedCoefficients>;
  fixedDistillation?: Partial<DistillationCoefficients>;
  /** Members' distillation law when there are no distillation runs. Required then. */
  distillationCoefficients?: DistillationCoefficients;
  /** Names the data in the ensemble's description. */
  name?: string;
  onProgress?: (progress: FitProgress) => void;
  /** Refit only these resamples (worker threads split the work); mergeEnsembles joins the parts. */
  slice?: BootstrapSlice;
}

/** Resample b's two refits, and what became of them (the pieces a member is made of). */
export interface PairedRefit {
  member: EnsembleMember | null;
  supervised: RefitOutcome;
  distillation: RefitOutcome | null;
}

/**
 * @internal Refits both laws of one member: the supervised law on `supervisedCounts` (weights over
 * `supervisedData`'s runs), then the distillation law on `distillationCounts` with L~_S from the
 * member's supervised law. Used by the bootstrap (resampled counts) and the parametric bootstrap
 * (all counts 1, simulated runs).
 */
export function pairedRefit(input: {
  supervisedData: SupervisedData;
  supervisedCounts: Float64Array;
  supervisedBase: Problem<SupervisedCoefficients>;
  supervisedStart: Float64Array;
  distillationRuns: readonly DistillationRun[];
  distillationCounts: Float64Array | null;
  distillationOptions: { fixed?: Partial<DistillationCoefficients>; huberDelta: number };
  distillationStart: Float64Array | null;
  distillationCoefficients?: DistillationCoefficients;
}): PairedRefit {
  const supervisedSearch = { ...SUPERVISED_SEARCH, maxIterations: REFIT_MAX_ITERATIONS };
  const s = refitFromStarts(
    { ...input.supervisedBase, data: resampled(input.supervisedData, input.supervisedCounts) },
    input.supervisedData, input.supervisedStart, supervisedSearch);
  if (s.coefficients === null) return { member: null, supervised: s.outcome, distillation: null };
  if (input.distillationCounts === null || input.distillationStart === null) {
    const distillation = input.distillationCoefficients;
    if (!distillation) throw new FitError("invalid-options", "no distillation runs: give distillationCoefficients for the members");
    return { member: { supervised: s.coefficients, distillation }, supervised: s.outcome, distillation: null };
  }
  let full: DistillationData;
  try {
    full = DistillationData.from(input.distillationRuns, s.coefficients);
  } catch (error) {
    // A member's supervised law that gives a non-finite L~_S cannot carry a distillation refit.
    if (error instanceof FitError) return { member: null, supervised: s.outcome, distillation: "non-finite" };
    throw error;
  }
  const base = resolveProblem(DISTILLATION_SPEC, full, input.distillationOptions);
  const d = refitFromStarts({ ...base, data: resampled(full, input.distillationCounts) }, full, input.distillationStart,
    { ...DISTILLATION_SEARCH, maxIterations: REFIT_MAX_ITERATIONS });
  return {
    member: d.coefficients === null ? null : { supervised: s.coefficients, distillation: d.coefficients },
    supervised: s.outcome, distillation: d.outcome,
  };
}

/** Counts of left-out refits by law, and of kept ones that had not settled (the rule's second case). */
export interface EnsembleTally {
  supervisedLeftOut: number;
  distillationLeftOut: number;
  /** Kept members whose distillation (or supervised) refit was stable but not settled. */
  keptUnsettled: number;
}

/** A CoefficientEnsemble with the slice it covers and the tally, as the builders return it. */
export type EnsemblePart = CoefficientEnsemble & {
  slice: { first: number; count: number };
  tally: EnsembleTally;
};

function checkSlice(slice: BootstrapSlice | undefined, resamples: number): { first: number; count: number } {
  const first = slice?.first ?? 0;
  const count = slice?.count ?? resamples - first;
  if (!(Number.isInteger(first) && Number.isInteger(count) && first >= 0 && count >= 0 && first + count <= resamples)) {
    throw new FitError("invalid-options", `slice ${first}..${first + count} is not within the ${resamples} resamples`);
  }
  return { first, count };
}

/** @internal Adds one member's outcome to a tally. */
export function tallyRefit(tally: EnsembleTally, refit: PairedRefit): void {
  if (refit.supervised === "moving" || refit.supervised === "non-finite") tally.supervisedLeftOut++;
  else if (refit.member === null) tally.distillationLeftOut++;
  else if (refit.supervised === "stable" || refit.distillation === "stable") tally.keptUnsettled++;
}

/**
 * A paired bootstrap ensemble of both laws (see the comment at the top): member b refits the
 * supervised law on resample b of `supervisedRuns` and the distillation law on resample b of
 * `distillationRuns` with L~_S from member b's supervised law. Unusable members are left out and
 * counted. Pure: runs in Node, browsers and Web Workers.
 */
export function bootstrapEnsemble(
  supervisedRuns: readonly SupervisedRun[],
  distillationRuns: readonly DistillationRun[],
  options: EnsembleOptions,
): EnsemblePart {
  const resamples = checkResamples(options.resamples);
  const seed = options.seed ?? 0;
  const { first, count } = checkSlice(options.slice, resamples);
  const { supervisedFit, distillationFit } = options;
  const huberDelta = options.huberDelta ?? supervisedFit.huberDelta;
  const supervisedData = SupervisedData.from(supervisedRuns);
  const supervisedBase = resolveProblem(SUPERVISED_SPEC, supervisedData, {
    fixed: options.fixedSupervised ?? supervisedFit.fixed, huberDelta,
  });
  const supervisedStart = Float64Array.from(supervisedBase.free, (p) => supervisedFit.parameters[p]);
  const paired = distillationRuns.length > 0 && distillationFit !== null;
  const distillationOptions = {
    fixed: options.fixedDistillation ?? distillationFit?.fixed, huberDelta: options.huberDelta ?? distillationFit?.huberDelta ?? huberDelta,
  };
  // Free parameters of the distillation refit, in the order resolveProblem gives them.
  const distillationStart = paired
    ? Float64Array.from(resolveProblem(DISTILLATION_SPEC, DistillationData.from(distillationRuns, supervisedFit.coefficients),
      distillationOptions).free, (p) => distillationFit!.parameters[p])
    : null;

  const rng = randomLcg(seed);
  const supervisedCounts = new Float64Array(supervisedRuns.length);
  const distillationCounts = new Float64Array(distillationRuns.length);
  const members: EnsembleMember[] = [];
  const tally: EnsembleTally = { supervisedLeftOut: 0, distillationLeftOut: 0, keptUnsettled: 0 };
  for (let b = 0; b < first + count; b++) {
    drawCounts(rng, supervisedRuns.length, supervisedCounts);
    if (paired) drawCounts(rng, distillationRuns.length, distillationCounts);
    // Resamples before the slice only advance the random sequence.
    if (b < first) continue;
    const refit = pairedRefit({
      supervisedData, supervisedCounts, supervisedBase, supervisedStart,
      distillationRuns, distillationCounts: paired ? distillationCounts : null, distillationOptions, distillationStart,
      distillationCoefficients: options.distillationCoefficients,
    });
    tallyRefit(tally, refit);
    if (refit.member) members.push(refit.member);
    options.onProgress?.({ phase: "bootstrap", done: b - first + 1, total: count });
  }
  const of = options.name ? ` of ${options.name}` : "";
  const description = paired
    ? `Bootstrap${of}: ${resamples} resamples of the ${supervisedRuns.length} supervised and ${distillationRuns.length} ` +
      "distillation runs, drawn with replacement; member b refits the supervised law on resample b, then the distillation " +
      "law on resample b with L~_S from member b's supervised law (warm-started at the point fit)."
    : `Bootstrap${of}: ${resamples} resamples of the ${supervisedRuns.length} supervised runs, drawn with replacement; ` +
      "the distillation law is not refitted (no distillation runs) and is the same in every member.";
  return {
    kind: "bootstrap", description, members, requested: count, leftOut: count - members.length, seed,
    slice: { first, count }, tally,
  };
}

/**
 * Joins slices of one ensemble (same kind and seed) that together cover resamples 0..total-1 once,
 * in resample order: the result equals the ensemble built in one go.
 */
export function mergeEnsembles(parts: readonly EnsemblePart[], total: number): EnsemblePart {
  if (parts.length === 0) throw new FitError("invalid-options", "no ensemble slices to join");
  const ordered = [...parts].sort((a, b) => a.slice.first - b.slice.first);
  let next = 0;
  for (const part of ordered) {
    if (part.seed !== ordered[0].seed || part.kind !== ordered[0].kind || part.slice.first !== next) {
      throw new FitError("invalid-options", `ensemble slices must cover resamples 0..${total - 1} of one seed exactly once`);
    }
    next += part.slice.count;
  }
  if (next !== total) throw new FitError("invalid-options", `ensemble slices cover ${next} of ${total} resamples`);
  const members = ordered.flatMap((part) => part.members);
  const tally: EnsembleTally = { supervisedLeftOut: 0, distillationLeftOut: 0, keptUnsettled: 0 };
  for (const part of ordered) {
    tally.supervisedLeftOut += part.tally.supervisedLeftOut;
    tally.distillationLeftOut += part.tally.distillationLeftOut;
    tally.keptUnsettled += part.tally.keptUnsettled;
  }
  return {
    kind: ordered[0].kind, description: ordered[0].description, members, requested: total, leftOut: total - members.length,
    seed: ordered[0].seed, slice: { first: 0, count: total }, tally,
  };
}

/** The percentile intervals of each law's coefficients over an ensemble's members (the fits' `bootstrap` fields). */
export function ensembleIntervals(
  ensemble: EnsemblePart, level = 0.9,
  atBound: { supervised?: readonly CoefficientAtBound[]; distillation?: readonly CoefficientAtBound[] } = {},
): {
  supervised: BootstrapResult<SupervisedCoefficients>;
  distillation: BootstrapResult<DistillationCoefficients>;
} {
  const { members, requested, seed, tally } = ensemble;
  const supervisedNames = SUPERVISED_SPEC.coefficients as readonly (keyof SupervisedCoefficients & string)[];
  const distillationNames = DISTILLATION_SPEC.coefficients as readonly (keyof DistillationCoefficients & string)[];
  return {
    supervised: {
      intervals: percentileIntervals(members.map((m) => m.supervised), supervisedNames, level, atBound.supervised),
      level, resamples: requested, failed: tally.supervisedLeftOut, seed,
    },
    distillation: {
      intervals: percentileIntervals(members.map((m) => m.distillation), distillationNames, level, atBound.distillation),
      level, resamples: requested, failed: requested - members.length, seed,
    },
  };
}
