// The solutions behind Figures 8, 9, 20-29 and Table 3: compute-optimal distillation for each
// student, strategy and budget, flattened into rows that Plot and the table downloads use as is.
// Infeasible budgets (InfeasibleBudgetError) produce no row, so curves simply stop there.

import { DEFAULT_FLOPS_MODEL, type FlopsModel } from "../core/flops.js";
import {
  InfeasibleBudgetError, optimalDistillation, supervisedCrossover, supervisedStudent,
  type BoundFlag, type LawCoefficients,
} from "../core/optimizer.js";
import { STRATEGIES, type StrategyId } from "../core/plan.js";
import type { ScenarioId } from "../core/scenarios.js";
import type { Student } from "./students.js";

export interface SolutionRow {
  student: string;
  studentParameters: number;
  strategy: StrategyId;
  label: string;
  /** Total compute C, FLOPs. */
  budget: number;
  studentLoss: number;
  studentTokens: number;
  /** Null for supervised training. */
  teacherParameters: number | null;
  teacherTokens: number | null;
  teacherLoss: number | null;
  flopsStudentTraining: number;
  flopsTeacherLogits: number;
  flopsTeacherPretraining: number;
  boundStudentTokens: BoundFlag;
  boundTeacherParameters: BoundFlag;
  boundTeacherTokens: BoundFlag;
  /** False in the best case, where only L_T* is determined and the teacher shown is the cheapest one. */
  teacherDetermined: boolean;
}

export interface CurveOptions {
  coefficients: LawCoefficients;
  flops?: FlopsModel;
}

/** One row per (student, strategy, feasible budget), in that order. */
export function solutionRows(
  students: readonly Student[],
  budgets: readonly number[],
  strategies: readonly StrategyId[],
  { coefficients, flops = DEFAULT_FLOPS_MODEL }: CurveOptions,
): SolutionRow[] {
  const options = { coefficients, flops };
  const rows: SolutionRow[] = [];
  for (const { parameters: studentParameters, name: student } of students) {
    for (const strategy of strategies) {
      const label = STRATEGIES.find((s) => s.id === strategy)!.label;
      for (const budget of budgets) {
        if (strategy === "supervised") {
          const s = supervisedStudent(studentParameters, budget, options);
          rows.push({
            student, studentParameters, strategy, label, budget, studentLoss: s.loss, studentTokens: s.tokens,
            teacherParameters: null, teacherTokens: null, teacherLoss: null,
            flopsStudentTraining: budget, flopsTeacherLogits: 0, flopsTeacherPretraining: 0,
            boundStudentTokens: null, boundTeacherParameters: null, boundTeacherTokens: null, teacherDetermined: false,
          });
          continue;
        }
        try {
          const s = optimalDistillation({ studentParameters, budget, scenario: strategy }, options);
          // A non-finite optimum would draw as a gap anyway; leaving it out keeps NaN out of exports.
          if (!Number.isFinite(s.studentLoss)) continue;
          rows.push({
            student, studentParameters, strategy, label, budget, studentLoss: s.studentLoss, studentTokens: s.studentTokens,
            teacherParameters: s.teacherParameters, teacherTokens: s.teacherTokens, teacherLoss: s.teacherLoss,
            flopsStudentTraining: s.flops.studentTraining, flopsTeacherLogits: s.flops.teacherLogits,
            flopsTeacherPretraining: s.flops.teacherPretraining,
            boundStudentTokens: s.bounds.studentTokens, boundTeacherParameters: s.bounds.teacherParameters,
            boundTeacherTokens: s.bounds.teacherTokens, teacherDetermined: s.teacherDetermined,
          });
        } catch (error) {
          if (!(error instanceof InfeasibleBudgetError)) throw error;
        }
      }
    }
  }
  return rows;
}

export interface CrossoverRow {
  student: string;
  studentParameters: number;
  /** The distillation scenario supervised training catches: best case (Figure 8's) or teacher inference. */
  scenario: ScenarioId;
  label: string;
  /** Null when that scenario stays ahead over every budget the bounds allow. */
  budget: number | null;
  studentTokens: number | null;
  studentLoss: number | null;
}

/** The compute at which supervised training catches each scenario (default: the best case), per student. */
export function crossoverRows(
  students: readonly Student[],
  { coefficients, flops = DEFAULT_FLOPS_MODEL }: CurveOptions,
  scenarios: readonly ScenarioId[] = ["best-case"],
): CrossoverRow[] {
  return students.flatMap(({ parameters: studentParameters, name }) => scenarios.map((scenario) => {
    const crossover = supervisedCrossover(studentParameters, { coefficients, flops }, scenario);
    return {
      student: name, studentParameters, scenario, label: STRATEGIES.find((s) => s.id === scenario)!.label,
      budget: crossover?.budget ?? null, studentTokens: crossover?.studentTokens ?? null, studentLoss: crossover?.studentLoss ?? null,
    };
  }));
}

export const FLOPS_TERMS = [
  { key: "flopsStudentTraining", label: "Student training" },
  { key: "flopsTeacherLogits", label: "Teacher logits" },
  { key: "flopsTeacherPretraining", label: "Teacher pretraining" },
] as const;

export type FlopsTerm = (typeof FLOPS_TERMS)[number]["label"];

export interface ShareRow {
  student: string;
  studentParameters: number;
  budget: number;
  term: FlopsTerm;
  flops: number;
  share: number;
}

/** The three terms of Eq. 9 as shares of each solution's total compute (Figures 23, 26, 29). */
export function shareRows(rows: readonly SolutionRow[]): ShareRow[] {
  return rows.flatMap((row) => {
    const total = row.flopsStudentTraining + row.flopsTeacherLogits + row.flopsTeacherPretraining;
    return FLOPS_TERMS.map(({ key, label }) => ({
      student: row.student, studentParameters: row.studentParameters, budget: row.budget,
      term: label, flops: row[key], share: row[key] / total,
    }));
  });
}

export interface AllocationTrend {
  student: string;
  studentParameters: number;
  budget: number;
  shares: Record<FlopsTerm, number>;
  /** E.g. "mostly to teacher pretraining (81%)", written from the shares. */
  description: string;
}

/** Words for a split of compute, from its numbers: one dominant term, or how it is divided. */
export function describeShares(shares: Record<FlopsTerm, number>): string {
  const ranked = (Object.entries(shares) as [FlopsTerm, number][]).sort((a, b) => b[1] - a[1]);
  const pct = (x: number) => `${Math.round(100 * x)}%`;
  const name = (term: string) => term.toLowerCase();
  const [first, second, third] = ranked;
  if (first[1] >= 0.6) return `mostly to ${name(first[0])} (${pct(first[1])})`;
  if (third[1] >= 0.2) {
    return `to ${name(first[0])} (${pct(first[1])}), ${name(second[0])} (${pct(second[1])}) and ${name(third[0])} (${pct(third[1])}) alike`;
  }
  return `to ${name(first[0])} (${pct(first[1])}) and ${name(second[0])} (${pct(second[1])}), ` +
    `much less to ${name(third[0])} (${pct(third[1])})`;
}

/** The split of compute at one (student, budget) for a scenario: a cell of Table 3. */
export function allocationTrend(
  student: Student,
  budget: number,
  scenario: Exclude<StrategyId, "supervised">,
  options: CurveOptions,
): AllocationTrend | null {
  const [row] = solutionRows([student], [budget], [scenario], options);
  if (!row) return null;
  const total = row.flopsStudentTraining + row.flopsTeacherLogits + row.flopsTeacherPretraining;
  const shares = Object.fromEntries(FLOPS_TERMS.map(({ key, label }) => [label, row[key] / total])) as Record<FlopsTerm, number>;
  return { student: row.student, studentParameters: student.parameters, budget, shares, description: describeShares(shares) };
}

/** The rows of the paper's Table 3 (teacher pretraining + inference), as checks on computed shares. */
export const TABLE3 = [
  {
    student: "small", compute: "small", paper: "Mostly teacher pretraining.",
    agrees: (s: Record<FlopsTerm, number>) => s["Teacher pretraining"] >= Math.max(s["Student training"], s["Teacher logits"]),
  },
  {
    student: "small", compute: "large", paper: "Evenly divided between student training and teacher inference, much less on teacher pretraining.",
    agrees: (s: Record<FlopsTerm, number>) => s["Student training"] >= 0.3 && s["Teacher logits"] >= 0.3 && s["Teacher pretraining"] < 0.15,
  },
  {
    student: "large", compute: "small", paper: "Mostly standard student training.",
    agrees: (s: Record<FlopsTerm, number>) => s["Student training"] >= Math.max(s["Teacher pretraining"], s["Teacher logits"]),
  },
  {
    student: "large", compute: "large", paper: "Equally divided between student training and teacher inference and teacher pretraining.",
    agrees: (s: Record<FlopsTerm, number>) => Math.min(s["Student training"], s["Teacher logits"], s["Teacher pretraining"]) >= 0.2,
  },
] as const;
