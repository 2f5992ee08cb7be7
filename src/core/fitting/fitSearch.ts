// Fitting the supervised (Eq. 1) and distillation (Eq. 8) laws to runs, as in Appendix F: the
// multi-start search. Minimise the objective of fitObjective.ts (sum over runs of
// Huber_delta(log L_predicted - log L_observed)) with L-BFGS-B from a grid of starts, keep the
// best. Resampling (intervals, ensembles) is in bootstrap.ts.
//
// How the search covers the start grid (docs/methods.md points here):
//
//   1. Grid. The objective is evaluated exactly at every point of the start grid (F.1: 9600
//      points; F.2: 216000 points), after projecting each point into the bounds (a zero f1
//      becomes 1e-3). For the distillation law the grid factorises: log L_S =
//      LSE(log L_T, S + C) where the switch part S = -c0 log L_T - c1 f1 softplus(...) depends
//      only on (c0, c1, f1, d1) and the capacity part C = gamma' LSE(log A' - alpha' log N_S,
//      log B' - beta' log D_S) only on (A', B', alpha', beta', gamma'). Both are tabulated per
//      run (320 and 675 rows), so each of the 216000 grid objectives costs one LSE and one
//      Huber per run.
//   2. Screening (supervised default). L-BFGS-B runs for `screenIterations` iterations from
//      each of the `screenStarts` best grid points. Supervised default: every one of the 9600
//      grid points, 5 iterations each. Distillation default: no screening (screenStarts = 0):
//      on synthetic data, short runs from the F.2 grid mostly crawl along flat valleys, and
//      ranking after 12 iterations picked worse basins than ranking by grid objective.
//   3. Refinement. The K (`refineStarts`) best distinct candidates (screened points, or grid
//      points when screening is off) are run to convergence; the best result is the fit.
//      Supervised default K = 24; distillation K = 32, i.e. the 32 best of the 216000 F.2 grid
//      points by exact grid objective. "Distinct": a candidate is skipped if an already chosen
//      one has the same objective to 1e-12 relative and the same parameters to 1e-8.
//
//   4. Many runs. With more runs than `screenRuns` (1024), steps 1-3 run on a seeded random sample
//      of that many runs, and the `polishStarts` (4) best distinct optima are then run to
//      convergence on every run. bench/fit-scale.ts compares this with the full search.
//
//   That a larger search does not find a better optimum is checked in bench/fit-bench.ts
//   (4x K reaches the same objective to 1e-9 relative) and in
//   test/fitter.test.ts on a reduced grid.
//
// Units. Fixed values and results are in natural units (A, not log A); start grids and bounds
// are in the fitting parametrisation of laws.ts (log A, log B, log E, log d1; exponents as is).


import {
  DISTILLATION_COEFFICIENTS, DISTILLATION_PARAMETERS, SUPERVISED_COEFFICIENTS, SUPERVISED_PARAMETERS,
  distillationFromVector, isLogarithmic, supervisedFromVector,
  type DistillationCoefficients, type DistillationParameter, type SupervisedCoefficients, type SupervisedParameter,
} from "../laws/laws.js";
import { randomLcg } from "d3-random";
import { minimizeBounded, type MinimizeStatus } from "../numerics/lbfgsb.js";
import { DistillationData, FitError, SupervisedData, decodeGridPoint, type Data } from "./fitObjective.js";
import type { DistillationRun, SupervisedRun } from "./runs.js";

// ---------------------------------------------------------------------------------------------
// Public types

export interface FitProgress {
  phase: "grid" | "screen" | "refine" | "polish" | "bootstrap";
  done: number;
  total: number;
  /** Runs the phase evaluates, when fewer than all (the grid and screening on a subsample). */
  runs?: number;
}

export interface SearchOptions {
  /**
   * With more runs than this, the grid and the screening run on a seeded random subsample of this
   * many runs (the ranking of starts needs a sample, not every run); refinement always uses every
   * run. `Infinity` screens on every run.
   */
  screenRuns?: number;
  /** After a subsampled search, how many of the best distinct optima are polished on every run. */
  polishStarts?: number;
  /** How many of the best grid points get a short L-BFGS-B run. `Infinity` means all of them. */
  screenStarts?: number;
  /** Iterations of each screening run. 0 skips screening: refinement starts from grid points. */
  screenIterations?: number;
  /** K: how many of the best distinct screened points are run to convergence. */
  refineStarts?: number;
  /** L-BFGS-B settings of the refinement (and bootstrap) runs, on the normalised objective (see below). */
  memory?: number;
  maxIterations?: number;
  gradientTolerance?: number;
  functionTolerance?: number;
}

interface FitOptionsBase<P extends string, C> {
  /** Huber delta on log-loss residuals. Default 1e-4 (Appendix F). */
  huberDelta?: number;
  /** Coefficients held at a value, in natural units, e.g. { gamma: 1 } or { E: 1.7 }. */
  fixed?: Partial<C>;
  /** Start values per parameter in fitting units (log A, not A), replacing the default grid. */
  startGrid?: Partial<Record<P, readonly number[]>>;
  /** [lower, upper] per parameter in fitting units, replacing the default bounds. */
  bounds?: Partial<Record<P, readonly [number, number]>>;
  search?: SearchOptions;
  onProgress?: (progress: FitProgress) => void;
}

export type SupervisedFitOptions = FitOptionsBase<SupervisedParameter, SupervisedCoefficients>;
export type DistillationFitOptions = FitOptionsBase<DistillationParameter, DistillationCoefficients>;

export interface LawFit<C> {
  coefficients: C;
  /** Sum over runs of Huber_delta(log L_pred - log L_obs) at the fit. */
  objective: number;
  /** Number of runs fitted. */
  runs: number;
  /** Coefficients that were fitted (the others were fixed). */
  freeParameters: (keyof C & string)[];
  /** Coefficients that were held, in natural units. */
  fixed: Partial<C>;
  huberDelta: number;
  converged: boolean;
  status: MinimizeStatus;
  message: string;
  /** Grid points whose objective was evaluated. */
  starts: number;
  /** L-BFGS-B runs (screening and refinement). */
  localSearches: number;
  /** Objective evaluations, grid included. */
  evaluations: number;
  /** The fit in the fitting parametrisation, in SUPERVISED_PARAMETERS / DISTILLATION_PARAMETERS order. */
  parameters: number[];
  /** Free coefficients at a limit of their search (docs/spec.md section 10): the data push them there. */
  atBound: CoefficientAtBound[];
}

/** A fitted coefficient at a limit of its search: E = 1.4e-20 at its lower limit 0, say. */
export interface CoefficientAtBound {
  coefficient: string;
  side: "lower" | "upper";
  /** The limit in natural units (0 for a log-parametrised scale's lower one). */
  limit: number;
  value: number;
}

/** Within this of a limit a coefficient is at it: relative for exponents, absolute for scales near 0. */
export const AT_BOUND_RELATIVE = 1e-6;
export const AT_BOUND_SCALE = 1e-9;

/** The free coefficients of `theta` (fitting parametrisation) at a limit of the problem's bounds. */
export function coefficientsAtBound<C>(problem: Problem<C>, theta: ArrayLike<number>): CoefficientAtBound[] {
  const found: CoefficientAtBound[] = [];
  for (const p of problem.free) {
    const coefficient = problem.spec.coefficients[p] as string;
    const log = problem.spec.logarithmic[p];
    const value = log ? Math.exp(theta[p]) : theta[p];
    const lower = log ? Math.exp(problem.lower[p]) : problem.lower[p];
    const upper = log ? Math.exp(problem.upper[p]) : problem.upper[p];
    const near = (limit: number) => Number.isFinite(limit) &&
      Math.abs(value - limit) <= (log && limit === 0 ? AT_BOUND_SCALE : AT_BOUND_RELATIVE * Math.max(Math.abs(limit), log ? 0 : 1));
    if (near(lower)) found.push({ coefficient, side: "lower", limit: lower, value });
    else if (near(upper)) found.push({ coefficient, side: "upper", limit: upper, value });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Law descriptions

type CoefficientName<C> = keyof C & string;

/** @internal What the search and the bootstrap need to know about a law. */
export interface LawSpec<P extends string, C> {
  /** Which data class holds its runs. */
  law: "supervised" | "distillation";
  parameters: readonly P[];
  coefficients: readonly CoefficientName<C>[];
  /** Which parameters are logarithms of their coefficient. */
  logarithmic: readonly boolean[];
  defaultGrid: readonly (readonly number[])[];
  defaultBounds: readonly (readonly [number, number])[];
  fromVector(theta: ArrayLike<number>): C;
}

const EXPONENT_GRID = [0, 0.5, 1, 1.5] as const;
const SCALE_GRID = [0, 5, 10, 15, 20] as const;
const NONNEGATIVE = [0, Infinity] as const;
const FREE = [-Infinity, Infinity] as const;
/** f1 divides in Eq. 49; this keeps the zero start of the F.2 grid finite. */
export const F1_LOWER_BOUND = 1e-3;

/** @internal */
export const SUPERVISED_SPEC: LawSpec<SupervisedParameter, SupervisedCoefficients> = {
  law: "supervised",
  parameters: SUPERVISED_PARAMETERS,
  coefficients: SUPERVISED_COEFFICIENTS,
  logarithmic: SUPERVISED_COEFFICIENTS.map(isLogarithmic),
  defaultGrid: [SCALE_GRID, SCALE_GRID, [-1, -0.5, 0, 0.5, 1, 1.5], EXPONENT_GRID, EXPONENT_GRID, EXPONENT_GRID],
  defaultBounds: [FREE, FREE, FREE, NONNEGATIVE, NONNEGATIVE, NONNEGATIVE],
  fromVector: supervisedFromVector,
};

/** @internal */
export const DISTILLATION_SPEC: LawSpec<DistillationParameter, DistillationCoefficients> = {
  law: "distillation",
  parameters: DISTILLATION_PARAMETERS,
  coefficients: DISTILLATION_COEFFICIENTS,
  logarithmic: DISTILLATION_COEFFICIENTS.map(isLogarithmic),
  defaultGrid: [
    SCALE_GRID, SCALE_GRID, [0, 0.5, 1], [0, 0.5, 1], [0, 0.5, 1],
    EXPONENT_GRID, EXPONENT_GRID, EXPONENT_GRID, [-1, -0.5, 0, 0.5, 1],
  ],
  defaultBounds: [FREE, FREE, NONNEGATIVE, NONNEGATIVE, NONNEGATIVE, NONNEGATIVE, NONNEGATIVE, [F1_LOWER_BOUND, Infinity], FREE],
  fromVector: distillationFromVector,
};

// Data sets of the paper's size (a few hundred runs) are searched on every run; past this, the
// 9600 screening runs would cost hours (1e5 runs: over 400 s for 40% of them). On 1024 runs the
// best starts are the same basins (bench/fit-scale.ts measures the objective against the full
// search).
const SCREEN_RUNS = 1024;

// Why these local-search settings: with delta = 1e-4 and residuals of ~0.4%, the Huber sum is
// close to an L1 fit. Its Hessian is huge (~1/delta^2) along directions that move the few
// residuals inside the quadratic zone and nearly zero along the rest, and the distillation law
// has long, almost flat valleys (c1 and d1 trade off, c1 hardly matters once it is large).
// SciPy-like stopping on a small relative decrease (ftol) stops in those valleys, up to 4e-5
// relative above the minimum; so the function test is off and convergence means a projected
// gradient of 1e-8 on the normalised objective (see `settled` for the rounding floor). A memory of 30 (more pairs than parameters,
// i.e. practically full BFGS) crosses the valleys about 3x faster than SciPy's 10.
/** @internal */
export const SUPERVISED_SEARCH: Required<SearchOptions> = {
  screenRuns: SCREEN_RUNS, polishStarts: 4, screenStarts: Infinity, screenIterations: 5, refineStarts: 24,
  memory: 30, maxIterations: 20000, gradientTolerance: 1e-8, functionTolerance: 0,
};
/** @internal */
export const DISTILLATION_SEARCH: Required<SearchOptions> = {
  screenRuns: SCREEN_RUNS, polishStarts: 4, screenStarts: 0, screenIterations: 0, refineStarts: 32,
  memory: 30, maxIterations: 20000, gradientTolerance: 1e-8, functionTolerance: 0,
};

// ---------------------------------------------------------------------------------------------
// The problem after fixing coefficients: a free vector mapped into the full theta.

/** @internal Shared with bootstrap.ts. */
export interface Problem<C> {
  spec: LawSpec<string, C>;
  data: Data;
  delta: number;
  free: number[];
  fixed: Partial<C>;
  template: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  grids: Float64Array[];
}

/** @internal Shared with bootstrap.ts. */
export function resolveProblem<P extends string, C>(
  spec: LawSpec<P, C>, data: Data, options: FitOptionsBase<P, C>,
): Problem<C> {
  const delta = options.huberDelta ?? 1e-4;
  if (!(delta > 0) || !Number.isFinite(delta)) throw new FitError("invalid-options", `huberDelta must be positive, got ${delta}`);
  const fixed: Partial<C> = { ...(options.fixed ?? {}) };
  for (const key of Object.keys(fixed)) {
    if (!spec.coefficients.includes(key as CoefficientName<C>)) {
      throw new FitError("invalid-options", `unknown coefficient "${key}"; expected one of ${spec.coefficients.join(", ")}`);
    }
  }
  const nParams = spec.parameters.length;
  const template = new Float64Array(nParams);
  const lower = new Float64Array(nParams);
  const upper = new Float64Array(nParams);
  const grids: Float64Array[] = [];
  const free: number[] = [];
  for (let p = 0; p < nParams; p++) {
    const name = spec.parameters[p];
    const [lo, hi] = options.bounds?.[name] ?? spec.defaultBounds[p];
    if (!(lo <= hi)) throw new FitError("invalid-options", `bounds of ${name} are empty: [${lo}, ${hi}]`);
    lower[p] = lo;
    upper[p] = hi;
    const fixedValue = fixed[spec.coefficients[p]] as number | undefined;
    if (fixedValue !== undefined) {
      const value = spec.logarithmic[p] ? Math.log(fixedValue) : fixedValue;
      if (!Number.isFinite(value)) {
        throw new FitError("invalid-options", `fixed ${spec.coefficients[p]} = ${fixedValue} is not usable${spec.logarithmic[p] ? " (must be positive)" : ""}`);
      }
      template[p] = value;
      grids.push(Float64Array.of(value));
      continue;
    }
    free.push(p);
    const raw = options.startGrid?.[name] ?? spec.defaultGrid[p];
    if (raw.length === 0) throw new FitError("invalid-options", `start grid of ${name} is empty`);
    // Starts are projected into the bounds (f1 = 0 -> 1e-3); duplicates created by the projection are dropped.
    const projected = [...new Set(raw.map((v) => Math.min(hi, Math.max(lo, v))))];
    if (projected.some((v) => !Number.isFinite(v))) throw new FitError("invalid-options", `start grid of ${name} has a non-finite value`);
    grids.push(Float64Array.from(projected));
  }
  if (data.count < free.length) {
    throw new FitError("too-few-runs", `${data.count} runs cannot determine ${free.length} free coefficients`);
  }
  return { spec: spec as unknown as LawSpec<string, C>, data, delta, free, fixed, template, lower, upper, grids };
}

/**
 * The function L-BFGS-B sees: the Huber sum over free parameters, divided by (runs * delta^2).
 * The division makes the objective O(1) whether residuals are inside the quadratic zone
 * (value ~ mean r^2 / 2 delta^2) or far outside it (~ mean |r| / delta), so one set of
 * tolerances means the same thing for every data set and delta.
 */
/** @internal Shared with bootstrap.ts. */
export function freeObjective<C>(problem: Problem<C>, counter: { evaluations: number }) {
  const { data, delta, free, template } = problem;
  const theta = template.slice();
  const fullGrad = new Float64Array(template.length);
  let weightSum = 0;
  for (let i = 0; i < data.weight.length; i++) weightSum += data.weight[i];
  const scale = 1 / (weightSum * delta * delta);
  const fun = (x: Float64Array, grad: Float64Array): number => {
    counter.evaluations++;
    for (let k = 0; k < free.length; k++) theta[free[k]] = x[k];
    const value = data.objective(theta, delta, fullGrad);
    for (let k = 0; k < free.length; k++) grad[k] = fullGrad[free[k]] * scale;
    return value * scale;
  };
  return { fun, scale };
}

/** @internal Shared with bootstrap.ts. */
export interface LocalResult {
  x: Float64Array;
  fun: number;
  projectedGradient: number;
  converged: boolean;
  status: MinimizeStatus;
  message: string;
}

/** @internal Shared with bootstrap.ts. */
export function localOptions<C>(problem: Problem<C>, search: Required<SearchOptions>, maxIterations: number) {
  const lower = Float64Array.from(problem.free, (p) => problem.lower[p]);
  const upper = Float64Array.from(problem.free, (p) => problem.upper[p]);
  return {
    lower, upper, memory: search.memory, maxIterations, maxEvaluations: Math.max(50, maxIterations * 4),
    gradientTolerance: search.gradientTolerance, functionTolerance: search.functionTolerance,
    // Normalised objective 1e-14 = rms log-residual about 1.4e-7 delta: the data are reproduced
    // exactly for any purpose, and on exact (noise-free) data the gradient test cannot be met
    // because the residuals themselves are rounding noise well before the gradient is 1e-9.
    functionTarget: 1e-14,
  };
}

/**
 * Converged, or stopped by a failed line search with a projected gradient within 100x the
 * tolerance: the objective sums hundreds of terms of size ~1/delta that cancel, so its gradient
 * carries rounding noise of ~1e-10..1e-9 and near the minimum no step can be verified to
 * decrease it. Such a point is as converged as floating point allows.
 */
/** @internal Shared with bootstrap.ts. */
export function settled(r: { converged: boolean; status: MinimizeStatus; projectedGradient: number }, gradientTolerance: number): boolean {
  return r.converged || (r.status === "line-search-failed" && r.projectedGradient <= 100 * gradientTolerance);
}

function sameOptimum(a: LocalResult, b: LocalResult): boolean {
  if (Math.abs(a.fun - b.fun) > 1e-12 * Math.max(Math.abs(a.fun), Math.abs(b.fun), 1e-300)) return false;
  for (let k = 0; k < a.x.length; k++) if (Math.abs(a.x[k] - b.x[k]) > 1e-8 * Math.max(1, Math.abs(a.x[k]))) return false;
  return true;
}

/** `count` of `runs` drawn without replacement with d3's randomLcg(seed), in their original order. */
export function sampleRuns<R>(runs: readonly R[], count: number, seed = 0): R[] {
  if (count >= runs.length) return runs.slice();
  const random = randomLcg(seed);
  const index = Int32Array.from({ length: runs.length }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (runs.length - i));
    const swap = index[i]; index[i] = index[j]; index[j] = swap;
  }
  return Array.from(index.subarray(0, count)).sort((a, b) => a - b).map((i) => runs[i]);
}

/** The `count` best of `results` (sorted by objective), skipping any that repeats a chosen optimum. */
function distinctBest(results: readonly LocalResult[], count: number): LocalResult[] {
  const chosen: LocalResult[] = [];
  for (const r of results) {
    if (chosen.length >= count) break;
    if (!chosen.some((d) => sameOptimum(r, d))) chosen.push(r);
  }
  return chosen;
}

function runSearch<C>(problem: Problem<C>, searchOptions: SearchOptions | undefined, defaults: Required<SearchOptions>,
  onProgress: ((progress: FitProgress) => void) | undefined, sampleData: (count: number) => Data,
): Omit<LawFit<C>, "runs" | "huberDelta" | "fixed" | "freeParameters"> {
  const search: Required<SearchOptions> = { ...defaults, ...(searchOptions ?? {}) };
  const { delta, free, spec } = problem;
  const counter = { evaluations: 0 };
  const sampled = problem.data.count > search.screenRuns;
  // The grid and the screening rank starts on `data`: every run, or a subsample of them.
  const data = sampled ? sampleData(search.screenRuns) : problem.data;
  const screenProblem: Problem<C> = { ...problem, data };
  const runs = sampled ? { runs: data.count } : {};
  const report = onProgress ?? (() => {});

  // 1. Grid.
  const gridValues = data.gridObjectives(problem.grids, delta, (done, total) => report({ phase: "grid", done, total, ...runs }));
  const starts = gridValues.length;
  counter.evaluations += starts;
  const order = Int32Array.from({ length: starts }, (_, i) => i);
  // NaN sorts last: a start where the law is undefined is tried only if nothing else is left.
  order.sort((a, b) => {
    const fa = gridValues[a], fb = gridValues[b];
    if (Number.isNaN(fa)) return Number.isNaN(fb) ? a - b : 1;
    if (Number.isNaN(fb)) return -1;
    return fa - fb || a - b;
  });

  const { fun: screenFun, scale } = freeObjective(screenProblem, counter);
  const { fun } = freeObjective(problem, counter);
  const theta = problem.template.slice();
  const freeStart = new Float64Array(free.length);
  let localSearches = 0;

  const startFromGrid = (rank: number): Float64Array => {
    decodeGridPoint(order[rank], problem.grids, data.gridOrder, theta);
    for (let k = 0; k < free.length; k++) freeStart[k] = theta[free[k]];
    return freeStart;
  };

  // 2. Screening.
  let candidates: LocalResult[];
  const screenCount = Math.min(starts, search.screenStarts);
  if (search.screenIterations > 0 && screenCount > 0) {
    const options = localOptions(problem, search, search.screenIterations);
    candidates = [];
    for (let rank = 0; rank < screenCount; rank++) {
      const r = minimizeBounded(screenFun, startFromGrid(rank), options);
      localSearches++;
      if (Number.isFinite(r.fun)) candidates.push(r);
      if ((rank & 63) === 63 || rank === screenCount - 1) report({ phase: "screen", done: rank + 1, total: screenCount, ...runs });
    }
  } else {
    candidates = [];
    for (let rank = 0; rank < starts && candidates.length < search.refineStarts; rank++) {
      const x = startFromGrid(rank).slice();
      const value = gridValues[order[rank]] * scale;
      if (Number.isFinite(value)) candidates.push({ x, fun: value, projectedGradient: Infinity, converged: false, status: "max-iterations", message: "" });
    }
  }
  candidates.sort((a, b) => a.fun - b.fun);

  // 3. Refinement of the K best distinct candidates, on the runs the screening used.
  const chosen = distinctBest(candidates, search.refineStarts);
  const options = localOptions(problem, search, search.maxIterations);
  let refined: LocalResult[] = [];
  chosen.forEach((c, i) => {
    const r = c.converged ? c : minimizeBounded(screenFun, c.x, options);
    if (!c.converged) localSearches++;
    r.converged = settled(r, search.gradientTolerance);
    if (Number.isFinite(r.fun)) refined.push(r);
    report({ phase: "refine", done: i + 1, total: chosen.length, ...runs });
  });
  refined.sort((a, b) => a.fun - b.fun || Number(b.converged) - Number(a.converged));

  // 4. After a subsample, the best distinct optima are polished on every run: they lie next to
  // the full objective's minima, so this takes few iterations of the expensive objective.
  if (sampled) {
    const polishing = distinctBest(refined, search.polishStarts);
    refined = [];
    polishing.forEach((c, i) => {
      const r = minimizeBounded(fun, c.x, options);
      localSearches++;
      r.converged = settled(r, search.gradientTolerance);
      if (Number.isFinite(r.fun)) refined.push(r);
      report({ phase: "polish", done: i + 1, total: polishing.length });
    });
    refined.sort((a, b) => a.fun - b.fun || Number(b.converged) - Number(a.converged));
  }
  if (refined.length === 0) throw new FitError("non-finite", "the objective is not finite at any start");

  // The best objective can sit where a coefficient overflows in natural units (log A = 800, say):
  // the law is fine in log form but cannot be printed or used. Such a result is passed over for
  // the best one that is usable, and only when none is does the fit fail.
  let winner: LocalResult | null = null;
  let coefficients: C | null = null;
  let objective = NaN;
  let overflowed: C | null = null;
  for (const r of refined) {
    for (let k = 0; k < free.length; k++) theta[free[k]] = r.x[k];
    const candidate = spec.fromVector(theta);
    const value = problem.data.objective(theta, delta, null);
    if (Number.isFinite(value) && Object.values(candidate as Record<string, number>).every(Number.isFinite)) {
      winner = r; coefficients = candidate; objective = value;
      break;
    }
    overflowed ??= candidate;
  }
  if (winner === null || coefficients === null) {
    throw new FitError("non-finite", `coefficients overflow at every optimum found, e.g. ${JSON.stringify(overflowed)}`);
  }
  return {
    coefficients, objective, converged: winner.converged, status: winner.status, message: winner.message,
    starts, localSearches, evaluations: counter.evaluations, parameters: Array.from(theta),
    atBound: coefficientsAtBound(problem, theta),
  };
}

function describe<C>(problem: Problem<C>, core: ReturnType<typeof runSearch<C>>): LawFit<C> {
  return {
    ...core,
    runs: problem.data.count,
    freeParameters: problem.free.map((p) => problem.spec.coefficients[p] as CoefficientName<C>),
    fixed: problem.fixed,
    huberDelta: problem.delta,
  };
}

// ---------------------------------------------------------------------------------------------
// Public API

/** Fits Eq. 1 to supervised runs (Appendix F.1). */
export function fitSupervised(runs: readonly SupervisedRun[], options: SupervisedFitOptions = {}): LawFit<SupervisedCoefficients> {
  const problem = resolveProblem(SUPERVISED_SPEC, SupervisedData.from(runs), options);
  return describe(problem, runSearch(problem, options.search, SUPERVISED_SEARCH, options.onProgress,
    (count) => SupervisedData.from(sampleRuns(runs, count))));
}

/**
 * Fits Eq. 8 to distillation runs (Appendix F.2) with the supervised law held fixed:
 * L~_S = supervisedLoss(supervised, N_S, D_S) for every run.
 */
export function fitDistillation(
  runs: readonly DistillationRun[], supervised: SupervisedCoefficients, options: DistillationFitOptions = {},
): LawFit<DistillationCoefficients> {
  const problem = resolveProblem(DISTILLATION_SPEC, DistillationData.from(runs, supervised), options);
  return describe(problem, runSearch(problem, options.search, DISTILLATION_SEARCH, options.onProgress,
    (count) => DistillationData.from(sampleRuns(runs, count), supervised)));
}
