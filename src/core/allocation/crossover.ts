// The crossover compute of Figure 8: where supervised training of a student catches up with
// distillation, best-case (a teacher that costs nothing) by default, or teacher inference (an
// existing teacher, the paper's abstract claim).

import { resolveSolverContext, supervisedStudentWith, type ModelOptions, type SolverContext } from "./optimizer.js";
import { feasibleBudgetRangeWith } from "./feasibility.js";
import type { ScenarioId } from "../laws/scenarios.js";
import { solveStrategyWith } from "./strategy.js";

export interface Crossover {
  /** The total compute at which supervised training of the student first matches the distillation scenario. */
  budget: number;
  studentTokens: number;
  studentLoss: number;
}

/**
 * The smallest budget at which supervised training of a student of size N_S reaches the distilled
 * loss of `scenario`. Null when distillation stays ahead for every budget the bounds allow (with
 * Table 6 and the best case this happens for students below ~3e8).
 */
export function supervisedCrossover(
  studentParameters: number,
  options: ModelOptions = {},
  scenario: ScenarioId = "best-case",
): Crossover | null {
  return supervisedCrossoverWith(resolveSolverContext(options), studentParameters, scenario);
}

/** supervisedCrossover in a resolved context. */
export function supervisedCrossoverWith(context: SolverContext, studentParameters: number, scenario: ScenarioId = "best-case"): Crossover | null {
  const range = feasibleBudgetRangeWith(context, studentParameters, scenario);
  const advantage = (logC: number) => {
    const C = Math.exp(logC);
    const distilled = solveStrategyWith(context, studentParameters, C, scenario);
    // Every budget searched lies in the feasible range; an infeasible answer would be a bug.
    if (distilled.status !== "optimal") throw new Error(`crossover search left the feasible range: ${distilled.message}`);
    return supervisedStudentWith(context, studentParameters, C).loss - distilled.studentLoss;
  };
  const logMin = Math.log(range.minimum), logMax = Math.log(range.maximum);
  // A scan of 60 steps over the range, then bisection in the first step where supervised wins.
  const steps = 60;
  let previous = logMin;
  if (advantage(previous) <= 0) return describeCrossover(context, studentParameters, Math.exp(previous));
  for (let i = 1; i <= steps; i++) {
    const logC = logMin + ((logMax - logMin) * i) / steps;
    if (advantage(logC) <= 0) {
      let a = previous, b = logC;
      for (let k = 0; k < 60 && b - a > 1e-10; k++) {
        const m = 0.5 * (a + b);
        if (advantage(m) <= 0) b = m;
        else a = m;
      }
      return describeCrossover(context, studentParameters, Math.exp(b));
    }
    previous = logC;
  }
  return null;
}

function describeCrossover(context: SolverContext, studentParameters: number, budget: number): Crossover {
  const supervised = supervisedStudentWith(context, studentParameters, budget);
  return { budget, studentTokens: supervised.tokens, studentLoss: supervised.loss };
}
