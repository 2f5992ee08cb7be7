// Compute-optimal allocations (Section 5.3, Appendix D.4): supervised compute-optimal models,
// the cheapest teacher for a target loss, and compute-optimal distillation (Eq. 10) for each
// scenario of Table 2.
//
// Eq. 10 has three unknowns (D_S, N_T, D_T) and one equality constraint (Eq. 9). Solving the
// constraint for D_S leaves a two-dimensional problem in (log N_T, log D_T) on a box whose
// D_T-range depends on N_T; it is solved as nested bounded scalar searches (scan, then Brent),
// which keeps the FLOPs constraint exact and the bounds honoured by construction.

import {
  TABLE6, distilledLossAtSize, distilledLossAtStudent, distilledLossGiven, supervisedLoss, supervisedLossAtSize,
  type CoefficientSet, type DistillationCoefficients, type SupervisedCoefficients,
} from "./laws.js";
import { DEFAULT_FLOPS_MODEL, forwardFlopsFunction, type FlopsModel } from "./flops.js";
import { distillationFlops, scenarioById, type FlopsSplit, type ScenarioId } from "./scenarios.js";
import { brentBounded, minimizeScalar } from "./scalar.js";
import { formatExponent } from "./units.js";

export type LawCoefficients = Pick<CoefficientSet, "supervised" | "distillation">;

/** The paper's bounds on N_T, D_S and D_T. */
export const DEFAULT_BOUNDS: Readonly<[number, number]> = Object.freeze([1e6, 1e17]) as Readonly<[number, number]>;

export interface OptimizerOptions {
  coefficients?: LawCoefficients;
  flops?: FlopsModel;
  /** Lower and upper bound on N_T, D_S and D_T. */
  bounds?: readonly [number, number];
  /** Absolute tolerance on log N_T and log D_T. */
  logTolerance?: number;
  /**
   * Scan points before Brent refines: of the supervised and teacher-loss searches, and of the
   * outer (N_T) search of compute-optimal distillation, whose inner (D_T) search scans half as
   * many. Defaults: 16 (supervised), 24 (teacher loss), 12 (distillation).
   */
  scanPoints?: number;
  /**
   * Warm start for paid-teacher scenarios (ensemble members, whose optimum lies near the point
   * fit's): search log N_T within `decades` of `teacherParameters` and log D_T within `decades`
   * of the same tokens per parameter as `teacherTokens`, with `scanPoints` (default 3) per search.
   * An optimum on the edge of that window (not of the feasible box) is redone without it.
   */
  near?: { teacherParameters: number; teacherTokens: number; decades?: number; scanPoints?: number };
}

export type BoundFlag = "lower" | "upper" | null;

export class InfeasibleBudgetError extends RangeError {
  readonly reason: "budget-too-small" | "budget-too-large";
  readonly budget: number;
  readonly minimumBudget: number;
  readonly maximumBudget: number;
  readonly scenario: ScenarioId | "supervised";
  constructor(
    scenario: ScenarioId | "supervised",
    budget: number,
    minimumBudget: number,
    maximumBudget: number,
  ) {
    const tooSmall = budget < minimumBudget;
    const limit = tooSmall ? minimumBudget : maximumBudget;
    super(
      `budget ${formatExponent(budget, 4)} FLOPs is too ${tooSmall ? "small" : "large"} for ${scenario}: ` +
      `feasible budgets are ${formatExponent(minimumBudget, 4)} to ${formatExponent(maximumBudget, 4)} FLOPs ` +
      `with N_T, D_S, D_T in the bounds (${tooSmall ? "at least" : "at most"} ${formatExponent(limit, 4)})`,
    );
    this.name = "InfeasibleBudgetError";
    this.reason = tooSmall ? "budget-too-small" : "budget-too-large";
    this.budget = budget;
    this.minimumBudget = minimumBudget;
    this.maximumBudget = maximumBudget;
    this.scenario = scenario;
  }
}

// ---------------------------------------------------------------------------------------------
// Supervised training.

export interface SupervisedComputeOptimal {
  parameters: number;
  tokens: number;
  loss: number;
  budget: number;
  bounds: { parameters: BoundFlag; tokens: BoundFlag };
  converged: boolean;
  message: string;
  evaluations: number;
}

/** The supervised compute-optimal (N*, D*) for a budget C = 3 F(N) D (Eq. 2 with the FLOPs model). */
export function supervisedComputeOptimal(budget: number, options: OptimizerOptions = {}): SupervisedComputeOptimal {
  const { supervised } = options.coefficients ?? TABLE6;
  const F = forwardFlopsFunction(options.flops ?? DEFAULT_FLOPS_MODEL);
  const [lo, hi] = options.bounds ?? DEFAULT_BOUNDS;
  assertPositive("budget", budget);
  const tokensFor = (N: number) => budget / (3 * F(N));
  // D decreases with N: the box on (N, D) becomes a range of log N.
  const logNmin = Math.max(Math.log(lo), Math.log(invertIncreasing((N) => 3 * F(N) * hi, budget, lo, hi)));
  const logNmax = Math.min(Math.log(hi), Math.log(invertIncreasing((N) => 3 * F(N) * lo, budget, lo, hi)));
  if (!(logNmin <= logNmax)) {
    throw new InfeasibleBudgetError("supervised", budget, 3 * F(lo) * lo, 3 * F(hi) * hi);
  }
  const result = minimizeScalar(
    (logN) => supervisedLoss(supervised, Math.exp(logN), tokensFor(Math.exp(logN))),
    logNmin, logNmax, { scanPoints: options.scanPoints ?? 16, xatol: options.logTolerance ?? 1e-9 },
  );
  const parameters = Math.exp(result.x);
  const tokens = tokensFor(parameters);
  return {
    parameters, tokens, loss: result.fun, budget,
    bounds: { parameters: boundFlag(parameters, lo, hi), tokens: boundFlag(tokens, lo, hi) },
    converged: result.converged, message: result.message, evaluations: result.evaluations,
  };
}

/** Supervised training of a student of fixed size on the whole budget: D = C / (3 F(N_S)). */
export function supervisedStudent(
  studentParameters: number,
  budget: number,
  options: OptimizerOptions = {},
): { tokens: number; loss: number; flops: FlopsSplit } {
  const { supervised } = options.coefficients ?? TABLE6;
  const F = forwardFlopsFunction(options.flops ?? DEFAULT_FLOPS_MODEL);
  assertPositive("student parameters", studentParameters);
  assertPositive("budget", budget);
  const tokens = budget / (3 * F(studentParameters));
  return {
    tokens,
    loss: supervisedLoss(supervised, studentParameters, tokens),
    flops: { studentTraining: budget, teacherLogits: 0, teacherPretraining: 0, total: budget },
  };
}

export interface CheapestTeacher {
  parameters: number;
  tokens: number;
  /** Pretraining FLOPs 3 F(N_T) D_T. */
  pretrainingFlops: number;
  bounds: { parameters: BoundFlag; tokens: BoundFlag };
  converged: boolean;
  message: string;
  evaluations: number;
}

/**
 * The cheapest teacher (N_T, D_T) in the bounds that reaches loss `targetLoss`: it minimises the
 * pretraining FLOPs F(N_T) D_T subject to L(N_T, D_T) = targetLoss. On the curve, D_T is the
 * closed-form inverse of Eq. 1 in D, so only log N_T is searched.
 */
export function cheapestTeacher(targetLoss: number, options: OptimizerOptions = {}): CheapestTeacher {
  const { supervised } = options.coefficients ?? TABLE6;
  const F = forwardFlopsFunction(options.flops ?? DEFAULT_FLOPS_MODEL);
  const [lo, hi] = options.bounds ?? DEFAULT_BOUNDS;
  const reachable = [supervisedLoss(supervised, hi, hi), supervisedLoss(supervised, lo, lo)];
  if (!(targetLoss >= reachable[0] && targetLoss <= reachable[1])) {
    throw new RangeError(
      `teacher loss ${targetLoss} is outside the losses reachable with N_T, D_T in [${lo}, ${hi}]: ` +
      `${reachable[0].toFixed(4)} to ${reachable[1].toFixed(4)} nats`,
    );
  }
  const tokensFor = (N: number) => tokensForLoss(supervised, N, targetLoss);
  // The curve L = target enters the box where D_T = hi (smallest N_T) and leaves where D_T = lo.
  const logNmax = Math.min(Math.log(hi), Math.log(parametersForLoss(supervised, lo, targetLoss)));
  let logNmin = Math.max(Math.log(lo), Math.log(parametersForLoss(supervised, hi, targetLoss)));
  // A target at the strongest reachable loss leaves a single point, up to rounding.
  if (logNmin > logNmax) logNmin = logNmax;
  const result = minimizeScalar(
    (logN) => {
      const N = Math.exp(logN);
      return Math.log(F(N)) + Math.log(tokensFor(N));
    },
    logNmin, logNmax, { scanPoints: options.scanPoints ?? 16, xatol: options.logTolerance ?? 1e-9 },
  );
  const parameters = Math.exp(result.x);
  const tokens = Math.min(hi, Math.max(lo, tokensFor(parameters)));
  return {
    parameters, tokens, pretrainingFlops: 3 * F(parameters) * tokens,
    bounds: { parameters: boundFlag(parameters, lo, hi), tokens: boundFlag(tokens, lo, hi) },
    converged: result.converged, message: result.message, evaluations: result.evaluations,
  };
}

/** The D at which a model of size N reaches loss L under Eq. 1 (Infinity if it never does). */
export function tokensForLoss(c: SupervisedCoefficients, N: number, L: number): number {
  const reducible = Math.pow(L - c.E, 1 / c.gamma) - c.A / Math.pow(N, c.alpha);
  return reducible > 0 ? Math.pow(c.B / reducible, 1 / c.beta) : Infinity;
}

/** The N at which a model trained on D tokens reaches loss L under Eq. 1 (Infinity if never). */
export function parametersForLoss(c: SupervisedCoefficients, D: number, L: number): number {
  const reducible = Math.pow(L - c.E, 1 / c.gamma) - c.B / Math.pow(D, c.beta);
  return reducible > 0 ? Math.pow(c.A / reducible, 1 / c.alpha) : Infinity;
}

// ---------------------------------------------------------------------------------------------
// Distillation.

export interface OptimalTeacherLoss {
  teacherLoss: number;
  studentLoss: number;
  converged: boolean;
  message: string;
  evaluations: number;
}

/**
 * The teacher loss L_T* that minimises L_S(N_S, D_S, L_T) at a fixed student (the bottom of the
 * capacity-gap U, Figures 4 and 7). `D_S` may be Infinity (Appendix E.6).
 */
export function optimalTeacherLoss(
  studentParameters: number,
  studentTokens: number,
  options: OptimizerOptions & { teacherLossRange?: readonly [number, number] } = {},
): OptimalTeacherLoss {
  const { supervised, distillation } = options.coefficients ?? TABLE6;
  const [lo, hi] = options.bounds ?? DEFAULT_BOUNDS;
  const [minLoss, maxLoss] = options.teacherLossRange ??
    [supervisedLoss(supervised, hi, hi), supervisedLoss(supervised, lo, lo)];
  const supervisedStudentLoss = supervisedLoss(supervised, studentParameters, studentTokens);
  const result = minimizeScalar(
    (logLT) => distilledLossGiven(distillation, studentParameters, studentTokens, Math.exp(logLT), supervisedStudentLoss),
    Math.log(minLoss), Math.log(maxLoss), { scanPoints: options.scanPoints ?? 24, xatol: 1e-12 },
  );
  return {
    teacherLoss: Math.exp(result.x), studentLoss: result.fun,
    converged: result.converged, message: result.message, evaluations: result.evaluations,
  };
}

export interface DistillationProblem {
  studentParameters: number;
  budget: number;
  scenario: ScenarioId;
}

export interface DistillationSolution {
  scenario: ScenarioId;
  studentParameters: number;
  budget: number;
  /** D_S* */
  studentTokens: number;
  /** N_T*; in the best case, the supervised compute-optimal teacher that reaches L_T*. */
  teacherParameters: number;
  /** D_T*; in the best case, that of the supervised compute-optimal teacher reaching L_T*. */
  teacherTokens: number;
  /** L_T* */
  teacherLoss: number;
  /** L_S* */
  studentLoss: number;
  /** L~_S = L(N_S, D_S*): the same student trained supervised on the same tokens. */
  supervisedStudentLoss: number;
  flops: FlopsSplit;
  /** Which variables sit on a bound of the box (N_T, D_T for the best case are not optimised). */
  bounds: { studentTokens: BoundFlag; teacherParameters: BoundFlag; teacherTokens: BoundFlag };
  /** False in the best case: only L_T* is determined there, the teacher shown is one of many. */
  teacherDetermined: boolean;
  converged: boolean;
  status: "converged" | "max-evaluations" | "non-finite";
  message: string;
  evaluations: number;
}

/** The feasible range of total budgets of a scenario for a student, with all variables in the bounds. */
export function feasibleBudgetRange(
  studentParameters: number,
  scenario: ScenarioId,
  options: OptimizerOptions = {},
): { minimum: number; maximum: number } {
  const { deltaLogits, deltaPretraining } = scenarioById(scenario);
  const F = forwardFlopsFunction(options.flops ?? DEFAULT_FLOPS_MODEL);
  const [lo, hi] = options.bounds ?? DEFAULT_BOUNDS;
  const studentCost = 3 * F(studentParameters);
  return {
    minimum: studentCost * lo + deltaLogits * F(lo) * lo + deltaPretraining * 3 * F(lo) * lo,
    maximum: studentCost * hi + deltaLogits * F(hi) * hi + deltaPretraining * 3 * F(hi) * hi,
  };
}

/**
 * Compute-optimal distillation (Eq. 10): the D_S, N_T, D_T minimising L_S(N_S, D_S, L(N_T, D_T))
 * subject to the total FLOPs of Eq. 9 being the budget, with N_T, D_S, D_T in the bounds.
 * Throws InfeasibleBudgetError when no allocation in the bounds spends exactly the budget.
 */
export function optimalDistillation(problem: DistillationProblem, options: OptimizerOptions = {}): DistillationSolution {
  const { studentParameters: NS, budget: C, scenario: scenarioId } = problem;
  assertPositive("student parameters", NS);
  assertPositive("budget", C);
  const scenario = scenarioById(scenarioId);
  const coefficients = options.coefficients ?? TABLE6;
  const { supervised } = coefficients;
  const flopsModel = options.flops ?? DEFAULT_FLOPS_MODEL;
  const F = forwardFlopsFunction(flopsModel);
  const [lo, hi] = options.bounds ?? DEFAULT_BOUNDS;
  const logLo = Math.log(lo), logHi = Math.log(hi);
  // The outer function of log N_T can have two dips 2-3 decades apart of nearly equal depth
  // (teacher inference, N_S ~ 7e10, C ~ 4e23: N_T ~ 1.7e11 and ~ 4e13); a scan every decade
  // (12 points over 1e6..1e17) separates them, one every 1.6 decades did not.
  const outerScanPoints = options.scanPoints ?? 12;
  const innerScanPoints = Math.max(2, Math.round(outerScanPoints / 2));
  const xatol = options.logTolerance ?? 1e-9;
  const range = feasibleBudgetRange(NS, scenarioId, options);
  if (!(C >= range.minimum * (1 - 1e-12) && C <= range.maximum * (1 + 1e-12))) {
    throw new InfeasibleBudgetError(scenarioId, C, range.minimum, range.maximum);
  }
  const studentCost = 3 * F(NS);
  const { deltaLogits, deltaPretraining } = scenario;

  if (deltaLogits === 0 && deltaPretraining === 0) {
    const DS = C / studentCost;
    const best = optimalTeacherLoss(NS, DS, { ...options, scanPoints: 24 });
    const teacher = cheapestTeacher(best.teacherLoss, options);
    return {
      scenario: scenarioId, studentParameters: NS, budget: C,
      studentTokens: DS, teacherParameters: teacher.parameters, teacherTokens: teacher.tokens,
      teacherLoss: best.teacherLoss, studentLoss: best.studentLoss,
      supervisedStudentLoss: supervisedLoss(supervised, NS, DS),
      flops: distillationFlops(
        { studentParameters: NS, studentTokens: DS, teacherParameters: teacher.parameters, teacherTokens: teacher.tokens },
        scenario, flopsModel),
      // The teacher shown is not optimised, but a cheapest teacher on a bound means L_T* is
      // the strongest teacher the box allows: the optimiser would like a stronger one.
      bounds: { studentTokens: boundFlag(DS, lo, hi), ...teacherBounds(teacher) },
      teacherDetermined: false,
      converged: best.converged && teacher.converged,
      status: best.converged ? "converged" : "max-evaluations",
      message: best.message,
      evaluations: best.evaluations + teacher.evaluations,
    };
  }

  // D_S from the constraint: (C - delta_pre 3 F(N_T) D_T) / (3 F(N_S) + delta_lgt F(N_T)).
  const studentTokensFor = (teacherForward: number, DT: number) =>
    (C - deltaPretraining * 3 * teacherForward * DT) / (studentCost + deltaLogits * teacherForward);

  // For each N_T, the D_T-range keeping D_S in [lo, hi]; empty ranges mark infeasible N_T.
  const teacherTokenRange = (NT: number): [number, number] => {
    const teacherForward = F(NT);
    const perStudentToken = studentCost + deltaLogits * teacherForward;
    if (deltaPretraining === 0) {
      const DS = C / perStudentToken;
      return DS >= lo * (1 - 1e-12) && DS <= hi * (1 + 1e-12) ? [logLo, logHi] : [1, 0];
    }
    const pretrainCost = 3 * teacherForward;
    const maxDT = (C - lo * perStudentToken) / pretrainCost;
    const minDT = (C - hi * perStudentToken) / pretrainCost;
    const a = minDT > lo ? Math.log(minDT) : logLo;
    const b = maxDT < hi ? (maxDT > 0 ? Math.log(maxDT) : -Infinity) : logHi;
    // At the ends of the feasible N_T interval the range shrinks to a point; rounding may
    // invert it by an ulp.
    return b < a && a - b < 1e-9 ? [a, a] : [a, b];
  };

  // D_S = (C - delta_pre 3 F(N_T) D_T) / (3 F(N_S) + delta_lgt F(N_T)) lies in [lo, hi] for some
  // D_T in [lo, hi] exactly when lo g(N_T) <= C <= hi g(N_T) with the increasing
  // g(N_T) = 3 F(N_S) + (delta_lgt + 3 delta_pre) F(N_T); so the feasible N_T form an interval.
  const perTokenCost = (NT: number) => studentCost + (deltaLogits + 3 * deltaPretraining) * F(NT);
  const logNTmax = Math.log(invertIncreasing((NT) => lo * perTokenCost(NT), C, lo, hi));
  let logNTmin = Math.log(invertIncreasing((NT) => hi * perTokenCost(NT), C, lo, hi));
  if (logNTmin > logNTmax && logNTmin - logNTmax < 1e-9) logNTmin = logNTmax;
  if (logNTmin > logNTmax) throw new InfeasibleBudgetError(scenarioId, C, range.minimum, range.maximum);

  // The warm-start window (options.near), clipped to the feasible ranges; null searches everything.
  const near = options.near;
  const halfWidth = near ? (near.decades ?? 1) * Math.LN10 : 0;
  const nearNT = near ? Math.log(near.teacherParameters) : 0;
  const nearRatio = near ? Math.log(near.teacherTokens / near.teacherParameters) : 0;
  const windowed = near !== undefined && nearNT + halfWidth >= logNTmin && nearNT - halfWidth <= logNTmax;
  const searchMin = windowed ? Math.max(logNTmin, nearNT - halfWidth) : logNTmin;
  const searchMax = windowed ? Math.min(logNTmax, nearNT + halfWidth) : logNTmax;
  const scanOuter = windowed ? (near!.scanPoints ?? 3) : outerScanPoints;
  const scanInner = windowed ? (near!.scanPoints ?? 3) : innerScanPoints;
  // Edges of the window that are not edges of the feasible box: an optimum there is not trusted.
  const edgeTolerance = 10 * xatol + 1e-9;
  const onWindowEdge = (x: number, lower: number, upper: number, windowLower: number, windowUpper: number) =>
    (windowLower > lower + 1e-9 && x - windowLower < edgeTolerance) || (windowUpper < upper - 1e-9 && windowUpper - x < edgeTolerance);

  let evaluations = 0;
  let allConverged = true;
  const studentLoss = distilledLossAtSize(coefficients, NS);
  const innerSolve = (logNT: number) => {
    const NT = Math.exp(logNT);
    const teacherForward = F(NT);
    const teacherLoss = supervisedLossAtSize(supervised, NT);
    const [fa, fb] = teacherTokenRange(NT);
    let a = fa, b = fb;
    if (windowed && fa <= fb) {
      const centre = logNT + nearRatio;
      const wa = Math.max(fa, centre - halfWidth), wb = Math.min(fb, centre + halfWidth);
      if (wa <= wb) { a = wa; b = wb; }
    }
    if (!(a <= b)) return { x: a, fun: Infinity, converged: true, status: "converged", message: "", evaluations: 0, onWindowEdge: false };
    // Without pretraining costs D_S does not depend on D_T, and only L_T varies in the search.
    const lossAtTeacher = deltaPretraining === 0
      ? distilledLossAtStudent(coefficients, NS, Math.min(hi, Math.max(lo, studentTokensFor(teacherForward, 0))))
      : null;
    const inner = minimizeScalar((logDT) => {
      evaluations++;
      if (lossAtTeacher !== null) return lossAtTeacher(teacherLoss(logDT));
      const DS = Math.min(hi, Math.max(lo, studentTokensFor(teacherForward, Math.exp(logDT))));
      return studentLoss(Math.log(DS), teacherLoss(logDT));
    }, a, b, { scanPoints: scanInner, xatol });
    if (!inner.converged) allConverged = false;
    return { ...inner, onWindowEdge: windowed && onWindowEdge(inner.x, fa, fb, a, b) };
  };
  // The outer search's answer is one of the points it evaluated; keep that point's inner solution.
  let bestInner: { logNT: number; result: ReturnType<typeof innerSolve> } | null = null;
  const outer = minimizeScalar((logNT) => {
    const result = innerSolve(logNT);
    if (bestInner === null || result.fun < bestInner.result.fun) bestInner = { logNT, result };
    return result.fun;
  }, searchMin, searchMax, { scanPoints: scanOuter, xatol });
  const kept = bestInner as { logNT: number; result: ReturnType<typeof innerSolve> } | null;
  const inner = kept !== null && kept.logNT === outer.x ? kept.result : innerSolve(outer.x);
  if (windowed && (inner.onWindowEdge || onWindowEdge(outer.x, logNTmin, logNTmax, searchMin, searchMax))) {
    // The optimum may lie outside the window: solve the whole box instead.
    const { near: _ignored, ...rest } = options;
    const full = optimalDistillation(problem, rest);
    return { ...full, evaluations: full.evaluations + evaluations };
  }

  const NT = Math.exp(outer.x);
  const DT = Math.exp(inner.x);
  const teacherForward = F(NT);
  const DS = Math.min(hi, Math.max(lo, studentTokensFor(teacherForward, DT)));
  const converged = outer.converged && inner.converged && allConverged;
  return {
    scenario: scenarioId, studentParameters: NS, budget: C,
    studentTokens: DS, teacherParameters: NT, teacherTokens: DT,
    teacherLoss: supervisedLoss(supervised, NT, DT), studentLoss: inner.fun,
    supervisedStudentLoss: supervisedLoss(supervised, NS, DS),
    flops: distillationFlops(
      { studentParameters: NS, studentTokens: DS, teacherParameters: NT, teacherTokens: DT }, scenario, flopsModel),
    bounds: {
      studentTokens: boundFlag(DS, lo, hi),
      teacherParameters: boundFlag(NT, lo, hi),
      teacherTokens: boundFlag(DT, lo, hi),
    },
    teacherDetermined: true,
    converged,
    status: !Number.isFinite(inner.fun) ? "non-finite" : converged ? "converged" : "max-evaluations",
    message: converged ? "nested Brent searches converged within the log tolerance" : outer.message,
    evaluations,
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function teacherBounds(teacher: CheapestTeacher): { teacherParameters: BoundFlag; teacherTokens: BoundFlag } {
  return { teacherParameters: teacher.bounds.parameters, teacherTokens: teacher.bounds.tokens };
}

function assertPositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive finite number, got ${value}`);
}

/** A value within 1e-6 relative of a bound is reported as on it. */
function boundFlag(value: number, lo: number, hi: number): BoundFlag {
  if (value <= lo * (1 + 1e-6)) return "lower";
  if (value >= hi * (1 - 1e-6)) return "upper";
  return null;
}

/** The N in [lo, hi] at which an increasing g(N) reaches target (clamped to the interval). */
function invertIncreasing(g: (N: number) => number, target: number, lo: number, hi: number): number {
  if (g(lo) >= target) return lo;
  if (g(hi) <= target) return hi;
  let a = Math.log(lo), b = Math.log(hi);
  for (let i = 0; i < 200 && b - a > 1e-13; i++) {
    const m = 0.5 * (a + b);
    if (g(Math.exp(m)) < target) a = m;
    else b = m;
  }
  return Math.exp(0.5 * (a + b));
}

export { brentBounded };
export type { DistillationCoefficients, SupervisedCoefficients };

export interface Crossover {
  /** The total compute at which supervised training of the student first matches the distillation scenario. */
  budget: number;
  studentTokens: number;
  studentLoss: number;
}

/**
 * The crossover compute of Figure 8: the smallest budget at which supervised training of a
 * student of size N_S reaches the distilled loss of `scenario` (best case by default; teacher
 * inference is the paper's abstract claim, an existing teacher). Null when distillation stays
 * ahead for every budget the bounds allow (with Table 6 and the best case this happens for
 * students below ~3e8).
 */
export function supervisedCrossover(
  studentParameters: number,
  options: OptimizerOptions = {},
  scenario: ScenarioId = "best-case",
): Crossover | null {
  const range = feasibleBudgetRange(studentParameters, scenario, options);
  const advantage = (logC: number) => {
    const C = Math.exp(logC);
    return supervisedStudent(studentParameters, C, options).loss -
      optimalDistillation({ studentParameters, budget: C, scenario }, options).studentLoss;
  };
  const logMin = Math.log(range.minimum), logMax = Math.log(range.maximum);
  const steps = 60;
  let previous = logMin;
  if (advantage(previous) <= 0) return describeCrossover(studentParameters, Math.exp(previous), options);
  for (let i = 1; i <= steps; i++) {
    const logC = logMin + ((logMax - logMin) * i) / steps;
    if (advantage(logC) <= 0) {
      let a = previous, b = logC;
      for (let k = 0; k < 60 && b - a > 1e-10; k++) {
        const m = 0.5 * (a + b);
        if (advantage(m) <= 0) b = m;
        else a = m;
      }
      return describeCrossover(studentParameters, Math.exp(b), options);
    }
    previous = logC;
  }
  return null;
}

function describeCrossover(studentParameters: number, budget: number, options: OptimizerOptions): Crossover {
  const supervised = supervisedStudent(studentParameters, budget, options);
  return { budget, studentTokens: supervised.tokens, studentLoss: supervised.loss };
}
