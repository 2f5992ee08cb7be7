// Uncertainty of a target-loss answer (docs/spec.md section 9, Appendix D.5): every member of a
// coefficient ensemble is solved on its own (targetLossCompute with the member's coefficients), and
// per strategy the 90% bands of the least compute and of its compute and data ratios against
// supervised training in the same member, the share of members in which it is cheaper than
// supervised training, and a verdict that names the strategy needing the least compute only when
// at least VERDICT_AGREEMENT of the members agree on it. Beyond the validity domain the bands widen
// by the set's measured out-of-domain error (domain/bandWidening.ts: the point fit answers again at
// the targets that bracket L* by that error).
//
// Described once as an ensemble question (targetLossQuestion) that every runner runs.

import { band } from "../ensemble/bands.js";
import type { CoefficientEnsemble, EnsembleMember } from "../ensemble/ensemble.js";
import { memberCounts, type EnsembleInfo, type EnsembleQuestion, type MemberCounts, type PointAnswers } from "../ensemble/question.js";
import { solveMembers } from "../ensemble/runner.js";
import { describeEnsembleUse, summaryOverEnsemble, memberCountColumns, verdictColumns, MEMBER_COUNT_COLUMNS, VERDICT_COLUMNS, type EnsembleUse } from "../ensemble/summary.js";
import { ensembleVerdict, worstExtrapolation, VERDICT_AGREEMENT, type EnsembleVerdict } from "../ensemble/verdict.js";
import type { FlopsModel } from "../laws/flops.js";
import { DEFAULT_BOUNDS, resolveSolverContext, type LawCoefficients } from "../allocation/optimizer.js";
import { strategyWeights, type Strategy } from "../allocation/strategy.js";
import { targetLossComputeWith, type TargetLossResult } from "../questions/targetLoss.js";
import { describeFlags, plannedPointFlags, type ValidityDomain } from "../domain/validity.js";
import {
  answerError, bracketingTargets, unwidened, widenedBandColumnNames, widenedBandColumns, widenRatioBand, widenTargetBand,
  type OutOfDomainWidening, type TargetBracket, type WidenedBand,
} from "../domain/bandWidening.js";
import { lowerFirst } from "../export/sentenceCase.js";

/** A strategy with the name the tables give it (the CLI's rows, the page's rows). */
export interface NamedStrategy {
  id: string;
  label: string;
  strategy: Strategy;
}

export interface TargetUncertaintyInputs {
  studentParameters: number;
  targetLoss: number;
  /** Must include supervised training (strategy "supervised"): every ratio and share is taken against it. */
  strategies: readonly NamedStrategy[];
  flops?: FlopsModel;
  bounds?: readonly [number, number];
  /** Absent or null: bands are the members' spread only, wherever the answer lies. */
  outOfDomain?: OutOfDomainWidening | null;
}

/**
 * One member's answer for one strategy; null where the target is unreachable for it. A solve that
 * throws with that member's coefficients gives NaN and the error in `failure`: counted apart, never
 * dropped silently nor fatal to the rest.
 */
export interface MemberTargetOutcome {
  failure?: string;
  compute: number;
  /** Eq. 34's tokens, D_S + delta_pre D_T. */
  dataTokens: number;
}

/** One member's answers, in the order of `inputs.strategies`. */
export type MemberTargetOutcomes = (MemberTargetOutcome | null)[];

function supervisedIndexOf(strategies: readonly NamedStrategy[], caller: string): number {
  const i = strategies.findIndex((s) => s.strategy === "supervised");
  if (i < 0) throw new RangeError(`${caller}: the strategies must include supervised training`);
  return i;
}

/** Solves every strategy with one member's coefficients. */
export function solveTargetMember(inputs: TargetUncertaintyInputs, member: EnsembleMember): MemberTargetOutcomes {
  const context = resolveSolverContext({ coefficients: member, flops: inputs.flops, bounds: inputs.bounds ?? DEFAULT_BOUNDS });
  return inputs.strategies.map(({ strategy }): MemberTargetOutcome | null => {
    let result: TargetLossResult;
    try {
      result = targetLossComputeWith(context, inputs.studentParameters, inputs.targetLoss, strategy);
    } catch (error) {
      return { failure: (error as Error).message, compute: NaN, dataTokens: NaN };
    }
    return result.status === "optimal" ? { compute: result.compute, dataTokens: result.dataTokens } : null;
  });
}

export interface StrategyTargetUncertainty extends MemberCounts {
  id: string;
  label: string;
  /**
   * Bands over the members in which the strategy (and, for the ratios, supervised training) reaches
   * the target; null: in none. Beyond the domain widened to the point fit's answers at the targets
   * bracketing L* by the measured loss error (`widened`; `unbounded` when the harder one is out of reach).
   */
  compute: WidenedBand | null;
  computeRatio: WidenedBand | null;
  dataRatio: WidenedBand | null;
  /** Share of all members in which it needs strictly less compute than supervised training (unreachable or failed: not less). Null for supervised. */
  shareCheaperThanSupervised: number | null;
}

export type TargetVerdict = EnsembleVerdict;

export interface TargetLossUncertainty extends EnsembleUse {
  studentParameters: number;
  targetLoss: number;
  level: number;
  strategies: StrategyTargetUncertainty[];
  verdict: TargetVerdict;
}

/** The point fit's answer of each strategy: where the verdict's rows lie. */
export interface TargetPointAnswer {
  id: string;
  label: string;
  result: TargetLossResult;
}

/** The best case (no teacher cost) is a bound, not a plan: it never wins a verdict, as in the planner. */
function isBound(s: NamedStrategy): boolean {
  if (s.strategy === "supervised") return false;
  const w = strategyWeights(s.strategy);
  return w.deltaLogits === 0 && w.deltaPretraining === 0;
}

/** A strategy as a sentence names it: "supervised training", "teacher inference". */
function sentenceName(s: NamedStrategy): string {
  if (s.strategy === "supervised") return "supervised training";
  // A named scenario starts lower case inside a sentence; a label of weights keeps its symbols as written.
  return typeof s.strategy === "string" ? lowerFirst(s.label) : s.label;
}

/**
 * Which strategy needs the least compute in each member, among supervised training and the
 * strategies that pay for their teacher. Unreachable and failed never win; ties go to supervised
 * training; a member reached by none counts for none.
 */
export function targetLossVerdict(
  strategies: readonly NamedStrategy[],
  outcomes: readonly MemberTargetOutcomes[],
  agreement = VERDICT_AGREEMENT,
  { points = [], domain = null, borrowedDistillation = null }: { points?: readonly TargetPointAnswer[]; domain?: ValidityDomain | null; borrowedDistillation?: string | null } = {},
): TargetVerdict {
  const supervisedIndex = supervisedIndexOf(strategies, "targetLossVerdict");
  const compared = [supervisedIndex, ...strategies.map((s, i) => ({ s, i })).filter(({ s, i }) => i !== supervisedIndex && !isBound(s)).map(({ i }) => i)];
  const rows = compared.map((i) => {
    const s = strategies[i];
    const point = points.find((p) => p.id === s.id)?.result;
    return {
      id: s.id, label: s.label, name: sentenceName(s),
      extrapolation: point?.status === "optimal" ? worstExtrapolation(plannedPointFlags(point, domain)) : null,
      borrowedLaw: i === supervisedIndex ? null : borrowedDistillation,
    };
  });
  const values = compared.map((i) => outcomes.map((o) => (o[i] === null ? Infinity : o[i]!.compute)));
  return ensembleVerdict(rows, values, {
    best: (name) => `${name} needs the least compute`,
    needs: "a verdict needs",
    none: "No member of the ensemble reaches this target with any strategy within the bounds.",
  }, { agreement });
}

/** Bands, shares and the verdict from the members' outcomes (solveTargetMember, in member order). */
export function summariseTargetUncertainty(
  inputs: TargetUncertaintyInputs,
  outcomes: readonly MemberTargetOutcomes[],
  ensemble: EnsembleInfo,
  level = 0.9,
  { points = [], domain = null, brackets = [] }: { points?: readonly TargetPointAnswer[]; domain?: ValidityDomain | null; brackets?: readonly (TargetCostBracket | null)[] } = {},
): TargetLossUncertainty {
  const { strategies } = inputs;
  const supervisedIndex = supervisedIndexOf(strategies, "summariseTargetUncertainty");
  const column = (i: number, pick: (o: MemberTargetOutcome) => number, unreachable: number) =>
    outcomes.map((o) => (o[i] === null ? unreachable : pick(o[i]!)));
  const supervisedCompute = column(supervisedIndex, (o) => o.compute, NaN);
  const supervisedTokens = column(supervisedIndex, (o) => o.dataTokens, NaN);
  // Unreachable supervised training needs "infinite" compute: a strategy that reaches is cheaper.
  const supervisedForShare = column(supervisedIndex, (o) => o.compute, Infinity);
  const rows = strategies.map(({ id, label }, i): StrategyTargetUncertainty => {
    const compute = column(i, (o) => o.compute, NaN);
    const tokens = column(i, (o) => o.dataTokens, NaN);
    let cheaper = 0;
    // NaN (unreachable, failed) is never below anything.
    for (let b = 0; b < outcomes.length; b++) if (compute[b] < supervisedForShare[b]) cheaper++;
    const own = brackets[i] ?? null, supervised = brackets[supervisedIndex] ?? null;
    // Supervised training's ratios to itself are 1 in every member: nothing to widen.
    const ratioBand = (values: number[], value: (v: TargetCost) => number) => {
      const b = band(values, level);
      return b && (i === supervisedIndex ? unwidened(b) : widenRatioBand(b, own, supervised, value));
    };
    const computeBand = band(compute, level);
    return {
      id, label,
      compute: computeBand && widenTargetBand(computeBand, own, (v) => v.compute),
      computeRatio: ratioBand(compute.map((c, b) => c / supervisedCompute[b]), (v) => v.compute),
      dataRatio: ratioBand(tokens.map((t, b) => t / supervisedTokens[b]), (v) => v.dataTokens),
      shareCheaperThanSupervised: i === supervisedIndex || outcomes.length === 0 ? null : cheaper / outcomes.length,
      ...memberCounts(outcomes.map((o) => o[i])),
    };
  });
  return {
    studentParameters: inputs.studentParameters,
    targetLoss: inputs.targetLoss,
    ...summaryOverEnsemble(level, rows, targetLossVerdict(strategies, outcomes, VERDICT_AGREEMENT, { points, domain, borrowedDistillation: ensemble.borrowedLaws?.distillation ?? null }), ensemble, outcomes.length),
  };
}

/** The point fit's answer of every strategy (the verdict's extrapolation is read at these). */
export function targetPointAnswers(inputs: TargetUncertaintyInputs, point: EnsembleMember): TargetPointAnswer[] {
  const context = resolveSolverContext({ coefficients: point, flops: inputs.flops, bounds: inputs.bounds ?? DEFAULT_BOUNDS });
  return inputs.strategies.map(({ id, label, strategy }) => ({ id, label, result: targetLossComputeWith(context, inputs.studentParameters, inputs.targetLoss, strategy) }));
}

/** What a target's bands widen over: the least compute and Eq. 34's tokens. */
export interface TargetCost {
  compute: number;
  dataTokens: number;
}

export type TargetCostBracket = TargetBracket<TargetCost>;

/**
 * Per strategy (in the order of `inputs.strategies`), the point fit's answer and, beyond the
 * domain, its answers at the targets bracketing L* by the loss error at its allocation; null
 * where the point fit does not reach L*. Inside the domain nothing is solved.
 */
export function targetCostBrackets(inputs: TargetUncertaintyInputs, points: readonly TargetPointAnswer[], point: LawCoefficients): (TargetCostBracket | null)[] {
  const context = resolveSolverContext({ coefficients: point, flops: inputs.flops, bounds: inputs.bounds ?? DEFAULT_BOUNDS });
  const cost = (r: TargetLossResult): TargetCost | null => (r.status === "optimal" ? { compute: r.compute, dataTokens: r.dataTokens } : null);
  return inputs.strategies.map(({ id, strategy }) => {
    const r = points.find((p) => p.id === id)?.result;
    if (r?.status !== "optimal") return null;
    const error = answerError(r, inputs.outOfDomain);
    const centre = cost(r)!;
    if (!(error.relative > 0)) return { targetLoss: inputs.targetLoss, error, centre, easier: centre, harder: centre };
    const { easier, harder } = bracketingTargets(inputs.targetLoss, error.relative);
    return {
      targetLoss: inputs.targetLoss, error, centre,
      easier: cost(targetLossComputeWith(context, inputs.studentParameters, easier, strategy)),
      harder: cost(targetLossComputeWith(context, inputs.studentParameters, harder, strategy)),
    };
  });
}

/** What every member's solve shares: the point fit's answers and their brackets. */
export type TargetPrepared = PointAnswers<TargetPointAnswer, TargetCostBracket>;

/** The target-loss question: prepared with the point fit's answers. */
export const targetLossQuestion: EnsembleQuestion<TargetUncertaintyInputs, TargetPrepared, MemberTargetOutcomes, TargetLossUncertainty> = {
  name: "target-loss",
  prepare: (input, context) => {
    const point = targetPointAnswers(input, context.point);
    return { point, brackets: targetCostBrackets(input, point, context.point) };
  },
  solveMember: (member, input) => solveTargetMember(input, member),
  summarise: (outcomes, input, { point, brackets }, context) => summariseTargetUncertainty(input, outcomes, context.ensemble, 0.9, { points: point, domain: context.domain, brackets }),
};

/**
 * Solves every member of the ensemble and summarises: the whole computation in one call (CLI,
 * tests). With `inputs.outOfDomain`, `point` (the point fit whose answers `points` are) widens the
 * bands beyond the domain.
 */
export function targetLossUncertainty(
  inputs: TargetUncertaintyInputs,
  ensemble: CoefficientEnsemble,
  { level = 0.9, onProgress, points = [], domain = null, point = null }: {
    level?: number; onProgress?: (done: number, total: number) => void; points?: readonly TargetPointAnswer[]; domain?: ValidityDomain | null;
    point?: LawCoefficients | null;
  } = {},
): TargetLossUncertainty {
  const brackets = point ? targetCostBrackets(inputs, points, point) : [];
  const outcomes = solveMembers(targetLossQuestion, inputs, { point: [...points], brackets }, ensemble.members, undefined, { onProgress })!;
  return summariseTargetUncertainty(inputs, outcomes, ensemble, level, { points, domain, brackets });
}

/** Column names of a target-loss export's uncertainty part (the CLI's CSV and the page's download). */
export const TARGET_UNCERTAINTY_COLUMNS = [
  ...(["compute", "compute_ratio", "data_ratio"] as const).flatMap((name) => widenedBandColumnNames(name)),
  "share_cheaper_than_supervised", ...MEMBER_COUNT_COLUMNS, "ensemble", ...VERDICT_COLUMNS,
] as const;

/** The uncertainty columns of one strategy's export row. */
export function targetUncertaintyRecord(u: TargetLossUncertainty, id: string): Record<(typeof TARGET_UNCERTAINTY_COLUMNS)[number], string | number | boolean | null> {
  const s = u.strategies.find((row) => row.id === id) ?? null;
  return {
    ...widenedBandColumns("compute", s?.compute), ...widenedBandColumns("compute_ratio", s?.computeRatio), ...widenedBandColumns("data_ratio", s?.dataRatio),
    share_cheaper_than_supervised: s?.shareCheaperThanSupervised ?? null,
    ...memberCountColumns(s, u.leftOut),
    ensemble: `${describeEnsembleUse(u)} ${u.ensembleDescription}`,
    ...verdictColumns(u.verdict),
  } as Record<(typeof TARGET_UNCERTAINTY_COLUMNS)[number], string | number | boolean | null>;
}
