// The plan rows: one row per strategy (supervised, the four scenarios, or any weights) for a
// student size and a budget, built from solveStrategy's results. The one row layout of the
// planner table, the sweep, the figures, the CLI and the exports, so all print the same numbers.

import type { CoefficientSet } from "../laws/laws.js";
import type { FlopsModel } from "../laws/flops.js";
import { SCENARIOS, type FlopsSplit, type ScenarioWeights } from "../laws/scenarios.js";
import { DEFAULT_BOUNDS, resolveSolverContext, supervisedStudentWith, type LawCoefficients } from "./optimizer.js";
import { lowerFirst } from "../export/sentenceCase.js";
import {
  solveStrategyWith, strategyLabel, strategyWeights,
  type InfeasibleStrategy, type OptimalStrategy, type Strategy, type StrategyBounds, type StrategyId, type StrategyResult,
} from "./strategy.js";

export const STRATEGIES: readonly { id: StrategyId; label: string }[] = Object.freeze(
  (["supervised", ...SCENARIOS.map((s) => s.id)] as StrategyId[]).map((id) => ({ id, label: strategyLabel(id) })),
);

export interface PlanInputs {
  studentParameters: number;
  budget: number;
  coefficients?: LawCoefficients & Partial<Pick<CoefficientSet, "id" | "label">>;
  flops?: FlopsModel;
  bounds?: readonly [number, number];
}

/**
 * One strategy's answer as the planner table, the figures, the CLI and the exports show it: the
 * one row layout (flattenPlanRow gives its flat form). Figures add the student's name.
 */
export interface PlanRow {
  /** The strategy's id; "weights" for distillation with weights other than a named scenario's. */
  strategy: StrategyId | "weights";
  label: string;
  weights: ScenarioWeights;
  /** The student's name (figures); absent in the planner. */
  student?: string;
  studentParameters: number;
  budget: number;
  /** Null when the strategy has no teacher or the budget is infeasible for it. */
  studentTokens: number | null;
  teacherParameters: number | null;
  teacherTokens: number | null;
  studentTokensPerParameter: number | null;
  teacherTokensPerParameter: number | null;
  teacherLoss: number | null;
  studentLoss: number | null;
  /** L_S* of the strategy minus the supervised loss at the same budget (negative: distillation wins). */
  differenceToSupervised: number | null;
  supervisedLoss: number;
  flops: FlopsSplit | null;
  bounds: StrategyBounds;
  /** False when only L_T* is determined (best case); null when infeasible. */
  teacherDetermined: boolean | null;
  /** Plain-language notes on bound solutions and on the best case's undetermined teacher. */
  notes: string[];
  /** Why there is no allocation (budget outside the feasible range), or null. */
  error: string | null;
  /** Why the strategy is infeasible, for code that must not parse `error`. */
  errorReason: InfeasibleStrategy["reason"] | null;
  converged: boolean | null;
  evaluations: number | null;
}

const NO_BOUNDS = { studentTokens: null, teacherParameters: null, teacherTokens: null } as const;

/** The id a row carries: a named strategy's, or "weights". */
function rowStrategy(strategy: Strategy): PlanRow["strategy"] {
  return typeof strategy === "string" ? strategy : "weights";
}

/** A row from one strategy's result; `supervisedLoss` is supervised training's at the same budget. */
export function planRow(
  result: StrategyResult,
  supervisedLoss: number,
  bounds: readonly [number, number] = DEFAULT_BOUNDS,
): PlanRow {
  // Every row is one literal (no object spreads): a row built as {...head, ...} took 62 us in
  // Node 20 against 1.3 us for this literal, and the Figure 8 grid builds 820 rows per draw.
  const { strategy, weights, studentParameters, budget } = result;
  const label = strategyLabel(strategy);
  if (result.status === "infeasible") {
    return {
      strategy: rowStrategy(strategy), label, weights, studentParameters, budget,
      studentTokens: null, teacherParameters: null, teacherTokens: null,
      studentTokensPerParameter: null, teacherTokensPerParameter: null,
      teacherLoss: null, studentLoss: null, differenceToSupervised: null, supervisedLoss,
      flops: null, bounds: NO_BOUNDS, teacherDetermined: null, notes: [],
      error: result.message, errorReason: result.reason, converged: null, evaluations: null,
    };
  }
  const { teacherParameters, teacherTokens } = result;
  const supervised = strategy === "supervised";
  return {
    strategy: rowStrategy(strategy), label, weights, studentParameters, budget,
    studentTokens: result.studentTokens,
    teacherParameters,
    teacherTokens,
    studentTokensPerParameter: result.studentTokens / studentParameters,
    teacherTokensPerParameter: teacherTokens !== null && teacherParameters !== null ? teacherTokens / teacherParameters : null,
    teacherLoss: result.teacherLoss,
    studentLoss: result.studentLoss,
    differenceToSupervised: supervised ? 0 : result.studentLoss - supervisedLoss,
    supervisedLoss,
    flops: result.flops,
    bounds: result.bounds,
    teacherDetermined: result.teacherDetermined,
    notes: supervised ? [] : explainSolution(result, bounds),
    error: null,
    errorReason: null,
    converged: result.converged,
    evaluations: result.evaluations,
  };
}

/** One row per strategy for a student and a budget. Infeasible strategies get a row with `error`. */
export function planAllocations(inputs: PlanInputs, strategies: readonly Strategy[] = STRATEGIES.map((s) => s.id)): PlanRow[] {
  const context = resolveSolverContext(inputs);
  for (const strategy of strategies) strategyWeights(strategy);
  const { studentParameters, budget } = inputs;
  const supervised = supervisedStudentWith(context, studentParameters, budget);
  return strategies.map((strategy) => planRow(solveStrategyWith(context, studentParameters, budget, strategy), supervised.loss, context.bounds));
}

/** Says in words what a solution on a bound (or the best case's free teacher) means. */
export function explainSolution(solution: OptimalStrategy, bounds: readonly [number, number]): string[] {
  const notes: string[] = [];
  const [lo, hi] = bounds.map((b) => b.toExponential(0).replace("+", ""));
  if (!solution.teacherDetermined) {
    notes.push("Only the teacher loss L_T* is determined here; the teacher shown is the cheapest (supervised compute-optimal) one reaching it.");
  }
  const { studentTokens, teacherParameters, teacherTokens } = solution.bounds;
  if (teacherTokens === "upper") {
    notes.push(solution.teacherDetermined
      ? `Teacher tokens at the ${hi} limit: the optimiser wants an overtrained teacher, cheap to run and as strong as possible.`
      : `Teacher tokens at the ${hi} limit: the best teacher loss is the strongest teacher the bounds allow.`);
  }
  if (teacherTokens === "lower") notes.push(`Teacher tokens at the ${lo} limit: the teacher is barely trained; any teacher loss near the weak end serves.`);
  if (teacherParameters === "upper") notes.push(`Teacher size at the ${hi} limit: the optimiser wants a larger teacher than the bounds allow.`);
  if (teacherParameters === "lower") notes.push(`Teacher size at the ${lo} limit: the optimiser wants the smallest teacher the bounds allow.`);
  if (studentTokens === "upper") notes.push(`Student tokens at the ${hi} limit.`);
  if (studentTokens === "lower") notes.push(`Student tokens at the ${lo} limit: almost the whole budget goes to the teacher.`);
  return notes;
}

/**
 * The sentence under the table: which strategy is best at the point coefficients and by how much.
 * It names no winner: whether the lead holds across the coefficients' uncertainty is the
 * ensemble verdict's to say (uncertainty.ts), which the planner and `--uncertainty` print.
 */
export function summarisePlan(rows: readonly PlanRow[]): string {
  const feasible = rows.filter((row) => row.studentLoss !== null);
  if (feasible.length === 0) return "No strategy has a feasible allocation for this budget.";
  const supervised = rows.find((row) => row.strategy === "supervised");
  if (!supervised || supervised.studentLoss === null) {
    // No supervised row to compare with (or its tokens are outside the bounds): name the best row only.
    const best = feasible.reduce((a, b) => (b.studentLoss! < a.studentLoss! ? b : a));
    return `At the point fit, ${lowerFirst(best.label)} gives the lowest loss: ${best.studentLoss!.toFixed(4)} nats` +
      (supervised?.error ? `; supervised training is not compared (${supervised.error}).` : ".");
  }
  const distillation = feasible.filter((row) => row.strategy !== "supervised" && row.strategy !== "best-case");
  const best = distillation.reduce<PlanRow | null>((a, b) => (a === null || b.studentLoss! < a.studentLoss! ? b : a), null);
  const bestCase = rows.find((row) => row.strategy === "best-case");
  const parts: string[] = [];
  if (best && best.studentLoss! < supervised.studentLoss!) {
    parts.push(`At the point fit, ${lowerFirst(best.label)} gives the best student you have to pay for: ${best.studentLoss!.toFixed(4)} nats, ` +
      `${(supervised.studentLoss! - best.studentLoss!).toFixed(4)} nats below supervised training (${supervised.studentLoss!.toFixed(4)}).`);
  } else {
    parts.push(`At the point fit, supervised training gives the lowest loss: ${supervised.studentLoss!.toFixed(4)} nats` +
      (best ? `, ${(best.studentLoss! - supervised.studentLoss!).toFixed(4)} nats below the best paid distillation (${lowerFirst(best.label)}).` : "."));
  }
  if (bestCase?.studentLoss != null) {
    const gain = supervised.studentLoss! - bestCase.studentLoss;
    parts.push(gain > 0
      ? `With a teacher that costs nothing, distillation would reach ${bestCase.studentLoss.toFixed(4)} nats (${gain.toFixed(4)} below supervised).`
      : `Even a teacher that costs nothing would not beat supervised training here (best case ${bestCase.studentLoss.toFixed(4)} nats).`);
  }
  return parts.join(" ");
}

export const PLAN_COLUMNS = [
  "strategy", "student_parameters", "budget_flops", "D_S", "N_T", "D_T", "M_S", "M_T", "L_T", "L_S",
  "L_S_minus_supervised", "supervised_L_S", "flops_student_training", "flops_teacher_logits", "flops_teacher_pretraining",
  "bound_D_S", "bound_N_T", "bound_D_T", "error", "delta_logits", "delta_pretraining",
] as const;

/** A row as flat record for CSV/JSON export, full precision. */
export function flattenPlanRow(row: PlanRow): Record<(typeof PLAN_COLUMNS)[number], string | number | null> {
  return {
    strategy: row.strategy,
    student_parameters: row.studentParameters,
    budget_flops: row.budget,
    D_S: row.studentTokens,
    N_T: row.teacherParameters,
    D_T: row.teacherTokens,
    M_S: row.studentTokensPerParameter,
    M_T: row.teacherTokensPerParameter,
    L_T: row.teacherLoss,
    L_S: row.studentLoss,
    L_S_minus_supervised: row.differenceToSupervised,
    supervised_L_S: row.supervisedLoss,
    flops_student_training: row.flops?.studentTraining ?? null,
    flops_teacher_logits: row.flops?.teacherLogits ?? null,
    flops_teacher_pretraining: row.flops?.teacherPretraining ?? null,
    bound_D_S: row.bounds.studentTokens,
    bound_N_T: row.bounds.teacherParameters,
    bound_D_T: row.bounds.teacherTokens,
    error: row.error,
    delta_logits: row.weights.deltaLogits,
    delta_pretraining: row.weights.deltaPretraining,
  };
}

/** A row for Eq. 9 with any weights in [0, 1] (a teacher shared by k students, ...), labelled `label`. */
export function planWeightsRow(inputs: PlanInputs, weights: ScenarioWeights, label: string): PlanRow {
  const [row] = planAllocations(inputs, [{ kind: "weights", ...weights }]);
  return { ...row, label };
}

export interface PlanExportContext {
  coefficientSet: string;
  flops: FlopsModel;
  bounds: readonly [number, number];
}

/** The Eq. 69 parameters as exports name them. */
const FLOPS_FIELDS: readonly [string, Exclude<keyof FlopsModel, "form">][] = [
  ["rho_model", "rhoModel"], ["n_ctx", "nCtx"], ["n_vocab", "nVocab"], ["g_size", "gSize"], ["n_ffn", "nFfn"], ["rho_ffn", "rhoFfn"],
];

/** Describes a FLOPs model in one line, for exports; six significant digits, so 8/3 reads 2.66667. */
export function describeFlopsModel(model: FlopsModel): string {
  return model.form === "2N"
    ? "F(N) = 2N"
    : `Eq. 69: ${FLOPS_FIELDS.map(([name, key]) => `${name}=${Number(model[key].toPrecision(6))}`).join(" ")}`;
}

/** Flat records with the inputs recorded in every row, so an exported table stands on its own. */
export function planRecords(rows: readonly PlanRow[], context: PlanExportContext): Record<string, string | number | null>[] {
  return rows.map((row) => ({
    ...flattenPlanRow(row),
    coefficient_set: context.coefficientSet,
    flops_model: describeFlopsModel(context.flops),
    bounds: `${context.bounds[0]}..${context.bounds[1]}`,
  }));
}
