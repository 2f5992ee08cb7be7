// Lifetime cost (docs/spec.md section 9 "Lifetime"; Sardana and Frankle 2023, "Beyond Chinchilla-Optimal"):
// training plus serving. Serving T tokens costs F(N_S) T forward FLOPs (prompt and generated
// tokens both counted). For a target loss L* and T, each strategy's student size is chosen to
// minimise lifetime FLOPs = C_min(N_S, L*) + F(N_S) T; the converse chooses N_S to minimise the
// loss for a lifetime budget. With T = 0 both reduce to the compute-optimal model.

import { TABLE6, supervisedLoss, tokensForLoss, type CoefficientSet } from "./laws.js";
import { band, type Band } from "./bands.js";
import { DEFAULT_FLOPS_MODEL, forwardFlopsFunction } from "./flops.js";
import { DEFAULT_BOUNDS, supervisedComputeOptimal } from "./optimizer.js";
import { minimizeScalar } from "./scalar.js";
import { solveStrategy, type OptimalStrategy, type Strategy, type StrategyOptions } from "./strategy.js";
import { targetLossCompute, type TargetLossReached } from "./targetLoss.js";
import { describeSharedTeacher, sharedTeacherStrategy, type LogitsSharing } from "./amortisation.js";

export interface LifetimeStrategy {
  id: string;
  label: string;
  strategy: Strategy;
}

/** The strategies of the deployment question: supervised, an existing teacher, a new teacher, a teacher shared by k. */
export function lifetimeStrategies(k = 4, logits: LogitsSharing = "per-student"): LifetimeStrategy[] {
  return [
    { id: "supervised", label: "Supervised", strategy: "supervised" },
    { id: "existing-teacher", label: "Existing teacher (logits paid)", strategy: "teacher-inference" },
    { id: "new-teacher", label: "New teacher for this student", strategy: "teacher-pretraining-inference" },
    { id: "shared-teacher", label: describeSharedTeacher(k, logits), strategy: sharedTeacherStrategy(k, logits) },
  ];
}

export interface LifetimeFlops {
  studentTraining: number;
  teacherLogits: number;
  teacherPretraining: number;
  serving: number;
  total: number;
}

export interface LifetimeOptimum {
  status: "optimal";
  id: string;
  label: string;
  strategy: Strategy;
  studentParameters: number;
  /** D_S (or D) per parameter. */
  tokensPerParameter: number;
  allocation: TargetLossReached;
  lifetime: LifetimeFlops;
  converged: boolean;
  evaluations: number;
}

export interface LifetimeUnreachable {
  status: "unreachable";
  id: string;
  label: string;
  strategy: Strategy;
  message: string;
}

export type LifetimeResult = LifetimeOptimum | LifetimeUnreachable;

export interface LifetimeOptions extends StrategyOptions {
  /** Scan points over log N_S before Brent refines. Default 24. */
  studentScanPoints?: number;
  /**
   * Least student tokens per parameter (default 1). The laws extrapolated to students far larger
   * than their data (a 180B student distilled on 50M tokens) give a second, spurious minimum of
   * lifetime FLOPs; no run the laws were fitted on is anywhere near it.
   */
  minStudentTokensPerParameter?: number;
}

/** The least tokens per parameter the lifetime search allows a student. */
export const LIFETIME_MIN_TOKENS_PER_PARAMETER = 1;

/**
 * The range of log N_S searched for a target: from half the smallest student that can reach L*
 * (L(N, inf) = L*; distillation's floor is a hair lower) to where even the least tokens per
 * parameter cost more than 1000x the compute-optimal model (lifetime FLOPs only grow with N_S beyond).
 */
export function studentSearchRange(targetLoss: number, options: LifetimeOptions = {}): [number, number] {
  const { supervised: s } = options.coefficients ?? TABLE6;
  const F = forwardFlopsFunction(options.flops ?? DEFAULT_FLOPS_MODEL);
  const [lo, hi] = options.bounds ?? DEFAULT_BOUNDS;
  const reducible = Math.pow(targetLoss - s.E, 1 / s.gamma);
  if (!(reducible > 0)) throw new RangeError(`target loss ${targetLoss} is at or below the irreducible loss E = ${s.E}`);
  const smallest = Math.pow(s.A / reducible, 1 / s.alpha);
  const m = Math.max(options.minStudentTokensPerParameter ?? LIFETIME_MIN_TOKENS_PER_PARAMETER, lo / hi);
  const ceiling = 1000 * computeOptimalForLoss(targetLoss, options).compute;
  // 3 F(N) m N >= ceiling: student training alone exceeds any optimum's lifetime FLOPs.
  let a = Math.log(lo), b = Math.log(hi);
  if (3 * F(hi) * m * hi > ceiling) {
    for (let i = 0; i < 200 && b - a > 1e-9; i++) {
      const mid = 0.5 * (a + b);
      if (3 * F(Math.exp(mid)) * m * Math.exp(mid) > ceiling) b = mid;
      else a = mid;
    }
  }
  return [Math.log(Math.max(lo, smallest / 2)), Math.max(Math.log(Math.max(lo, smallest / 2)), b)];
}

/** The supervised compute-optimal model (Chinchilla) reaching L*: the T = 0 reference. */
export function computeOptimalForLoss(targetLoss: number, options: StrategyOptions = {}): { parameters: number; tokens: number; compute: number } {
  const { supervised: s } = options.coefficients ?? TABLE6;
  const F = forwardFlopsFunction(options.flops ?? DEFAULT_FLOPS_MODEL);
  const [lo, hi] = options.bounds ?? DEFAULT_BOUNDS;
  const reducible = Math.pow(targetLoss - s.E, 1 / s.gamma);
  const smallest = Math.pow(s.A / reducible, 1 / s.alpha);
  const cost = (logN: number) => {
    const N = Math.exp(logN);
    const D = tokensForLoss(s, N, targetLoss);
    return D <= hi ? Math.log(3 * F(N) * D) : Infinity;
  };
  const r = minimizeScalar(cost, Math.log(Math.max(lo, smallest)), Math.log(hi), { scanPoints: 32, xatol: 1e-11 });
  const parameters = Math.exp(r.x);
  const tokens = tokensForLoss(s, parameters, targetLoss);
  return { parameters, tokens, compute: 3 * F(parameters) * tokens };
}

/** Lifetime FLOPs of one strategy at a given student size, or null when it cannot reach L*. */
export function lifetimeAt(
  studentParameters: number,
  targetLoss: number,
  servedTokens: number,
  strategy: Strategy,
  options: LifetimeOptions = {},
): { allocation: TargetLossReached; lifetime: LifetimeFlops } | null {
  const F = forwardFlopsFunction(options.flops ?? DEFAULT_FLOPS_MODEL);
  const allocation = targetLossCompute(studentParameters, targetLoss, strategy, {
    ...options, minStudentTokensPerParameter: options.minStudentTokensPerParameter ?? LIFETIME_MIN_TOKENS_PER_PARAMETER,
  });
  if (allocation.status !== "optimal") return null;
  const serving = F(studentParameters) * servedTokens;
  const { studentTraining, teacherLogits, teacherPretraining } = allocation.flops;
  return {
    allocation,
    lifetime: { studentTraining, teacherLogits, teacherPretraining, serving, total: allocation.compute + serving },
  };
}

/** For a target loss and T served tokens, the student size minimising each strategy's lifetime FLOPs. */
export function lifetimeOptimum(
  targetLoss: number,
  servedTokens: number,
  strategies: readonly LifetimeStrategy[] = lifetimeStrategies(),
  options: LifetimeOptions = {},
): LifetimeResult[] {
  if (!(servedTokens >= 0 && Number.isFinite(servedTokens))) throw new RangeError(`served tokens must be a finite number >= 0, got ${servedTokens}`);
  const [a, b] = studentSearchRange(targetLoss, options);
  return strategies.map(({ id, label, strategy }) => {
    let evaluations = 0;
    const objective = (logN: number) => {
      evaluations++;
      const at = lifetimeAt(Math.exp(logN), targetLoss, servedTokens, strategy, options);
      return at === null ? Infinity : Math.log(at.lifetime.total);
    };
    const r = minimizeScalar(objective, a, b, { scanPoints: options.studentScanPoints ?? 24, xatol: 1e-7 });
    const at = Number.isFinite(r.fun) ? lifetimeAt(Math.exp(r.x), targetLoss, servedTokens, strategy, options) : null;
    if (at === null) {
      return { status: "unreachable", id, label, strategy, message: `no student size reaches ${targetLoss.toFixed(4)} nats with this strategy within the bounds` };
    }
    const studentParameters = Math.exp(r.x);
    return {
      status: "optimal", id, label, strategy, studentParameters,
      tokensPerParameter: at.allocation.studentTokens / studentParameters,
      allocation: at.allocation, lifetime: at.lifetime, converged: r.converged, evaluations,
    };
  });
}

/** The U-curve: lifetime FLOPs against student size for one strategy (null where L* is out of reach). */
export function lifetimeCurve(
  sizes: readonly number[],
  targetLoss: number,
  servedTokens: number,
  strategy: Strategy,
  options: LifetimeOptions = {},
): { studentParameters: number; lifetime: LifetimeFlops | null }[] {
  return sizes.map((N) => ({ studentParameters: N, lifetime: lifetimeAt(N, targetLoss, servedTokens, strategy, options)?.lifetime ?? null }));
}

// ---------------------------------------------------------------------------------------------
// The converse: a lifetime budget and T, the lowest loss.

export interface LifetimeBudgetOptimum {
  status: "optimal";
  id: string;
  label: string;
  strategy: Strategy;
  studentParameters: number;
  tokensPerParameter: number;
  studentLoss: number;
  /** The compute-optimal training allocation at the training budget left after serving. */
  allocation: OptimalStrategy;
  lifetime: LifetimeFlops;
  converged: boolean;
  evaluations: number;
}

export type LifetimeBudgetResult = LifetimeBudgetOptimum | LifetimeUnreachable;

/** For a lifetime budget and T, each strategy's student size with the lowest loss (training gets what serving leaves). */
export function lifetimeBudgetOptimum(
  lifetimeBudget: number,
  servedTokens: number,
  strategies: readonly LifetimeStrategy[] = lifetimeStrategies(),
  options: LifetimeOptions = {},
): LifetimeBudgetResult[] {
  if (!(lifetimeBudget > 0 && Number.isFinite(lifetimeBudget))) throw new RangeError(`lifetime budget must be a positive finite number, got ${lifetimeBudget}`);
  if (!(servedTokens >= 0 && Number.isFinite(servedTokens))) throw new RangeError(`served tokens must be a finite number >= 0, got ${servedTokens}`);
  const F = forwardFlopsFunction(options.flops ?? DEFAULT_FLOPS_MODEL);
  const [lo, hi] = options.bounds ?? DEFAULT_BOUNDS;
  const m = options.minStudentTokensPerParameter ?? LIFETIME_MIN_TOKENS_PER_PARAMETER;
  const fewest = (N: number) => Math.max(lo, m * N);
  // The largest student that can still be trained on its fewest tokens after serving.
  let logMax = Math.log(hi);
  if (F(hi) * (servedTokens + 3 * fewest(hi)) > lifetimeBudget) {
    let x = Math.log(lo), y = Math.log(hi);
    for (let i = 0; i < 200 && y - x > 1e-12; i++) {
      const mid = 0.5 * (x + y);
      const N = Math.exp(mid);
      if (F(N) * (servedTokens + 3 * fewest(N)) > lifetimeBudget) y = mid;
      else x = mid;
    }
    logMax = x;
  }
  const logMin = Math.log(lo);
  return strategies.map(({ id, label, strategy }) => {
    let evaluations = 0;
    const solve = (logN: number): OptimalStrategy | null => {
      const N = Math.exp(logN);
      const training = lifetimeBudget - F(N) * servedTokens;
      if (!(training > 0)) return null;
      evaluations++;
      const s = solveStrategy(N, training, strategy, options);
      // A student on fewer tokens per parameter than allowed is left out (see minStudentTokensPerParameter).
      return s.status === "optimal" && s.studentTokens >= fewest(N) * (1 - 1e-9) ? s : null;
    };
    const unreachable = (): LifetimeUnreachable => ({
      status: "unreachable", id, label, strategy,
      message: "no student size has a feasible allocation for this lifetime budget within the bounds",
    });
    if (!(logMin < logMax)) return unreachable();
    const r = minimizeScalar((logN) => solve(logN)?.studentLoss ?? Infinity, logMin, logMax, {
      scanPoints: options.studentScanPoints ?? 24, xatol: 1e-7,
    });
    const s = Number.isFinite(r.fun) ? solve(r.x) : null;
    if (s === null) return unreachable();
    const serving = F(s.studentParameters) * servedTokens;
    return {
      status: "optimal", id, label, strategy, studentParameters: s.studentParameters,
      tokensPerParameter: s.studentTokens / s.studentParameters, studentLoss: s.studentLoss, allocation: s,
      lifetime: {
        studentTraining: s.flops.studentTraining, teacherLogits: s.flops.teacherLogits,
        teacherPretraining: s.flops.teacherPretraining, serving, total: s.flops.total + serving,
      },
      converged: r.converged, evaluations,
    };
  });
}

/** The supervised compute-optimal model for a training budget: the converse's T = 0 reference. */
export function computeOptimalForBudget(budget: number, options: StrategyOptions = {}) {
  const r = supervisedComputeOptimal(budget, options);
  return { parameters: r.parameters, tokens: r.tokens, loss: supervisedLoss((options.coefficients ?? TABLE6).supervised, r.parameters, r.tokens) };
}

/** Tokens served over a deployment: tokens per day x days. */
export function servedTokens(tokensPerDay: number, days: number): number {
  if (!(tokensPerDay >= 0 && days >= 0)) throw new RangeError("tokens per day and days must be >= 0");
  return tokensPerDay * days;
}

/**
 * Bands (docs/spec.md section 9) of one strategy's lifetime optimum over ensemble members, each member
 * re-optimised on its own: the optimal student size and the lifetime FLOPs.
 */
export function lifetimeBands(
  targetLoss: number,
  servedTokens: number,
  strategy: LifetimeStrategy,
  members: readonly Pick<CoefficientSet, "supervised" | "distillation">[],
  options: LifetimeOptions = {},
  level = 0.9,
): { studentParameters: Band | null; lifetimeFlops: Band | null; members: number } {
  const optima = members.map((coefficients) => lifetimeOptimum(targetLoss, servedTokens, [strategy], { ...options, coefficients })[0]);
  const pick = (f: (r: LifetimeOptimum) => number) => optima.map((r) => (r.status === "optimal" ? f(r) : NaN));
  return {
    studentParameters: band(pick((r) => r.studentParameters), level),
    lifetimeFlops: band(pick((r) => r.lifetime.total), level),
    members: members.length,
  };
}
