// Uncertainty of a target-loss answer (docs/spec.md section 9, Appendix D.5): every member of a
// coefficient ensemble is solved on its own (targetLossCompute with the member's coefficients), and
// per strategy the 90% bands of the least compute and of its compute and data ratios against
// supervised training in the same member, the share of members in which it is cheaper than
// supervised training, and a verdict that names the strategy needing the least compute only when
// at least VERDICT_AGREEMENT of the members agree on it.
//
// Split in two steps, as uncertainty.ts: a Web Worker solves members in chunks (progress,
// superseding requests) and the CLI in one go, and both summarise the outcomes the same way.

import { band, type Band } from "../ensemble/bands.js";
import type { CoefficientEnsemble, EnsembleMember } from "../ensemble/ensemble.js";
import type { FlopsModel } from "../laws/flops.js";
import { DEFAULT_BOUNDS } from "../allocation/optimizer.js";
import { strategyWeights, type Strategy } from "../allocation/strategy.js";
import { targetLossCompute, type TargetLossResult } from "../questions/targetLoss.js";
import { VERDICT_AGREEMENT, describeEnsembleUse, ensembleUse, formatShare, type EnsembleUse } from "./planUncertainty.js";
import { describeFlags, plannedPointFlags, type ValidityDomain } from "../domain/validity.js";

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
  const options = { coefficients: member, flops: inputs.flops, bounds: inputs.bounds ?? DEFAULT_BOUNDS };
  return inputs.strategies.map(({ strategy }): MemberTargetOutcome | null => {
    let result: TargetLossResult;
    try {
      result = targetLossCompute(inputs.studentParameters, inputs.targetLoss, strategy, options);
    } catch (error) {
      return { failure: (error as Error).message, compute: NaN, dataTokens: NaN };
    }
    return result.status === "optimal" ? { compute: result.compute, dataTokens: result.dataTokens } : null;
  });
}

export interface StrategyTargetUncertainty {
  id: string;
  label: string;
  /** Bands over the members in which the strategy (and, for the ratios, supervised training) reaches the target; null: in none. */
  compute: Band | null;
  computeRatio: Band | null;
  dataRatio: Band | null;
  /** Share of all members in which it needs strictly less compute than supervised training (unreachable or failed: not less). Null for supervised. */
  shareCheaperThanSupervised: number | null;
  /** Members in which it reaches the target, in which it cannot, and whose solve failed. */
  reached: number;
  unreachable: number;
  failed: number;
  /** The first failure's message, if any. */
  failure: string | null;
}

export interface TargetVerdictShare {
  id: string;
  label: string;
  /** Share of members in which this strategy needs the least compute of supervised training and the paid strategies. */
  share: number;
}

export interface TargetVerdict {
  /** "winner" when one strategy needs the least compute in at least `agreement` of the members. */
  kind: "winner" | "too-close" | "none";
  winner: string | null;
  /** Every strategy cheapest in at least one member, largest share first. */
  shares: TargetVerdictShare[];
  agreement: number;
  sentence: string;
}

export interface TargetLossUncertainty extends EnsembleUse {
  studentParameters: number;
  targetLoss: number;
  level: number;
  strategies: StrategyTargetUncertainty[];
  verdict: TargetVerdict;
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
  // Named scenarios read in lower case; a label of weights keeps its symbols as written.
  return typeof s.strategy === "string" ? s.label.toLowerCase() : s.label;
}

const capitalised = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;

/**
 * Which strategy needs the least compute in each member, among supervised training and the
 * strategies that pay for their teacher. Unreachable counts as infinite compute, a failed solve
 * is left out; ties go to supervised training; a member reached by none counts for none.
 */
export function targetLossVerdict(
  strategies: readonly NamedStrategy[],
  outcomes: readonly MemberTargetOutcomes[],
  agreement = VERDICT_AGREEMENT,
): TargetVerdict {
  const supervisedIndex = supervisedIndexOf(strategies, "targetLossVerdict");
  const candidates = strategies.map((s, i) => ({ s, i })).filter(({ s, i }) => i !== supervisedIndex && !isBound(s));
  const counts = new Map<number, number>();
  for (const outcome of outcomes) {
    const computeOf = (i: number) => (outcome[i] === null ? Infinity : outcome[i]!.compute);
    let best = -1, least = Infinity;
    const supervised = computeOf(supervisedIndex);
    if (supervised < Infinity) { best = supervisedIndex; least = supervised; }
    for (const { i } of candidates) {
      const c = computeOf(i);
      if (c < least) { best = i; least = c; }
    }
    if (best >= 0) counts.set(best, (counts.get(best) ?? 0) + 1);
  }
  const total = outcomes.length;
  const shares = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([i, n]) => ({ id: strategies[i].id, label: strategies[i].label, share: n / total, named: sentenceName(strategies[i]) }));
  const plain = shares.map(({ id, label, share }) => ({ id, label, share }));
  if (shares.length === 0) {
    return { kind: "none", winner: null, shares: plain, agreement, sentence: "No member of the ensemble reaches this target with any strategy within the bounds." };
  }
  const [top, ...others] = shares;
  const rest = others.map((s) => `${s.named} in ${formatShare(s.share)}`);
  if (top.share >= agreement) {
    return {
      kind: "winner", winner: top.id, shares: plain, agreement,
      sentence: `${capitalised(top.named)} needs the least compute in ${formatShare(top.share)} of the ${total} coefficient samples` +
        `${rest.length ? ` (${rest.join(", ")})` : ""}.`,
    };
  }
  return {
    kind: "too-close", winner: null, shares: plain, agreement,
    sentence: `Too close to call for these coefficients: ${[`${top.named} needs the least compute in ${formatShare(top.share)} of the ${total} samples`, ...rest].join(", ")}` +
      ` (a verdict needs ${formatShare(agreement)} of them).`,
  };
}

/** Bands, shares and the verdict from the members' outcomes (solveTargetMember, in member order). */
export function summariseTargetUncertainty(
  inputs: TargetUncertaintyInputs,
  outcomes: readonly MemberTargetOutcomes[],
  ensemble: Pick<CoefficientEnsemble, "kind" | "description" | "leftOut" | "requested">,
  level = 0.9,
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
    const failures = outcomes.map((o) => o[i]?.failure).filter((f): f is string => f !== undefined);
    let cheaper = 0;
    // NaN (unreachable, failed) is never below anything.
    for (let b = 0; b < outcomes.length; b++) if (compute[b] < supervisedForShare[b]) cheaper++;
    return {
      id, label,
      compute: band(compute, level),
      computeRatio: band(compute.map((c, b) => c / supervisedCompute[b]), level),
      dataRatio: band(tokens.map((t, b) => t / supervisedTokens[b]), level),
      shareCheaperThanSupervised: i === supervisedIndex || outcomes.length === 0 ? null : cheaper / outcomes.length,
      reached: compute.filter((c) => Number.isFinite(c)).length,
      unreachable: outcomes.filter((o) => o[i] === null).length,
      failed: failures.length,
      failure: failures[0] ?? null,
    };
  });
  return {
    studentParameters: inputs.studentParameters,
    targetLoss: inputs.targetLoss,
    level,
    strategies: rows,
    verdict: targetLossVerdict(strategies, outcomes),
    ...ensembleUse(ensemble, outcomes.length),
  };
}

/** Solves every member of the ensemble and summarises: the whole computation in one call (CLI, tests). */
export function targetLossUncertainty(
  inputs: TargetUncertaintyInputs,
  ensemble: CoefficientEnsemble,
  { level = 0.9, onProgress }: { level?: number; onProgress?: (done: number, total: number) => void } = {},
): TargetLossUncertainty {
  const outcomes = ensemble.members.map((member, b) => {
    const outcome = solveTargetMember(inputs, member);
    onProgress?.(b + 1, ensemble.members.length);
    return outcome;
  });
  return summariseTargetUncertainty(inputs, outcomes, ensemble, level);
}

/**
 * Whether the verdict's strategy (or, when too close to call, the leading one) extrapolates at the
 * point fit's allocation: "" when there is no such strategy or it is unreachable at the point fit.
 */
export function verdictValidity(
  verdict: TargetVerdict,
  points: readonly { id: string; label: string; result: TargetLossResult }[],
  domain: ValidityDomain | null,
): string {
  const id = verdict.winner ?? verdict.shares[0]?.id;
  const point = points.find((p) => p.id === id);
  if (!point || point.result.status !== "optimal") return "";
  const text = describeFlags(plannedPointFlags(point.result, domain), domain);
  return `${point.label} at the point fit's allocation: ${text[0].toLowerCase()}${text.slice(1)}`;
}

/** Column names of a target-loss export's uncertainty part (the CLI's CSV and the page's download). */
export const TARGET_UNCERTAINTY_COLUMNS = [
  ...(["compute", "compute_ratio", "data_ratio"] as const).flatMap((name) => [`${name}_p05`, `${name}_median`, `${name}_p95`]),
  "share_cheaper_than_supervised", "members_reached", "members_unreachable", "members_failed", "members_left_out", "ensemble", "verdict",
] as const;

/** The uncertainty columns of one strategy's export row. */
export function targetUncertaintyRecord(u: TargetLossUncertainty, id: string): Record<(typeof TARGET_UNCERTAINTY_COLUMNS)[number], string | number | null> {
  const s = u.strategies.find((row) => row.id === id) ?? null;
  const bands = { compute: s?.compute ?? null, compute_ratio: s?.computeRatio ?? null, data_ratio: s?.dataRatio ?? null };
  const out = {} as Record<(typeof TARGET_UNCERTAINTY_COLUMNS)[number], string | number | null>;
  for (const [name, b] of Object.entries(bands) as [keyof typeof bands, Band | null][]) {
    out[`${name}_p05`] = b?.low ?? null;
    out[`${name}_median`] = b?.median ?? null;
    out[`${name}_p95`] = b?.high ?? null;
  }
  out.share_cheaper_than_supervised = s?.shareCheaperThanSupervised ?? null;
  out.members_reached = s?.reached ?? null;
  out.members_unreachable = s?.unreachable ?? null;
  out.members_failed = s?.failed ?? null;
  out.members_left_out = u.leftOut;
  out.ensemble = `${describeEnsembleUse(u)} ${u.ensembleDescription}`;
  out.verdict = u.verdict.sentence;
  return out;
}
