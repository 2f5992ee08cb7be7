// The five ensemble questions as the browser worker pool runs them: each described once by how one
// member is solved (after an optional per-request preparation every worker does for itself) and how
// the members' results, in member order, are summarised on the page's thread. Pure: the pool's
// workers and the Node tests import the same descriptions.

import type { CoefficientEnsemble, EnsembleMember } from "../core/ensemble/ensemble.js";
import type { PlanRow } from "../core/allocation/plan.js";
import type { LawCoefficients } from "../core/allocation/optimizer.js";
import type { LifetimeAnswer } from "../core/questions/lifetime.js";
import type { CurveGrid } from "../core/uncertainty/curveBands.js";
import { efficiencyBands, efficiencyMember, type EfficiencyGrid } from "../core/uncertainty/efficiencyBands.js";
import { figure8Bands, figure8Member, figure8Point } from "../core/uncertainty/figure8Bands.js";
import { solveLifetimeMember, summariseLifetimeUncertainty, type LifetimeUncertaintyInputs } from "../core/uncertainty/lifetimeUncertainty.js";
import { solveMember, summariseUncertainty, type UncertaintyInputs } from "../core/uncertainty/planUncertainty.js";
import { solveTargetMember, summariseTargetUncertainty, type TargetUncertaintyInputs } from "../core/uncertainty/targetLossUncertainty.js";

type EnsembleSummaryContext = Pick<CoefficientEnsemble, "kind" | "description" | "leftOut" | "requested">;

/**
 * `Input` travels to the workers by structured clone, so it must be plain data; `Prepared` is
 * computed by each worker from the input (the same on every worker) and travels back once.
 */
export interface EnsembleQuestion<Input, Prepared, Member, Summary> {
  prepare(input: Input): Prepared;
  solveMember(input: Input, member: EnsembleMember, prepared: Prepared): Member;
  summarise(input: Input, members: Member[], ensemble: EnsembleSummaryContext, prepared: Prepared): Summary;
}

const question = <Input, Prepared, Member, Summary>(q: EnsembleQuestion<Input, Prepared, Member, Summary>) => q;
const nothing = () => null;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** One plan: its point rows give the bands' point values. */
export interface PlanQuestionInput {
  inputs: UncertaintyInputs;
  pointRows: PlanRow[];
}

const planOne = (input: PlanQuestionInput, members: ReturnType<typeof solveMember>[], ensemble: EnsembleSummaryContext) =>
  summariseUncertainty(input.inputs, input.pointRows, members.map((m) => m.outcome), ensemble, { evaluations: sum(members.map((m) => m.evaluations)) });

export const ENSEMBLE_QUESTIONS = {
  /** The planner's bands for one student and budget. */
  plan: question({
    prepare: nothing,
    solveMember: (input: PlanQuestionInput, member) => solveMember(input.inputs, member),
    summarise: (input, members, ensemble) => planOne(input, members, ensemble),
  }),
  /** The planner's sweep: every combination for each member, so that one request covers the chart. */
  planSweep: question({
    prepare: nothing,
    solveMember: (input: { plans: PlanQuestionInput[] }, member) => input.plans.map((plan) => solveMember(plan.inputs, member)),
    summarise: (input, members, ensemble) => input.plans.map((plan, k) => planOne(plan, members.map((m) => m[k]), ensemble)),
  }),
  /** The target-loss page's own student and target. */
  targetLoss: question({
    prepare: nothing,
    solveMember: (input: TargetUncertaintyInputs, member) => solveTargetMember(input, member),
    summarise: (input, members, ensemble) => summariseTargetUncertainty(input, members, ensemble),
  }),
  /** Figures 33/34: every cell of the grid. */
  efficiency: question({
    prepare: nothing,
    solveMember: (grid: EfficiencyGrid, member) => efficiencyMember(member, grid),
    summarise: (grid, members, ensemble) => efficiencyBands(grid, members, ensemble),
  }),
  /** The lifetime question, each member's search warm-started at the point answer. */
  lifetime: question({
    prepare: nothing,
    solveMember: (input: { inputs: LifetimeUncertaintyInputs; point: LifetimeAnswer[] }, member) => solveLifetimeMember(input.inputs, input.point, member),
    summarise: (input, members, ensemble) => summariseLifetimeUncertainty(input.inputs, input.point, members.map((m) => m.outcome), ensemble, {
      evaluations: sum(members.map((m) => m.evaluations)), widened: sum(members.map((m) => m.widened)),
    }),
  }),
  /** Figure 8's curves and crossovers, each member searched from the point fit's solutions. */
  figure8: question({
    prepare: (input: { coefficients: LawCoefficients; grid: CurveGrid }) => figure8Point(input.coefficients, input.grid),
    solveMember: (input, member, point) => figure8Member(member, input.grid, point),
    summarise: (input, members, ensemble, point) => figure8Bands(input.grid, point, members, ensemble),
  }),
};

export type EnsembleQuestions = typeof ENSEMBLE_QUESTIONS;
export type QuestionName = keyof EnsembleQuestions;
export type QuestionInput<Q extends QuestionName> = Parameters<EnsembleQuestions[Q]["solveMember"]>[0];
export type QuestionMember<Q extends QuestionName> = ReturnType<EnsembleQuestions[Q]["solveMember"]>;
export type QuestionPrepared<Q extends QuestionName> = ReturnType<EnsembleQuestions[Q]["prepare"]>;
export type QuestionSummary<Q extends QuestionName> = ReturnType<EnsembleQuestions[Q]["summarise"]>;

/** A question looked up by name, typed loosely: the pool handles every question alike. */
export function ensembleQuestion(name: string): EnsembleQuestion<unknown, unknown, unknown, unknown> {
  if (!Object.hasOwn(ENSEMBLE_QUESTIONS, name)) throw new RangeError(`no ensemble question named "${name}" (known: ${Object.keys(ENSEMBLE_QUESTIONS).join(", ")})`);
  return ENSEMBLE_QUESTIONS[name as QuestionName] as unknown as EnsembleQuestion<unknown, unknown, unknown, unknown>;
}
