// One entry for every training strategy of a fixed student at a fixed budget: supervised
// training, the four scenarios of Table 2, and any scenario weights in [0, 1] (Eq. 9 with
// partial amortisation, SPEC section 9). Infeasibility is an outcome, not an exception, as in
// SciPy's linprog; bad arguments still throw.
//
// CONTRACT (shared by the planner, figures, CLI, ensembles and workers): keep these exported
// names and fields. The implementation below is a first wrapper over optimizer.ts.

import type { FlopsSplit, ScenarioId } from "./scenarios.js";
import { scenarioById } from "./scenarios.js";
import {
  InfeasibleBudgetError, optimalDistillation, supervisedStudent,
  type BoundFlag, type OptimizerOptions,
} from "./optimizer.js";

export type StrategyId = "supervised" | ScenarioId;

/** Eq. 9's scenario weights; each in [0, 1]. */
export interface ScenarioWeights {
  deltaLogits: number;
  deltaPretraining: number;
}

/** A named strategy, or distillation with arbitrary weights (a teacher shared by k students, ...). */
export type Strategy = StrategyId | ({ kind: "weights" } & ScenarioWeights);

export type StrategyOptions = OptimizerOptions;

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
  reason: "budget-too-small" | "budget-too-large";
  /** The budgets this strategy can spend exactly with every variable in the bounds. */
  feasibleRange: { minimum: number; maximum: number };
  message: string;
}

export type StrategyResult = OptimalStrategy | InfeasibleStrategy;

export function strategyWeights(strategy: Strategy): ScenarioWeights {
  if (strategy === "supervised") return { deltaLogits: 0, deltaPretraining: 0 };
  if (typeof strategy === "string") {
    const { deltaLogits, deltaPretraining } = scenarioById(strategy);
    return { deltaLogits, deltaPretraining };
  }
  return { deltaLogits: strategy.deltaLogits, deltaPretraining: strategy.deltaPretraining };
}

/** The compute-optimal allocation of one strategy for a student of `studentParameters` and a total `budget`. */
export function solveStrategy(
  studentParameters: number,
  budget: number,
  strategy: Strategy,
  options: StrategyOptions = {},
): StrategyResult {
  const weights = strategyWeights(strategy);
  const base = { strategy, weights, studentParameters, budget };
  if (strategy === "supervised") {
    const s = supervisedStudent(studentParameters, budget, options);
    return {
      ...base, status: "optimal", studentTokens: s.tokens, teacherParameters: null, teacherTokens: null, teacherLoss: null,
      studentLoss: s.loss, supervisedStudentLoss: s.loss, flops: s.flops,
      bounds: { studentTokens: null, teacherParameters: null, teacherTokens: null },
      teacherDetermined: false, converged: true, message: "closed form", evaluations: 0,
    };
  }
  if (typeof strategy !== "string") throw new RangeError("weights strategies are not implemented by this first wrapper");
  try {
    const s = optimalDistillation({ studentParameters, budget, scenario: strategy }, options);
    return {
      ...base, status: "optimal", studentTokens: s.studentTokens, teacherParameters: s.teacherParameters,
      teacherTokens: s.teacherTokens, teacherLoss: s.teacherLoss, studentLoss: s.studentLoss,
      supervisedStudentLoss: s.supervisedStudentLoss, flops: s.flops, bounds: s.bounds,
      teacherDetermined: s.teacherDetermined, converged: s.converged, message: s.message, evaluations: s.evaluations,
    };
  } catch (error) {
    if (!(error instanceof InfeasibleBudgetError)) throw error;
    return {
      ...base, status: "infeasible", reason: error.reason,
      feasibleRange: { minimum: error.minimumBudget, maximum: error.maximumBudget }, message: error.message,
    };
  }
}
