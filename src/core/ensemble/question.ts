// An ensemble question described once (docs/architecture.md, "Ensemble questions"): how to prepare
// what every member shares (the point fit's answer, a warm start), how to solve one member, and
// how to summarise the members' outcomes into bands and a verdict. Runners (inline here, Node
// worker threads, the browser's worker pool) only move members and outcomes; they never know
// what a question computes.

import type { LawCoefficients } from "../allocation/optimizer.js";
import type { ValidityDomain } from "../domain/validity.js";
import type { CoefficientEnsemble, EnsembleMember } from "./ensemble.js";

/** What a summary says of the ensemble it ran over (shown wherever bands are). */
export type EnsembleInfo = Pick<CoefficientEnsemble, "kind" | "description" | "leftOut" | "requested" | "borrowedLaws" | "implausible" | "implausibleReason">;

/** The coefficient set a question runs against: its point fit, its validity domain and its ensemble's description. */
export interface QuestionContext {
  point: LawCoefficients;
  /** Null for a set without one: extrapolation is then not checked. */
  domain: ValidityDomain | null;
  ensemble: EnsembleInfo;
}

/**
 * One question over an ensemble. `prepare` runs once per request (main thread or worker: it must be
 * deterministic, and its result structured-cloneable so that a pool can prepare once and send it);
 * `solveMember` runs once per member and must not throw for a member's bad coefficients (a failure
 * is an outcome); `summarise` sees every outcome in member order.
 */
export interface EnsembleQuestion<Input, Prepared, Outcome, Summary> {
  name: string;
  prepare?(input: Input, context: QuestionContext): Prepared;
  solveMember(member: EnsembleMember, input: Input, prepared: Prepared): Outcome;
  summarise(outcomes: readonly Outcome[], input: Input, prepared: Prepared, context: QuestionContext): Summary;
}

/**
 * What every member's solve of a question with bands shares (its `prepare`'s result): the point
 * fit's answers, one per strategy (each member's search may start there), and the brackets the
 * bands widen with beyond the domain (null where a strategy has none).
 */
export interface PointAnswers<Answer, Bracket> {
  point: Answer[];
  brackets: (Bracket | null)[];
}

/** A contiguous run of members: what one worker solves. */
export interface MemberRange {
  first: number;
  count: number;
}

/** `parts` contiguous ranges covering `total` members as evenly as possible (empty ranges dropped). */
export function memberRanges(total: number, parts: number): MemberRange[] {
  const n = Math.max(1, Math.min(Math.floor(parts), total));
  const ranges: MemberRange[] = [];
  for (let w = 0; w < n; w++) {
    const first = Math.floor((w * total) / n);
    const count = Math.floor(((w + 1) * total) / n) - first;
    if (count > 0) ranges.push({ first, count });
  }
  return ranges;
}

/** The counts every row of a summary carries, in one vocabulary. */
export interface MemberCounts {
  /** Members with an answer for this row. */
  used: number;
  /** Members in which the row has no answer: the budget is infeasible, the target unreachable. */
  unreachable: number;
  /** Members whose solve threw (counted apart, never dropped silently). */
  failed: number;
  /** The first failure's message, if any. */
  failure: string | null;
}

/** Counts of a row from its member outcomes: null is unreachable, an object with `failure` failed, anything else used. */
export function memberCounts(outcomes: readonly ({ failure?: string } | null)[]): MemberCounts {
  let used = 0, unreachable = 0, failed = 0;
  let failure: string | null = null;
  for (const o of outcomes) {
    if (o === null) unreachable++;
    else if (o.failure !== undefined) {
      failed++;
      failure ??= o.failure;
    } else used++;
  }
  return { used, unreachable, failed, failure };
}
