// Fitting the supervised (Eq. 1) and distillation (Eq. 8) laws to runs, as in Appendix F:
// minimise the sum over runs of Huber_delta(log L_predicted - log L_observed) with L-BFGS-B from
// a grid of starts, keep the best; 90% intervals by bootstrap resampling of runs.
//
// How the search covers the start grid (the README copies this paragraph):
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
//   That a larger search does not find a better optimum is checked in bench/fit-bench.ts
//   (4x K reaches the same objective to 1e-9 relative) and in
//   test/fitter.test.ts on a reduced grid.
//
// Units. Fixed values and results are in natural units (A, not log A); start grids and bounds
// are in the fitting parametrisation of laws.ts (log A, log B, log E, log d1; exponents as is).

import { randomLcg } from "d3-random";
import {
  DISTILLATION_PARAMETERS, SUPERVISED_PARAMETERS,
  distillationFromVector, distillationToVector,
  supervisedFromVector, supervisedLoss, supervisedToVector,
  type DistillationCoefficients, type DistillationParameter, type SupervisedCoefficients, type SupervisedParameter,
} from "./laws.js";
import { minimizeBounded, type MinimizeStatus } from "./lbfgsb.js";
import { CapacityTerm, huberSum, scratchColumns, type ScratchColumns } from "./objectivePasses.js";
import type { DistillationRun, SupervisedRun } from "./runs.js";

// ---------------------------------------------------------------------------------------------
// Public types

export class FitError extends Error {
  readonly code: "too-few-runs" | "non-finite" | "invalid-runs" | "invalid-options";
  constructor(code: FitError["code"], message: string) {
    super(message);
    this.name = "FitError";
    this.code = code;
  }
}

export interface FitProgress {
  phase: "grid" | "screen" | "refine" | "bootstrap";
  done: number;
  total: number;
}

export interface SearchOptions {
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
}

export interface Interval {
  lower: number;
  upper: number;
}

export interface BootstrapOptions<C> {
  /** Default 4096, as in the paper. */
  resamples?: number;
  /** Seed of d3-random's randomLcg; equal seeds give identical intervals. Default 0. */
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
  /** Resamples whose refit did not meet a convergence tolerance or overflowed; they are left out of the intervals. */
  failed: number;
  seed: number;
}

// ---------------------------------------------------------------------------------------------
// Law descriptions

type CoefficientName<C> = keyof C & string;

interface LawSpec<P extends string, C> {
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

const SUPERVISED_SPEC: LawSpec<SupervisedParameter, SupervisedCoefficients> = {
  parameters: SUPERVISED_PARAMETERS,
  coefficients: ["A", "B", "E", "alpha", "beta", "gamma"],
  logarithmic: [true, true, true, false, false, false],
  defaultGrid: [SCALE_GRID, SCALE_GRID, [-1, -0.5, 0, 0.5, 1, 1.5], EXPONENT_GRID, EXPONENT_GRID, EXPONENT_GRID],
  defaultBounds: [FREE, FREE, FREE, NONNEGATIVE, NONNEGATIVE, NONNEGATIVE],
  fromVector: supervisedFromVector,
};

const DISTILLATION_SPEC: LawSpec<DistillationParameter, DistillationCoefficients> = {
  parameters: DISTILLATION_PARAMETERS,
  coefficients: ["A", "B", "alpha", "beta", "gamma", "c0", "c1", "f1", "d1"],
  logarithmic: [true, true, false, false, false, false, false, false, true],
  defaultGrid: [
    SCALE_GRID, SCALE_GRID, [0, 0.5, 1], [0, 0.5, 1], [0, 0.5, 1],
    EXPONENT_GRID, EXPONENT_GRID, EXPONENT_GRID, [-1, -0.5, 0, 0.5, 1],
  ],
  defaultBounds: [FREE, FREE, NONNEGATIVE, NONNEGATIVE, NONNEGATIVE, NONNEGATIVE, NONNEGATIVE, [F1_LOWER_BOUND, Infinity], FREE],
  fromVector: distillationFromVector,
};

// Why these local-search settings: with delta = 1e-4 and residuals of ~0.4%, the Huber sum is
// close to an L1 fit. Its Hessian is huge (~1/delta^2) along directions that move the few
// residuals inside the quadratic zone and nearly zero along the rest, and the distillation law
// has long, almost flat valleys (c1 and d1 trade off, c1 hardly matters once it is large).
// SciPy-like stopping on a small relative decrease (ftol) stops in those valleys, up to 4e-5
// relative above the minimum; so the function test is off and convergence means a projected
// gradient of 1e-8 on the normalised objective (see `settled` for the rounding floor). A memory of 30 (more pairs than parameters,
// i.e. practically full BFGS) crosses the valleys about 3x faster than SciPy's 10.
const SUPERVISED_SEARCH: Required<SearchOptions> = {
  screenStarts: Infinity, screenIterations: 5, refineStarts: 24,
  memory: 30, maxIterations: 20000, gradientTolerance: 1e-8, functionTolerance: 0,
};
const DISTILLATION_SEARCH: Required<SearchOptions> = {
  screenStarts: 0, screenIterations: 0, refineStarts: 32,
  memory: 30, maxIterations: 20000, gradientTolerance: 1e-8, functionTolerance: 0,
};

// ---------------------------------------------------------------------------------------------
// Run data in the form the hot loops want: logarithms precomputed once, one typed array per column.

export interface Data {
  count: number;
  weight: Float64Array;
  /** Sum of weight * Huber(residual); adds the gradient with respect to the full theta into `grad` if given. */
  objective(theta: Float64Array, delta: number, grad: Float64Array | null): number;
  /** Grid objectives for all points, in the mixed-radix order of `gridOrder`. */
  gridObjectives(grids: readonly Float64Array[], delta: number, onProgress: (done: number, total: number) => void): Float64Array;
  /** Parameter indices from the most to the least significant digit of a grid index. */
  gridOrder: readonly number[];
  subset(indices: Int32Array, weights: Float64Array): Data;
}

/** @internal Exported for tests: the run columns and the objective loops. */
export class SupervisedData implements Data {
  readonly gridOrder = [0, 1, 2, 3, 4, 5];
  private readonly capacity: CapacityTerm;
  private readonly work: ScratchColumns<"logPred" | "reducibleShare" | "irreducibleShare" | "slope">;

  constructor(
    readonly logN: Float64Array, readonly logD: Float64Array, readonly logL: Float64Array, readonly weight: Float64Array,
  ) {
    this.capacity = new CapacityTerm(logN.length);
    this.work = scratchColumns(logN.length, ["logPred", "reducibleShare", "irreducibleShare", "slope"]);
  }

  get count(): number { return this.logN.length; }

  static from(runs: readonly SupervisedRun[]): SupervisedData {
    const n = runs.length;
    const logN = new Float64Array(n), logD = new Float64Array(n), logL = new Float64Array(n);
    runs.forEach((run, i) => {
      if (!(run.N > 0 && run.D > 0 && run.L > 0) || !Number.isFinite(run.N) || !Number.isFinite(run.L) || Number.isNaN(run.D)) {
        throw new FitError("invalid-runs", `supervised run ${i} needs finite positive N, D, L (got N=${run.N}, D=${run.D}, L=${run.L})`);
      }
      logN[i] = Math.log(run.N);
      logD[i] = Math.log(run.D);
      logL[i] = Math.log(run.L);
    });
    return new SupervisedData(logN, logD, logL, new Float64Array(n).fill(1));
  }

  subset(indices: Int32Array, weights: Float64Array): SupervisedData {
    const pick = (a: Float64Array) => Float64Array.from(indices, (i) => a[i]);
    return new SupervisedData(pick(this.logN), pick(this.logD), pick(this.logL), weights);
  }

  // Eq. 44 and its gradient, written out rather than calling logSupervisedLoss per run: this is
  // where the fit spends its time, and sharing one exp between each LSE and its softmax weights
  // makes it about 2.5x faster. Passes over the runs: the capacity term and the Huber sum
  // (shared with DistillationData, see objectivePasses.ts), then this law's outer LSE and the
  // gradient. test/fitter.test.ts checks it against logSupervisedLoss.
  objective(theta: Float64Array, delta: number, grad: Float64Array | null): number {
    const { logN, logD, logL, weight, capacity } = this;
    const { logPred, reducibleShare, irreducibleShare, slope } = this.work;
    const logA = theta[0], logB = theta[1], logE = theta[2], alpha = theta[3], beta = theta[4], gamma = theta[5];
    capacity.fill(logA, logB, alpha, beta, logN, logD);
    const { inner } = capacity;
    for (let i = 0; i < logN.length; i++) {
      const reducible = gamma * inner[i];
      // log L = LSE(reducible, log E) and its softmax weights, from one exp.
      if (reducible >= logE) {
        const e = Math.exp(logE - reducible);
        logPred[i] = reducible + Math.log1p(e);
        const share = 1 / (1 + e);
        reducibleShare[i] = share; irreducibleShare[i] = e * share;
      } else {
        const e = Math.exp(reducible - logE);
        logPred[i] = logE + Math.log1p(e);
        const share = 1 / (1 + e);
        irreducibleShare[i] = share; reducibleShare[i] = e * share;
      }
    }
    const total = huberSum(logPred, logL, weight, delta, grad === null ? null : slope);
    if (grad === null) return total;

    const { modelShare, dataShare } = capacity;
    let g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0;
    for (let i = 0; i < logN.length; i++) {
      const s = slope[i];
      const sg = s * reducibleShare[i] * gamma;
      const sm = sg * modelShare[i], sd = sg * dataShare[i];
      g0 += sm; g1 += sd; g2 += s * irreducibleShare[i];
      g3 -= sm * logN[i];
      if (dataShare[i] !== 0) g4 -= sd * logD[i];
      g5 += s * reducibleShare[i] * inner[i];
    }
    grad[0] = g0; grad[1] = g1; grad[2] = g2; grad[3] = g3; grad[4] = g4; grad[5] = g5;
    return total;
  }

  gridObjectives(grids: readonly Float64Array[], delta: number, onProgress: (done: number, total: number) => void): Float64Array {
    const sizes = grids.map((g) => g.length);
    const total = sizes.reduce((a, b) => a * b, 1);
    const out = new Float64Array(total);
    const theta = new Float64Array(6);
    for (let index = 0; index < total; index++) {
      decodeGridPoint(index, grids, this.gridOrder, theta);
      out[index] = this.objective(theta, delta, null);
      if ((index & 1023) === 1023) onProgress(index + 1, total);
    }
    onProgress(total, total);
    return out;
  }
}

/** @internal Exported for tests: the run columns and the objective loops. */
export class DistillationData implements Data {
  // Switch parameters (c0, c1, f1, log d1) are the major digits so that grid index =
  // switchRow * capacityRows + capacityRow, which is what the factorised evaluation walks.
  readonly gridOrder = [5, 6, 7, 8, 0, 1, 2, 3, 4];
  private readonly capacity: CapacityTerm;
  private readonly work: ScratchColumns<"switchInput" | "softplus" | "sigmoid" | "logPred" | "gapShare" | "slope">;

  constructor(
    readonly logNS: Float64Array, readonly logDS: Float64Array, readonly logLT: Float64Array,
    readonly logLtilde: Float64Array, readonly logLS: Float64Array, readonly weight: Float64Array,
  ) {
    this.capacity = new CapacityTerm(logNS.length);
    this.work = scratchColumns(logNS.length, ["switchInput", "softplus", "sigmoid", "logPred", "gapShare", "slope"]);
  }

  get count(): number { return this.logNS.length; }

  static from(runs: readonly DistillationRun[], supervised: SupervisedCoefficients): DistillationData {
    const n = runs.length;
    const cols = Array.from({ length: 5 }, () => new Float64Array(n));
    const [logNS, logDS, logLT, logLtilde, logLS] = cols;
    runs.forEach((run, i) => {
      const ok = run.NS > 0 && Number.isFinite(run.NS) && run.DS > 0 && !Number.isNaN(run.DS) &&
        run.LT > 0 && Number.isFinite(run.LT) && run.LS > 0 && Number.isFinite(run.LS);
      if (!ok) throw new FitError("invalid-runs", `distillation run ${i} needs finite positive N_S, D_S, L_T, L_S`);
      const tilde = supervisedLoss(supervised, run.NS, run.DS);
      if (!(tilde > 0 && Number.isFinite(tilde))) throw new FitError("non-finite", `L~_S of distillation run ${i} is ${tilde}`);
      logNS[i] = Math.log(run.NS);
      logDS[i] = Math.log(run.DS);
      logLT[i] = Math.log(run.LT);
      logLtilde[i] = Math.log(tilde);
      logLS[i] = Math.log(run.LS);
    });
    return new DistillationData(logNS, logDS, logLT, logLtilde, logLS, new Float64Array(n).fill(1));
  }

  subset(indices: Int32Array, weights: Float64Array): DistillationData {
    const pick = (a: Float64Array) => Float64Array.from(indices, (i) => a[i]);
    return new DistillationData(pick(this.logNS), pick(this.logDS), pick(this.logLT), pick(this.logLtilde), pick(this.logLS), weights);
  }

  // Eq. 49 and its gradient written out, for the same reason and in the same passes as
  // SupervisedData.objective; checked against logDistilledLoss in test/fitter.test.ts.
  objective(theta: Float64Array, delta: number, grad: Float64Array | null): number {
    const { logNS, logDS, logLT, logLtilde, logLS, weight, capacity } = this;
    const { switchInput, softplus, sigmoid, logPred, gapShare, slope } = this.work;
    const logA = theta[0], logB = theta[1], alpha = theta[2], beta = theta[3], gamma = theta[4];
    const c0 = theta[5], c1 = theta[6], f1 = theta[7], logd1 = theta[8];
    const c1f1 = c1 * f1;
    capacity.fill(logA, logB, alpha, beta, logNS, logDS);
    const { inner } = capacity;
    for (let i = 0; i < logNS.length; i++) {
      const lt = logLT[i];
      const x = (lt - logLtilde[i] - logd1) / f1;
      switchInput[i] = x;
      // softplus(x) and sigmoid(x) from one exp.
      let sp: number;
      if (x > 0) { const e = Math.exp(-x); sp = x + Math.log1p(e); sigmoid[i] = 1 / (1 + e); }
      else { const e = Math.exp(x); sp = Math.log1p(e); sigmoid[i] = e / (1 + e); }
      softplus[i] = sp;
      const gap = -c0 * lt - c1f1 * sp + gamma * inner[i];
      if (gap >= lt) { const e = Math.exp(lt - gap); logPred[i] = gap + Math.log1p(e); gapShare[i] = 1 / (1 + e); }
      else { const e = Math.exp(gap - lt); logPred[i] = lt + Math.log1p(e); gapShare[i] = e / (1 + e); }
    }
    const total = huberSum(logPred, logLS, weight, delta, grad === null ? null : slope);
    if (grad === null) return total;

    const { modelShare, dataShare } = capacity;
    let g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0, g8 = 0;
    for (let i = 0; i < logNS.length; i++) {
      const sg = slope[i] * gapShare[i];
      const sgm = sg * gamma * modelShare[i], sgd = sg * gamma * dataShare[i];
      const sp = softplus[i], sig = sigmoid[i];
      g0 += sgm; g1 += sgd;
      g2 -= sgm * logNS[i];
      if (dataShare[i] !== 0) g3 -= sgd * logDS[i];
      g4 += sg * inner[i];
      g5 -= sg * logLT[i];
      g6 -= sg * f1 * sp;
      g7 -= sg * c1 * (sp - switchInput[i] * sig);
      g8 += sg * c1 * sig;
    }
    grad[0] = g0; grad[1] = g1; grad[2] = g2; grad[3] = g3; grad[4] = g4;
    grad[5] = g5; grad[6] = g6; grad[7] = g7; grad[8] = g8;
    return total;
  }

  gridObjectives(grids: readonly Float64Array[], delta: number, onProgress: (done: number, total: number) => void): Float64Array {
    const n = this.count;
    const { logNS, logDS, logLT, logLtilde, logLS, weight } = this;
    const [gA, gB, gAlpha, gBeta, gGamma, gC0, gC1, gF1, gD1] = grids;
    const switchRows = gC0.length * gC1.length * gF1.length * gD1.length;
    const capacityRows = gA.length * gB.length * gAlpha.length * gBeta.length * gGamma.length;
    const total = switchRows * capacityRows;

    // S[row * n + i] = -c0 log L_T - c1 f1 softplus((log L_T - log L~_S - log d1) / f1)
    const S = new Float64Array(switchRows * n);
    let row = 0;
    for (const c0 of gC0) for (const c1 of gC1) for (const f1 of gF1) for (const logd1 of gD1) {
      const off = row++ * n;
      for (let i = 0; i < n; i++) {
        const x = (logLT[i] - logLtilde[i] - logd1) / f1;
        const softplus = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
        S[off + i] = -c0 * logLT[i] - c1 * f1 * softplus;
      }
    }
    // C[row * n + i] = gamma LSE(log A - alpha log N_S, log B - beta log D_S)
    const C = new Float64Array(capacityRows * n);
    const capacity = new CapacityTerm(n);
    row = 0;
    for (const logA of gA) for (const logB of gB) for (const alpha of gAlpha) for (const beta of gBeta) for (const gamma of gGamma) {
      const off = row++ * n;
      capacity.fill(logA, logB, alpha, beta, logNS, logDS);
      for (let i = 0; i < n; i++) C[off + i] = gamma * capacity.inner[i];
    }
    // The loop over capacity rows must be innermost in index order (see gridOrder), and the
    // per-run work is one LSE and one Huber.
    const out = new Float64Array(total);
    for (let s = 0; s < switchRows; s++) {
      const sOff = s * n;
      for (let c = 0; c < capacityRows; c++) {
        const cOff = c * n;
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const gap = S[sOff + i] + C[cOff + i];
          const t = logLT[i];
          const lse = gap > t ? gap + Math.log1p(Math.exp(t - gap)) : t + Math.log1p(Math.exp(gap - t));
          const r = lse - logLS[i];
          const a = r < 0 ? -r : r;
          sum += weight[i] * (a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta));
        }
        out[s * capacityRows + c] = sum;
      }
      onProgress((s + 1) * capacityRows, total);
    }
    return out;
  }
}

/** Writes grid point `index` into theta; digit k (most significant first) is parameter order[k]. */
function decodeGridPoint(index: number, grids: readonly Float64Array[], order: readonly number[], theta: Float64Array): void {
  let rest = index;
  for (let k = order.length - 1; k >= 0; k--) {
    const p = order[k];
    const size = grids[p].length;
    const digit = rest % size;
    rest = (rest - digit) / size;
    theta[p] = grids[p][digit];
  }
}

// ---------------------------------------------------------------------------------------------
// The problem after fixing coefficients: a free vector mapped into the full theta.

interface Problem<C> {
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

function resolveProblem<P extends string, C>(
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
function freeObjective<C>(problem: Problem<C>, counter: { evaluations: number }) {
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

interface LocalResult {
  x: Float64Array;
  fun: number;
  projectedGradient: number;
  converged: boolean;
  status: MinimizeStatus;
  message: string;
}

function localOptions<C>(problem: Problem<C>, search: Required<SearchOptions>, maxIterations: number) {
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
function settled(r: { converged: boolean; status: MinimizeStatus; projectedGradient: number }, gradientTolerance: number): boolean {
  return r.converged || (r.status === "line-search-failed" && r.projectedGradient <= 100 * gradientTolerance);
}

function sameOptimum(a: LocalResult, b: LocalResult): boolean {
  if (Math.abs(a.fun - b.fun) > 1e-12 * Math.max(Math.abs(a.fun), Math.abs(b.fun), 1e-300)) return false;
  for (let k = 0; k < a.x.length; k++) if (Math.abs(a.x[k] - b.x[k]) > 1e-8 * Math.max(1, Math.abs(a.x[k]))) return false;
  return true;
}

function runSearch<C>(problem: Problem<C>, searchOptions: SearchOptions | undefined, defaults: Required<SearchOptions>,
  onProgress?: (progress: FitProgress) => void): Omit<LawFit<C>, "runs" | "huberDelta" | "fixed" | "freeParameters"> {
  const search: Required<SearchOptions> = { ...defaults, ...(searchOptions ?? {}) };
  const { data, delta, free, spec } = problem;
  const counter = { evaluations: 0 };
  const report = onProgress ?? (() => {});

  // 1. Grid.
  const gridValues = data.gridObjectives(problem.grids, delta, (done, total) => report({ phase: "grid", done, total }));
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

  const { fun, scale } = freeObjective(problem, counter);
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
      const r = minimizeBounded(fun, startFromGrid(rank), options);
      localSearches++;
      if (Number.isFinite(r.fun)) candidates.push(r);
      if ((rank & 63) === 63 || rank === screenCount - 1) report({ phase: "screen", done: rank + 1, total: screenCount });
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

  // 3. Refinement of the K best distinct candidates.
  const chosen: LocalResult[] = [];
  for (const c of candidates) {
    if (chosen.length >= search.refineStarts) break;
    if (!chosen.some((d) => sameOptimum(c, d))) chosen.push(c);
  }
  const options = localOptions(problem, search, search.maxIterations);
  const refined: LocalResult[] = [];
  chosen.forEach((c, i) => {
    const r = c.converged ? c : minimizeBounded(fun, c.x, options);
    if (!c.converged) localSearches++;
    r.converged = settled(r, search.gradientTolerance);
    if (Number.isFinite(r.fun)) refined.push(r);
    report({ phase: "refine", done: i + 1, total: chosen.length });
  });
  if (refined.length === 0) throw new FitError("non-finite", "the objective is not finite at any start");
  refined.sort((a, b) => a.fun - b.fun || Number(b.converged) - Number(a.converged));

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
    const value = data.objective(theta, delta, null);
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
  return describe(problem, runSearch(problem, options.search, SUPERVISED_SEARCH, options.onProgress));
}

/**
 * Fits Eq. 8 to distillation runs (Appendix F.2) with the supervised law held fixed:
 * L~_S = supervisedLoss(supervised, N_S, D_S) for every run.
 */
export function fitDistillation(
  runs: readonly DistillationRun[], supervised: SupervisedCoefficients, options: DistillationFitOptions = {},
): LawFit<DistillationCoefficients> {
  const problem = resolveProblem(DISTILLATION_SPEC, DistillationData.from(runs, supervised), options);
  return describe(problem, runSearch(problem, options.search, DISTILLATION_SEARCH, options.onProgress));
}

/** The sum of Huber(log L_pred - log L_obs) over supervised runs at given coefficients. */
export function supervisedObjective(runs: readonly SupervisedRun[], c: SupervisedCoefficients, huberDelta = 1e-4): number {
  return SupervisedData.from(runs).objective(Float64Array.from(supervisedToVector(c)), huberDelta, null);
}

/** The sum of Huber(log L_S,pred - log L_S,obs) over distillation runs at given coefficients. */
export function distillationObjective(
  runs: readonly DistillationRun[], supervised: SupervisedCoefficients, c: DistillationCoefficients, huberDelta = 1e-4,
): number {
  return DistillationData.from(runs, supervised).objective(Float64Array.from(distillationToVector(c)), huberDelta, null);
}

/**
 * Percentile bootstrap over runs. Each resample draws runs.length runs with replacement
 * (d3-random's randomLcg(seed)) and is refitted with ONE L-BFGS-B run warm-started from the
 * full-data optimum, not with the grid search: resampled data move the optimum only a little,
 * so the full-data optimum lies in the basin of the resample's optimum, and one local run
 * (tens to a few thousand evaluations) instead of a grid search is what makes thousands of resamples affordable
 * at build time. Resamples whose refit does not converge are counted in `failed` and left out.
 */
export function bootstrapSupervised(
  runs: readonly SupervisedRun[], fit: LawFit<SupervisedCoefficients>, options: BootstrapOptions<SupervisedCoefficients> = {},
): BootstrapResult<SupervisedCoefficients> {
  return bootstrapIntervals([supervisedBootstrapDraws(runs, fit, options)], options.level);
}

/**
 * Percentile bootstrap of the distillation law over distillation runs. The supervised law is
 * held at `supervised` in every resample (L~_S does not change), as in the two-stage fit of
 * Appendix F; its own uncertainty is therefore not propagated into these intervals.
 * Warm-started from the full-data optimum like bootstrapSupervised.
 */
export function bootstrapDistillation(
  runs: readonly DistillationRun[], supervised: SupervisedCoefficients, fit: LawFit<DistillationCoefficients>,
  options: BootstrapOptions<DistillationCoefficients> = {},
): BootstrapResult<DistillationCoefficients> {
  return bootstrapIntervals([distillationBootstrapDraws(runs, supervised, fit, options)], options.level);
}

/**
 * The refits of a slice of a seeded bootstrap. Slices of the same seed and resample count,
 * computed anywhere (worker threads, say) and passed together to bootstrapIntervals, give
 * exactly the intervals of the whole bootstrap computed in one go.
 */
export interface BootstrapDraws<C> {
  coefficients: (keyof C & string)[];
  seed: number;
  /** Resamples in the whole bootstrap. */
  resamples: number;
  /** Index of the first resample of this slice. */
  first: number;
  /** One entry per resample of the slice, in order: the refit, or null where it was left out. */
  refits: (C | null)[];
}

export interface BootstrapSlice {
  /** Index of the first resample to refit. Default 0. */
  first?: number;
  /** How many resamples to refit. Default: all from `first` on. */
  count?: number;
}

/** Refits of the resamples of `slice` (default all) of the supervised bootstrap. */
export function supervisedBootstrapDraws(
  runs: readonly SupervisedRun[], fit: LawFit<SupervisedCoefficients>,
  options: BootstrapOptions<SupervisedCoefficients> = {}, slice: BootstrapSlice = {},
): BootstrapDraws<SupervisedCoefficients> {
  return bootstrapDraws(SUPERVISED_SPEC, SupervisedData.from(runs), fit, options, SUPERVISED_SEARCH, slice);
}

/** Refits of the resamples of `slice` (default all) of the distillation bootstrap. */
export function distillationBootstrapDraws(
  runs: readonly DistillationRun[], supervised: SupervisedCoefficients, fit: LawFit<DistillationCoefficients>,
  options: BootstrapOptions<DistillationCoefficients> = {}, slice: BootstrapSlice = {},
): BootstrapDraws<DistillationCoefficients> {
  return bootstrapDraws(DISTILLATION_SPEC, DistillationData.from(runs, supervised), fit, options, DISTILLATION_SEARCH, slice);
}

// Each resample's refit may stop after this many iterations. Measured on the bundled data set
// (180 distillation resamples): the refits that converged took a median of 600 iterations and
// at most 9100; the ones that ran to the old 20000-iteration cap were walking off along a flat
// valley (c1 towards infinity), were left out either way and took most of the build's time.
const BOOTSTRAP_MAX_ITERATIONS = 10000;

function bootstrapDraws<P extends string, C>(
  spec: LawSpec<P, C>, data: Data, fit: LawFit<C>, options: BootstrapOptions<C>, defaults: Required<SearchOptions>,
  slice: BootstrapSlice,
): BootstrapDraws<C> {
  const resamples = Math.floor(options.resamples ?? 4096);
  const seed = options.seed ?? 0;
  if (!(resamples >= 1)) throw new FitError("invalid-options", `resamples must be at least 1, got ${options.resamples}`);
  const first = slice.first ?? 0;
  const count = slice.count ?? resamples - first;
  if (!(Number.isInteger(first) && Number.isInteger(count) && first >= 0 && count >= 0 && first + count <= resamples)) {
    throw new FitError("invalid-options", `slice ${first}..${first + count} is not within the ${resamples} resamples`);
  }
  const search: Required<SearchOptions> = { ...defaults, maxIterations: BOOTSTRAP_MAX_ITERATIONS, ...(options.search ?? {}) };
  const fixed = options.fixed ?? fit.fixed;
  const huberDelta = options.huberDelta ?? fit.huberDelta;
  const base = resolveProblem(spec, data, { fixed, huberDelta });
  const n = data.count;
  const start = Float64Array.from(base.free, (p) => fit.parameters[p]);
  const rng = randomLcg(seed);
  const counts = new Float64Array(n);
  const refits: (C | null)[] = [];
  const theta = base.template.slice();

  for (let b = 0; b < first + count; b++) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[Math.floor(rng() * n)]++;
    // Resamples before the slice only advance the random sequence.
    if (b < first) continue;
    // Multiplicities as weights over the distinct runs drawn: same objective as the duplicated
    // data set, without copying runs.
    let distinct = 0;
    for (let i = 0; i < n; i++) if (counts[i] > 0) distinct++;
    const indices = new Int32Array(distinct);
    const weights = new Float64Array(distinct);
    for (let i = 0, j = 0; i < n; i++) if (counts[i] > 0) { indices[j] = i; weights[j++] = counts[i]; }
    const problem: Problem<C> = { ...base, data: data.subset(indices, weights) };
    const { fun } = freeObjective(problem, { evaluations: 0 });
    const r = minimizeBounded(fun, start, localOptions(problem, search, search.maxIterations));
    for (let k = 0; k < base.free.length; k++) theta[base.free[k]] = r.x[k];
    const c = spec.fromVector(theta);
    // A refit that did not settle, or whose coefficients overflow, says nothing reliable about
    // the spread; it is counted and left out rather than stretching an interval to Infinity.
    const usable = settled(r, search.gradientTolerance) && Number.isFinite(r.fun) &&
      spec.coefficients.every((name) => Number.isFinite((c as Record<string, number>)[name]));
    refits.push(usable ? c : null);
    options.onProgress?.({ phase: "bootstrap", done: b - first + 1, total: count });
  }
  return { coefficients: [...spec.coefficients], seed, resamples, first, refits };
}

/** Percentile intervals from bootstrap slices that together cover every resample once. */
export function bootstrapIntervals<C>(slices: readonly BootstrapDraws<C>[], level = 0.9): BootstrapResult<C> {
  if (slices.length === 0) throw new FitError("invalid-options", "no bootstrap draws to summarise");
  if (!(level > 0 && level < 1)) throw new FitError("invalid-options", `level must be in (0, 1), got ${level}`);
  const { coefficients, seed, resamples } = slices[0];
  const ordered = [...slices].sort((a, b) => a.first - b.first);
  let next = 0;
  for (const slice of ordered) {
    if (slice.seed !== seed || slice.resamples !== resamples || slice.first !== next) {
      throw new FitError("invalid-options", `bootstrap slices must cover resamples 0..${resamples - 1} of one seed exactly once`);
    }
    next += slice.refits.length;
  }
  if (next !== resamples) throw new FitError("invalid-options", `bootstrap slices cover ${next} of ${resamples} resamples`);

  const refits = ordered.flatMap((slice) => slice.refits);
  const tail = (1 - level) / 2;
  const intervals = {} as Record<CoefficientName<C>, Interval>;
  for (const name of coefficients) {
    const sorted = refits.filter((c): c is C => c !== null).map((c) => c[name] as number).sort((a, b) => a - b);
    intervals[name] = sorted.length === 0
      ? { lower: NaN, upper: NaN }
      : { lower: quantileSorted(sorted, tail), upper: quantileSorted(sorted, 1 - tail) };
  }
  return { intervals, level, resamples, failed: refits.filter((c) => c === null).length, seed };
}

/** Linear interpolation between order statistics (NumPy's default "linear" method). */
function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const i = Math.floor(h);
  const j = Math.min(sorted.length - 1, i + 1);
  return sorted[i] + (h - i) * (sorted[j] - sorted[i]);
}
