// Uncertainty of a plan (docs/spec.md section 9): every member of a coefficient ensemble is planned on its
// own (each member's own optimum, not the point allocation re-evaluated), and per strategy the
// 90% bands of L_S*, of its difference to supervised training and of the allocation, the share of
// members in which it beats supervised training, and the ensemble verdict (ensemble/verdict.ts).
// Described once as an ensemble question (planQuestion) that every runner runs.

import { band, shareBelow, type Band } from "../ensemble/bands.js";
import type { CoefficientEnsemble, EnsembleMember } from "../ensemble/ensemble.js";
import { memberCounts, type EnsembleInfo, type EnsembleQuestion, type MemberCounts } from "../ensemble/question.js";
import { solveMembers, type SolveOptions } from "../ensemble/runner.js";
import { summaryOverEnsemble, type EnsembleUse } from "../ensemble/summary.js";
import { ensembleVerdict, worstExtrapolation, VERDICT_AGREEMENT, type EnsembleVerdict } from "../ensemble/verdict.js";
import { planValidityFlags, type ValidityDomain } from "../domain/validity.js";
import type { FlopsModel } from "../laws/flops.js";
import { DEFAULT_BOUNDS, resolveSolverContext } from "../allocation/optimizer.js";
import { planAllocations, STRATEGIES, type PlanRow } from "../allocation/plan.js";
import type { StrategyId } from "../allocation/strategy.js";
import { solveStrategyWith } from "../allocation/strategy.js";
import { answerError, unwidened, widenDifferenceBand, widenLossBand, type OutOfDomainWidening, type WidenedBand } from "../domain/bandWidening.js";
import { lowerFirst } from "../export/sentenceCase.js";

export interface UncertaintyInputs {
  studentParameters: number;
  budget: number;
  /** Must include "supervised": every difference and share is taken against it. */
  strategies: readonly StrategyId[];
  flops?: FlopsModel;
  bounds?: readonly [number, number];
  /** Absent or null: bands are the members' spread only, wherever the answer lies. */
  outOfDomain?: OutOfDomainWidening | null;
}

/**
 * One member's optimum for one strategy; null where the budget is infeasible for the strategy. A
 * solve that fails with that member's coefficients (an error other than infeasibility) gives a
 * NaN loss and the error in `failure`: counted apart, never dropped silently nor fatal to the rest.
 */
export interface MemberStrategyOutcome {
  failure?: string;
  studentLoss: number;
  studentTokens: number;
  teacherParameters: number | null;
  teacherTokens: number | null;
}

/** One member's optima, in the order of `inputs.strategies`. */
export type MemberOutcome = (MemberStrategyOutcome | null)[];

export interface MemberSolveStats {
  outcome: MemberOutcome;
  evaluations: number;
}

/** Plans every strategy with one member's coefficients. */
export function solveMember(inputs: UncertaintyInputs, member: EnsembleMember): MemberSolveStats {
  const context = resolveSolverContext({ coefficients: member, flops: inputs.flops, bounds: inputs.bounds ?? DEFAULT_BOUNDS });
  let evaluations = 0;
  const outcome = inputs.strategies.map((strategy): MemberStrategyOutcome | null => {
    let result: ReturnType<typeof solveStrategyWith>;
    try {
      result = solveStrategyWith(context, inputs.studentParameters, inputs.budget, strategy);
    } catch (error) {
      return { failure: (error as Error).message, studentLoss: NaN, studentTokens: NaN, teacherParameters: null, teacherTokens: null };
    }
    if (result.status !== "optimal") return null;
    evaluations += result.evaluations;
    return {
      studentLoss: result.studentLoss,
      studentTokens: result.studentTokens,
      teacherParameters: result.teacherParameters,
      teacherTokens: result.teacherTokens,
    };
  });
  return { outcome, evaluations };
}

export interface StrategyUncertainty extends MemberCounts {
  strategy: StrategyId;
  label: string;
  /** The point fit's L_S* (null when infeasible). */
  pointStudentLoss: number | null;
  pointDifferenceToSupervised: number | null;
  /**
   * Bands over the members in which the strategy is feasible (null: in none); beyond the domain
   * widened by the measured out-of-domain error at the point answer's factors (`widened`).
   */
  studentLoss: WidenedBand | null;
  differenceToSupervised: WidenedBand | null;
  studentTokens: Band | null;
  /** Null for supervised training (no teacher). */
  teacherParameters: Band | null;
  teacherTokens: Band | null;
  /** Share of all members in which L_S* is strictly below supervised training's (infeasible: not below). Null for supervised. */
  shareBeatingSupervised: number | null;
}

export type UncertaintyVerdict = EnsembleVerdict;

export interface PlanUncertainty extends EnsembleUse {
  studentParameters: number;
  budget: number;
  level: number;
  strategies: StrategyUncertainty[];
  verdict: UncertaintyVerdict;
  evaluations: number;
}

const labelOf = (id: StrategyId) => STRATEGIES.find((s) => s.id === id)!.label;

/** A strategy as the verdict sentence names it: "supervised", "teacher inference". */
function sentenceName(id: StrategyId): string {
  return id === "supervised" ? "supervised training" : lowerFirst(labelOf(id));
}

/** What the planner's verdict knows beyond the members: where the point fit's rows lie, and a borrowed law. */
export interface PlanVerdictContext {
  pointRows?: readonly PlanRow[];
  domain?: ValidityDomain | null;
  /** The source of a borrowed distillation law ("Table 6"). */
  borrowedDistillation?: string | null;
}

/**
 * Which strategy is best in each member, among supervised training and the scenarios you pay for
 * (the best case is a bound, not a plan, as in the point summary). Ties go to supervised training.
 */
export function uncertaintyVerdict(
  strategies: readonly StrategyId[],
  outcomes: readonly MemberOutcome[],
  agreement = VERDICT_AGREEMENT,
  { pointRows = [], domain = null, borrowedDistillation = null }: PlanVerdictContext = {},
): UncertaintyVerdict {
  const supervisedIndex = strategies.indexOf("supervised");
  if (supervisedIndex < 0) throw new RangeError("uncertaintyVerdict: the strategies must include supervised");
  const compared = [supervisedIndex, ...strategies.map((id, i) => ({ id, i })).filter(({ id }) => id !== "best-case" && id !== "supervised").map(({ i }) => i)];
  const rows = compared.map((i) => {
    const id = strategies[i];
    const point = pointRows.find((r) => r.strategy === id);
    return {
      id, label: labelOf(id), name: sentenceName(id),
      extrapolation: point ? worstExtrapolation(planValidityFlags(point, domain)) : null,
      borrowedLaw: id === "supervised" ? null : borrowedDistillation,
    };
  });
  const values = compared.map((i) => outcomes.map((o) => o[i]?.studentLoss ?? NaN));
  return ensembleVerdict(rows, values, {
    best: (name) => `${name} wins`,
    needs: "a winner needs",
    none: "No member of the ensemble has a feasible allocation for this budget.",
  }, { agreement });
}

/**
 * Bands, shares and the verdict from the members' outcomes. `pointRows` are the point fit's plan
 * rows (planAllocations with the same inputs) for the point values.
 */
export function summariseUncertainty(
  inputs: UncertaintyInputs,
  pointRows: readonly PlanRow[],
  outcomes: readonly MemberOutcome[],
  ensemble: EnsembleInfo,
  { level = 0.9, evaluations = 0, domain = null }: { level?: number; evaluations?: number; domain?: ValidityDomain | null } = {},
): PlanUncertainty {
  const { strategies } = inputs;
  const supervisedIndex = strategies.indexOf("supervised");
  if (supervisedIndex < 0) throw new RangeError("summariseUncertainty: the strategies must include supervised");
  const supervisedLosses = outcomes.map((o) => o[supervisedIndex]?.studentLoss ?? NaN);
  const column = (i: number, pick: (o: MemberStrategyOutcome) => number | null) =>
    outcomes.map((o) => (o[i] ? pick(o[i]!) ?? NaN : NaN));
  const widen = rowWidening(inputs.outOfDomain ?? null);
  const supervisedWidening = widen(pointRows.find((r) => r.strategy === "supervised") ?? null);
  const rows = strategies.map((strategy, i): StrategyUncertainty => {
    const point = pointRows.find((r) => r.strategy === strategy) ?? null;
    const losses = column(i, (o) => o.studentLoss);
    const differences = losses.map((loss, b) => loss - supervisedLosses[b]);
    const widening = widen(point);
    const lossBand = band(losses, level);
    const differenceBand = band(differences, level);
    const hasTeacher = strategy !== "supervised";
    return {
      strategy,
      // The point row's label: under a borrowed law it says whose distillation law the row uses.
      label: point?.label ?? labelOf(strategy),
      pointStudentLoss: point?.studentLoss ?? null,
      pointDifferenceToSupervised: point?.differenceToSupervised ?? null,
      studentLoss: lossBand && widening(lossBand),
      // Both rows' forms may be wrong: the difference widens by the two errors added.
      differenceToSupervised: differenceBand && (strategy === "supervised"
        ? unwidened(differenceBand)
        : widenDifferenceBand(differenceBand, [lossBand && widening(lossBand), lossBand && supervisedWidening(lossBand)])),
      studentTokens: band(column(i, (o) => o.studentTokens), level),
      teacherParameters: hasTeacher ? band(column(i, (o) => o.teacherParameters), level) : null,
      teacherTokens: hasTeacher ? band(column(i, (o) => o.teacherTokens), level) : null,
      // An infeasible member (NaN) is never below: NaN < x is false.
      shareBeatingSupervised: hasTeacher && outcomes.length > 0 ? shareBelow(losses, supervisedLosses) : null,
      ...memberCounts(outcomes.map((o) => o[i])),
    };
  });
  return {
    studentParameters: inputs.studentParameters,
    budget: inputs.budget,
    ...summaryOverEnsemble(level, rows, uncertaintyVerdict(strategies, outcomes, VERDICT_AGREEMENT, { pointRows, domain, borrowedDistillation: ensemble.borrowedLaws?.distillation ?? null }), ensemble, outcomes.length),
    evaluations,
  };
}

/** The planner's question: prepared with the point fit's plan rows. */
export const planQuestion: EnsembleQuestion<UncertaintyInputs, { pointRows: PlanRow[] }, MemberSolveStats, PlanUncertainty> = {
  name: "plan",
  prepare: (input, context) => ({
    pointRows: planAllocations({ studentParameters: input.studentParameters, budget: input.budget, coefficients: context.point, flops: input.flops, bounds: input.bounds }, input.strategies),
  }),
  solveMember: (member, input) => solveMember(input, member),
  summarise: (solved, input, { pointRows }, context) => summariseUncertainty(input, pointRows, solved.map((s) => s.outcome), context.ensemble, {
    evaluations: solved.reduce((n, s) => n + s.evaluations, 0), domain: context.domain,
  }),
};

/** A function per point row widening a loss band by the error at that row's answer (identity without a growth or a row). */
function rowWidening(outOfDomain: OutOfDomainWidening | null) {
  return (row: PlanRow | null) => (b: Band): WidenedBand => {
    if (!row || row.studentTokens === null) return unwidened(b);
    return widenLossBand(b, answerError({ studentParameters: row.studentParameters, studentTokens: row.studentTokens, teacherLoss: row.teacherLoss }, outOfDomain));
  };
}

/** Plans every member of the ensemble and summarises: the whole computation in one call (CLI, tests). */
export function planUncertainty(
  inputs: UncertaintyInputs,
  pointRows: readonly PlanRow[],
  ensemble: CoefficientEnsemble,
  options: { level?: number; domain?: ValidityDomain | null } & Pick<SolveOptions, "onProgress"> = {},
): PlanUncertainty {
  const solved = solveMembers(planQuestion, inputs, { pointRows: [...pointRows] }, ensemble.members, undefined, { onProgress: options.onProgress })!;
  return summariseUncertainty(inputs, pointRows, solved.map((s) => s.outcome), ensemble, {
    level: options.level, evaluations: solved.reduce((n, s) => n + s.evaluations, 0), domain: options.domain,
  });
}
