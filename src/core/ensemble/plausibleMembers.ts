// Plausible members (docs/spec.md section 10): an ensemble member that predicts the impossible
// where a plan can go is left out and counted like an unusable refit. Members that agree inside
// the runs can diverge without limit outside; these checks remove the ones whose divergence is
// physically impossible where answers are planned, not those that are merely far apart.
//
// The region judged (docs/uncertainty.md, "Plausible members", has the measurements behind it):
//  - sizes and tokens: the optimiser's box [1e6, 1e17], within PLAUSIBILITY_REACH of the runs'
//    domain in N, D and D/N (N_S, D_S and D_S/N_S for the distillation law). Far beyond the runs
//    every answer is the law's form speaking and is reported so; members are not judged there.
//  - teacher losses: from the member's own best teacher for the student, L_T*(N_S, D_S), to the
//    weakest teacher of the box. No plan picks a teacher stronger than L_T*: past the bottom of
//    the capacity-gap U a stronger teacher costs more and teaches worse.
// There, a member must predict finite losses, at most ln(n_vocab), L at least E and L_S at least
// L_T, and neither loss may rise with N, D, N_S or D_S, each by more than a tolerance in nats.

import { distilledLoss, supervisedLoss, type CoefficientSet } from "../laws/laws.js";
import { DEFAULT_BOUNDS, optimalTeacherLossWith, resolveSolverContext } from "../allocation/optimizer.js";
import { DEFAULT_FLOPS_MODEL } from "../laws/flops.js";
import type { Range, ValidityDomain } from "../domain/validity.js";
import type { CoefficientEnsemble, EnsembleMember } from "./ensemble.js";

/** How far beyond the runs (a factor in N, D and D/N) members are judged: three orders of magnitude. */
export const PLAUSIBILITY_REACH = 1000;

/** A loss "rises" (per step of the grid) or falls "below" a floor only by more than this many nats: a hundredth of the bands' median width inside the runs (~0.01 nats). */
export const PLAUSIBILITY_TOLERANCE = 1e-4;

export interface PlausibilityOptions {
  /** The optimiser's box of N, D, N_S and D_S. Default the optimiser's [1e6, 1e17]. */
  bounds?: readonly [number, number];
  /** Default the FLOPs model's 32168. */
  nVocab?: number;
  /** Grid points per variable (log-spaced). Default 13. */
  gridPoints?: number;
  /** The runs' validity domain; members are judged within `reach` of it. Null or absent: the whole box. */
  domain?: ValidityDomain | null;
  /** Default PLAUSIBILITY_REACH. */
  reach?: number;
  /** In nats; default PLAUSIBILITY_TOLERANCE. */
  tolerance?: number;
}

/** A member's implausible prediction: which check failed and where. */
export interface Implausibility {
  law: "supervised" | "distillation";
  check: "not finite" | "above ln(n_vocab)" | "below E" | "below the teacher" | "rises with N" | "rises with D" | "rises with N_S" | "rises with D_S";
  /** "distilled loss 12.29 above ln(n_vocab) = 10.38 at N_S = 1.0e+6, D_S = 2.9e+6, L_T = 7.360". */
  message: string;
}

function logGrid(lo: number, hi: number, n: number): number[] {
  if (!(hi > lo)) return [lo];
  return Array.from({ length: n }, (_, i) => Math.exp(Math.log(lo) + (i / (n - 1)) * (Math.log(hi) - Math.log(lo))));
}

/** The box's part within `reach` of a range of the runs (the whole box without one). */
function reachable([lo, hi]: readonly [number, number], range: Range | undefined, reach: number): [number, number] {
  if (!range) return [lo, hi];
  return [Math.max(lo, range.min / reach), Math.min(hi, range.max * reach)];
}

function withinReach(ratio: number, range: Range | undefined, reach: number): boolean {
  return !range || (ratio >= range.min / reach * (1 - 1e-9) && ratio <= range.max * reach * (1 + 1e-9));
}

const at = (N: number, D: number, names = ["N", "D"]) => `${names[0]} = ${N.toExponential(1)}, ${names[1]} = ${D.toExponential(1)}`;

function supervisedImplausibility(s: CoefficientSet["supervised"], o: Required<Omit<PlausibilityOptions, "domain">> & Pick<PlausibilityOptions, "domain">): Implausibility | null {
  const ceiling = Math.log(o.nVocab);
  const domain = o.domain?.supervised;
  const Ns = logGrid(...reachable(o.bounds, domain?.parameters, o.reach), o.gridPoints);
  const Ds = logGrid(...reachable(o.bounds, domain?.tokens, o.reach), o.gridPoints);
  const fail = (check: Implausibility["check"], detail: string): Implausibility => ({ law: "supervised", check, message: `supervised loss ${detail}` });
  for (let i = 0; i < Ns.length; i++) {
    for (let j = 0; j < Ds.length; j++) {
      if (!withinReach(Ds[j] / Ns[i], domain?.tokensPerParameter, o.reach)) continue;
      const where = at(Ns[i], Ds[j]);
      const L = supervisedLoss(s, Ns[i], Ds[j]);
      if (!Number.isFinite(L)) return fail("not finite", `not finite at ${where}`);
      if (L > ceiling) return fail("above ln(n_vocab)", `${L.toPrecision(4)} above ln(n_vocab) = ${ceiling.toFixed(2)} at ${where}`);
      if (L < s.E - o.tolerance) return fail("below E", `${L.toPrecision(6)} below E = ${s.E.toPrecision(6)} at ${where}`);
      if (i > 0 && L > supervisedLoss(s, Ns[i - 1], Ds[j]) + o.tolerance) return fail("rises with N", `rises with N at ${where}`);
      if (j > 0 && L > supervisedLoss(s, Ns[i], Ds[j - 1]) + o.tolerance) return fail("rises with D", `rises with D at ${where}`);
    }
  }
  return null;
}

function distillationImplausibility(member: EnsembleMember, o: Required<Omit<PlausibilityOptions, "domain">> & Pick<PlausibilityOptions, "domain">): Implausibility | null {
  const ceiling = Math.log(o.nVocab);
  const domain = o.domain?.distillation ?? undefined;
  const NSs = logGrid(...reachable(o.bounds, domain?.studentParameters, o.reach), o.gridPoints);
  const DSs = logGrid(...reachable(o.bounds, domain?.studentTokens, o.reach), o.gridPoints);
  const [lo, hi] = o.bounds;
  const weakestTeacher = supervisedLoss(member.supervised, lo, lo);
  const teacherLossRange = [supervisedLoss(member.supervised, hi, hi), weakestTeacher] as const;
  const LS = (NS: number, DS: number, LT: number) => distilledLoss(member, NS, DS, LT);
  const context = resolveSolverContext({ coefficients: member, bounds: o.bounds });
  const fail = (check: Implausibility["check"], detail: string): Implausibility => ({ law: "distillation", check, message: `distilled loss ${detail}` });
  for (let i = 0; i < NSs.length; i++) {
    for (let j = 0; j < DSs.length; j++) {
      if (!withinReach(DSs[j] / NSs[i], domain?.studentTokensPerParameter, o.reach)) continue;
      const best = optimalTeacherLossWith(context, NSs[i], DSs[j], { teacherLossRange });
      if (!Number.isFinite(best.studentLoss)) return fail("not finite", `not finite at ${at(NSs[i], DSs[j], ["N_S", "D_S"])} (its best teacher)`);
      for (const LT of logGrid(best.teacherLoss, weakestTeacher, Math.max(3, o.gridPoints >> 1))) {
        const where = `${at(NSs[i], DSs[j], ["N_S", "D_S"])}, L_T = ${LT.toFixed(3)}`;
        const value = LS(NSs[i], DSs[j], LT);
        if (!Number.isFinite(value)) return fail("not finite", `not finite at ${where}`);
        if (value > ceiling) return fail("above ln(n_vocab)", `${value.toPrecision(4)} above ln(n_vocab) = ${ceiling.toFixed(2)} at ${where}`);
        if (value < LT - o.tolerance) return fail("below the teacher", `${value.toPrecision(6)} below the teacher's at ${where}`);
        if (i > 0 && value > LS(NSs[i - 1], DSs[j], LT) + o.tolerance) return fail("rises with N_S", `rises with N_S at ${where}`);
        if (j > 0 && value > LS(NSs[i], DSs[j - 1], LT) + o.tolerance) return fail("rises with D_S", `rises with D_S at ${where}`);
      }
    }
  }
  return null;
}

/** The first impossible prediction a member makes in the region judged, or null when it is plausible. */
export function findImplausibility(member: EnsembleMember, options: PlausibilityOptions = {}): Implausibility | null {
  const o = {
    bounds: options.bounds ?? DEFAULT_BOUNDS, nVocab: options.nVocab ?? DEFAULT_FLOPS_MODEL.nVocab, gridPoints: options.gridPoints ?? 13,
    domain: options.domain, reach: options.reach ?? PLAUSIBILITY_REACH, tolerance: options.tolerance ?? PLAUSIBILITY_TOLERANCE,
  };
  return supervisedImplausibility(member.supervised, o) ?? distillationImplausibility(member, o);
}

/** Why a member is implausible (the first impossible prediction found), or null when it is plausible. */
export function implausibility(member: EnsembleMember, options: PlausibilityOptions = {}): string | null {
  return findImplausibility(member, options)?.message ?? null;
}

/** An ensemble with its implausible members left out: `implausible` of them, counted in `leftOut` too. */
export type PlausibleEnsemble<E extends CoefficientEnsemble> = E & { implausible: number; implausibleReason: string | null };

/**
 * The plausible members kept; the others counted in `leftOut` and `implausible` (with the first
 * reason). Checking an ensemble already checked leaves it as it is: its counts carry over.
 */
export function withoutImplausibleMembers<E extends CoefficientEnsemble & { implausible?: number; implausibleReason?: string | null }>(
  ensemble: E, options: PlausibilityOptions = {},
): PlausibleEnsemble<E> {
  const members: EnsembleMember[] = [];
  let implausible = ensemble.implausible ?? 0;
  let implausibleReason: string | null = ensemble.implausibleReason ?? null;
  for (const member of ensemble.members) {
    const reason = implausibility(member, options);
    if (reason === null) members.push(member);
    else {
      implausible++;
      implausibleReason ??= reason;
    }
  }
  const newlyLeftOut = ensemble.members.length - members.length;
  return { ...ensemble, members, leftOut: ensemble.leftOut + newlyLeftOut, implausible, implausibleReason };
}
