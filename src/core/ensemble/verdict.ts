// The one verdict over an ensemble (docs/spec.md sections 9 and 10, docs/extrapolation.md): in each
// member the row with the lowest value wins; a winner is named only when it wins in at least
// VERDICT_AGREEMENT of the members, the rows that decide it stay within the extrapolation limits
// of the coefficient set's validity domain, and none of them rests on a law the set borrowed. Every
// question (planner, target loss, lifetime, Figure 8's crossovers, the sweep, the report, the CLI)
// phrases its verdict through this function.

import type { ValidityFlag } from "../domain/validity.js";
import { upperFirst } from "../export/sentenceCase.js";

/** Best in this share of members or more: a winner can be named. */
export const VERDICT_AGREEMENT = 0.9;

/** A share-based verdict is decided by every row best in at least this share of members. */
export const DECIDING_SHARE = 0.1;

/**
 * Beyond this extrapolation factor of the validity domain in a size, a token count or tokens per
 * parameter that a deciding row needs, the runs cannot decide a verdict: the law's form does.
 * Measured in docs/extrapolation.md (where the members' spread of the compared quantity doubles).
 */
export const EXTRAPOLATION_LIMIT = 2;

/** The same for the teacher's loss, whose factor is a ratio of losses (1.1: 10% stronger than the strongest fitted teacher). */
export const LOSS_EXTRAPOLATION_LIMIT = 1.1;

/** The limit of a variable as the validity notes name it ("L_T*" is a loss, the rest sizes and counts). */
export function extrapolationLimit(variable: string): number {
  return variable.startsWith("L_T") ? LOSS_EXTRAPOLATION_LIMIT : EXTRAPOLATION_LIMIT;
}

/** How far an answer leans on the law's form: its worst variable. */
export interface Extrapolation {
  /** As the validity notes name it: "D_S/N_S", "N_T*", "L_T*", "N". */
  variable: string;
  /** >= 1: v/hi above the domain, lo/v below it. */
  factor: number;
  side: "below" | "above";
  /** The variable's limit (extrapolationLimit). */
  limit: number;
}

/** How far beyond its limit an extrapolation lies, comparable across variables: log factor / log limit (> 1: beyond). */
export function excess(e: Pick<Extrapolation, "factor" | "limit">): number {
  return Math.log(e.factor) / Math.log(e.limit);
}

/** The variable furthest beyond its limit among validity flags (null: inside the domain). */
export function worstExtrapolation(flags: readonly ValidityFlag[]): Extrapolation | null {
  let worst: Extrapolation | null = null;
  for (const f of flags) {
    const e = { variable: f.variable, factor: f.factor, side: f.side, limit: extrapolationLimit(f.variable) };
    if (worst === null || excess(e) > excess(worst)) worst = e;
  }
  return worst;
}

/**
 * The worst extrapolation among the rows that decide an answer (furthest beyond its limit), with
 * the row's index, and whether the runs can still decide it (every deciding row within its limit).
 */
export function decidingExtrapolation(extrapolations: readonly (Extrapolation | null | undefined)[]): {
  worst: (Extrapolation & { index: number }) | null;
  decidedByRuns: boolean;
} {
  let worst: (Extrapolation & { index: number }) | null = null;
  extrapolations.forEach((e, index) => {
    if (e && (worst === null || excess(e) > excess(worst))) worst = { ...e, index };
  });
  return { worst, decidedByRuns: worst === null || excess(worst) <= 1 };
}

/** A factor as the sentences print it: "1.4x", "23x", "3,624x". */
export function formatFactor(factor: number): string {
  if (factor < 10) return `${factor.toPrecision(2)}x`;
  return `${String(Math.round(factor)).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}x`;
}

/** A share as a percentage that never rounds to 0% or 100% unless it is exactly that. */
export function formatShare(share: number): string {
  const p = 100 * share;
  // 99.6% must not read "100%" unless every member agrees, nor 0.4% read "0%".
  if (p > 99 && p < 100) return `${p.toFixed(1)}%`;
  if (p > 0 && p < 1) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

/** One row a verdict compares. */
export interface VerdictRow {
  id: string;
  label: string;
  /** As a sentence names it: "supervised training", "teacher inference". */
  name: string;
  /** The row's extrapolation at the point fit's answer; null inside the domain or unchecked. */
  extrapolation?: Extrapolation | null;
  /** The source of a borrowed law the row rests on ("Table 6"), if any. */
  borrowedLaw?: string | null;
}

/** How a question words its verdict. */
export interface VerdictPhrasing {
  /** The winner's clause: name => `${name} wins`, `${name} needs the least compute`. */
  best(name: string): string;
  /** The leading clause of a close call (default `best`): name => `the least lifetime FLOPs with ${name}`. */
  closeLead?(name: string): string;
  /** "a winner needs", "a verdict needs". */
  needs: string;
  /** The sentence when no member has an answer. */
  none: string;
  /** Appended to every sentence (" Compared: ..."). */
  suffix?: string;
}

export interface VerdictShare {
  id: string;
  label: string;
  /** Share of all members in which this row is best. */
  share: number;
}

export interface EnsembleVerdict {
  /**
   * "winner": one row best in >= `agreement` of the members, inside the limit; "too-close": no row
   * reaches the agreement; "extrapolates": a deciding row lies beyond the limit; "borrowed": a
   * deciding row rests on a borrowed law; "none": no member has an answer.
   */
  kind: "winner" | "too-close" | "extrapolates" | "borrowed" | "none";
  winner: string | null;
  /** Every row best in at least one member, largest share first. */
  shares: VerdictShare[];
  agreement: number;
  /** The rows that decide the verdict (winner and runner-up, or every row with >= DECIDING_SHARE). */
  deciding: string[];
  /** The deciding rows' worst extrapolation (furthest beyond its limit), with the row it belongs to; null: all inside (or unchecked). */
  extrapolation: (Extrapolation & { id: string }) | null;
  /** The borrowed law a deciding row rests on, if any. */
  borrowedLaw: string | null;
  sentence: string;
}

function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return Infinity;
  const m = finite.length >> 1;
  return finite.length % 2 ? finite[m] : 0.5 * (finite[m - 1] + finite[m]);
}

/**
 * The verdict over `values[row][member]` (lower is better; a non-finite value never wins). In each
 * member the lowest finite value wins, ties to the earlier row. The runner-up of a clear winner is
 * the row with the next largest share, or (when the winner takes every member) the row with the
 * lowest median value.
 */
export function ensembleVerdict(
  rows: readonly VerdictRow[],
  values: readonly (readonly number[])[],
  phrasing: VerdictPhrasing,
  { agreement = VERDICT_AGREEMENT }: { agreement?: number } = {},
): EnsembleVerdict {
  if (values.length !== rows.length) throw new RangeError(`ensembleVerdict: ${values.length} value columns for ${rows.length} rows`);
  const total = values[0]?.length ?? 0;
  const counts = new Array<number>(rows.length).fill(0);
  for (let b = 0; b < total; b++) {
    let best = -1;
    for (let i = 0; i < rows.length; i++) if (Number.isFinite(values[i][b]) && (best < 0 || values[i][b] < values[best][b])) best = i;
    if (best >= 0) counts[best]++;
  }
  const ranked = counts.map((n, i) => ({ i, n })).filter(({ n }) => n > 0).sort((a, b) => b.n - a.n || a.i - b.i);
  const shares = ranked.map(({ i, n }) => ({ id: rows[i].id, label: rows[i].label, share: n / total }));
  const suffix = phrasing.suffix ?? "";
  const base = { shares, agreement };
  if (total === 0 || ranked.length === 0) {
    return { ...base, kind: "none", winner: null, deciding: [], extrapolation: null, borrowedLaw: null, sentence: phrasing.none + suffix };
  }
  const top = ranked[0];
  const clear = top.n / total >= agreement;
  let deciding: number[];
  if (clear) {
    const others = rows.map((_, i) => i).filter((i) => i !== top.i);
    const runnerUp = ranked[1]?.i ?? others.sort((a, b) => median(values[a]) - median(values[b]) || a - b)[0];
    deciding = runnerUp === undefined ? [top.i] : [top.i, runnerUp];
  } else {
    deciding = ranked.filter(({ n }) => n / total >= DECIDING_SHARE).map(({ i }) => i);
  }
  const { worst, decidedByRuns } = decidingExtrapolation(deciding.map((i) => rows[i].extrapolation));
  let extrapolation: EnsembleVerdict["extrapolation"] = null;
  if (worst !== null) {
    const { index, ...e } = worst;
    extrapolation = { ...e, id: rows[deciding[index]].id };
  }
  const borrowedLaw = deciding.map((i) => rows[i].borrowedLaw).find((s): s is string => !!s) ?? null;
  const rest = ranked.slice(1).map(({ i, n }) => `${rows[i].name} in ${formatShare(n / total)}`);
  const restText = rest.length ? ` (${rest.join(", ")})` : "";
  const topName = rows[top.i].name;
  const decided = { ...base, deciding: deciding.map((i) => rows[i].id), extrapolation, borrowedLaw };
  const lead = `${phrasing.best(topName)} in ${formatShare(top.n / total)} of the ${total} coefficient samples${restText}`;
  if (borrowedLaw !== null) {
    return {
      ...decided, kind: "borrowed", winner: null,
      sentence: `The runs cannot decide this: ${lead}, but the distillation rows use ${borrowedLaw}'s distillation law, not fitted to these runs, so the members' agreement on them measures nothing.${suffix}`,
    };
  }
  if (!decidedByRuns) {
    // Each deciding row beyond its limit, by its worst variable: the winner's and the runner-up's may differ.
    const beyond = deciding.filter((i) => { const e = rows[i].extrapolation; return !!e && excess(e) > 1; }).map((i, k) => {
      const e = rows[i].extrapolation!;
      const where = `${e.variable} ${formatFactor(e.factor)} ${e.side === "below" ? "below" : "beyond"}`;
      return k === 0 ? `${rows[i].name} extrapolates ${where} the fitted runs` : `${rows[i].name} ${where}`;
    });
    return {
      ...decided, kind: "extrapolates", winner: null,
      sentence: `The laws cannot decide this from the runs: ${lead}, but at the point fit's answer ${beyond.join(", ")}` +
        ` (the runs decide up to ${formatFactor(EXTRAPOLATION_LIMIT)} in sizes and tokens, ${formatFactor(LOSS_EXTRAPOLATION_LIMIT)} in the teacher's loss).${suffix}`,
    };
  }
  if (clear) {
    return { ...decided, kind: "winner", winner: rows[top.i].id, sentence: `${upperFirst(lead)}.${suffix}` };
  }
  const closeLead = (phrasing.closeLead ?? phrasing.best)(topName);
  return {
    ...decided, kind: "too-close", winner: null,
    sentence: `Too close to call for these coefficients: ${[`${closeLead} in ${formatShare(top.n / total)} of the ${total} samples`, ...rest].join(", ")}` +
      ` (${phrasing.needs} ${formatShare(agreement)} of them).${suffix}`,
  };
}
