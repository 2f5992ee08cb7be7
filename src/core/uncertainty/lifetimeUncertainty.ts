// Uncertainty of a lifetime answer (docs/spec.md section 9): every member of a coefficient ensemble
// answers the lifetime question on its own (each strategy's own best student size, not the point
// optimum re-evaluated), and per strategy the 90% bands of N_S*, of D_S/N_S, of the lifetime
// FLOPs (target-loss question) or the loss (budget question), of the paired comparison with
// supervised training in the same member, the share of members in which the strategy beats
// supervised training, and a verdict that names a winner only when at least 90% of the members
// agree on it. Beyond the validity domain the lifetime FLOPs, loss and comparison bands widen by the
// set's measured out-of-domain error (domain/bandWidening.ts).
//
// Described once as an ensemble question (lifetimeQuestion) that every runner runs. Each member's student-size
// search starts in a window around the point fit's optimum (LifetimeOptions.studentNear), which
// the tests check against the full search on every member of Table 6's ensemble.

import { band, bandColumns, type Band } from "../ensemble/bands.js";
import type { CoefficientEnsemble, EnsembleMember } from "../ensemble/ensemble.js";
import { memberCounts, type EnsembleInfo, type EnsembleQuestion, type MemberCounts, type PointAnswers } from "../ensemble/question.js";
import { solveMembers } from "../ensemble/runner.js";
import { describeEnsembleUse, summaryOverEnsemble, memberCountColumns, verdictColumns, type EnsembleUse } from "../ensemble/summary.js";
import { ensembleVerdict, worstExtrapolation, VERDICT_AGREEMENT, type EnsembleVerdict } from "../ensemble/verdict.js";
import { plannedPointFlags, type ValidityDomain } from "../domain/validity.js";
import type { FlopsModel } from "../laws/flops.js";
import { lifetimeAnswer, lifetimeAnswerWith, type LifetimeAnswer, type LifetimeQuestion, type LifetimeStrategy } from "../questions/lifetime.js";
import { DEFAULT_BOUNDS, resolveSolverContext, type LawCoefficients } from "../allocation/optimizer.js";
import { strategyWeights } from "../allocation/strategy.js";
import {
  answerError, bracketingTargets, NO_ANSWER_ERROR, widenDifferenceBand, widenLossBand, widenRatioBand, widenTargetBand, widenedBandColumns,
  type OutOfDomainWidening, type TargetBracket, type WidenedBand,
} from "../domain/bandWidening.js";
import { lowerFirst } from "../export/sentenceCase.js";

export interface LifetimeUncertaintyInputs {
  question: LifetimeQuestion;
  servedTokens: number;
  /** Must include the strategy with id "supervised": every comparison is taken against it. */
  strategies: readonly LifetimeStrategy[];
  flops?: FlopsModel;
  bounds?: readonly [number, number];
  /** The lifetime search's tokens-per-parameter floor (LifetimeOptions.minStudentTokensPerParameter). */
  minStudentTokensPerParameter?: number;
  /** Absent or null: bands are the members' spread only, wherever the answer lies. */
  outOfDomain?: OutOfDomainWidening | null;
}

/**
 * One member's optimum for one strategy; null where no student size reaches the question (the
 * target below what the member's laws allow). A solve that throws gives NaNs and its message in
 * `failure`: counted apart, never dropped silently nor fatal to the rest.
 */
export interface LifetimeMemberStrategy {
  failure?: string;
  studentParameters: number;
  tokensPerParameter: number;
  lifetimeFlops: number;
  studentLoss: number;
}

/** One member's optima, in the order of `inputs.strategies`. */
export type LifetimeMemberOutcome = (LifetimeMemberStrategy | null)[];

export interface LifetimeMemberSolve {
  outcome: LifetimeMemberOutcome;
  evaluations: number;
  /** Strategies whose optimum lay outside the warm start's window (searched again over the whole range). */
  widened: number;
}

const isSupervised = (s: LifetimeStrategy) => s.strategy === "supervised";

function supervisedIndex(strategies: readonly LifetimeStrategy[]): number {
  const i = strategies.findIndex(isSupervised);
  if (i < 0) throw new RangeError("lifetime uncertainty: the strategies must include supervised training");
  return i;
}

/** Answers the question with one member's coefficients, each strategy's search starting at the point fit's optimum. */
export function solveLifetimeMember(
  inputs: LifetimeUncertaintyInputs,
  point: readonly LifetimeAnswer[],
  member: EnsembleMember,
): LifetimeMemberSolve {
  const studentParameters: Record<string, number> = {};
  for (const r of point) if (r.status === "optimal") studentParameters[r.id] = r.studentParameters;
  const context = resolveSolverContext({ coefficients: member, flops: inputs.flops, bounds: inputs.bounds ?? DEFAULT_BOUNDS });
  const search = { minStudentTokensPerParameter: inputs.minStudentTokensPerParameter, studentNear: { studentParameters } };
  // A member whose irreducible loss is at or above the target reaches it with no strategy.
  if ("targetLoss" in inputs.question && !(inputs.question.targetLoss > member.supervised.E)) {
    return { outcome: inputs.strategies.map(() => null), evaluations: 0, widened: 0 };
  }
  let evaluations = 0, widened = 0;
  const outcome = inputs.strategies.map((strategy): LifetimeMemberStrategy | null => {
    let r: LifetimeAnswer;
    try {
      [r] = lifetimeAnswerWith(context, inputs.question, inputs.servedTokens, [strategy], search);
    } catch (error) {
      return { failure: (error as Error).message, studentParameters: NaN, tokensPerParameter: NaN, lifetimeFlops: NaN, studentLoss: NaN };
    }
    if (r.status !== "optimal") return null;
    evaluations += r.evaluations;
    if (r.studentWindow === "left") widened++;
    return {
      studentParameters: r.studentParameters, tokensPerParameter: r.tokensPerParameter,
      lifetimeFlops: r.lifetime.total, studentLoss: r.studentLoss,
    };
  });
  return { outcome, evaluations, widened };
}

// ---------------------------------------------------------------------------------------------
// Which strategies the verdict compares.

export interface VerdictExclusion {
  id: string;
  /** The strategy that never does worse: same teacher, no greater share of either teacher cost. */
  dominatedBy: string;
}

/**
 * Supervised training, the strategies that use an existing teacher, and, among those that pay to
 * pretrain a new teacher, only those no other one dominates. A teacher shared by k students pays
 * 1/k of the pretraining (and the logits in full or 1/k) of a new teacher for this student alone:
 * with the same allocation it never costs more, so in every member it is at least as good, and
 * comparing both would only split the new teacher's wins. An existing teacher (no pretraining
 * paid) is a different situation, not a cheaper variant, and stays in.
 */
export function verdictCandidates(strategies: readonly LifetimeStrategy[]): { compared: string[]; excluded: VerdictExclusion[] } {
  const weights = strategies.map((s) => (isSupervised(s) ? null : strategyWeights(s.strategy)));
  const excluded: VerdictExclusion[] = [];
  strategies.forEach((s, i) => {
    const w = weights[i];
    if (w === null || w.deltaPretraining === 0) return;
    const by = strategies.findIndex((_, j) => {
      const v = weights[j];
      if (j === i || v === null || v.deltaPretraining === 0) return false;
      const noGreater = v.deltaLogits <= w.deltaLogits && v.deltaPretraining <= w.deltaPretraining;
      const same = v.deltaLogits === w.deltaLogits && v.deltaPretraining === w.deltaPretraining;
      // Equal weights: the first one listed is compared, the later ones are left out.
      return noGreater && (!same || j < i);
    });
    if (by >= 0) excluded.push({ id: s.id, dominatedBy: strategies[by].id });
  });
  return { compared: strategies.filter((s) => !excluded.some((e) => e.id === s.id)).map((s) => s.id), excluded };
}

/** A strategy in a sentence: "supervised training", "existing teacher", "teacher shared by 4 students". */
export function lifetimeSentenceName(strategy: LifetimeStrategy): string {
  if (isSupervised(strategy)) return "supervised training";
  const short = strategy.label.replace(/\s*\(.*$/, "");
  return lowerFirst(short);
}

export interface LifetimeVerdict extends EnsembleVerdict {
  compared: string[];
  excluded: VerdictExclusion[];
}

/** The number each member minimises: lifetime FLOPs for a target loss, L_S for a budget; unreachable is Infinity, failed NaN. */
function objectiveValues(inputs: LifetimeUncertaintyInputs, outcomes: readonly LifetimeMemberOutcome[], i: number): number[] {
  const target = "targetLoss" in inputs.question;
  return outcomes.map((o) => {
    const m = o[i];
    if (m === null) return Infinity;
    return target ? m.lifetimeFlops : m.studentLoss;
  });
}

/** What the lifetime verdict knows beyond the members: the point fit's answers (where its rows lie) and a borrowed law. */
export interface LifetimeVerdictContext {
  point?: readonly LifetimeAnswer[];
  domain?: ValidityDomain | null;
  borrowedDistillation?: string | null;
}

/**
 * In each member, the compared strategy with the least lifetime FLOPs (target loss) or the lowest
 * loss (budget); ties go to supervised training, then to the first listed.
 */
export function lifetimeVerdict(
  inputs: LifetimeUncertaintyInputs,
  outcomes: readonly LifetimeMemberOutcome[],
  agreement = VERDICT_AGREEMENT,
  { point = [], domain = null, borrowedDistillation = null }: LifetimeVerdictContext = {},
): LifetimeVerdict {
  const { strategies } = inputs;
  const sup = supervisedIndex(strategies);
  const { compared, excluded } = verdictCandidates(strategies);
  const order = [sup, ...strategies.map((s, i) => i).filter((i) => i !== sup && compared.includes(strategies[i].id))];
  const name = (id: string) => lifetimeSentenceName(strategies.find((s) => s.id === id)!);
  const rows = order.map((i) => {
    const s = strategies[i];
    const p = point.find((r) => r.id === s.id);
    return {
      id: s.id, label: s.label, name: name(s.id),
      extrapolation: p?.status === "optimal" ? worstExtrapolation(plannedPointFlags(p.allocation, domain)) : null,
      borrowedLaw: i === sup ? null : borrowedDistillation,
    };
  });
  const target = "targetLoss" in inputs.question;
  const list = (names: string[]) => names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  const comparedText = ` Compared: ${list(compared.map(name))}` +
    (excluded.length ? `; left out: ${excluded.map((e) => `${name(e.id)} (never ${target ? "cheaper" : "better"} than ${name(e.dominatedBy)})`).join(", ")}` : "") + ".";
  const what = target ? "the least lifetime FLOPs" : "the lowest loss";
  const verdict = ensembleVerdict(rows, order.map((i) => objectiveValues(inputs, outcomes, i)), {
    best: (n) => `${n} has ${what}`,
    closeLead: (n) => `${what} with ${n}`,
    needs: "a winner needs",
    none: target ? "No member of the ensemble reaches the target loss with any strategy." : "No member of the ensemble has a feasible allocation for this lifetime budget.",
    suffix: comparedText,
  }, { agreement });
  return { ...verdict, compared, excluded };
}

// ---------------------------------------------------------------------------------------------
// Bands.

export interface LifetimeStrategyUncertainty extends MemberCounts {
  id: string;
  label: string;
  /** The point fit's optimum (null: unreachable with the point fit). */
  point: { studentParameters: number; tokensPerParameter: number; lifetimeFlops: number; studentLoss: number; versusSupervised: number | null } | null;
  /** Bands over the members in which the strategy reaches the question (null: in none). */
  studentParameters: Band | null;
  tokensPerParameter: Band | null;
  /**
   * Target-loss question only (a budget fixes the lifetime FLOPs). Beyond the domain widened to the
   * point fit's lifetime FLOPs at the targets bracketing L* (bandWidening.ts).
   */
  lifetimeFlops: WidenedBand | null;
  /** Budget question only (a target fixes the loss). Beyond the domain widened by the loss error at the point answer. */
  studentLoss: WidenedBand | null;
  /**
   * Paired with supervised training in each member: the lifetime FLOPs ratio (target loss) or the
   * loss difference (budget), widened from both rows. Null for supervised training.
   */
  versusSupervised: WidenedBand | null;
  /** Share of all members in which it does strictly better than supervised (reaching what supervised cannot counts). Null for supervised. */
  shareBeatingSupervised: number | null;
}

export interface LifetimeUncertainty extends EnsembleUse {
  question: LifetimeQuestion;
  servedTokens: number;
  /** "ratio": versusSupervised is lifetime FLOPs / supervised's; "difference": L_S - supervised's. */
  comparison: "ratio" | "difference";
  level: number;
  strategies: LifetimeStrategyUncertainty[];
  verdict: LifetimeVerdict;
  evaluations: number;
  /** Member-strategy searches that left the warm start's window. */
  widened: number;
}

/** Bands, shares and the verdict from the members' outcomes; `point` is lifetimeAnswer with the point fit. */
export function summariseLifetimeUncertainty(
  inputs: LifetimeUncertaintyInputs,
  point: readonly LifetimeAnswer[],
  outcomes: readonly LifetimeMemberOutcome[],
  ensemble: EnsembleInfo,
  {
    level = 0.9, evaluations = 0, widened = 0, domain = null, brackets = [],
  }: { level?: number; evaluations?: number; widened?: number; domain?: ValidityDomain | null; brackets?: readonly (LifetimeBracket | null)[] } = {},
): LifetimeUncertainty {
  const { strategies } = inputs;
  const sup = supervisedIndex(strategies);
  const target = "targetLoss" in inputs.question;
  const compare = (x: number, s: number) => (target ? x / s : x - s);
  const supervisedValues = objectiveValues(inputs, outcomes, sup);
  const pointSupervised = point.find((r) => r.id === strategies[sup].id);
  const pointValue = (r: LifetimeAnswer | undefined) => r?.status !== "optimal" ? NaN : target ? r.lifetime.total : r.studentLoss;
  const columnOf = (i: number, pick: (m: LifetimeMemberStrategy) => number) => outcomes.map((o) => (o[i] ? pick(o[i]!) : NaN));
  // A budget's answer is a loss: each row's band widens by the error at its point answer, as the planner's.
  const lossBands = strategies.map((_, i) => {
    const b = target ? null : band(columnOf(i, (m) => m.studentLoss), level);
    return b && widenLossBand(b, brackets[i]?.error ?? NO_ANSWER_ERROR);
  });
  const rows = strategies.map((strategy, i): LifetimeStrategyUncertainty => {
    const column = (pick: (m: LifetimeMemberStrategy) => number) => columnOf(i, pick);
    const values = objectiveValues(inputs, outcomes, i);
    const versus = i === sup ? null : values.map((v, b) => (Number.isFinite(v) && Number.isFinite(supervisedValues[b]) ? compare(v, supervisedValues[b]) : NaN));
    const p = point.find((r) => r.id === strategy.id);
    const pointVersus = i === sup ? null : compare(pointValue(p), pointValue(pointSupervised));
    const own = brackets[i] ?? null;
    const flopsBand = target ? band(column((m) => m.lifetimeFlops), level) : null;
    const versusBand = versus && band(versus, level);
    const widenVersus = (b: Band): WidenedBand => target
      ? widenRatioBand(b, own, brackets[sup] ?? null, (v) => v.lifetimeFlops)
      : widenDifferenceBand(b, [lossBands[i], lossBands[sup]]);
    return {
      id: strategy.id,
      label: strategy.label,
      point: p?.status !== "optimal" ? null : {
        studentParameters: p.studentParameters, tokensPerParameter: p.tokensPerParameter, lifetimeFlops: p.lifetime.total,
        studentLoss: p.studentLoss, versusSupervised: pointVersus !== null && Number.isFinite(pointVersus) ? pointVersus : null,
      },
      studentParameters: band(column((m) => m.studentParameters), level),
      tokensPerParameter: band(column((m) => m.tokensPerParameter), level),
      lifetimeFlops: flopsBand && widenTargetBand(flopsBand, own, (v) => v.lifetimeFlops),
      studentLoss: lossBands[i],
      versusSupervised: versusBand && widenVersus(versusBand),
      // Unreachable is Infinity (beaten by any reaching strategy), failed NaN (beats nothing).
      shareBeatingSupervised: i === sup || outcomes.length === 0 ? null
        : values.filter((v, b) => v < supervisedValues[b]).length / outcomes.length,
      ...memberCounts(outcomes.map((o) => o[i])),
    };
  });
  return {
    question: inputs.question,
    servedTokens: inputs.servedTokens,
    comparison: target ? "ratio" : "difference",
    ...summaryOverEnsemble(level, rows, lifetimeVerdict(inputs, outcomes, VERDICT_AGREEMENT, { point, domain, borrowedDistillation: ensemble.borrowedLaws?.distillation ?? null }), ensemble, outcomes.length),
    evaluations,
    widened,
  };
}

/** What a lifetime band widens over beyond the domain: the lifetime FLOPs of reaching a target. */
export interface LifetimeCost {
  lifetimeFlops: number;
}

/** A strategy's point answer and its error; for a target loss also its answers at the bracketing targets. */
export type LifetimeBracket = TargetBracket<LifetimeCost>;

/**
 * Per strategy (in the order of `inputs.strategies`), the loss error at the point fit's optimum
 * and, for a target loss beyond the domain, the point fit's lifetime optimum at the targets
 * bracketing L* (a budget's answer is a loss: its band widens by the error alone). Null where the
 * point fit has no answer. Inside the domain nothing is solved.
 */
export function lifetimeBrackets(inputs: LifetimeUncertaintyInputs, point: readonly LifetimeAnswer[], coefficients: LawCoefficients): (LifetimeBracket | null)[] {
  const context = resolveSolverContext({ coefficients, flops: inputs.flops, bounds: inputs.bounds ?? DEFAULT_BOUNDS });
  const search = { minStudentTokensPerParameter: inputs.minStudentTokensPerParameter };
  const question = inputs.question;
  const cost = (r: LifetimeAnswer | undefined): LifetimeCost | null => (r?.status === "optimal" ? { lifetimeFlops: r.lifetime.total } : null);
  return inputs.strategies.map((strategy) => {
    const r = point.find((p) => p.id === strategy.id);
    if (r?.status !== "optimal") return null;
    const error = answerError(r.allocation, inputs.outOfDomain);
    const centre = cost(r)!;
    const targetLoss = "targetLoss" in question ? question.targetLoss : r.studentLoss;
    if (!(error.relative > 0) || !("targetLoss" in question)) return { targetLoss, error, centre, easier: centre, harder: centre };
    const { easier, harder } = bracketingTargets(question.targetLoss, error.relative);
    const at = (loss: number) => cost(lifetimeAnswerWith(context, { targetLoss: loss }, inputs.servedTokens, [strategy], search)[0]);
    return { targetLoss, error, centre, easier: at(easier), harder: at(harder) };
  });
}

/** What every member's solve shares: the point fit's answers (each member's search starts there) and their brackets. */
export type LifetimePrepared = PointAnswers<LifetimeAnswer, LifetimeBracket>;

/** The lifetime question: prepared with the point fit's answers. */
export const lifetimeQuestion: EnsembleQuestion<LifetimeUncertaintyInputs, LifetimePrepared, LifetimeMemberSolve, LifetimeUncertainty> = {
  name: "lifetime",
  prepare: (input, context) => {
    const point = lifetimeAnswer(input.question, input.servedTokens, input.strategies, {
      coefficients: context.point, flops: input.flops, bounds: input.bounds ?? DEFAULT_BOUNDS, minStudentTokensPerParameter: input.minStudentTokensPerParameter,
    });
    return { point, brackets: lifetimeBrackets(input, point, context.point) };
  },
  solveMember: (member, input, { point }) => solveLifetimeMember(input, point, member),
  summarise: (solved, input, { point, brackets }, context) => summariseLifetimeUncertainty(input, point, solved.map((s) => s.outcome), context.ensemble, {
    evaluations: solved.reduce((n, s) => n + s.evaluations, 0), widened: solved.reduce((n, s) => n + s.widened, 0), domain: context.domain, brackets,
  }),
};

/**
 * Answers the question with every member and summarises: the whole computation in one call (CLI,
 * tests). With `inputs.outOfDomain`, `coefficients` (the point fit whose answers `point` are)
 * widens the bands beyond the domain.
 */
export function lifetimeUncertainty(
  inputs: LifetimeUncertaintyInputs,
  point: readonly LifetimeAnswer[],
  ensemble: CoefficientEnsemble,
  options: { level?: number; onProgress?: (done: number, total: number) => void; domain?: ValidityDomain | null; coefficients?: LawCoefficients | null } = {},
): LifetimeUncertainty {
  const brackets = options.coefficients ? lifetimeBrackets(inputs, point, options.coefficients) : [];
  const solved = solveMembers(lifetimeQuestion, inputs, { point: [...point], brackets }, ensemble.members, undefined, { onProgress: options.onProgress })!;
  return summariseLifetimeUncertainty(inputs, point, solved.map((s) => s.outcome), ensemble, {
    level: options.level, evaluations: solved.reduce((n, s) => n + s.evaluations, 0), widened: solved.reduce((n, s) => n + s.widened, 0),
    domain: options.domain, brackets,
  });
}

// ---------------------------------------------------------------------------------------------
// Exports: the same columns from the CLI's CSV and the page's downloads.

/** The band columns of one strategy's row. */
export function lifetimeBandRecord(u: LifetimeUncertainty, id: string): Record<string, number | string | boolean | null> {
  const s = u.strategies.find((r) => r.id === id) ?? null;
  const ratio = u.comparison === "ratio";
  const out: Record<string, number | string | boolean | null> = {
    ...bandColumns("N_S", s?.studentParameters),
    ...bandColumns("tokens_per_parameter", s?.tokensPerParameter),
    ...(ratio ? widenedBandColumns("flops_lifetime", s?.lifetimeFlops) : widenedBandColumns("L_S", s?.studentLoss)),
    ...widenedBandColumns(ratio ? "flops_lifetime_ratio_to_supervised" : "L_S_minus_supervised", s?.versusSupervised),
  };
  out.share_beating_supervised = s?.shareBeatingSupervised ?? null;
  Object.assign(out, memberCountColumns(s, u.leftOut));
  out.ensemble = describeEnsembleUse(u);
  Object.assign(out, verdictColumns(u.verdict));
  return out;
}
