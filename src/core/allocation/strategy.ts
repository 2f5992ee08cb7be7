// One entry for every training strategy of a fixed student at a fixed budget: supervised
// training, the four scenarios of Table 2, and any scenario weights in [0, 1] (Eq. 9 with
// partial amortisation, docs/spec.md section 9). Infeasibility is an outcome, not an exception, as in
// SciPy's linprog; bad arguments (a non-positive size or budget, weights outside [0, 1], an
// unknown strategy) throw RangeError.
//
// CONTRACT (shared by the planner, figures, CLI, ensembles and workers): keep these exported
// names and fields.
//
// Eq. 10 has three unknowns (D_S, N_T, D_T) and one equality constraint (Eq. 9). Solving the
// constraint for D_S leaves a two-dimensional problem in (log N_T, log D_T) on a box whose
// D_T-range depends on N_T; it is solved as nested bounded scalar searches (scan, then Brent),
// which keeps the FLOPs constraint exact and the bounds honoured by construction. The four named
// scenarios are the corners of the weights' square and take the same code path as their weights.

import {
  distilledLossWithSizeFixed, distilledLossWithStudentFixed, supervisedLoss, supervisedLossWithSizeFixed,
} from "../laws/laws.js";
import { SCENARIOS, distillationFlops, scenarioById, type FlopsSplit, type ScenarioId, type ScenarioWeights } from "../laws/scenarios.js";
import {
  assertPositive, boundFlag, cheapestTeacher, invertIncreasing, optimalTeacherLossWith, resolveBox, resolveSolverContext, solverEntry,
  supervisedStudentWith, type BoundFlag, type ModelOptions, type SearchOptions, type SolverContext,
} from "./optimizer.js";
import {
  budgetInfeasibility, budgetRangeInBox, feasibleBudgetRangeWith, infeasibility, teacherSizesInBox, teacherTokensInBox, BOX_NAME,
  type Infeasibility,
} from "./feasibility.js";
import { minimizeScalar } from "../numerics/scalar.js";

export type { ScenarioWeights };

export type StrategyId = "supervised" | ScenarioId;

/** A named strategy, or distillation with arbitrary weights (a teacher shared by k students, ...). */
export type Strategy = StrategyId | ({ kind: "weights" } & ScenarioWeights);

/**
 * `scanPoints` (default 12) is the scan of the outer search over log N_T; the inner search over
 * log D_T scans half as many. `logTolerance` (default 1e-9) is on log N_T and log D_T. The best
 * case (both weights 0) searches the teacher loss instead: `teacherLoss` are that search's
 * options (optimalTeacherLoss's defaults), `teacher` those of the cheapest teacher reaching it.
 */
export interface StrategySearch extends SearchOptions {
  teacherLoss?: SearchOptions;
  teacher?: SearchOptions;
  /**
   * Warm start for paid-teacher strategies (ensemble members, whose optimum lies near the point
   * fit's): search log N_T within `decades` (default 1) of `teacherParameters` and log D_T within
   * `decades` of the same tokens per parameter as `teacherTokens`, with `scanPoints` (default 3)
   * per search. An optimum on the edge of that window (not of the feasible box) is solved again
   * over the whole box, so the answer never depends on the hint.
   */
  near?: { teacherParameters: number; teacherTokens: number; decades?: number; scanPoints?: number };
}

/** What is modelled and how the strategy solver searches. */
export interface StrategyOptions extends ModelOptions, StrategySearch {}

export interface StrategyBounds {
  studentTokens: BoundFlag;
  teacherParameters: BoundFlag;
  teacherTokens: BoundFlag;
}

interface StrategyResultBase {
  strategy: Strategy;
  /** The weights used (0, 0 for supervised training, which has no teacher). */
  weights: ScenarioWeights;
  studentParameters: number;
  budget: number;
}

export interface OptimalStrategy extends StrategyResultBase {
  status: "optimal";
  /** D_S* (the supervised tokens D for supervised training). */
  studentTokens: number;
  /** N_T*, D_T*, L_T*; null for supervised training. */
  teacherParameters: number | null;
  teacherTokens: number | null;
  teacherLoss: number | null;
  /** L_S* (the supervised loss for supervised training). */
  studentLoss: number;
  /** L~_S = L(N_S, D_S*): the same student trained supervised on the same tokens. */
  supervisedStudentLoss: number;
  flops: FlopsSplit;
  bounds: StrategyBounds;
  /** False when only L_T* is determined (no teacher cost): the teacher shown is the cheapest reaching it. */
  teacherDetermined: boolean;
  converged: boolean;
  message: string;
  evaluations: number;
}

export interface InfeasibleStrategy extends StrategyResultBase {
  status: "infeasible";
  /** "nothing-inside": with options.box, no allocation is inside the box at any budget. */
  reason: Infeasibility["reason"];
  /** The budgets this strategy can spend exactly with every variable in the bounds (and the box); null for "nothing-inside". */
  feasibleRange: { minimum: number; maximum: number } | null;
  message: string;
}

export type StrategyResult = OptimalStrategy | InfeasibleStrategy;

/** The weights of a strategy; throws RangeError for an unknown name or weights outside [0, 1]. */
export function strategyWeights(strategy: Strategy): ScenarioWeights {
  if (strategy === "supervised") return { deltaLogits: 0, deltaPretraining: 0 };
  if (typeof strategy === "string") {
    const { deltaLogits, deltaPretraining } = scenarioById(strategy);
    return { deltaLogits, deltaPretraining };
  }
  if (strategy === null || typeof strategy !== "object" || strategy.kind !== "weights") {
    throw new RangeError(`unknown strategy ${JSON.stringify(strategy)}; expected "supervised", a scenario id or {kind: "weights", ...}`);
  }
  for (const key of ["deltaLogits", "deltaPretraining"] as const) {
    const value = strategy[key];
    if (!(typeof value === "number" && value >= 0 && value <= 1)) {
      throw new RangeError(`strategy weights: ${key} must be a number in [0, 1], got ${value}`);
    }
  }
  return { deltaLogits: strategy.deltaLogits, deltaPretraining: strategy.deltaPretraining };
}

/** The name of a strategy in messages: its id, or its weights. */
export function strategyName(strategy: Strategy): string {
  if (strategy === "supervised") return "supervised training";
  if (typeof strategy === "string") return strategy;
  return `distillation with delta_lgt = ${strategy.deltaLogits}, delta_pre = ${strategy.deltaPretraining}`;
}

/** A label for tables and legends: the scenario's label (Table 2), or its weights. */
export function strategyLabel(strategy: Strategy): string {
  if (strategy === "supervised") return "Supervised";
  if (typeof strategy === "string") return scenarioById(strategy).label;
  const corner = SCENARIOS.find((s) => s.deltaLogits === strategy.deltaLogits && s.deltaPretraining === strategy.deltaPretraining);
  return corner ? corner.label : `Distillation (δ_lgt = ${strategy.deltaLogits}, δ_pre = ${strategy.deltaPretraining})`;
}

/**
 * The compute-optimal allocation of one strategy for a student of `studentParameters` and a total
 * `budget`: `(studentParameters, budget, strategy, options?: StrategyOptions)`.
 */
export const solveStrategy = solverEntry(solveStrategyWith, 3);

/** solveStrategy in a resolved context (a plan's, an ensemble member's): `search` says only how to search. */
export function solveStrategyWith(
  context: SolverContext,
  studentParameters: number,
  budget: number,
  strategy: Strategy,
  search: StrategySearch = {},
): StrategyResult {
  assertPositive("student parameters", studentParameters);
  assertPositive("budget", budget);
  const weights = strategyWeights(strategy);
  // Supervised training's D = C / 3F(N) is held to the same token bounds as the scenarios' D_S:
  // outside them its loss extrapolates Eq. 1 far beyond any run (78 tokens, or 1e18).
  const infeasible = budgetInfeasibility(context, studentParameters, budget, strategy === "supervised" ? strategy : weights, strategyName(strategy));
  if (infeasible) return infeasibleResult(strategy, weights, studentParameters, budget, infeasible);
  if (strategy === "supervised") {
    const s = supervisedStudentWith(context, studentParameters, budget);
    const [dMin, dMax] = resolveBox(studentParameters, false, context).studentTokens;
    return {
      strategy, weights, studentParameters, budget,
      status: "optimal", studentTokens: s.tokens, teacherParameters: null, teacherTokens: null, teacherLoss: null,
      studentLoss: s.loss, supervisedStudentLoss: s.loss, flops: s.flops,
      bounds: { studentTokens: context.box ? boundFlag(s.tokens, dMin, dMax) : null, teacherParameters: null, teacherTokens: null },
      teacherDetermined: false, converged: true, message: "closed form", evaluations: 0,
    };
  }
  const solution = weights.deltaLogits === 0 && weights.deltaPretraining === 0
    ? freeTeacher(context, studentParameters, budget, search)
    : paidTeacher(context, studentParameters, budget, weights, search);
  if (solution === null) {
    const name = strategyName(strategy);
    if (!context.box) return infeasibleResult(strategy, weights, studentParameters, budget, infeasibility(budget, feasibleBudgetRangeWith(context, studentParameters, weights), name));
    const range = budgetRangeInBox(context, studentParameters, weights);
    return infeasibleResult(strategy, weights, studentParameters, budget, range
      ? infeasibility(budget, range, name, true)
      : { reason: "nothing-inside", feasibleRange: null, message: `no allocation of ${name} keeps every variable inside the ${BOX_NAME}` });
  }
  // One literal, no spreads: results are built per solve, thousands per page (see planRow).
  return {
    strategy, weights, studentParameters, budget, status: "optimal",
    studentTokens: solution.studentTokens, teacherParameters: solution.teacherParameters,
    teacherTokens: solution.teacherTokens, teacherLoss: solution.teacherLoss, studentLoss: solution.studentLoss,
    supervisedStudentLoss: solution.supervisedStudentLoss, flops: solution.flops, bounds: solution.bounds,
    teacherDetermined: solution.teacherDetermined, converged: solution.converged,
    message: solution.message, evaluations: solution.evaluations,
  };
}

function infeasibleResult(
  strategy: Strategy, weights: ScenarioWeights, studentParameters: number, budget: number, why: Infeasibility,
): InfeasibleStrategy {
  return {
    strategy, weights, studentParameters, budget, status: "infeasible",
    reason: why.reason, feasibleRange: why.feasibleRange, message: why.message,
  };
}

type Solution = Omit<OptimalStrategy, keyof StrategyResultBase | "status">;

/**
 * Both weights 0: the teacher costs nothing, D_S = C / 3F(N_S), and only the teacher loss L_T*
 * matters; the teacher reported is the cheapest one reaching it.
 */
function freeTeacher(context: SolverContext, NS: number, C: number, search: StrategySearch): Solution {
  const { coefficients, F, bounds: [lo, hi] } = context;
  const box = resolveBox(NS, true, context);
  const DS = C / (3 * F(NS));
  // Within a box only the teacher's loss is held to its range: the teacher itself is one of many.
  const reachable = [supervisedLoss(coefficients.supervised, hi, hi), supervisedLoss(coefficients.supervised, lo, lo)];
  const teacherLossRange: [number, number] | undefined = box.teacherLoss
    ? [Math.max(reachable[0], box.teacherLoss[0]), Math.min(reachable[1], box.teacherLoss[1])]
    : undefined;
  const best = optimalTeacherLossWith(context, NS, DS, { ...search.teacherLoss, teacherLossRange });
  const teacher = cheapestTeacher(context, best.teacherLoss, search.teacher);
  return {
    studentTokens: DS, teacherParameters: teacher.parameters, teacherTokens: teacher.tokens,
    teacherLoss: best.teacherLoss, studentLoss: best.studentLoss,
    supervisedStudentLoss: supervisedLoss(coefficients.supervised, NS, DS),
    flops: distillationFlops(
      { studentParameters: NS, studentTokens: DS, teacherParameters: teacher.parameters, teacherTokens: teacher.tokens },
      { deltaLogits: 0, deltaPretraining: 0 }, F),
    // The teacher shown is not optimised, but a cheapest teacher on a bound means L_T* is
    // the strongest teacher the box allows: the optimiser would like a stronger one.
    bounds: {
      studentTokens: boundFlag(DS, box.studentTokens[0], box.studentTokens[1]),
      teacherParameters: teacher.bounds.parameters,
      teacherTokens: teacher.bounds.tokens,
    },
    teacherDetermined: false,
    converged: best.converged && teacher.converged,
    message: best.message,
    evaluations: best.evaluations + teacher.evaluations,
  };
}

/** Some teacher cost is paid: nested searches over log N_T (outer) and log D_T (inner). Null if no N_T is feasible. */
function paidTeacher(context: SolverContext, NS: number, C: number, weights: ScenarioWeights, search: StrategySearch): Solution | null {
  const { coefficients, F } = context;
  const { supervised } = coefficients;
  // Without a box every range below is the bounds' [lo, hi].
  const box = resolveBox(NS, true, context);
  const [dsLo, dsHi] = box.studentTokens;
  const [ntLo, ntHi] = box.teacherParameters;
  // The outer function of log N_T can have two dips 2-3 decades apart of nearly equal depth
  // (teacher inference, N_S ~ 7e10, C ~ 4e23: N_T ~ 1.7e11 and ~ 4e13); a scan every decade
  // (12 points over 1e6..1e17) separates them, one every 1.6 decades did not.
  const outerScanPoints = search.scanPoints ?? 12;
  const innerScanPoints = Math.max(2, Math.round(outerScanPoints / 2));
  const xatol = search.logTolerance ?? 1e-9;
  const studentCost = 3 * F(NS);
  const { deltaLogits, deltaPretraining } = weights;

  // D_S from the constraint: (C - delta_pre 3 F(N_T) D_T) / (3 F(N_S) + delta_lgt F(N_T)).
  const studentTokensFor = (teacherForward: number, DT: number) =>
    (C - deltaPretraining * 3 * teacherForward * DT) / (studentCost + deltaLogits * teacherForward);

  // For each N_T, the log D_T-range keeping D_S in [dsLo, dsHi] (and, with a teacher-loss
  // range, the teacher's loss in it); empty ranges mark infeasible N_T.
  const teacherTokenRange = (NT: number): [number, number] => {
    const [dtLo, dtHi] = teacherTokensInBox(NT, box, supervised);
    const logDtLo = Math.log(dtLo), logDtHi = Math.log(dtHi);
    const teacherForward = F(NT);
    const perStudentToken = studentCost + deltaLogits * teacherForward;
    if (deltaPretraining === 0) {
      const DS = C / perStudentToken;
      return DS >= dsLo * (1 - 1e-12) && DS <= dsHi * (1 + 1e-12) ? [logDtLo, logDtHi] : [1, 0];
    }
    const pretrainCost = 3 * deltaPretraining * teacherForward;
    const maxDT = (C - dsLo * perStudentToken) / pretrainCost;
    const minDT = (C - dsHi * perStudentToken) / pretrainCost;
    const a = minDT > dtLo ? Math.log(minDT) : logDtLo;
    const b = maxDT < dtHi ? (maxDT > 0 ? Math.log(maxDT) : -Infinity) : logDtHi;
    // At the ends of the feasible N_T interval the range shrinks to a point; rounding may
    // invert it by an ulp.
    return b < a && a - b < 1e-9 ? [a, a] : [a, b];
  };

  // Without a teacher-loss range: D_S = (C - delta_pre 3 F(N_T) D_T) / (3 F(N_S) + delta_lgt F(N_T))
  // lies in [dsLo, dsHi] for some D_T in [dtLo, dtHi] exactly when
  // dsLo g(N_T) + 3 delta_pre F(N_T) dtLo <= C <= dsHi g(N_T) + 3 delta_pre F(N_T) dtHi with the
  // increasing g(N_T) = 3 F(N_S) + delta_lgt F(N_T); so the feasible N_T form an interval.
  const [dtLo, dtHi] = box.teacherTokens;
  const perStudentTokenAt = (NT: number) => studentCost + deltaLogits * F(NT);
  let logNTmax = Math.log(invertIncreasing((NT) => dsLo * perStudentTokenAt(NT) + 3 * deltaPretraining * F(NT) * dtLo, C, ntLo, ntHi));
  let logNTmin = Math.log(invertIncreasing((NT) => dsHi * perStudentTokenAt(NT) + 3 * deltaPretraining * F(NT) * dtHi, C, ntLo, ntHi));
  if (logNTmin > logNTmax && logNTmin - logNTmax < 1e-9) logNTmin = logNTmax;
  if (logNTmin > logNTmax) return null;
  if (box.teacherLoss) {
    // The teacher-loss range moves the D_T-range with N_T: the feasible N_T are found by a scan
    // of where that range is empty, the edges refined by bisection.
    const [sizeMin, sizeMax] = teacherSizesInBox(box, supervised);
    const edges = feasibleInterval(
      (logNT) => {
        const [a, b] = teacherTokenRange(Math.exp(logNT));
        return a <= b;
      },
      Math.max(logNTmin, Math.log(sizeMin)), Math.min(logNTmax, Math.log(sizeMax)),
    );
    if (edges === null) return null;
    [logNTmin, logNTmax] = edges;
  }

  // The warm-start window (search.near), clipped to the feasible ranges.
  const near = search.near;
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
  const studentLoss = distilledLossWithSizeFixed(coefficients, NS);
  const innerSolve = (logNT: number) => {
    const NT = Math.exp(logNT);
    const teacherForward = F(NT);
    const teacherLoss = supervisedLossWithSizeFixed(supervised, NT);
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
      ? distilledLossWithStudentFixed(coefficients, NS, Math.min(dsHi, Math.max(dsLo, studentTokensFor(teacherForward, 0))))
      : null;
    const inner = minimizeScalar((logDT) => {
      evaluations++;
      if (lossAtTeacher !== null) return lossAtTeacher(teacherLoss(logDT));
      const DS = Math.min(dsHi, Math.max(dsLo, studentTokensFor(teacherForward, Math.exp(logDT))));
      return studentLoss(Math.log(DS), teacherLoss(logDT));
    }, a, b, { scanPoints: scanInner, xatol });
    if (!inner.converged) allConverged = false;
    // No spread on the common path: this runs a dozen times per solve, thousands per page.
    if (windowed) return { ...inner, onWindowEdge: onWindowEdge(inner.x, fa, fb, a, b) };
    return inner as typeof inner & { onWindowEdge?: boolean };
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
    const { near: _ignored, ...rest } = search;
    const full = paidTeacher(context, NS, C, weights, rest);
    return full === null ? null : { ...full, evaluations: full.evaluations + evaluations };
  }

  const NT = Math.exp(outer.x);
  const DT = Math.exp(inner.x);
  const teacherForward = F(NT);
  const DS = Math.min(dsHi, Math.max(dsLo, studentTokensFor(teacherForward, DT)));
  const converged = outer.converged && inner.converged && allConverged && Number.isFinite(inner.fun);
  return {
    studentTokens: DS, teacherParameters: NT, teacherTokens: DT,
    teacherLoss: supervisedLoss(supervised, NT, DT), studentLoss: inner.fun,
    supervisedStudentLoss: supervisedLoss(supervised, NS, DS),
    flops: distillationFlops(
      { studentParameters: NS, studentTokens: DS, teacherParameters: NT, teacherTokens: DT }, weights, F),
    bounds: {
      studentTokens: boundFlag(DS, dsLo, dsHi),
      teacherParameters: boundFlag(NT, ntLo, ntHi),
      teacherTokens: boundFlag(DT, ...teacherTokensInBox(NT, box, supervised)),
    },
    teacherDetermined: true,
    converged,
    message: !Number.isFinite(inner.fun) ? "the objective is not finite at the solution"
      : converged ? "nested Brent searches converged within the log tolerance" : outer.message,
    evaluations,
  };
}

/**
 * The smallest interval of [a, b] holding every point where `inside` holds, to 1e-12 in x: a scan
 * of 64 points, each edge refined by bisection towards its outside neighbour. Null when the scan
 * finds no inside point.
 */
function feasibleInterval(inside: (x: number) => boolean, a: number, b: number): [number, number] | null {
  if (!(a <= b)) return null;
  const points = 64;
  const at = (i: number) => (i === points - 1 ? b : a + ((b - a) * i) / (points - 1));
  let first = -1, last = -1;
  for (let i = 0; i < points; i++) {
    if (inside(at(i))) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return null;
  const refine = (inner: number, outer: number) => {
    for (let i = 0; i < 100 && Math.abs(outer - inner) > 1e-12; i++) {
      const m = 0.5 * (inner + outer);
      if (inside(m)) inner = m;
      else outer = m;
    }
    return inner;
  };
  return [first === 0 ? a : refine(at(first), at(first - 1)), last === points - 1 ? b : refine(at(last), at(last + 1))];
}
