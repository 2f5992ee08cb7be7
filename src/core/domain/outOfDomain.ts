// Out-of-domain error (docs/spec.md section 10): how fast a law's relative prediction error grows
// with the distance beyond the runs it was fitted on, measured on the set's own runs (the runs are
// split along one direction, the law refitted on the inner part and the outer runs predicted:
// src/core/fitting/outOfDomainCheck.ts), and the error it gives at an answer's factors beyond the
// domain. Pure.
//
// Growth model, per direction k: relative error e_k(f) = slope_k * ln f, f >= 1 the factor beyond
// the inner part. The slope is the least-squares slope through the origin of the outer runs'
// |relative errors| on ln f: their noise is left in (each error counts whole, so the slope leans
// high). The envelope (the largest (error - noise) / ln f, noise the 95th percentile of the inner
// refit's own residuals) is reported beside it; widening by it was measured to make the bands
// 4x wider (median 0.041 nats in the held-out check, docs/uncertainty.md) without covering
// more cases. Directions add:
// e(f_1..f_K) = sum_k slope_k ln f_k (a plan that extrapolates in two directions gets both errors,
// not the larger). Bands widen by it in bandWidening.ts: the ensemble's spread (members that share
// one functional form) plus the form's own error, added linearly rather than in quadrature because
// the two are not independent noise.
//
// CONTRACT shared by the fitter, the loader, the CLI and the bands: keep these names and fields.

import { toleratedRange, type Range, type ValidityDomain } from "./validity.js";

/** The directions a set's runs are split along. */
export type OutOfDomainDirection = "student-size" | "tokens-per-parameter" | "teacher-loss";

export const DIRECTION_LABELS: Readonly<Record<OutOfDomainDirection, string>> = Object.freeze({
  "student-size": "model size (N or N_S)",
  "tokens-per-parameter": "tokens per parameter (D/N or D_S/N_S)",
  "teacher-loss": "teacher loss (L_T, stronger teachers)",
});

/** One held-out run: how far beyond the inner part it lies and how wrong the inner refit is there. */
export interface HeldOutError {
  factor: number;
  relativeError: number;
}

export interface DirectionGrowth {
  law: "supervised" | "distillation";
  direction: OutOfDomainDirection;
  innerRuns: number;
  outerRuns: number;
  /** 95th percentile of the inner refit's |relative residual| on its own runs. */
  noise: number;
  /** Relative error per unit of ln(factor), used for widening: the least-squares slope through the origin. */
  slope: number;
  /** The envelope: the largest (error - noise) / ln(factor) over runs at least 1% beyond, for comparison. */
  envelopeSlope: number;
  /** The largest factor measured: beyond it the growth is itself an extrapolation. */
  maxFactor: number;
  /** The held-out runs (at most 200, evenly spread by factor) for the chart. */
  points: HeldOutError[];
}

export interface OutOfDomainGrowth {
  /** "the 372 runs of data set X, each split 2/3 inner, 1/3 outer". */
  source: string;
  supervised: DirectionGrowth[];
  /** Null without distillation runs. */
  distillation: DirectionGrowth[] | null;
  /** Directions whose inner refit failed ("distillation teacher-loss: why"): they add no error. */
  unmeasured?: string[];
}

/** The growth of one direction from its held-out errors and the inner fit's residuals. */
export function growthFromErrors(
  law: DirectionGrowth["law"], direction: OutOfDomainDirection,
  heldOut: readonly HeldOutError[], innerResiduals: readonly number[],
): DirectionGrowth {
  const sortedNoise = innerResiduals.map(Math.abs).sort((a, b) => a - b);
  const noise = sortedNoise.length ? sortedNoise[Math.min(sortedNoise.length - 1, Math.floor(0.95 * sortedNoise.length))] : 0;
  let envelopeSlope = 0, xy = 0, xx = 0, maxFactor = 1;
  for (const { factor, relativeError } of heldOut) {
    if (!(factor > 1) || !Number.isFinite(relativeError)) continue;
    const x = Math.log(factor);
    // Very small factors make the ratio meaningless (noise over ~0): they count from a 1% step on.
    if (factor >= 1.01) envelopeSlope = Math.max(envelopeSlope, Math.max(0, relativeError - noise) / x);
    xy += x * relativeError;
    xx += x * x;
    maxFactor = Math.max(maxFactor, factor);
  }
  const sorted = [...heldOut].sort((a, b) => a.factor - b.factor);
  const step = Math.max(1, sorted.length / 200);
  const points = Array.from({ length: Math.min(200, sorted.length) }, (_, i) => sorted[Math.floor(i * step)]);
  return {
    law, direction, innerRuns: innerResiduals.length, outerRuns: heldOut.length, noise,
    slope: xx > 0 ? xy / xx : 0, envelopeSlope, maxFactor, points,
  };
}

/** An answer's factors beyond the domain, per direction (1 = inside). */
export type DirectionFactors = Partial<Record<OutOfDomainDirection, number>>;

/** The factor of a value beyond a range: 1 inside (within EDGE_TOLERANCE of an edge), else value/max or min/value. */
export function factorBeyond(value: number, range: Range): number {
  if (!(value > 0)) return 1;
  const tolerated = toleratedRange(range);
  if (value > tolerated.max) return value / range.max;
  if (value < tolerated.min) return range.min / value;
  return 1;
}

/** The variables of an answer that the growth is measured along. */
export interface AnsweredPoint {
  studentParameters: number;
  studentTokens: number;
  /** Null for supervised training. */
  teacherLoss: number | null;
}

/**
 * The factors of an answer beyond a set's domain: supervised training against the supervised runs'
 * N and D/N; distillation against the distillation runs' N_S, D_S/N_S and L_T (a stronger teacher
 * than the strongest fitted one is beyond; a weaker one is not, as the law's floor is the teacher).
 */
export function answerFactors(point: AnsweredPoint, domain: ValidityDomain): DirectionFactors {
  const ratio = point.studentTokens / point.studentParameters;
  const d = domain.distillation;
  if (point.teacherLoss === null || d === null) {
    return {
      "student-size": factorBeyond(point.studentParameters, domain.supervised.parameters),
      "tokens-per-parameter": factorBeyond(ratio, domain.supervised.tokensPerParameter),
    };
  }
  return {
    "student-size": factorBeyond(point.studentParameters, d.studentParameters),
    "tokens-per-parameter": factorBeyond(ratio, d.studentTokensPerParameter),
    "teacher-loss": point.teacherLoss < toleratedRange(d.teacherLoss).min ? d.teacherLoss.min / point.teacherLoss : 1,
  };
}

/** The relative out-of-domain error at these factors: sum over directions of slope * ln(factor). */
export function outOfDomainError(factors: DirectionFactors, growth: readonly DirectionGrowth[]): number {
  let error = 0;
  for (const g of growth) {
    const f = factors[g.direction] ?? 1;
    if (f > 1) error += g.slope * Math.log(f);
  }
  return error;
}

/** The growth of the law an answer uses: the distillation law's for a distilled row when measured. */
export function growthFor(growth: OutOfDomainGrowth, distilled: boolean): readonly DirectionGrowth[] {
  return distilled && growth.distillation ? growth.distillation : growth.supervised;
}
