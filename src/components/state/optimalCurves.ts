// The solutions behind Figures 8, 9, 20-29 and Table 3: compute-optimal allocations for each
// student, strategy and budget, as the planner's rows (PlanRow) with the student's name.
// Infeasible budgets produce no row, so curves simply stop there.

import { DEFAULT_FLOPS_MODEL, type FlopsModel } from "../../core/laws/flops.js";
import { supervisedStudent, type LawCoefficients } from "../../core/allocation/optimizer.js";
import { supervisedCrossover } from "../../core/allocation/crossover.js";
import { STRATEGIES, flattenPlanRow, planRow, type PlanRow } from "../../core/allocation/plan.js";
import { solveStrategy, type StrategyId } from "../../core/allocation/strategy.js";
import type { FlopsSplit, ScenarioId } from "../../core/laws/scenarios.js";
import type { Student } from "./students.js";
import { formatExponent } from "../../core/inputs/units.js";
import { curveBandAt, type Figure8Bands } from "../../core/uncertainty/figure8Bands.js";
import { widenedBandColumns } from "../../core/domain/bandWidening.js";

/** A feasible plan row of a named student: every allocation field is filled. */
export type SolutionRow = PlanRow & {
  student: string;
  studentLoss: number;
  studentTokens: number;
  flops: FlopsSplit;
};

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
    const supervisedLosses = budgets.map((budget) => supervisedStudent(studentParameters, budget, options).loss);
    for (const strategy of strategies) {
      for (const [i, budget] of budgets.entries()) {
        const result = solveStrategy(studentParameters, budget, strategy, options);
        // A non-finite optimum would draw as a gap anyway; leaving it out keeps NaN out of exports.
        if (result.status !== "optimal" || !Number.isFinite(result.studentLoss)) continue;
        // Named after the fact rather than spread into a new object: spreads cost 50x (see planRow).
        const row = planRow(result, supervisedLosses[i]) as SolutionRow;
        row.student = student;
        rows.push(row);
      }
    }
  }
  return rows;
}

/**
 * Flat records of figure rows for the table downloads: the student, the plan's columns, with Figure
 * 8's bands each row's loss band (widenedBandColumns "loss_*"), and the coefficient set.
 */
export function solutionRecords(rows: readonly SolutionRow[], coefficientSet: string, bands?: Figure8Bands | null): Record<string, string | number | boolean | null>[] {
  return rows.map((row) => ({
    student: row.student, ...flattenPlanRow(row),
    ...(bands ? widenedBandColumns("loss", curveBandAt(bands, row.studentParameters, row.strategy, row.budget)?.loss) : {}),
    coefficient_set: coefficientSet,
  }));
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

/**
 * What the crossovers of one scenario show, computed from them (not the paper's claim restated):
 * whether the crossover compute grows with the student, where it does not, and which students
 * have no crossover within the bounds.
 */
export function describeCrossoverTrend(rows: readonly CrossoverRow[], scenario: ScenarioId): { grows: boolean | null; sentence: string } {
  const ordered = rows.filter((r) => r.scenario === scenario).sort((a, b) => a.studentParameters - b.studentParameters);
  if (ordered.length === 0) return { grows: null, sentence: "" };
  const label = ordered[0].label.toLowerCase();
  const crossing = ordered.filter((r): r is CrossoverRow & { budget: number } => r.budget !== null);
  const none = ordered.filter((r) => r.budget === null).map((r) => r.student);
  const at = (r: CrossoverRow & { budget: number }) => `${r.student} at ${formatExponent(r.budget, 2)}`;
  const falls = crossing.slice(1).flatMap((r, i) => (r.budget < crossing[i].budget ? [[crossing[i], r] as const] : []));
  const parts: string[] = [];
  let grows: boolean | null = null;
  if (crossing.length >= 2) {
    grows = falls.length === 0;
    parts.push(grows
      ? `For these students the compute where supervised training catches ${label} grows with the student (${crossing.map(at).join(", ")} FLOPs).`
      : `For these students the compute where supervised training catches ${label} does not grow steadily with the student: ` +
        `${falls.map(([a, b]) => `${at(a)} FLOPs is above ${at(b)}`).join("; ")}.`);
  } else if (crossing.length === 1) {
    parts.push(`Supervised training catches ${label} for ${at(crossing[0])} FLOPs.`);
  }
  if (none.length) parts.push(`${none.join(", ")}: no crossover within the budgets the bounds allow; ${label} stays ahead at every one.`);
  return { grows, sentence: parts.join(" ") };
}

export const FLOPS_TERMS = [
  { key: "studentTraining", label: "Student training" },
  { key: "teacherLogits", label: "Teacher logits" },
  { key: "teacherPretraining", label: "Teacher pretraining" },
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
    const total = row.flops.studentTraining + row.flops.teacherLogits + row.flops.teacherPretraining;
    return FLOPS_TERMS.map(({ key, label }) => ({
      student: row.student, studentParameters: row.studentParameters, budget: row.budget,
      term: label, flops: row.flops[key], share: row.flops[key] / total,
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
  const total = row.flops.studentTraining + row.flops.teacherLogits + row.flops.teacherPretraining;
  const shares = Object.fromEntries(FLOPS_TERMS.map(({ key, label }) => [label, row.flops[key] / total])) as Record<FlopsTerm, number>;
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
