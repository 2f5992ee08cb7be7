// Which total budgets a strategy can spend exactly with every variable in the bounds: the range
// of Eq. 9 over the box, why a budget falls outside it, and the input check of the pages (a
// budget no scenario can spend). The strategy solver reports infeasibility from here as an
// outcome; pages use the same ranges to say so at the field.

import { SCENARIO_IDS, scenarioById, type ScenarioId, type ScenarioWeights } from "../laws/scenarios.js";
import { resolveBox, resolveSolverContext, type ModelOptions, type ResolvedBox, type SolverContext } from "./optimizer.js";
import { formatExponent, formatQuantity } from "../inputs/units.js";
import { parametersForLoss, supervisedLoss, tokensForLoss, type SupervisedCoefficients } from "../laws/laws.js";
import { minimizeScalar } from "../numerics/scalar.js";

export interface BudgetRange {
  minimum: number;
  maximum: number;
}

export interface Infeasibility {
  /** "nothing-inside": with a box (ModelOptions.box), no allocation is inside it at any budget. */
  reason: "budget-too-small" | "budget-too-large" | "nothing-inside";
  /** The budgets the strategy can spend exactly with every variable in the bounds (and the box); null for "nothing-inside". */
  feasibleRange: BudgetRange | null;
  message: string;
}

function weightsOf(scenario: ScenarioId | ScenarioWeights): ScenarioWeights {
  return typeof scenario === "string" ? scenarioById(scenario) : scenario;
}

/**
 * The feasible range of total budgets of a scenario (or of any weights) for a student, with
 * N_T, D_S, D_T in the bounds. Eq. 9 increases in each variable, so the ends are the box's corners.
 */
export function feasibleBudgetRange(
  studentParameters: number,
  scenario: ScenarioId | ScenarioWeights,
  options: ModelOptions = {},
): BudgetRange {
  return feasibleBudgetRangeWith(resolveSolverContext(options), studentParameters, scenario);
}

/** feasibleBudgetRange in a resolved context. */
export function feasibleBudgetRangeWith(
  context: Pick<SolverContext, "F" | "bounds">,
  studentParameters: number,
  scenario: ScenarioId | ScenarioWeights,
): BudgetRange {
  const { deltaLogits, deltaPretraining } = weightsOf(scenario);
  const { F, bounds: [lo, hi] } = context;
  const studentCost = 3 * F(studentParameters);
  return {
    minimum: studentCost * lo + deltaLogits * F(lo) * lo + deltaPretraining * 3 * F(lo) * lo,
    maximum: studentCost * hi + deltaLogits * F(hi) * hi + deltaPretraining * 3 * F(hi) * hi,
  };
}

/**
 * The teacher sizes with some teacher inside the box: N_T in its range, and some D_T in its range
 * giving a teacher loss in the box's range (L decreases in N_T and D_T, so an interval).
 */
export function teacherSizesInBox(box: ResolvedBox, supervised: SupervisedCoefficients): [number, number] {
  const [nMin, nMax] = box.teacherParameters;
  if (!box.teacherLoss) return [nMin, nMax];
  const [dMin, dMax] = box.teacherTokens;
  const [lMin, lMax] = box.teacherLoss;
  return [Math.max(nMin, parametersForLoss(supervised, dMax, lMax)), Math.min(nMax, parametersForLoss(supervised, dMin, lMin))];
}

/** The teacher tokens D_T of a teacher of size N_T inside the box (an empty range when max < min). */
export function teacherTokensInBox(NT: number, box: ResolvedBox, supervised: SupervisedCoefficients): [number, number] {
  const [dMin, dMax] = box.teacherTokens;
  if (!box.teacherLoss) return [dMin, dMax];
  const [lMin, lMax] = box.teacherLoss;
  return [Math.max(dMin, tokensForLoss(supervised, NT, lMax)), Math.min(dMax, tokensForLoss(supervised, NT, lMin))];
}

/**
 * The budgets a strategy can spend exactly with every variable inside the context's box (and the
 * bounds), or null when no allocation is inside at any budget (the student outside its range, or
 * an empty box). Eq. 9 increases in D_S, N_T and D_T; with a teacher-loss range the cheapest and
 * dearest teachers lie on its iso-loss edges, found by a scan and Brent over log N_T.
 */
export function budgetRangeInBox(
  context: SolverContext,
  studentParameters: number,
  scenario: ScenarioId | ScenarioWeights | "supervised",
): BudgetRange | null {
  const supervisedTraining = scenario === "supervised";
  const { deltaLogits, deltaPretraining } = supervisedTraining ? { deltaLogits: 0, deltaPretraining: 0 } : weightsOf(scenario);
  const box = resolveBox(studentParameters, !supervisedTraining, context);
  const [dsMin, dsMax] = box.studentTokens;
  if (!box.studentInside || !(dsMin <= dsMax * (1 + 1e-12))) return null;
  const { F, coefficients: { supervised } } = context;
  const studentCost = 3 * F(studentParameters);
  if (deltaLogits === 0 && deltaPretraining === 0) {
    // The teacher costs nothing: only its loss must be one a teacher within the bounds reaches.
    if (box.teacherLoss && !supervisedTraining) {
      const [lo, hi] = context.bounds;
      const strongest = Math.max(box.teacherLoss[0], supervisedLoss(supervised, hi, hi));
      const weakest = Math.min(box.teacherLoss[1], supervisedLoss(supervised, lo, lo));
      if (!(strongest <= weakest)) return null;
    }
    return { minimum: studentCost * dsMin, maximum: studentCost * dsMax };
  }
  const [nMin, nMax] = teacherSizesInBox(box, supervised);
  if (!(nMin <= nMax * (1 + 1e-12))) return null;
  const cost = (logNT: number, end: 0 | 1) => {
    const NT = Math.exp(logNT);
    const FT = F(NT);
    const DT = teacherTokensInBox(NT, box, supervised)[end];
    return (end === 0 ? dsMin : dsMax) * (studentCost + deltaLogits * FT) + 3 * deltaPretraining * FT * DT;
  };
  if (!box.teacherLoss) return { minimum: cost(Math.log(nMin), 0), maximum: cost(Math.log(nMax), 1) };
  const a = Math.log(nMin), b = Math.max(a, Math.log(nMax));
  const search = { scanPoints: 24, xatol: 1e-10 };
  return {
    minimum: minimizeScalar((x) => cost(x, 0), a, b, search).fun,
    maximum: -minimizeScalar((x) => -cost(x, 1), a, b, search).fun,
  };
}

/**
 * Why `budget` is outside the range of `scenario`, or null when it is inside (to 1e-12
 * relative, so that the range's own ends are feasible). `name` names the strategy in the message.
 */
export function budgetInfeasibility(
  context: SolverContext,
  studentParameters: number,
  budget: number,
  scenario: ScenarioId | ScenarioWeights | "supervised",
  name: string,
): Infeasibility | null {
  if (context.box) {
    const range = budgetRangeInBox(context, studentParameters, scenario);
    if (range === null) {
      return {
        reason: "nothing-inside", feasibleRange: null,
        message: `no allocation of ${name} keeps every variable inside the ${BOX_NAME} at any budget` +
          (resolveBox(studentParameters, scenario !== "supervised", context).studentInside ? "" : ` (the student's ${formatQuantity(studentParameters)} parameters are outside it)`),
      };
    }
    if (budget >= range.minimum * (1 - 1e-12) && budget <= range.maximum * (1 + 1e-12)) return null;
    return infeasibility(budget, range, name, true);
  }
  // Supervised training's D = C / 3F(N) is held to the same token bounds as the scenarios' D_S.
  const range = feasibleBudgetRangeWith(context, studentParameters, scenario === "supervised" ? { deltaLogits: 0, deltaPretraining: 0 } : scenario);
  if (budget >= range.minimum * (1 - 1e-12) && budget <= range.maximum * (1 + 1e-12)) return null;
  return infeasibility(budget, range, name);
}

/** How messages name the box of ModelOptions.box. */
export const BOX_NAME = "widened validity domain";

/**
 * The outcome for a budget outside `range`, with the message the planner shows in the strategy's
 * row; `boxed` when the range is that of ModelOptions.box rather than of the bounds.
 */
export function infeasibility(budget: number, range: BudgetRange, name: string, boxed = false): Infeasibility {
  // Inside the range only rounding can land here; the nearer end (in log) says which way.
  const tooSmall = budget < range.minimum || (budget <= range.maximum && budget / range.minimum < range.maximum / budget);
  const limit = tooSmall ? range.minimum : range.maximum;
  return {
    reason: tooSmall ? "budget-too-small" : "budget-too-large",
    feasibleRange: { minimum: range.minimum, maximum: range.maximum },
    message:
      `budget ${formatExponent(budget, 4)} FLOPs is too ${tooSmall ? "small" : "large"} for ${name}: ` +
      `feasible budgets are ${formatExponent(range.minimum, 4)} to ${formatExponent(range.maximum, 4)} FLOPs ` +
      `${boxed ? `with every variable inside the ${BOX_NAME}` : "with N_T, D_S, D_T in the bounds"} (${tooSmall ? "at least" : "at most"} ${formatExponent(limit, 4)})`,
  };
}

/**
 * Why no distillation allocation exists for a budget, or null: the input check of the pages.
 * Only a budget outside every scenario's feasible range is an input error; one that only some
 * scenarios cannot meet gives rows saying "infeasible" in the table instead.
 */
export function budgetProblem(
  studentParameters: number,
  budget: number,
  options: Pick<ModelOptions, "flops" | "bounds"> = {},
): string | null {
  const context = resolveSolverContext(options);
  const ranges = SCENARIO_IDS.map((id) => feasibleBudgetRangeWith(context, studentParameters, id));
  const minimum = Math.min(...ranges.map((r) => r.minimum));
  const maximum = Math.max(...ranges.map((r) => r.maximum));
  const [lo, hi] = context.bounds;
  if (budget < minimum) {
    return `${formatExponent(budget)} FLOPs is too small for any allocation: a ${formatQuantity(studentParameters)} student needs at least ` +
      `${formatExponent(minimum)} FLOPs to see ${formatExponent(lo)} tokens (the optimiser's lower bound).`;
  }
  if (budget > maximum) {
    return `${formatExponent(budget)} FLOPs is beyond the optimiser's bounds: with N_T, D_S, D_T at most ${formatExponent(hi)}, ` +
      `a ${formatQuantity(studentParameters)} student cannot spend more than ${formatExponent(maximum)} FLOPs.`;
  }
  return null;
}
