// Bands and shares over an ensemble (docs/spec.md section 9): the 5th to 95th percentile of a derived
// quantity across members, each member re-optimised on its own, and the share of members in
// which a strategy beats supervised training. CONTRACT: keep these names and fields.

import { quantileSorted } from "d3-array";

export interface Band {
  /** The lower and upper quantiles ((1 - level) / 2 and (1 + level) / 2). */
  low: number;
  high: number;
  median: number;
  /** Members with a finite value (the others are counted in `missing`). */
  count: number;
  missing: number;
  level: number;
}

/**
 * The band of a quantity over members. Non-finite values (an infeasible member) are counted, not
 * used. One member collapses the band to its value; none gives null.
 */
export function band(values: readonly number[], level = 0.9): Band | null {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return null;
  const tail = (1 - level) / 2;
  return {
    low: quantileSorted(finite, tail)!,
    high: quantileSorted(finite, 1 - tail)!,
    median: quantileSorted(finite, 0.5)!,
    count: finite.length,
    missing: values.length - finite.length,
    level,
  };
}

/** The fraction of paired entries where `candidate` is strictly below `baseline` (ties count for the baseline). */
export function shareBelow(candidate: readonly number[], baseline: readonly number[]): number {
  if (candidate.length !== baseline.length) throw new RangeError("shareBelow: arrays of different lengths");
  if (candidate.length === 0) return NaN;
  let wins = 0;
  for (let i = 0; i < candidate.length; i++) if (candidate[i] < baseline[i]) wins++;
  return wins / candidate.length;
}

/** A band as three export columns, `${name}_p05`, `${name}_median`, `${name}_p95` (nulls without a band). */
export function bandColumns(name: string, b: Band | null | undefined): Record<string, number | null> {
  return { [`${name}_p05`]: b?.low ?? null, [`${name}_median`]: b?.median ?? null, [`${name}_p95`]: b?.high ?? null };
}
