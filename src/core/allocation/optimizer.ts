// The single-model searches behind compute-optimal allocations (Section 5.3, Appendix D.4): the
// supervised compute-optimal model for a budget, the cheapest teacher reaching a loss, and the
// teacher loss that minimises a student's distilled loss. The strategy solver (strategy.ts)
// builds on them; the box of the search (DEFAULT_BOUNDS), the model options and the context
// they resolve to (SolverContext) live here.

import {
  TABLE6, distilledLossFromSupervised, parametersForLoss, supervisedLoss, tokensForLoss, type CoefficientSet,
} from "../laws/laws.js";
import { DEFAULT_FLOPS_MODEL, forwardFlopsFunction, type FlopsModel, type ForwardFlops } from "../laws/flops.js";
import type { FlopsSplit } from "../laws/scenarios.js";
import { minimizeScalar } from "../numerics/scalar.js";
import { formatExponent } from "../inputs/units.js";
import { toleratedRange, type Range } from "../domain/validity.js";

export type LawCoefficients = Pick<CoefficientSet, "supervised" | "distillation">;

/** The paper's bounds on N_T, D_S and D_T. */
export const DEFAULT_BOUNDS: Readonly<[number, number]> = Object.freeze([1e6, 1e17]) as Readonly<[number, number]>;

/** What is modelled: the laws' coefficients, the FLOPs model and the box of the search. */
export interface ModelOptions {
  coefficients?: LawCoefficients;
  flops?: FlopsModel;
  /** Lower and upper bound on every parameter count and token count searched (N_T, D_S, D_T). */
  bounds?: readonly [number, number];
  /**
   * Ranges each variable must also stay in (the within-domain plan, docs/within-domain.md):
   * supervised training is held to `supervised`, every distillation strategy to `distillation`.
   * Absent: only `bounds`.
   */
  box?: StrategyBox;
}

/** Per-variable ranges on top of `bounds`; a range left out leaves its variable to the bounds. */
export interface AllocationBox {
  studentParameters?: Range;
  /** D_S (D for supervised training). */
  studentTokens?: Range;
  studentTokensPerParameter?: Range;
  teacherParameters?: Range;
  teacherTokens?: Range;
  /** L_T = L(N_T, D_T), in nats. */
  teacherLoss?: Range;
}

export interface StrategyBox {
  supervised: AllocationBox;
  distillation: AllocationBox;
}

/** The ranges a solution for one student must stay in: `bounds` intersected with `box`. */
export interface ResolvedBox {
  /** False when the student's own size is outside `box.studentParameters` (no allocation can be inside). */
  studentInside: boolean;
  studentTokens: [number, number];
  teacherParameters: [number, number];
  teacherTokens: [number, number];
  /** Null without a teacher-loss range (any loss the teachers in the box reach). */
  teacherLoss: [number, number] | null;
}

/** The ranges of the context's box for a student of `studentParameters`, supervised (`distilled` false) or distilled. */
export function resolveBox(studentParameters: number, distilled: boolean, context: Pick<SolverContext, "bounds" | "box">): ResolvedBox {
  const [lo, hi] = context.bounds;
  const box = context.box?.[distilled ? "distillation" : "supervised"];
  if (!box) return { studentInside: true, studentTokens: [lo, hi], teacherParameters: [lo, hi], teacherTokens: [lo, hi], teacherLoss: null };
  const clip = (range: Range | undefined): [number, number] => [Math.max(lo, range?.min ?? lo), Math.min(hi, range?.max ?? hi)];
  const [dsMin, dsMax] = clip(box.studentTokens);
  const ratio = box.studentTokensPerParameter;
  const size = box.studentParameters && toleratedRange(box.studentParameters);
  return {
    studentInside: !size || (studentParameters >= size.min && studentParameters <= size.max),
    studentTokens: [Math.max(dsMin, (ratio?.min ?? 0) * studentParameters), Math.min(dsMax, (ratio?.max ?? Infinity) * studentParameters)],
    teacherParameters: clip(box.teacherParameters),
    teacherTokens: clip(box.teacherTokens),
    teacherLoss: box.teacherLoss ? [box.teacherLoss.min, box.teacherLoss.max] : null,
  };
}

/** How one search runs; each routine documents what the two mean for it and its defaults. */
export interface SearchOptions {
  /** Points of the coarse scan before Brent's method refines. */
  scanPoints?: number;
  /** Absolute tolerance on the searched variable (a logarithm). */
  logTolerance?: number;
}

export type OptimizerOptions = ModelOptions & SearchOptions;

export type BoundFlag = "lower" | "upper" | null;

/**
 * ModelOptions resolved once at a question's entry, with F(N) built: the solvers below an entry
 * (planAllocations, solveStrategy, targetLossCompute, the lifetime searches, an ensemble member's
 * solve) take this and never read ModelOptions, so one plan builds F(N) once however many
 * searches it runs.
 */
export interface SolverContext {
  readonly coefficients: LawCoefficients;
  readonly flops: FlopsModel;
  /** F(N) of `flops`, forward FLOPs per token. */
  readonly F: ForwardFlops;
  readonly bounds: readonly [number, number];
  /** Absent: only `bounds` (ModelOptions.box). */
  readonly box: StrategyBox | undefined;
}

/** The context of `options`: Table 6, Eq. 69 with the paper's shape and DEFAULT_BOUNDS where they say nothing. */
export function resolveSolverContext(options: ModelOptions = {}): SolverContext {
  const flops = options.flops ?? DEFAULT_FLOPS_MODEL;
  return {
    coefficients: options.coefficients ?? TABLE6, flops, F: forwardFlopsFunction(flops),
    bounds: options.bounds ?? DEFAULT_BOUNDS, box: options.box,
  };
}

/**
 * The public entry of a solver (docs/solver-context.md): the solver's arguments after the context,
 * then the options, which are resolved once into the context and passed on as the solver's search
 * (its search type has no model fields, so it reads only how to search). `arity` is how many
 * arguments stand before the options, checked against the solver's signature.
 */
export function solverEntry<Args extends unknown[], Search extends object, Result>(
  solve: (context: SolverContext, ...rest: [...Args, Search?]) => Result,
  arity: Required<Args>["length"],
): (...args: [...Args, options?: ModelOptions & Search]) => Result {
  return (...args) => solve(resolveSolverContext(args[arity] as ModelOptions | undefined), ...(args as unknown as [...Args, Search?]));
}

// ---------------------------------------------------------------------------------------------
// Supervised training.

/** How a search over log N in the (N, D) box ended: which edges its optimum sits on, and the search's status. */
export interface BoxSearchOutcome {
  bounds: { parameters: BoundFlag; tokens: BoundFlag };
  converged: boolean;
  message: string;
  evaluations: number;
}

/** Runs a search over log N between the box's limits with the allocation searches' defaults. */
function searchLogN(objective: (logN: number) => number, logNmin: number, logNmax: number, search: SearchOptions) {
  return minimizeScalar(objective, logNmin, logNmax, { scanPoints: search.scanPoints ?? 16, xatol: search.logTolerance ?? 1e-9 });
}

function boxSearchOutcome(
  result: { converged: boolean; message: string; evaluations: number },
  parameters: number, tokens: number, [lo, hi]: readonly [number, number],
): BoxSearchOutcome {
  return {
    bounds: { parameters: boundFlag(parameters, lo, hi), tokens: boundFlag(tokens, lo, hi) },
    converged: result.converged, message: result.message, evaluations: result.evaluations,
  };
}

export interface SupervisedComputeOptimal extends BoxSearchOutcome {
  parameters: number;
  tokens: number;
  loss: number;
  budget: number;
}

/**
 * The supervised compute-optimal (N*, D*) for a budget C = 3 F(N) D (Eq. 2 with the context's
 * FLOPs model; a solver, not an entry: its callers hold a resolved context). Searches log N: `scanPoints` default 16, `logTolerance` (on log N) default 1e-9. A budget no
 * (N, D) in the bounds can spend is a bad argument here (RangeError).
 */
export function supervisedComputeOptimal(context: SolverContext, budget: number, search: SearchOptions = {}): SupervisedComputeOptimal {
  const { coefficients: { supervised }, F, bounds: [lo, hi] } = context;
  assertPositive("budget", budget);
  const tokensFor = (N: number) => budget / (3 * F(N));
  // D decreases with N: the box on (N, D) becomes a range of log N.
  const logNmin = Math.max(Math.log(lo), Math.log(invertIncreasing((N) => 3 * F(N) * hi, budget, lo, hi)));
  const logNmax = Math.min(Math.log(hi), Math.log(invertIncreasing((N) => 3 * F(N) * lo, budget, lo, hi)));
  if (!(logNmin <= logNmax)) {
    throw new RangeError(
      `budget ${formatExponent(budget, 4)} FLOPs is outside the supervised range ${formatExponent(3 * F(lo) * lo, 4)} to ` +
      `${formatExponent(3 * F(hi) * hi, 4)} FLOPs with N and D in [${lo}, ${hi}]`,
    );
  }
  const result = searchLogN((logN) => supervisedLoss(supervised, Math.exp(logN), tokensFor(Math.exp(logN))), logNmin, logNmax, search);
  const parameters = Math.exp(result.x);
  const tokens = tokensFor(parameters);
  return { parameters, tokens, loss: result.fun, budget, ...boxSearchOutcome(result, parameters, tokens, [lo, hi]) };
}

/** Supervised training of a student of fixed size on the whole budget: D = C / (3 F(N_S)). */
export function supervisedStudent(
  studentParameters: number,
  budget: number,
  options: ModelOptions = {},
): { tokens: number; loss: number; flops: FlopsSplit } {
  return supervisedStudentWith(resolveSolverContext(options), studentParameters, budget);
}

/** supervisedStudent in a resolved context. */
export function supervisedStudentWith(
  context: Pick<SolverContext, "coefficients" | "F">,
  studentParameters: number,
  budget: number,
): { tokens: number; loss: number; flops: FlopsSplit } {
  const { coefficients: { supervised }, F } = context;
  assertPositive("student parameters", studentParameters);
  assertPositive("budget", budget);
  const tokens = budget / (3 * F(studentParameters));
  return {
    tokens,
    loss: supervisedLoss(supervised, studentParameters, tokens),
    flops: { studentTraining: budget, teacherLogits: 0, teacherPretraining: 0, total: budget },
  };
}

export interface CheapestTeacher extends BoxSearchOutcome {
  parameters: number;
  tokens: number;
  /** Pretraining FLOPs 3 F(N_T) D_T. */
  pretrainingFlops: number;
}

/**
 * The cheapest teacher (N_T, D_T) in the bounds that reaches loss `targetLoss`: it minimises the
 * pretraining FLOPs F(N_T) D_T subject to L(N_T, D_T) = targetLoss, in a resolved context (a
 * solver, not an entry). On the curve, D_T is the
 * closed-form inverse of Eq. 1 in D, so only log N_T is searched: `scanPoints` default 16,
 * `logTolerance` (on log N_T) default 1e-9.
 */
export function cheapestTeacher(context: SolverContext, requestedLoss: number, search: SearchOptions = {}): CheapestTeacher {
  const { coefficients: { supervised }, F, bounds: [lo, hi] } = context;
  const reachable = [supervisedLoss(supervised, hi, hi), supervisedLoss(supervised, lo, lo)];
  // L_T* comes from a search in log L_T: exp(log x) may land an ulp outside the reachable range.
  const slack = 1e-12;
  if (!(requestedLoss >= reachable[0] * (1 - slack) && requestedLoss <= reachable[1] * (1 + slack))) {
    throw new RangeError(
      `teacher loss ${requestedLoss} is outside the losses reachable with N_T, D_T in [${lo}, ${hi}]: ` +
      `${reachable[0].toFixed(4)} to ${reachable[1].toFixed(4)} nats`,
    );
  }
  const targetLoss = Math.min(reachable[1], Math.max(reachable[0], requestedLoss));
  const tokensFor = (N: number) => tokensForLoss(supervised, N, targetLoss);
  // The curve L = target enters the box where D_T = hi (smallest N_T) and leaves where D_T = lo.
  const logNmax = Math.min(Math.log(hi), Math.log(parametersForLoss(supervised, lo, targetLoss)));
  let logNmin = Math.max(Math.log(lo), Math.log(parametersForLoss(supervised, hi, targetLoss)));
  // A target at the strongest reachable loss leaves a single point, up to rounding.
  if (logNmin > logNmax) logNmin = logNmax;
  const result = searchLogN((logN) => Math.log(F(Math.exp(logN))) + Math.log(tokensFor(Math.exp(logN))), logNmin, logNmax, search);
  const parameters = Math.exp(result.x);
  const tokens = Math.min(hi, Math.max(lo, tokensFor(parameters)));
  return { parameters, tokens, pretrainingFlops: 3 * F(parameters) * tokens, ...boxSearchOutcome(result, parameters, tokens, [lo, hi]) };
}

// ---------------------------------------------------------------------------------------------
// The teacher loss that suits a student.

export interface OptimalTeacherLoss {
  teacherLoss: number;
  studentLoss: number;
  converged: boolean;
  message: string;
  evaluations: number;
}

/**
 * The teacher loss L_T* that minimises L_S(N_S, D_S, L_T) at a fixed student (the bottom of the
 * capacity-gap U, Figures 4 and 7). `D_S` may be Infinity (Appendix E.6). Searches log L_T:
 * `scanPoints` default 24, `logTolerance` (on log L_T) default 1e-12; log L_T spans about 1.8
 * where log N_T spans 25, so its tolerance is finer than the allocation searches'.
 */
export const optimalTeacherLoss = solverEntry(optimalTeacherLossWith, 2);

/** The search of optimalTeacherLoss, and the teacher losses it may use (default: those of the teachers in the bounds). */
export interface TeacherLossSearch extends SearchOptions {
  teacherLossRange?: readonly [number, number];
}

/** optimalTeacherLoss in a resolved context. */
export function optimalTeacherLossWith(
  context: Pick<SolverContext, "coefficients" | "bounds">,
  studentParameters: number,
  studentTokens: number,
  search: TeacherLossSearch = {},
): OptimalTeacherLoss {
  const { coefficients: { supervised, distillation }, bounds: [lo, hi] } = context;
  const [minLoss, maxLoss] = search.teacherLossRange ??
    [supervisedLoss(supervised, hi, hi), supervisedLoss(supervised, lo, lo)];
  const supervisedStudentLoss = supervisedLoss(supervised, studentParameters, studentTokens);
  const result = minimizeScalar(
    (logLT) => distilledLossFromSupervised(distillation, studentParameters, studentTokens, Math.exp(logLT), supervisedStudentLoss),
    Math.log(minLoss), Math.log(maxLoss), { scanPoints: search.scanPoints ?? 24, xatol: search.logTolerance ?? 1e-12 },
  );
  return {
    teacherLoss: Math.exp(result.x), studentLoss: result.fun,
    converged: result.converged, message: result.message, evaluations: result.evaluations,
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers.

export function assertPositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive finite number, got ${value}`);
}

/** A value within 1e-6 relative of a bound is reported as on it. */
export function boundFlag(value: number, lo: number, hi: number): BoundFlag {
  if (value <= lo * (1 + 1e-6)) return "lower";
  if (value >= hi * (1 - 1e-6)) return "upper";
  return null;
}

/** The N in [lo, hi] at which an increasing g(N) reaches target (clamped to the interval). */
export function invertIncreasing(g: (N: number) => number, target: number, lo: number, hi: number): number {
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

