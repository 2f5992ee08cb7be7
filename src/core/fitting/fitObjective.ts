// The objectives of the fits (Appendix F), as data classes: each holds one law's runs in the form
// the hot loops want (logarithms precomputed once, one typed array per column) and evaluates
// sum over runs of weight * Huber_delta(log L_predicted - log L_observed) with its gradient, at one
// parameter vector or at every point of a start grid. The per-run passes both laws share live in
// objectivePasses.ts; the search over these objectives in fitSearch.ts; resampling in bootstrap.ts.
//
// Units: parameter vectors are in the fitting parametrisation of laws.ts (log A, log B, log E,
// log d1; exponents as is), in SUPERVISED_PARAMETERS / DISTILLATION_PARAMETERS order.

import {
  distillationToVector, supervisedLoss, supervisedToVector,
  type DistillationCoefficients, type SupervisedCoefficients,
} from "../laws/laws.js";
import { CapacityTerm, huberSum, scratchColumns, type ScratchColumns } from "./objectivePasses.js";
import type { DistillationRun, SupervisedRun } from "./runs.js";

export class FitError extends Error {
  readonly code: "too-few-runs" | "non-finite" | "invalid-runs" | "invalid-options";
  constructor(code: FitError["code"], message: string) {
    super(message);
    this.name = "FitError";
    this.code = code;
  }
}


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
  /** log L_predicted of every run at theta, written into `out` (length `count`). */
  logPredictions(theta: Float64Array, out: Float64Array): Float64Array;
}

/**
 * What both data classes share: the objective at delta = 1 leaves every run's log prediction in
 * the scratch column `logPred`, which `logPredictions` copies out.
 */
abstract class RunColumns implements Data {
  protected abstract readonly work: { logPred: Float64Array };
  abstract readonly count: number;
  abstract readonly weight: Float64Array;
  abstract readonly gridOrder: readonly number[];
  abstract objective(theta: Float64Array, delta: number, grad: Float64Array | null): number;
  abstract gridObjectives(grids: readonly Float64Array[], delta: number, onProgress: (done: number, total: number) => void): Float64Array;
  abstract subset(indices: Int32Array, weights: Float64Array): Data;

  logPredictions(theta: Float64Array, out: Float64Array): Float64Array {
    this.objective(theta, 1, null);
    out.set(this.work.logPred);
    return out;
  }
}

/** @internal Exported for tests: the run columns and the objective loops. */
export class SupervisedData extends RunColumns {
  readonly gridOrder = [0, 1, 2, 3, 4, 5];
  private readonly capacity: CapacityTerm;
  protected readonly work: ScratchColumns<"logPred" | "reducibleShare" | "irreducibleShare" | "slope">;

  constructor(
    readonly logN: Float64Array, readonly logD: Float64Array, readonly logL: Float64Array, readonly weight: Float64Array,
  ) {
    super();
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
export class DistillationData extends RunColumns {
  // Switch parameters (c0, c1, f1, log d1) are the major digits so that grid index =
  // switchRow * capacityRows + capacityRow, which is what the factorised evaluation walks.
  readonly gridOrder = [5, 6, 7, 8, 0, 1, 2, 3, 4];
  private readonly capacity: CapacityTerm;
  protected readonly work: ScratchColumns<"switchInput" | "softplus" | "sigmoid" | "logPred" | "gapShare" | "slope">;

  constructor(
    readonly logNS: Float64Array, readonly logDS: Float64Array, readonly logLT: Float64Array,
    readonly logLtilde: Float64Array, readonly logLS: Float64Array, readonly weight: Float64Array,
  ) {
    super();
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
export function decodeGridPoint(index: number, grids: readonly Float64Array[], order: readonly number[], theta: Float64Array): void {
  let rest = index;
  for (let k = order.length - 1; k >= 0; k--) {
    const p = order[k];
    const size = grids[p].length;
    const digit = rest % size;
    rest = (rest - digit) / size;
    theta[p] = grids[p][digit];
  }
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

