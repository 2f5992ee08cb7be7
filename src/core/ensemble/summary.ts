// What every ensemble summary says of the ensemble it ran over, and the line shown wherever bands are.

import type { EnsembleInfo, MemberCounts } from "./question.js";
import type { EnsembleVerdict } from "./verdict.js";

/** What a summary over an ensemble says of it (describeEnsembleUse reads it). */
export interface EnsembleUse {
  /** Members solved, members the ensemble left out when it was built, resamples attempted. */
  members: number;
  leftOut: number;
  /** Of `leftOut`, the implausible members (plausibleMembers.ts) and the first one's reason. */
  implausible: number;
  implausibleReason: string | null;
  requested: number;
  ensembleKind: EnsembleInfo["kind"];
  ensembleDescription: string;
}

type EnsembleCounts = Pick<EnsembleInfo, "kind" | "description" | "leftOut" | "requested" | "implausible" | "implausibleReason">;

export function ensembleUse(ensemble: EnsembleCounts, members: number): EnsembleUse {
  return {
    members, leftOut: ensemble.leftOut, implausible: ensemble.implausible ?? 0, implausibleReason: ensemble.implausibleReason ?? null,
    requested: ensemble.requested, ensembleKind: ensemble.kind, ensembleDescription: ensemble.description,
  };
}

/** What every question's summary says after its own inputs: the level, its rows, the verdict on them and the ensemble they came from. */
export function summaryOverEnsemble<Row, Verdict>(
  level: number,
  strategies: Row[],
  verdict: Verdict,
  ensemble: EnsembleCounts,
  members: number,
): { level: number; strategies: Row[]; verdict: Verdict } & EnsembleUse {
  return { level, strategies, verdict, ...ensembleUse(ensemble, members) };
}

/** What the ensemble is, in one line: shown wherever bands are. */
export function describeEnsembleUse(u: Omit<EnsembleUse, "ensembleDescription"> & { level: number }): string {
  const kind = u.ensembleKind === "parametric-bootstrap" ? "parametric-bootstrap samples (simulated runs refitted)" : "bootstrap refits";
  return `${Math.round(100 * u.level)}% bands over ${u.members} ${kind}; ${describeLeftOut(u)}.`;
}

/** "6 of 210 left out as unusable", or with implausible members "13 of 210 left out as unusable, 7 of them implausible (first: REASON)". */
export function describeLeftOut(u: Pick<EnsembleUse, "leftOut" | "requested" | "implausible" | "implausibleReason">): string {
  const counted = `${u.leftOut} of ${u.requested} left out as unusable`;
  if (!u.implausible) return counted;
  return `${counted}, ${u.implausible} of them implausible${u.implausibleReason ? ` (first: ${u.implausibleReason})` : ""}`;
}

/** A row's member counts as export columns (every question's CSV names them alike). */
export function memberCountColumns(counts: MemberCounts | null, leftOut: number): Record<string, number | null> {
  return {
    members_used: counts?.used ?? null,
    members_unreachable: counts?.unreachable ?? null,
    members_failed: counts?.failed ?? null,
    members_left_out: leftOut,
  };
}

/** The columns every export row carries of a verdict: its sentence, its kind and the deciding rows' worst extrapolation. */
export function verdictColumns(verdict: EnsembleVerdict): Record<string, string | number | null> {
  return {
    verdict: verdict.sentence,
    verdict_kind: verdict.kind,
    verdict_extrapolation_variable: verdict.extrapolation?.variable ?? null,
    verdict_extrapolation_factor: verdict.extrapolation?.factor ?? null,
  };
}

/** The column names memberCountColumns and verdictColumns give, in order. */
export const MEMBER_COUNT_COLUMNS = ["members_used", "members_unreachable", "members_failed", "members_left_out"] as const;
export const VERDICT_COLUMNS = ["verdict", "verdict_kind", "verdict_extrapolation_variable", "verdict_extrapolation_factor"] as const;
