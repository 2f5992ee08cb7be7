// Lifetime cost (docs/spec.md section 9 "Lifetime"; Sardana and Frankle 2023, "Beyond Chinchilla-Optimal"):
// training plus serving. Serving T tokens costs F(N_S) T forward FLOPs (prompt and generated
// tokens both counted). For a target loss L* and T, each strategy's student size is chosen to
// minimise lifetime FLOPs = C_min(N_S, L*) + F(N_S) T; the converse chooses N_S to minimise the
// loss for a lifetime budget. With T = 0 both reduce to the compute-optimal model.

import { INPUT_LIMITS } from "../inputs/inputLimits.js";
import { supervisedLoss, tokensForLoss } from "../laws/laws.js";
import {
  DEFAULT_BOUNDS, boundFlag, resolveSolverContext, solverEntry, supervisedComputeOptimal,
  type AllocationBox, type BoundFlag, type ModelOptions, type SolverContext, type StrategyBox,
} from "../allocation/optimizer.js";
import { minimizeScalar, type ScalarResult } from "../numerics/scalar.js";
import { solveStrategyWith, strategyWeights, type OptimalStrategy, type Strategy, type StrategyOptions } from "../allocation/strategy.js";
import { targetLossComputeWith, type TargetLossReached } from "./targetLoss.js";
import { BOX_NAME, budgetRangeInBox, type BudgetRange } from "../allocation/feasibility.js";
import { describeSharedTeacher, sharedTeacherStrategy, type LogitsSharing } from "../laws/amortisation.js";
import type { StrategyBounds } from "../allocation/strategy.js";
import { toleratedRange, type ValidityDomain } from "../domain/validity.js";
import { paperDomain } from "../domain/paperDomain.js";

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

/** The allocation behind a lifetime optimum: the target-loss allocation, or the planner's at a training budget. */
type LifetimeAllocation = TargetLossReached | OptimalStrategy;

/** How the student-size search used a warm start (LifetimeOptions.studentNear). */
export type StudentWindow = "none" | "inside" | "left";

/** One strategy's best student size, for either question. */
export interface LifetimeOptimum<Allocation extends LifetimeAllocation = TargetLossReached> {
  status: "optimal";
  id: string;
  label: string;
  strategy: Strategy;
  studentParameters: number;
  /** D_S (or D) per parameter. */
  tokensPerParameter: number;
  /** L_S at the optimum: the target (or lower when D_S sits on its lower bound), or the lowest loss for the budget. */
  studentLoss: number;
  allocation: Allocation;
  lifetime: LifetimeFlops;
  converged: boolean;
  evaluations: number;
  /** "inside": the optimum lay inside the warm start's window; "left": it did not, and the whole range was searched. */
  studentWindow: StudentWindow;
  /** The search limits this answer touches: an answer on a limit is the limit's, not an optimum of the laws. */
  bounds: LifetimeBounds;
}

/**
 * The limits a lifetime answer can sit on: the tokens-per-parameter floor ("floor" when D_S/N_S is
 * on it), the student-size range searched, and the allocation's [lo, hi] box on D_S, N_T and D_T.
 */
export interface LifetimeBounds extends StrategyBounds {
  tokensPerParameter: "floor" | null;
  /** The floor in force (D_S/N_S). */
  tokensPerParameterFloor: number;
  studentParameters: BoundFlag;
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
   * Least student tokens per parameter (default LIFETIME_MIN_TOKENS_PER_PARAMETER, Table 6's
   * design; for another coefficient set, lifetimeTokensFloor(its domain)). The laws extrapolated to
   * students far larger than their data (a 180B student distilled on 50M tokens) give a second,
   * spurious minimum of lifetime FLOPs; no run the laws were fitted on is anywhere near it.
   */
  minStudentTokensPerParameter?: number;
  /**
   * Warm start (ensemble members, whose optimum lies near the point fit's): search log N_S within
   * `decades` (default 0.5) of `studentParameters[id]`, the strategy's point optimum, with
   * `scanPoints` (default 3) before Brent. An optimum on an edge of that window (not of the
   * searched range) is searched again over the whole range, so the answer never depends on the
   * hint. A strategy without an entry is searched over the whole range.
   */
  studentNear?: { studentParameters: Readonly<Record<string, number>>; decades?: number; scanPoints?: number };
}

/** How the lifetime searches search: LifetimeOptions without the model, which a SolverContext carries. */
export type LifetimeSearch = Omit<LifetimeOptions, keyof ModelOptions>;

/** The floor without a validity domain: one token per parameter, far below any run of the paper's. */
export const UNDOMAINED_TOKENS_FLOOR = 1;

/**
 * The least tokens per parameter the lifetime search allows a student: the smallest fitted D_S/N_S
 * of the domain's distillation runs (D/N of its supervised runs when it has none), so that the
 * search never answers with a student trained on fewer tokens per parameter than any run measured.
 */
export function lifetimeTokensFloor(domain: ValidityDomain | null | undefined): number {
  if (!domain) return UNDOMAINED_TOKENS_FLOOR;
  return domain.distillation?.studentTokensPerParameter.min ?? domain.supervised.tokensPerParameter.min;
}

/** The default floor: Table 6's design (3.13 tokens per parameter). */
export const LIFETIME_MIN_TOKENS_PER_PARAMETER = lifetimeTokensFloor(paperDomain());

/**
 * The range of log N_S searched for a target: from half the smallest student that can reach L*
 * (L(N, inf) = L*; distillation's floor is a hair lower) to where even the least tokens per
 * parameter cost more than 1000x the compute-optimal model (lifetime FLOPs only grow with N_S beyond).
 */
export const studentSearchRange = solverEntry(studentSearchRangeWith, 1);

function studentSearchRangeWith(context: SolverContext, targetLoss: number, search: LifetimeSearch = {}): [number, number] {
  const { coefficients: { supervised: s }, F, bounds: [lo, hi] } = context;
  const reducible = Math.pow(targetLoss - s.E, 1 / s.gamma);
  if (!(reducible > 0)) throw new RangeError(`target loss ${targetLoss} is at or below the irreducible loss E = ${s.E}`);
  const smallest = Math.pow(s.A / reducible, 1 / s.alpha);
  const m = Math.max(search.minStudentTokensPerParameter ?? LIFETIME_MIN_TOKENS_PER_PARAMETER, lo / hi);
  const ceiling = 1000 * computeOptimalForLoss(context, targetLoss).compute;
  // 3 F(N) m N >= ceiling: student training alone exceeds any optimum's lifetime FLOPs.
  // Students are searched within the accepted student sizes (INPUT_LIMITS), never beyond.
  const top = Math.min(hi, INPUT_LIMITS.studentParameters.max);
  let a = Math.log(lo), b = Math.log(top);
  if (3 * F(top) * m * top > ceiling) {
    for (let i = 0; i < 200 && b - a > 1e-9; i++) {
      const mid = 0.5 * (a + b);
      if (3 * F(Math.exp(mid)) * m * Math.exp(mid) > ceiling) b = mid;
      else a = mid;
    }
  }
  return [Math.log(Math.max(lo, smallest / 2)), Math.max(Math.log(Math.max(lo, smallest / 2)), b)];
}

/** The supervised compute-optimal model (Chinchilla) reaching L* in a resolved context: the T = 0 reference. */
export function computeOptimalForLoss(context: SolverContext, targetLoss: number): { parameters: number; tokens: number; compute: number } {
  const { coefficients: { supervised: s }, F, bounds: [lo, hi] } = context;
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

/** Lifetime FLOPs of one strategy at a given student size in a resolved context, or null when it cannot reach L*. */
export function lifetimeAt(
  context: SolverContext,
  studentParameters: number,
  targetLoss: number,
  servedTokens: number,
  strategy: Strategy,
  search: LifetimeSearch = {},
): { allocation: TargetLossReached; lifetime: LifetimeFlops } | null {
  const allocation = targetLossComputeWith(context, studentParameters, targetLoss, strategy, {
    ...search, minStudentTokensPerParameter: search.minStudentTokensPerParameter ?? LIFETIME_MIN_TOKENS_PER_PARAMETER,
  });
  if (allocation.status !== "optimal") return null;
  const serving = context.F(studentParameters) * servedTokens;
  const { studentTraining, teacherLogits, teacherPretraining } = allocation.flops;
  return {
    allocation,
    lifetime: { studentTraining, teacherLogits, teacherPretraining, serving, total: allocation.compute + serving },
  };
}

/**
 * For a target loss and T served tokens, the student size minimising each strategy's lifetime
 * FLOPs: `(targetLoss, servedTokens, strategies = lifetimeStrategies(), options?: LifetimeOptions)`.
 */
export const lifetimeOptimum = solverEntry(lifetimeOptimumWith, 3);

function lifetimeOptimumWith(
  context: SolverContext,
  targetLoss: number,
  servedTokens: number,
  strategies: readonly LifetimeStrategy[] = lifetimeStrategies(),
  search: LifetimeSearch = {},
): LifetimeResult[] {
  assertServedTokens(servedTokens);
  const range = studentSearchRangeWith(context, targetLoss, search);
  const where = context.box ? `inside the ${BOX_NAME}` : "within the bounds";
  return strategies.map((s) => searchStudentSize(s, studentRangeInBox(range, s.strategy, context), search, {
    solve: (N) => {
      const at = lifetimeAt(context, N, targetLoss, servedTokens, s.strategy, search);
      return at && { allocation: at.allocation, lifetime: at.lifetime, studentLoss: at.allocation.studentLoss };
    },
    // Lifetime FLOPs span decades over the range: their log keeps the scan and Brent well scaled.
    objective: (at) => Math.log(at.lifetime.total),
    unreachable: `no student size reaches ${targetLoss.toFixed(4)} nats with this strategy ${where}`,
  }));
}

/** Both lifetime questions serve T >= 0 tokens (0: no serving, training alone). */
function assertServedTokens(servedTokens: number): void {
  if (!(servedTokens >= 0 && Number.isFinite(servedTokens))) throw new RangeError(`served tokens must be a finite number >= 0, got ${servedTokens}`);
}

/**
 * `box` with every student's tokens per parameter held at or above `floor` as well: the box a
 * lifetime question asks inside, so that the floor is a constraint of the allocation at each
 * student size (as the target-loss search already treats it), not a test its optimum may fail.
 */
export function boxWithTokensFloor(box: StrategyBox | undefined, floor: number): StrategyBox {
  const raise = (b: AllocationBox | undefined): AllocationBox => {
    const ratio = b?.studentTokensPerParameter;
    return { ...b, studentTokensPerParameter: { min: Math.max(ratio?.min ?? 0, floor), max: ratio?.max ?? Infinity } };
  };
  return { supervised: raise(box?.supervised), distillation: raise(box?.distillation) };
}

/**
 * The lifetime budgets (FLOPs) for which a strategy has an allocation: some student size the
 * budget question searches (inside options.box when given) whose training budget, the lifetime
 * budget less serving F(N_S) T, the strategy can spend with every variable inside the box and
 * D_S/N_S at or above the floor of tokens per parameter; null when no budget has one.
 * Serving and Eq. 9's least and greatest cost at a student size all grow with N_S (each teacher
 * of the box costs more with a larger student, and the teachers of the box do not depend on it),
 * so the range runs from the smallest such student's least lifetime cost to the largest one's
 * greatest. The students with an allocation are one interval of sizes (the token range
 * max(D_min, r_min N) .. min(D_max, r_max N) is non-empty on an interval of N), found by a scan
 * and bisection on log N_S.
 */
export function lifetimeBudgetRange(servedTokens: number, strategy: Strategy, options: LifetimeOptions = {}): BudgetRange | null {
  assertServedTokens(servedTokens);
  const boxed = resolveSolverContext({ ...options, box: boxWithTokensFloor(options.box, options.minStudentTokensPerParameter ?? LIFETIME_MIN_TOKENS_PER_PARAMETER) });
  const { F, bounds: [lo, hi] } = boxed;
  const sizes = studentRangeInBox([Math.log(lo), Math.log(Math.min(hi, INPUT_LIMITS.studentParameters.max))], strategy, boxed);
  if (sizes === null) return null;
  const spent = strategy === "supervised" ? "supervised" : strategyWeights(strategy);
  const budgetsAt = (logN: number) => budgetRangeInBox(boxed, Math.exp(logN), spent);
  const [a, b] = sizes;
  const SCAN = 64;
  const scan = Array.from({ length: SCAN }, (_, i) => (i === SCAN - 1 ? b : a + ((b - a) * i) / (SCAN - 1)));
  const some = scan.find((x) => budgetsAt(x) !== null);
  if (some === undefined) return null;
  // The edge of the interval of sizes with an allocation between an end of the range and a size inside it.
  const edge = (end: number) => {
    if (budgetsAt(end) !== null) return end;
    let outside = end, inside = some;
    for (let i = 0; i < 80 && Math.abs(inside - outside) > 1e-13; i++) {
      const mid = 0.5 * (inside + outside);
      if (budgetsAt(mid) !== null) inside = mid;
      else outside = mid;
    }
    return inside;
  };
  const smallest = edge(a), largest = edge(b);
  const serving = (logN: number) => F(Math.exp(logN)) * servedTokens;
  return { minimum: serving(smallest) + budgetsAt(smallest)!.minimum, maximum: serving(largest) + budgetsAt(largest)!.maximum };
}

/**
 * The searched range of log N_S narrowed to the student sizes of the context's box for the strategy's
 * law (edges widened by EDGE_TOLERANCE, as the box's own check of a given size); null when empty.
 * The ends move inwards by LOG_ROUNDING so that exp(log(edge)) rounding outwards by an ulp never
 * puts the searched end itself outside the box.
 */
export function studentRangeInBox([a, b]: [number, number], strategy: Strategy, context: Pick<SolverContext, "box">): [number, number] | null {
  const size = context.box?.[strategy === "supervised" ? "supervised" : "distillation"].studentParameters;
  if (!size) return [a, b];
  const tolerated = toleratedRange(size);
  const lower = Math.max(a, Math.log(tolerated.min) + LOG_ROUNDING);
  const upper = Math.min(b, Math.log(tolerated.max) - LOG_ROUNDING);
  return lower <= upper ? [lower, upper] : null;
}

/** A relative 1e-12 in log N_S: far above exp/log rounding, far below any tolerance of the searches. */
const LOG_ROUNDING = 1e-12;

/** What the student-size search needs of a question: the solution at a size, the number minimised, the message when none exists. */
interface StudentSizeQuestion<Allocation extends LifetimeAllocation> {
  solve: (studentParameters: number) => { allocation: Allocation; lifetime: LifetimeFlops; studentLoss: number } | null;
  objective: (at: { lifetime: LifetimeFlops; studentLoss: number }) => number;
  unreachable: string;
}

/** Tolerance on log N_S of the student-size search. */
const LOG_STUDENT_TOLERANCE = 1e-7;

/**
 * One strategy's student size minimising `question.objective` over log N_S in `range`: a scan and
 * Brent, or, with a warm start (options.studentNear), the same within a window around the hint,
 * searched again over the whole range when the window's optimum lies on its edge.
 */
function searchStudentSize<Allocation extends LifetimeAllocation>(
  { id, label, strategy }: LifetimeStrategy,
  range: [number, number] | null,
  search: LifetimeSearch,
  question: StudentSizeQuestion<Allocation>,
): LifetimeOptimum<Allocation> | LifetimeUnreachable {
  if (range === null) return { status: "unreachable", id, label, strategy, message: question.unreachable };
  const [a, b] = range;
  let evaluations = 0;
  // The searches return one of the points they evaluated: keep the best one's solution.
  let best: { logN: number; value: number; at: NonNullable<ReturnType<typeof question.solve>> } | null = null;
  const objective = (logN: number) => {
    evaluations++;
    const at = question.solve(Math.exp(logN));
    const value = at === null ? Infinity : question.objective(at);
    if (at !== null && (best === null || value < best.value)) best = { logN, value, at };
    return value;
  };
  const fullSearch = () => minimizeScalar(objective, a, b, { scanPoints: search.studentScanPoints ?? 24, xatol: LOG_STUDENT_TOLERANCE });
  const near = search.studentNear;
  const hint = near?.studentParameters[id];
  let r: ScalarResult | null = null;
  let studentWindow: StudentWindow = "none";
  if (near && hint !== undefined && hint > 0 && Number.isFinite(hint)) {
    const half = (near.decades ?? 0.5) * Math.LN10;
    const lower = Math.max(a, Math.log(hint) - half), upper = Math.min(b, Math.log(hint) + half);
    if (lower < upper) {
      const w = minimizeScalar(objective, lower, upper, { scanPoints: near.scanPoints ?? 3, xatol: LOG_STUDENT_TOLERANCE });
      const edge = 10 * LOG_STUDENT_TOLERANCE + 1e-9;
      const onWindowEdge = (lower > a + 1e-9 && w.x - lower < edge) || (upper < b - 1e-9 && upper - w.x < edge);
      if (Number.isFinite(w.fun) && !onWindowEdge) { r = w; studentWindow = "inside"; }
    }
    if (r === null) studentWindow = "left";
  }
  if (r === null) {
    best = null;
    r = fullSearch();
  }
  const kept = best as { logN: number; at: NonNullable<ReturnType<typeof question.solve>> } | null;
  const at = !Number.isFinite(r.fun) ? null : kept !== null && kept.logN === r.x ? kept.at : question.solve(Math.exp(r.x));
  if (at === null) return { status: "unreachable", id, label, strategy, message: question.unreachable };
  const studentParameters = Math.exp(r.x);
  const tokensPerParameter = at.allocation.studentTokens / studentParameters;
  const floor = search.minStudentTokensPerParameter ?? LIFETIME_MIN_TOKENS_PER_PARAMETER;
  const bounds: LifetimeBounds = {
    ...at.allocation.bounds,
    tokensPerParameter: tokensPerParameter <= floor * (1 + 1e-6) ? "floor" : null,
    tokensPerParameterFloor: floor,
    studentParameters: boundFlag(studentParameters, Math.exp(a), Math.exp(b)),
  };
  return {
    status: "optimal", id, label, strategy, studentParameters, tokensPerParameter, studentLoss: at.studentLoss,
    allocation: at.allocation, lifetime: at.lifetime, converged: r.converged, evaluations, studentWindow, bounds,
  };
}

/** The U-curve: lifetime FLOPs against student size for one strategy (null where L* is out of reach). */
export function lifetimeCurve(
  sizes: readonly number[],
  targetLoss: number,
  servedTokens: number,
  strategy: Strategy,
  options: LifetimeOptions = {},
): { studentParameters: number; lifetime: LifetimeFlops | null }[] {
  const context = resolveSolverContext(options);
  return sizes.map((N) => ({ studentParameters: N, lifetime: lifetimeAt(context, N, targetLoss, servedTokens, strategy, options)?.lifetime ?? null }));
}

// ---------------------------------------------------------------------------------------------
// The converse: a lifetime budget and T, the lowest loss.

export type LifetimeBudgetOptimum = LifetimeOptimum<OptimalStrategy>;

export type LifetimeBudgetResult = LifetimeBudgetOptimum | LifetimeUnreachable;

/**
 * For a lifetime budget and T, each strategy's student size with the lowest loss (training gets what
 * serving leaves), in a resolved context: lifetimeAnswer is its entry.
 */
export function lifetimeBudgetOptimum(
  context: SolverContext,
  lifetimeBudget: number,
  servedTokens: number,
  strategies: readonly LifetimeStrategy[],
  search: LifetimeSearch = {},
): LifetimeBudgetResult[] {
  if (!(lifetimeBudget > 0 && Number.isFinite(lifetimeBudget))) throw new RangeError(`lifetime budget must be a positive finite number, got ${lifetimeBudget}`);
  assertServedTokens(servedTokens);
  const { F, bounds: [lo, hi] } = context;
  const m = search.minStudentTokensPerParameter ?? LIFETIME_MIN_TOKENS_PER_PARAMETER;
  const fewest = (N: number) => Math.max(lo, m * N);
  // The largest student that can still be trained on its fewest tokens after serving.
  // Students are searched within the accepted student sizes (INPUT_LIMITS), never beyond.
  const top = Math.min(hi, INPUT_LIMITS.studentParameters.max);
  let logMax = Math.log(top);
  if (F(top) * (servedTokens + 3 * fewest(top)) > lifetimeBudget) {
    let x = Math.log(lo), y = Math.log(top);
    for (let i = 0; i < 200 && y - x > 1e-12; i++) {
      const mid = 0.5 * (x + y);
      const N = Math.exp(mid);
      if (F(N) * (servedTokens + 3 * fewest(N)) > lifetimeBudget) y = mid;
      else x = mid;
    }
    logMax = x;
  }
  const logMin = Math.log(lo);
  const unreachable = `no student size has a feasible allocation for this lifetime budget ${context.box ? `inside the ${BOX_NAME}` : "within the bounds"}`;
  return strategies.map((s): LifetimeBudgetResult => {
    if (!(logMin < logMax)) return { status: "unreachable", id: s.id, label: s.label, strategy: s.strategy, message: unreachable };
    return searchStudentSize(s, studentRangeInBox([logMin, logMax], s.strategy, context), search, {
      solve: (N) => {
        const serving = F(N) * servedTokens;
        const training = lifetimeBudget - serving;
        if (!(training > 0)) return null;
        const a = solveStrategyWith(context, N, training, s.strategy, search);
        // A student on fewer tokens per parameter than allowed is left out (see minStudentTokensPerParameter).
        if (a.status !== "optimal" || a.studentTokens < fewest(N) * (1 - 1e-9)) return null;
        const { studentTraining, teacherLogits, teacherPretraining, total } = a.flops;
        return { allocation: a, studentLoss: a.studentLoss, lifetime: { studentTraining, teacherLogits, teacherPretraining, serving, total: total + serving } };
      },
      objective: (at) => at.studentLoss,
      unreachable,
    });
  });
}

/** The two lifetime questions: the least lifetime FLOPs to reach a target loss, or the lowest loss for a lifetime budget. */
export type LifetimeQuestion = { targetLoss: number } | { budget: number };

/** Either question's answer, one entry per strategy. */
export type LifetimeAnswer = LifetimeOptimum<TargetLossReached | OptimalStrategy> | LifetimeUnreachable;

/**
 * Answers either question, lifetimeOptimum for a target loss, lifetimeBudgetOptimum for a budget:
 * `(question, servedTokens, strategies = lifetimeStrategies(), options?: LifetimeOptions)`.
 */
export const lifetimeAnswer = solverEntry(lifetimeAnswerWith, 3);

/** lifetimeAnswer in a resolved context (an ensemble member's, solved strategy by strategy). */
export function lifetimeAnswerWith(
  context: SolverContext,
  question: LifetimeQuestion,
  servedTokens: number,
  strategies: readonly LifetimeStrategy[] = lifetimeStrategies(),
  search: LifetimeSearch = {},
): LifetimeAnswer[] {
  return "targetLoss" in question
    ? lifetimeOptimumWith(context, question.targetLoss, servedTokens, strategies, search)
    : lifetimeBudgetOptimum(context, question.budget, servedTokens, strategies, search);
}

/** The supervised compute-optimal model for a training budget: the converse's T = 0 reference. */
export function computeOptimalForBudget(budget: number, options: StrategyOptions = {}) {
  const context = resolveSolverContext(options);
  const r = supervisedComputeOptimal(context, budget, options);
  return { parameters: r.parameters, tokens: r.tokens, loss: supervisedLoss(context.coefficients.supervised, r.parameters, r.tokens) };
}

/** The limits a lifetime answer sits on, in words ("" when none): "D_S/N_S at the floor 3.13; N_T at the 1e17 limit". */
export function describeLifetimeBounds(bounds: LifetimeBounds, searchBounds: readonly [number, number] = DEFAULT_BOUNDS): string {
  const [lo, hi] = searchBounds.map((b) => b.toExponential(0).replace("+", ""));
  const limit = (flag: BoundFlag) => (flag === "lower" ? lo : hi);
  const parts: string[] = [];
  if (bounds.tokensPerParameter) parts.push(`D_S/N_S at the floor ${bounds.tokensPerParameterFloor.toPrecision(3)}`);
  if (bounds.studentParameters) parts.push(`N_S at the ${bounds.studentParameters} end of the sizes searched`);
  for (const [name, flag] of [["D_S", bounds.studentTokens], ["N_T", bounds.teacherParameters], ["D_T", bounds.teacherTokens]] as const) {
    if (flag) parts.push(`${name} at the ${limit(flag)} limit`);
  }
  return parts.join("; ");
}

/** Tokens served over a deployment: tokens per day x days. */
export function servedTokens(tokensPerDay: number, days: number): number {
  if (!(tokensPerDay >= 0 && days >= 0)) throw new RangeError("tokens per day and days must be >= 0");
  return tokensPerDay * days;
}
