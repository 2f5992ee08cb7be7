// Bands of answers beyond a coefficient set's validity domain, widened by the law's measured
// out-of-domain error (docs/uncertainty.md, "Beyond the runs"). The one widening every question
// uses: the planner, the target loss and the lifetime. Pure.
//
// The measured error e is relative to the LOSS the law predicts at an answer (outOfDomain.ts).
// - An answer that is a loss (L_S*, L_S for a lifetime budget) widens additively: the band
//   [low, high] becomes [low - m e, high + m e], m the band's median.
// - A difference of two losses widens by both rows' errors added: either may be off either way.
// - An answer that is a cost of reaching a target L* (least compute, lifetime FLOPs, tokens) widens
//   to what the point law needs for the targets that bracket L*: the law's loss may be off by e,
//   so reaching a true L* may take what the law says reaching L*(1 - e) takes, or only what
//   L*(1 + e) takes. The band's sides are multiplied by those answers over the point answer; a
//   harder target the point law cannot reach leaves the high side unbounded.
// - A ratio of two such costs widens from its widened numerator and denominator.
// Inside the domain (every factor 1, e = 0) a band is the members' band, exactly.

import { bandColumns, type Band } from "../ensemble/bands.js";
import {
  answerFactors, growthFor, outOfDomainError, type AnsweredPoint, type DirectionFactors, type DirectionGrowth, type OutOfDomainGrowth,
} from "./outOfDomain.js";
import type { ValidityDomain } from "./validity.js";

/** What a band marked "(widened)" means, wherever one is shown (the CLI's tables, the pages). */
export const WIDENED_BANDS_NOTE = "Bands marked (widened) lie beyond the fitted runs: they add the error measured by refitting on the inner runs and predicting the outer ones " +
  "(for a cost of reaching a target: what the point fit needs for the target moved by that error either way; \"unbounded\": the harder target is out of its reach; docs/uncertainty.md).";

/** A set's domain and measured out-of-domain growth: bands of answers beyond the domain widen by it. */
export interface OutOfDomainWidening {
  domain: ValidityDomain;
  growth: OutOfDomainGrowth;
}

/** The law's error at one answer. */
export interface AnswerError {
  /** e: the relative loss error (sum over directions of slope * ln factor); 0 inside the domain. */
  relative: number;
  /** The largest factor beyond the domain among the measured directions (1 inside). */
  extrapolationFactor: number;
}

/** The error of an answer inside the domain (or with nothing to measure it by). */
export const NO_ANSWER_ERROR: AnswerError = Object.freeze({ relative: 0, extrapolationFactor: 1 });

/** The largest factor of an answer beyond the domain (1 inside). */
export function largestFactor(factors: DirectionFactors): number {
  return Math.max(1, ...Object.values(factors).filter((f): f is number => Number.isFinite(f)));
}

/**
 * The error at an answer: its factors beyond the domain (supervised against the supervised runs,
 * distilled against the distillation runs) under the growth of the law it uses. No error without a
 * widening or an answer.
 */
export function answerError(point: AnsweredPoint | null, widening: OutOfDomainWidening | null | undefined): AnswerError {
  if (!widening || !point) return NO_ANSWER_ERROR;
  const factors = answerFactors(point, widening.domain);
  return { relative: outOfDomainError(factors, growthFor(widening.growth, point.teacherLoss !== null)), extrapolationFactor: largestFactor(factors) };
}

/** A band, and whether (and by how much) it was widened beyond the domain. */
export interface WidenedBand extends Band {
  widened: boolean;
  /**
   * The loss error in nats the band allows for (0 when not widened): added to each side of a loss
   * band; the shift of the target either way for a cost of reaching it; for a difference or a
   * ratio, its two parts' errors added.
   */
  outOfDomainError: number;
  /** The largest factor beyond the domain among the directions measured (1 inside). */
  extrapolationFactor: number;
  /** The high side has no bound (high is Infinity): the harder target is not reachable with the point fit. */
  unbounded: boolean;
}

/** The members' band as it is. */
export function unwidened(b: Band, extrapolationFactor = 1): WidenedBand {
  return { ...b, widened: false, outOfDomainError: 0, extrapolationFactor, unbounded: false };
}

function widenedTo(b: Band, low: number, high: number, lossError: number, extrapolationFactor: number): WidenedBand {
  if (!(lossError > 0)) return unwidened(b, extrapolationFactor);
  return { ...b, low, high, widened: true, outOfDomainError: lossError, extrapolationFactor, unbounded: high === Infinity };
}

/** A loss band widened by the error at its answer: each side moves out by |scale| * e (scale: the band's median). */
export function widenLossBand(b: Band, error: AnswerError, scale = b.median): WidenedBand {
  const nats = error.relative * Math.abs(scale);
  return widenedTo(b, b.low - nats, b.high + nats, nats, error.extrapolationFactor);
}

/** widenLossBand at an answer's factors under a law's growth. */
export function widenBand(b: Band, factors: DirectionFactors, growth: readonly DirectionGrowth[], scale = b.median): WidenedBand {
  return widenLossBand(b, { relative: outOfDomainError(factors, growth), extrapolationFactor: largestFactor(factors) }, scale);
}

/** The band of a difference of two losses, widened by both losses' errors added. */
export function widenDifferenceBand(b: Band, parts: readonly (WidenedBand | null)[]): WidenedBand {
  const nats = parts.reduce((sum, p) => sum + (p?.outOfDomainError ?? 0), 0);
  const factor = Math.max(1, ...parts.map((p) => p?.extrapolationFactor ?? 1));
  return widenedTo(b, b.low - nats, b.high + nats, nats, factor);
}

/** The targets that bracket L* when the law's loss may be off by the relative error e. */
export function bracketingTargets(targetLoss: number, relative: number): { easier: number; harder: number } {
  return { easier: targetLoss * (1 + relative), harder: targetLoss * (1 - relative) };
}

/**
 * An answer at a target L* with the point fit, and the same question answered at the bracketing
 * targets (bracketingTargets; null: not reachable there). Inside the domain (error 0) the ends
 * are not solved: both are the centre.
 */
export interface TargetBracket<V> {
  targetLoss: number;
  error: AnswerError;
  centre: V;
  easier: V | null;
  harder: V | null;
}

/**
 * How far a value may move within its bracket, as multipliers of its centre: the smallest and
 * largest of the three answers over the centre (a cost falls with an easier target, but Eq. 34's
 * tokens need not); the high multiplier is Infinity when the harder target is not reachable.
 */
export function bracketMultipliers<V>(bracket: TargetBracket<V>, value: (v: V) => number): [number, number] {
  if (!(bracket.error.relative > 0)) return [1, 1];
  const centre = value(bracket.centre);
  const ratios = [1, ...[bracket.easier, bracket.harder].filter((v): v is V => v !== null).map((v) => value(v) / centre)];
  return [Math.min(...ratios), bracket.harder === null ? Infinity : Math.max(...ratios)];
}

const nats = (bracket: TargetBracket<unknown> | null) => (bracket ? bracket.targetLoss * bracket.error.relative : 0);

/** The band of a (positive) cost of reaching a target, its sides multiplied by the bracket's multipliers. */
export function widenTargetBand<V>(b: Band, bracket: TargetBracket<V> | null, value: (v: V) => number): WidenedBand {
  if (!bracket) return unwidened(b);
  const [low, high] = bracketMultipliers(bracket, value);
  return widenedTo(b, b.low * low, b.high * high, nats(bracket), bracket.error.extrapolationFactor);
}

/**
 * The band of a ratio of two (positive) costs: its low side by the numerator's low multiplier over
 * the denominator's high one, its high side the other way round (the two answers' errors are
 * independent: each may be off either way).
 */
export function widenRatioBand<V>(b: Band, numerator: TargetBracket<V> | null, denominator: TargetBracket<V> | null, value: (v: V) => number): WidenedBand {
  const [nl, nh] = numerator ? bracketMultipliers(numerator, value) : [1, 1];
  const [dl, dh] = denominator ? bracketMultipliers(denominator, value) : [1, 1];
  const factor = Math.max(numerator?.error.extrapolationFactor ?? 1, denominator?.error.extrapolationFactor ?? 1);
  return widenedTo(b, (b.low * nl) / dh, (b.high * nh) / dl, nats(numerator) + nats(denominator), factor);
}

/** A band as text: "low – high" (one value when it collapses, "unbounded" for a side out of reach), then " (widened)" beyond the runs; `none` without a band. */
export function widenedBandText(b: WidenedBand | null | undefined, format: (x: number) => string, none = ""): string {
  if (!b) return none;
  return `${b.low === b.high ? format(b.low) : `${format(b.low)} – ${b.unbounded ? "unbounded" : format(b.high)}`}${b.widened ? " (widened)" : ""}`;
}

/** The export columns of a widened band after bandColumns' three: whether it was widened, by what loss error, and whether its high side is unbounded. */
export const WIDENING_COLUMN_SUFFIXES = ["widened", "out_of_domain_error", "unbounded"] as const;

/** A band as export columns: `${name}_p05`, `_median`, `_p95` (empty when unbounded), then WIDENING_COLUMN_SUFFIXES (nulls without a band). */
export function widenedBandColumns(name: string, b: WidenedBand | null | undefined): Record<string, number | boolean | null> {
  return {
    ...bandColumns(name, b), [`${name}_widened`]: b ? b.widened : null,
    [`${name}_out_of_domain_error`]: b ? b.outOfDomainError : null, [`${name}_unbounded`]: b ? b.unbounded : null,
  };
}

/** The column names widenedBandColumns gives for `name`. */
export function widenedBandColumnNames<N extends string>(name: N) {
  return [`${name}_p05`, `${name}_median`, `${name}_p95`, ...WIDENING_COLUMN_SUFFIXES.map((suffix) => `${name}_${suffix}` as const)] as const;
}
