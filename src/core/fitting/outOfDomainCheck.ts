// The out-of-domain error of a set's runs (docs/spec.md section 10; Figure 5's check generalised to
// each direction): per law and direction, split the runs into an inner part (the INNER_SHARE of runs
// nearest the small end: smaller models, fewer tokens per parameter, weaker teachers) and the outer
// rest, refit the law on the inner part, and record every outer run's relative prediction error
// against its factor beyond the inner part. src/core/domain/outOfDomain.ts turns these into a growth
// and widens bands with it.
//
// The distillation law is refitted with the full supervised fit's L~_S, so its errors are the
// distillation law's own; the supervised law's directions carry the supervised part.

import { distilledLossFromSupervised, isLogarithmic, supervisedLoss, type DistillationCoefficients, type SupervisedCoefficients } from "../laws/laws.js";
import { growthFromErrors, type DirectionGrowth, type OutOfDomainDirection, type OutOfDomainGrowth } from "../domain/outOfDomain.js";
import { FitError } from "./fitObjective.js";
import { fitDistillation, fitSupervised, type DistillationFitOptions, type SupervisedFitOptions } from "./fitSearch.js";
import { DISTILLATION_FREE_COEFFICIENTS, SUPERVISED_FREE_COEFFICIENTS, type DistillationRun, type SupervisedRun } from "./runs.js";

/** The share of runs (by rank along the direction) in the inner part. */
export const INNER_SHARE = 2 / 3;

export interface OutOfDomainCheckOptions {
  huberDelta?: number;
  fixedSupervised?: Partial<SupervisedCoefficients>;
  fixedDistillation?: Partial<DistillationCoefficients>;
  supervisedSearch?: Pick<SupervisedFitOptions, "search" | "startGrid">;
  distillationSearch?: Pick<DistillationFitOptions, "search" | "startGrid">;
  /**
   * Start every inner refit from this fit alone (one refinement, as the bootstrap refits start from
   * the point fit) instead of the full start grid: a few seconds per refit instead of a grid search.
   */
  warmStart?: { supervised: SupervisedCoefficients; distillation: DistillationCoefficients | null };
  /** One line per refit. */
  onProgress?: (message: string) => void;
  /** Names the runs in the growth's source sentence. */
  name?: string;
}

interface Split<R> {
  inner: R[];
  outer: { run: R; factor: number }[];
}

/**
 * Ranks the runs by `value` (larger = further out) and puts the first INNER_SHARE in the inner part;
 * an outer run's factor is its value over the inner part's largest. Runs tied with the inner edge
 * stay inner. Null when either part would be too small to fit or to measure.
 */
export function splitRuns<R>(runs: readonly R[], value: (run: R) => number, minimumInner: number): Split<R> | null {
  const sorted = [...runs].sort((a, b) => value(a) - value(b));
  const cut = Math.ceil(INNER_SHARE * sorted.length);
  if (cut < minimumInner || cut >= sorted.length) return null;
  const edge = value(sorted[cut - 1]);
  const inner = sorted.filter((r) => value(r) <= edge);
  const outer = sorted.filter((r) => value(r) > edge).map((run) => ({ run, factor: value(run) / edge }));
  return outer.length === 0 || inner.length < minimumInner ? null : { inner, outer };
}

const SUPERVISED_DIRECTIONS: readonly [OutOfDomainDirection, (r: SupervisedRun) => number][] = [
  ["student-size", (r) => r.N],
  ["tokens-per-parameter", (r) => r.D / r.N],
];

const DISTILLATION_DIRECTIONS: readonly [OutOfDomainDirection, (r: DistillationRun) => number][] = [
  ["student-size", (r) => r.NS],
  ["tokens-per-parameter", (r) => r.DS / r.NS],
  // A stronger teacher has a lower loss: 1/L_T grows outwards, and its ratio is the loss ratio.
  ["teacher-loss", (r) => 1 / r.LT],
];

/** A one-point start grid at these coefficients, in the fitting units (log A, not A). */
function startAt<C extends object>(c: C): Record<string, number[]> {
  return Object.fromEntries(Object.entries(c).map(([name, value]) =>
    isLogarithmic(name) ? [`log${name}`, [Math.log(value as number)]] : [name, [value as number]]));
}

/** Measures the growth of both laws along every direction the runs allow (one refit each). */
export function outOfDomainCheck(
  supervisedRuns: readonly SupervisedRun[],
  distillationRuns: readonly DistillationRun[],
  supervisedCoefficients: SupervisedCoefficients,
  options: OutOfDomainCheckOptions = {},
): OutOfDomainGrowth {
  const report = options.onProgress ?? (() => {});
  const warm = options.warmStart;
  const supervisedSearch = warm ? { startGrid: startAt(warm.supervised), search: { refineStarts: 1 } } : options.supervisedSearch;
  const distillationSearch = warm?.distillation ? { startGrid: startAt(warm.distillation), search: { refineStarts: 1 } } : options.distillationSearch;
  const supervised: DirectionGrowth[] = [];
  const unmeasured: string[] = [];
  for (const [direction, value] of SUPERVISED_DIRECTIONS) {
    const split = splitRuns(supervisedRuns, value, 2 * (SUPERVISED_FREE_COEFFICIENTS - Object.keys(options.fixedSupervised ?? {}).length));
    if (!split) continue;
    report(`out-of-domain check: supervised, ${direction}, ${split.inner.length} inner runs`);
    const c = refit(`supervised ${direction}`, unmeasured, (search) =>
      fitSupervised(split.inner, { huberDelta: options.huberDelta, fixed: options.fixedSupervised, ...search }).coefficients,
    supervisedSearch, options.supervisedSearch);
    if (!c) continue;
    const relative = (r: SupervisedRun) => supervisedLoss(c, r.N, r.D) / r.L - 1;
    supervised.push(growthFromErrors("supervised", direction,
      split.outer.map(({ run, factor }) => ({ factor, relativeError: Math.abs(relative(run)) })),
      split.inner.map(relative)));
  }
  let distillation: DirectionGrowth[] | null = null;
  if (distillationRuns.length > 0) {
    distillation = [];
    const predict = (d: DistillationCoefficients, r: DistillationRun) =>
      distilledLossFromSupervised(d, r.NS, r.DS, r.LT, supervisedLoss(supervisedCoefficients, r.NS, r.DS)) / r.LS - 1;
    for (const [direction, value] of DISTILLATION_DIRECTIONS) {
      const split = splitRuns(distillationRuns, value, 2 * (DISTILLATION_FREE_COEFFICIENTS - Object.keys(options.fixedDistillation ?? {}).length));
      if (!split) continue;
      report(`out-of-domain check: distillation, ${direction}, ${split.inner.length} inner runs`);
      const d = refit(`distillation ${direction}`, unmeasured, (search) =>
        fitDistillation(split.inner, supervisedCoefficients, { huberDelta: options.huberDelta, fixed: options.fixedDistillation, ...search }).coefficients,
      distillationSearch, options.distillationSearch);
      if (!d) continue;
      distillation.push(growthFromErrors("distillation", direction,
        split.outer.map(({ run, factor }) => ({ factor, relativeError: Math.abs(predict(d, run)) })),
        split.inner.map((r) => predict(d, r))));
    }
  }
  const source = `the ${supervisedRuns.length} supervised and ${distillationRuns.length} distillation runs` +
    `${options.name ? ` of ${options.name}` : ""}, each split ${Math.round(100 * INNER_SHARE)}% inner along every direction`;
  return { source, supervised, distillation, unmeasured };
}

/**
 * The inner refit: warm-started first; if that fails (a runaway to overflow), with the caller's
 * search (default the full start grid); if that fails too, the direction is named in `unmeasured`.
 */
function refit<C, S>(what: string, unmeasured: string[], fit: (search: S | undefined) => C, warm: S | undefined, full: S | undefined): C | null {
  try {
    return fit(warm);
  } catch (error) {
    if (!(error instanceof FitError)) throw error;
    if (warm !== full) {
      try {
        return fit(full);
      } catch (again) {
        if (!(again instanceof FitError)) throw again;
        unmeasured.push(`${what}: ${again.message}`);
        return null;
      }
    }
    unmeasured.push(`${what}: ${error.message}`);
    return null;
  }
}
