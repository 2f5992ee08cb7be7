// Uncertainty of a plan (docs/spec.md section 9): every member of a coefficient ensemble is planned on its
// own (each member's own optimum, not the point allocation re-evaluated), and per strategy the
// 90% bands of L_S*, of its difference to supervised training and of the allocation, the share of
// members in which it beats supervised training, and a verdict that names a winner only when at
// least 90% of the members agree on it.
//
// Split in two steps so that a Web Worker can solve members in chunks (progress, cancellation)
// and the CLI in one go, and both summarise the same outcomes the same way.

import { band, shareBelow, type Band } from "../ensemble/bands.js";
import type { CoefficientEnsemble, EnsembleMember } from "../ensemble/ensemble.js";
import type { FlopsModel } from "../laws/flops.js";
import { DEFAULT_BOUNDS } from "../allocation/optimizer.js";
import { STRATEGIES, type PlanRow } from "../allocation/plan.js";
import type { StrategyId } from "../allocation/strategy.js";
import { solveStrategy } from "../allocation/strategy.js";
import { answerFactors, growthFor, widenBand, type OutOfDomainGrowth, type WidenedBand } from "../domain/outOfDomain.js";
import type { ValidityDomain } from "../domain/validity.js";

/** A set's domain and measured out-of-domain growth: bands of answers beyond the domain widen by it. */
export interface OutOfDomainWidening {
  domain: ValidityDomain;
  growth: OutOfDomainGrowth;
}

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
  const options = { coefficients: member, flops: inputs.flops, bounds: inputs.bounds ?? DEFAULT_BOUNDS };
  let evaluations = 0;
  const outcome = inputs.strategies.map((strategy): MemberStrategyOutcome | null => {
    let result: ReturnType<typeof solveStrategy>;
    try {
      result = solveStrategy(inputs.studentParameters, inputs.budget, strategy, options);
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

export interface StrategyUncertainty {
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
  /** Members with an optimum for this strategy, those where its budget is infeasible, and those whose solve failed. */
  members: number;
  infeasible: number;
  failed: number;
  /** The first failure's message, if any. */
  failure: string | null;
}

export interface VerdictShare {
  strategy: StrategyId;
  label: string;
  /** Share of members in which this strategy has the lowest L_S* of supervised and the paid scenarios. */
  share: number;
}

export interface UncertaintyVerdict {
  /** "winner" when one strategy is best in at least `agreement` of the members. */
  kind: "winner" | "too-close" | "none";
  winner: StrategyId | null;
  /** Every strategy best in at least one member, largest share first. */
  shares: VerdictShare[];
  /** The agreement required (0.9). */
  agreement: number;
  sentence: string;
}

/** What a summary over an ensemble says of it (describeEnsembleUse reads it). */
export interface EnsembleUse {
  /** Members solved, members the ensemble left out when it was built, resamples attempted. */
  members: number;
  leftOut: number;
  requested: number;
  ensembleKind: CoefficientEnsemble["kind"];
  ensembleDescription: string;
}

export function ensembleUse(ensemble: Pick<CoefficientEnsemble, "kind" | "description" | "leftOut" | "requested">, members: number): EnsembleUse {
  return { members, leftOut: ensemble.leftOut, requested: ensemble.requested, ensembleKind: ensemble.kind, ensembleDescription: ensemble.description };
}

export interface PlanUncertainty extends EnsembleUse {
  studentParameters: number;
  budget: number;
  level: number;
  strategies: StrategyUncertainty[];
  verdict: UncertaintyVerdict;
  evaluations: number;
}

/** Best in this share of members or more: the verdict names a winner. */
export const VERDICT_AGREEMENT = 0.9;

const labelOf = (id: StrategyId) => STRATEGIES.find((s) => s.id === id)!.label;

/** A share as a percentage that never rounds to 0% or 100% unless it is exactly that. */
export function formatShare(share: number): string {
  const p = 100 * share;
  // 99.6% must not read "100%" unless every member agrees, nor 0.4% read "0%".
  if (p > 99 && p < 100) return `${p.toFixed(1)}%`;
  if (p > 0 && p < 1) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

/** A strategy as the verdict sentence names it: "supervised", "teacher inference". */
function sentenceName(id: StrategyId): string {
  return id === "supervised" ? "supervised training" : labelOf(id).toLowerCase();
}

/**
 * Which strategy is best in each member, among supervised training and the scenarios you pay for
 * (the best case is a bound, not a plan, as in the point summary). Ties go to supervised training.
 */
export function uncertaintyVerdict(
  strategies: readonly StrategyId[],
  outcomes: readonly MemberOutcome[],
  agreement = VERDICT_AGREEMENT,
): UncertaintyVerdict {
  const supervisedIndex = strategies.indexOf("supervised");
  if (supervisedIndex < 0) throw new RangeError("uncertaintyVerdict: the strategies must include supervised");
  const candidates = strategies.map((id, i) => ({ id, i })).filter(({ id }) => id !== "best-case");
  const counts = new Map<StrategyId, number>();
  for (const outcome of outcomes) {
    let best: { id: StrategyId; loss: number } | null = null;
    const supervised = outcome[supervisedIndex];
    if (supervised && Number.isFinite(supervised.studentLoss)) best = { id: "supervised", loss: supervised.studentLoss };
    for (const { id, i } of candidates) {
      const o = outcome[i];
      if (id === "supervised" || !o || !Number.isFinite(o.studentLoss)) continue;
      if (best === null || o.studentLoss < best.loss) best = { id, loss: o.studentLoss };
    }
    if (best) counts.set(best.id, (counts.get(best.id) ?? 0) + 1);
  }
  const total = outcomes.length;
  const shares = [...counts].map(([strategy, n]) => ({ strategy, label: labelOf(strategy), share: n / total }))
    .sort((a, b) => b.share - a.share || strategies.indexOf(a.strategy) - strategies.indexOf(b.strategy));
  if (total === 0 || shares.length === 0) {
    return { kind: "none", winner: null, shares, agreement, sentence: "No member of the ensemble has a feasible allocation for this budget." };
  }
  const top = shares[0];
  const rest = shares.slice(1).map((s) => `${sentenceName(s.strategy)} in ${formatShare(s.share)}`);
  const name = sentenceName(top.strategy);
  if (top.share >= agreement) {
    return {
      kind: "winner", winner: top.strategy, shares, agreement,
      sentence: `${name[0].toUpperCase()}${name.slice(1)} wins in ${formatShare(top.share)} of the ${total} coefficient samples` +
        `${rest.length ? ` (${rest.join(", ")})` : ""}.`,
    };
  }
  return {
    kind: "too-close", winner: null, shares, agreement,
    sentence: `Too close to call for these coefficients: ${[`${name} wins in ${formatShare(top.share)} of the ${total} samples`, ...rest].join(", ")}` +
      ` (a winner needs ${formatShare(agreement)} of them).`,
  };
}

/**
 * Bands, shares and the verdict from the members' outcomes. `pointRows` are the point fit's plan
 * rows (planAllocations with the same inputs) for the point values.
 */
export function summariseUncertainty(
  inputs: UncertaintyInputs,
  pointRows: readonly PlanRow[],
  outcomes: readonly MemberOutcome[],
  ensemble: Pick<CoefficientEnsemble, "kind" | "description" | "leftOut" | "requested">,
  { level = 0.9, evaluations = 0 }: { level?: number; evaluations?: number } = {},
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
    const members = losses.filter((x) => Number.isFinite(x)).length;
    const failures = outcomes.map((o) => o[i]?.failure).filter((f): f is string => f !== undefined);
    return {
      strategy,
      label: labelOf(strategy),
      pointStudentLoss: point?.studentLoss ?? null,
      pointDifferenceToSupervised: point?.differenceToSupervised ?? null,
      studentLoss: lossBand && widening(lossBand),
      // Both rows' forms may be wrong: the difference widens by the two errors added.
      differenceToSupervised: differenceBand && (strategy === "supervised"
        ? unwidened(differenceBand)
        : addWidening(differenceBand, lossBand && widening(lossBand), lossBand && supervisedWidening(lossBand))),
      studentTokens: band(column(i, (o) => o.studentTokens), level),
      teacherParameters: hasTeacher ? band(column(i, (o) => o.teacherParameters), level) : null,
      teacherTokens: hasTeacher ? band(column(i, (o) => o.teacherTokens), level) : null,
      // An infeasible member (NaN) is never below: NaN < x is false.
      shareBeatingSupervised: hasTeacher && outcomes.length > 0 ? shareBelow(losses, supervisedLosses) : null,
      members,
      infeasible: outcomes.filter((o) => o[i] === null).length,
      failed: failures.length,
      failure: failures[0] ?? null,
    };
  });
  return {
    studentParameters: inputs.studentParameters,
    budget: inputs.budget,
    level,
    strategies: rows,
    verdict: uncertaintyVerdict(strategies, outcomes),
    ...ensembleUse(ensemble, outcomes.length),
    evaluations,
  };
}

function unwidened(b: Band): WidenedBand {
  return { ...b, widened: false, outOfDomainError: 0, extrapolationFactor: 1 };
}

/** A function per point row widening a loss band at that row's factors (identity without a growth or a row). */
function rowWidening(outOfDomain: OutOfDomainWidening | null) {
  return (row: PlanRow | null) => (b: Band): WidenedBand => {
    if (!outOfDomain || !row || row.studentTokens === null) return unwidened(b);
    const point = { studentParameters: row.studentParameters, studentTokens: row.studentTokens, teacherLoss: row.teacherLoss };
    return widenBand(b, answerFactors(point, outOfDomain.domain), growthFor(outOfDomain.growth, row.teacherLoss !== null));
  };
}

/** A difference band widened by the errors of its two losses. */
function addWidening(b: Band, row: WidenedBand | null, supervised: WidenedBand | null): WidenedBand {
  const error = (row?.outOfDomainError ?? 0) + (supervised?.outOfDomainError ?? 0);
  const extrapolationFactor = Math.max(row?.extrapolationFactor ?? 1, supervised?.extrapolationFactor ?? 1);
  if (!(error > 0)) return { ...unwidened(b), extrapolationFactor };
  return { ...b, low: b.low - error, high: b.high + error, widened: true, outOfDomainError: error, extrapolationFactor };
}

/** Plans every member of the ensemble and summarises: the whole computation in one call (CLI, tests). */
export function planUncertainty(
  inputs: UncertaintyInputs,
  pointRows: readonly PlanRow[],
  ensemble: CoefficientEnsemble,
  options: { level?: number; onProgress?: (done: number, total: number) => void } = {},
): PlanUncertainty {
  const outcomes: MemberOutcome[] = [];
  let evaluations = 0;
  ensemble.members.forEach((member, b) => {
    const solved = solveMember(inputs, member);
    outcomes.push(solved.outcome);
    evaluations += solved.evaluations;
    options.onProgress?.(b + 1, ensemble.members.length);
  });
  return summariseUncertainty(inputs, pointRows, outcomes, ensemble, { level: options.level, evaluations });
}

/** What the ensemble is, in one line: shown wherever bands are. */
export function describeEnsembleUse(u: Omit<EnsembleUse, "ensembleDescription"> & { level: number }): string {
  const kind = u.ensembleKind === "parametric-bootstrap" ? "parametric-bootstrap samples (simulated runs refitted)" : "bootstrap refits";
  return `${Math.round(100 * u.level)}% bands over ${u.members} ${kind}; ${u.leftOut} of ${u.requested} left out as unusable.`;
}
