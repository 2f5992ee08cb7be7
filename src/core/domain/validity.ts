// The validity domain of a coefficient set (docs/spec.md section 9): the box each law's runs span.
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

import type { DistillationRun, SupervisedRun } from "../fitting/runs.js";
import { formatQuantity } from "../inputs/units.js";

function rangeOf(values: readonly number[]): Range {
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** The box the runs span (docs/spec.md section 9); the distillation part is null without distillation runs. */
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

/**
 * A value within this relative distance of a domain's edge is inside (docs/spec.md section 10,
 * docs/extrapolation.md). Sizes are typed and printed to three significant figures ("143M" for
 * Table 13's 143.4M): such a number is within 0.5% of the value it names, so a model named at an
 * edge is inside. Every judgement of an edge uses it: the validity flags (and so the verdicts'
 * extrapolation factors), the out-of-domain factors of the bands, and the student-size check of
 * the within-domain box.
 */
export const EDGE_TOLERANCE = 5e-3;

/** A range with its edges moved out by EDGE_TOLERANCE: the values judged inside it. */
export function toleratedRange(range: Range): Range {
  return { min: range.min * (1 - EDGE_TOLERANCE), max: range.max * (1 + EDGE_TOLERANCE) };
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
 * Values inside, or within EDGE_TOLERANCE of an edge, give no flag: a size typed as "143M" and
 * the fitted 143.4M student are the same model, not an extrapolation.
 */
export function validityFlags(quantities: readonly CheckedQuantity[]): ValidityFlag[] {
  const flags: ValidityFlag[] = [];
  for (const q of quantities) {
    const { min, max } = q.range;
    if (!Number.isFinite(q.value)) continue;
    const tolerated = toleratedRange(q.range);
    let side: ValidityFlag["side"] | null = null;
    if (q.value > tolerated.max) side = "above";
    else if (q.value < tolerated.min) side = "below";
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

/** The planned quantities of a plan row (src/core/allocation/plan.ts's PlanRow, or anything shaped like it). */
export interface PlannedQuantities {
  strategy: string;
  studentParameters: number;
  studentTokens: number | null;
  teacherParameters: number | null;
  teacherTokens: number | null;
  teacherLoss: number | null;
}

/**
 * What a plan row needs of the laws outside the set's domain. Supervised training uses Eq. 1 at
 * (N, D); a distillation row uses Eq. 8 at (N_S, D_S, L_T*) and Eq. 1 for the teacher at
 * (N_T*, D_T*), which are checked against the teachers of the distillation runs. A set without
 * distillation runs checks the student and teacher against the supervised box instead.
 * Infeasible rows (no allocation) give no flags.
 */
export function planValidityFlags(row: PlannedQuantities, domain: ValidityDomain | null | undefined): ValidityFlag[] {
  if (!domain || row.studentTokens === null) return [];
  const NS = row.studentParameters, DS = row.studentTokens;
  const s = domain.supervised;
  if (row.strategy === "supervised" || row.teacherParameters === null) {
    return validityFlags([
      { variable: "N", value: NS, range: s.parameters, noun: "fitted model" },
      { variable: "D", value: DS, range: s.tokens, noun: "fitted token count" },
      { variable: "D/N", value: DS / NS, range: s.tokensPerParameter, noun: "fitted tokens per parameter", kind: "ratio" },
    ]);
  }
  const d = domain.distillation;
  const quantities: CheckedQuantity[] = d
    ? [
      { variable: "N_S", value: NS, range: d.studentParameters, noun: "fitted student" },
      { variable: "D_S", value: DS, range: d.studentTokens, noun: "fitted student token count" },
      { variable: "D_S/N_S", value: DS / NS, range: d.studentTokensPerParameter, noun: "fitted student tokens per parameter", kind: "ratio" },
      { variable: "N_T*", value: row.teacherParameters, range: d.teacherParameters, noun: "fitted teacher" },
      { variable: "D_T*", value: row.teacherTokens ?? NaN, range: d.teacherTokens, noun: "fitted teacher token count" },
    ]
    : [
      { variable: "N_S", value: NS, range: s.parameters, noun: "fitted model" },
      { variable: "D_S", value: DS, range: s.tokens, noun: "fitted token count" },
      { variable: "N_T*", value: row.teacherParameters, range: s.parameters, noun: "fitted model" },
      { variable: "D_T*", value: row.teacherTokens ?? NaN, range: s.tokens, noun: "fitted token count" },
    ];
  if (d && row.teacherLoss !== null) quantities.push({ variable: "L_T*", value: row.teacherLoss, range: d.teacherLoss, noun: "fitted teacher", kind: "loss" });
  return validityFlags(quantities);
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
  teacherDetermined?: boolean | null;
}

/**
 * The flags of one figure point, as `planValidityFlags` gives them for a plan row, except that a
 * teacher which is one of many (the best case draws the cheapest reaching L_T*) is not checked.
 */
export function plannedPointFlags(point: PlannedPoint, domain: ValidityDomain | null | undefined): ValidityFlag[] {
  if (!domain) return [];
  const flags = planValidityFlags({ ...point, strategy: point.teacherLoss === null ? "supervised" : "distillation" }, domain);
  return point.teacherDetermined === false ? flags.filter((f) => f.variable !== "N_T*" && f.variable !== "D_T*") : flags;
}

/** The domain a coefficient option carries (null for a set without one). */
export function domainOf(option: unknown): ValidityDomain | null {
  const domain = (option as { domain?: ValidityDomain | null } | null)?.domain;
  return domain ?? null;
}

/** One line for a list of flags: "within the fitted runs" or the flags' messages. */
export function describeFlags(flags: readonly ValidityFlag[], domain: ValidityDomain | null): string {
  if (domain === null) return "No validity domain for this coefficient set: extrapolation cannot be checked.";
  if (flags.length === 0) return `Within the box of the fitted runs (${domain.source}).`;
  return `Extrapolates beyond ${domain.source}: ${flags.map((f) => f.message).join("; ")}.`;
}
