// The validity domain of a coefficient set (SPEC section 9): the box each law's runs span.
// CONTRACT shared by the loader, the CLI, the planner and the figures: keep these names and fields.

export interface Range {
  min: number;
  max: number;
}

export interface ValidityDomain {
  /** Where the box comes from ("the 372 runs of data set X", "the paper's design (Section 4.2)"). */
  source: string;
  supervised: { parameters: Range; tokens: Range; tokensPerParameter: Range };
  distillation: {
    studentParameters: Range;
    studentTokens: Range;
    studentTokensPerParameter: Range;
    teacherLoss: Range;
    teacherParameters: Range;
    teacherTokens: Range;
  } | null;
}

export interface ValidityFlag {
  /** The planned quantity, as the tables name it: "N_S", "D_S", "D_S/N_S", "N_T*", "D_T*", "L_T*", "N", "D", "D/N". */
  variable: string;
  value: number;
  /** Which edge of the domain it is beyond. */
  side: "below" | "above";
  /** The edge it is compared with. */
  edge: number;
  /** value / edge above the domain, edge / value below: always >= 1. */
  factor: number;
  /** "N_T* = 105B: 8x the largest fitted teacher". */
  message: string;
}

import type { DistillationRun, SupervisedRun } from "./runs.js";
import { formatQuantity } from "./units.js";

function rangeOf(values: readonly number[]): Range {
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** The box the runs span (SPEC section 9); the distillation part is null without distillation runs. */
export function validityDomain(
  supervisedRuns: readonly SupervisedRun[],
  distillationRuns: readonly DistillationRun[],
  source: string,
): ValidityDomain {
  return {
    source,
    supervised: {
      parameters: rangeOf(supervisedRuns.map((r) => r.N)),
      tokens: rangeOf(supervisedRuns.map((r) => r.D)),
      tokensPerParameter: rangeOf(supervisedRuns.map((r) => r.D / r.N)),
    },
    distillation: distillationRuns.length === 0 ? null : {
      studentParameters: rangeOf(distillationRuns.map((r) => r.NS)),
      studentTokens: rangeOf(distillationRuns.map((r) => r.DS)),
      studentTokensPerParameter: rangeOf(distillationRuns.map((r) => r.DS / r.NS)),
      teacherLoss: rangeOf(distillationRuns.map((r) => r.LT)),
      teacherParameters: rangeOf(distillationRuns.map((r) => r.NT)),
      teacherTokens: rangeOf(distillationRuns.map((r) => r.DT)),
    },
  };
}

/** A planned quantity to check against a range: its table name and what the range's edges are called. */
export interface CheckedQuantity {
  variable: string;
  value: number;
  range: Range;
  /** Names the runs' extremes: "fitted teacher" gives "the largest fitted teacher" / "the smallest fitted teacher". */
  noun: string;
  /** For losses: a lower loss is "stronger", so "below" reads "stronger than the strongest". */
  kind?: "size" | "loss" | "ratio";
}

/**
 * Flags every quantity outside its range, with the factor (value over the nearest edge, >= 1).
 * Values inside (edges included, to 1e-9 relative) give no flag.
 */
export function validityFlags(quantities: readonly CheckedQuantity[]): ValidityFlag[] {
  const flags: ValidityFlag[] = [];
  for (const q of quantities) {
    const { min, max } = q.range;
    if (!Number.isFinite(q.value)) continue;
    let side: ValidityFlag["side"] | null = null;
    if (q.value > max * (1 + 1e-9)) side = "above";
    else if (q.value < min * (1 - 1e-9)) side = "below";
    if (side === null) continue;
    const edge = side === "above" ? max : min;
    const factor = side === "above" ? q.value / edge : edge / q.value;
    const shown = q.kind === "loss" ? q.value.toFixed(3) : formatQuantity(q.value);
    const factorText = factor >= 10 ? `${Math.round(factor)}x` : `${factor.toPrecision(2)}x`;
    const message = q.kind === "loss"
      ? `${q.variable} = ${shown}: ${side === "below" ? `stronger than the strongest ${q.noun} (${edge.toFixed(3)})` : `weaker than the weakest ${q.noun} (${edge.toFixed(3)})`}`
      : `${q.variable} = ${shown}: ${factorText} ${side === "above" ? `the largest ${q.noun}` : `below the smallest ${q.noun}`}`;
    flags.push({ variable: q.variable, value: q.value, side, edge, factor, message });
  }
  return flags;
}

/** A planned allocation as the figures draw it: supervised (no teacher) or distilled. */
export interface PlannedPoint {
  studentParameters: number;
  studentTokens: number;
  /** Null for supervised training. */
  teacherLoss: number | null;
  teacherParameters: number | null;
  teacherTokens: number | null;
  /** False in the best case: the teacher drawn is one of many, so only L_T* is checked. */
  teacherDetermined?: boolean;
}

/**
 * The flags of one figure point: N, D, D/N against the supervised box for supervised training;
 * N_S, D_S, D_S/N_S, L_T* (and N_T*, D_T* when the teacher is determined) against the
 * distillation box for a distilled student. No box for distillation: no distillation flags.
 */
export function plannedPointFlags(point: PlannedPoint, domain: ValidityDomain): ValidityFlag[] {
  const { studentParameters: N, studentTokens: D } = point;
  if (point.teacherLoss === null) {
    const s = domain.supervised;
    return validityFlags([
      { variable: "N", value: N, range: s.parameters, noun: "fitted model" },
      { variable: "D", value: D, range: s.tokens, noun: "fitted token count" },
      { variable: "D/N", value: D / N, range: s.tokensPerParameter, noun: "fitted tokens per parameter", kind: "ratio" },
    ]);
  }
  const d = domain.distillation;
  if (d === null) return [];
  const quantities: CheckedQuantity[] = [
    { variable: "N_S", value: N, range: d.studentParameters, noun: "fitted student" },
    { variable: "D_S", value: D, range: d.studentTokens, noun: "fitted student token count" },
    { variable: "D_S/N_S", value: D / N, range: d.studentTokensPerParameter, noun: "fitted student tokens per parameter", kind: "ratio" },
    { variable: "L_T*", value: point.teacherLoss, range: d.teacherLoss, noun: "fitted teacher", kind: "loss" },
  ];
  if (point.teacherDetermined !== false && point.teacherParameters !== null && point.teacherTokens !== null) {
    quantities.push(
      { variable: "N_T*", value: point.teacherParameters, range: d.teacherParameters, noun: "fitted teacher" },
      { variable: "D_T*", value: point.teacherTokens, range: d.teacherTokens, noun: "fitted teacher token count" },
    );
  }
  return validityFlags(quantities);
}
