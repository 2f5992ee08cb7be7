// The crossover compute of Figure 8 across an ensemble (docs/spec.md section 9): each member's crossover,
// found by a root search started at the point fit's crossover (members cross near it), and their
// 90% interval. A member in which distillation stays ahead over every feasible budget has "no
// crossover in range"; it counts as a crossover beyond the range, so that an interval whose upper
// end lies there says so instead of hiding those members.

import { band } from "../ensemble/bands.js";
import { supervisedStudentWith, type SolverContext } from "../allocation/optimizer.js";
import { feasibleBudgetRangeWith } from "../allocation/feasibility.js";
import { supervisedCrossoverWith } from "../allocation/crossover.js";
import { solveStrategyWith, type StrategySearch } from "../allocation/strategy.js";
import type { ScenarioId } from "../laws/scenarios.js";

export interface CrossoverSearchOptions {
  /** Step of the bracketing walk from the start, decades (default 0.25). */
  stepDecades?: number;
  /** Width of the final bracket in log C (default 1e-4: C to 0.01%). */
  logTolerance?: number;
}

/**
 * The budget at which supervised training of the student catches `scenario`, in one coefficient
 * set's resolved context (a member's), searched from `start` (the point fit's crossover): walk in steps until the advantage of
 * distillation changes sign, then bisect. Without a start, the full scan of supervisedCrossover.
 * Null: no crossover in the feasible range.
 */
export function crossoverNear(
  context: SolverContext,
  studentParameters: number,
  scenario: ScenarioId,
  start: number | null,
  { stepDecades = 0.25, logTolerance = 1e-4 }: CrossoverSearchOptions = {},
): number | null {
  if (start === null) return supervisedCrossoverWith(context, studentParameters, scenario)?.budget ?? null;
  const range = feasibleBudgetRangeWith(context, studentParameters, scenario);
  const logMin = Math.log(range.minimum), logMax = Math.log(range.maximum);
  const step = stepDecades * Math.LN10;
  // Consecutive solves are close in budget: each warm-starts the next (paid-teacher scenarios).
  let near: StrategySearch["near"];
  const advantage = (logC: number) => {
    const C = Math.exp(logC);
    const distilled = solveStrategyWith(context, studentParameters, C, scenario, near ? { near } : {});
    // Every budget searched lies in the feasible range; an infeasible answer would be a bug.
    if (distilled.status !== "optimal") throw new Error(`crossover search left the feasible range: ${distilled.message}`);
    near = distilled.teacherDetermined && distilled.teacherParameters !== null && distilled.teacherTokens !== null
      ? { teacherParameters: distilled.teacherParameters, teacherTokens: distilled.teacherTokens } : undefined;
    return supervisedStudentWith(context, studentParameters, C).loss - distilled.studentLoss;
  };
  let x = Math.min(logMax, Math.max(logMin, Math.log(start)));
  let ahead: number, behind: number; // advantage > 0 at `ahead`, <= 0 at `behind`
  if (advantage(x) <= 0) {
    behind = x;
    for (;;) {
      if (behind <= logMin) return range.minimum;
      const y = Math.max(logMin, behind - step);
      if (advantage(y) > 0) { ahead = y; break; }
      behind = y;
    }
  } else {
    ahead = x;
    for (;;) {
      if (ahead >= logMax) return null;
      const y = Math.min(logMax, ahead + step);
      if (advantage(y) <= 0) { behind = y; break; }
      ahead = y;
    }
  }
  while (behind - ahead > logTolerance) {
    const m = 0.5 * (ahead + behind);
    if (advantage(m) <= 0) behind = m;
    else ahead = m;
  }
  return Math.exp(behind);
}

export interface CrossoverInterval {
  /** 5th and 95th percentile of the members' crossovers; null: beyond the feasible range (JSON-safe). */
  low: number | null;
  high: number | null;
  median: number | null;
  /** Members without a crossover in range. */
  none: number;
  members: number;
  level: number;
}

/** The interval of the members' crossovers (null entries: no crossover in range). */
export function crossoverInterval(crossovers: readonly (number | null)[], level = 0.9): CrossoverInterval | null {
  if (crossovers.length === 0) return null;
  // "No crossover" is a crossover beyond every budget: ranked above all, it lifts the upper
  // quantile to "beyond the range" once more than (1 - level) / 2 of the members have none.
  const BEYOND = Number.MAX_VALUE;
  const b = band(crossovers.map((c) => (c === null ? BEYOND : c)), level)!;
  const unbounded = (v: number) => (v >= 1e300 ? null : v);
  return {
    low: unbounded(b.low), high: unbounded(b.high), median: unbounded(b.median),
    none: crossovers.filter((c) => c === null).length, members: crossovers.length, level,
  };
}
