// Which total budgets a strategy can spend exactly with every variable in the bounds: the range
// of Eq. 9 over the box, why a budget falls outside it, and the input check of the pages (a
// budget no scenario can spend). The strategy solver reports infeasibility from here as an
// outcome; pages use the same ranges to say so at the field.

import { DEFAULT_FLOPS_MODEL, forwardFlopsFunction } from "../laws/flops.js";
import { SCENARIO_IDS, scenarioById, type ScenarioId, type ScenarioWeights } from "../laws/scenarios.js";
import { DEFAULT_BOUNDS, type ModelOptions } from "./optimizer.js";
import { formatExponent, formatQuantity } from "../inputs/units.js";

export interface BudgetRange {
  minimum: number;
  maximum: number;
}

export interface Infeasibility {
  reason: "budget-too-small" | "budget-too-large";
  /** The budgets the strategy can spend exactly with every variable in the bounds. */
  feasibleRange: BudgetRange;
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
  const { deltaLogits, deltaPretraining } = weightsOf(scenario);
  const F = forwardFlopsFunction(options.flops ?? DEFAULT_FLOPS_MODEL);
  const [lo, hi] = options.bounds ?? DEFAULT_BOUNDS;
  const studentCost = 3 * F(studentParameters);
  return {
    minimum: studentCost * lo + deltaLogits * F(lo) * lo + deltaPretraining * 3 * F(lo) * lo,
    maximum: studentCost * hi + deltaLogits * F(hi) * hi + deltaPretraining * 3 * F(hi) * hi,
  };
}

/**
 * Why `budget` is outside the range of `scenario`, or null when it is inside (to 1e-12
 * relative, so that the range's own ends are feasible). `name` names the strategy in the message.
 */
export function budgetInfeasibility(
  studentParameters: number,
  budget: number,
  scenario: ScenarioId | ScenarioWeights,
  name: string,
  options: ModelOptions = {},
): Infeasibility | null {
  const range = feasibleBudgetRange(studentParameters, scenario, options);
  if (budget >= range.minimum * (1 - 1e-12) && budget <= range.maximum * (1 + 1e-12)) return null;
  return infeasibility(budget, range, name);
}

/** The outcome for a budget outside `range`, with the message the planner shows in the strategy's row. */
export function infeasibility(budget: number, range: BudgetRange, name: string): Infeasibility {
  // Inside the range only rounding can land here; the nearer end (in log) says which way.
  const tooSmall = budget < range.minimum || (budget <= range.maximum && budget / range.minimum < range.maximum / budget);
  const limit = tooSmall ? range.minimum : range.maximum;
  return {
    reason: tooSmall ? "budget-too-small" : "budget-too-large",
    feasibleRange: { minimum: range.minimum, maximum: range.maximum },
    message:
      `budget ${formatExponent(budget, 4)} FLOPs is too ${tooSmall ? "small" : "large"} for ${name}: ` +
      `feasible budgets are ${formatExponent(range.minimum, 4)} to ${formatExponent(range.maximum, 4)} FLOPs ` +
      `with N_T, D_S, D_T in the bounds (${tooSmall ? "at least" : "at most"} ${formatExponent(limit, 4)})`,
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
  const ranges = SCENARIO_IDS.map((id) => feasibleBudgetRange(studentParameters, id, options));
  const minimum = Math.min(...ranges.map((r) => r.minimum));
  const maximum = Math.max(...ranges.map((r) => r.maximum));
  const [lo, hi] = options.bounds ?? DEFAULT_BOUNDS;
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
