// A borrowed law (docs/spec.md section 10): a coefficient set fitted to supervised runs only has no
// distillation law of its own. It plans distillation only when the reader chooses one for it, and
// then every distillation answer says whose law it is; its ensemble is marked so that members
// sharing that one law never count as agreement on it.

import type { CoefficientEnsemble } from "./ensemble.js";

/** Where the borrowed distillation law comes from, as the verdicts name it ("Table 6's distillation law"). */
export const PAPER_DISTILLATION_SOURCE = "Table 6";

/** What every distillation row and verdict says when the law is borrowed. */
export const BORROWED_DISTILLATION_NOTE = `${PAPER_DISTILLATION_SOURCE}'s distillation law, not fitted to these runs`;

/** The choices of a distillation law for a set that has none: none (no distillation rows) or the paper's. */
export type DistillationLawChoice = "none" | "paper";

/** Why a set without a distillation law shows no distillation rows, and how to get them. */
export function absentDistillationReason(setLabel: string, howToChoose: string): string {
  return `${setLabel} has no distillation law (it was fitted to supervised runs only), so no distillation row is planned: ` +
    `a distillation law needs distillation runs to fit it. To plan with ${BORROWED_DISTILLATION_NOTE}, ${howToChoose}.`;
}

/** The ensemble with its distillation law marked as borrowed (the members all carry the paper's). */
export function withBorrowedDistillation<E extends Pick<CoefficientEnsemble, "borrowedLaws">>(ensemble: E): E {
  return { ...ensemble, borrowedLaws: { ...ensemble.borrowedLaws, distillation: PAPER_DISTILLATION_SOURCE } };
}

/** A distillation row's label under a borrowed law: "Teacher inference (Table 6's distillation law, not fitted to these runs)". */
export function borrowedLabel(label: string): string {
  return `${label} (${BORROWED_DISTILLATION_NOTE})`;
}

/** Whose distillation law a plan's rows use: the set's own, Table 6's borrowed by choice, or none (no distillation rows). */
export interface DistillationLaw {
  source: "fitted" | "borrowed" | "absent";
  /** What the rows say about it: the borrowed law's note, or why the distillation rows are absent; null for a fitted law. */
  note: string | null;
}

export const FITTED_DISTILLATION: DistillationLaw = Object.freeze({ source: "fitted", note: null });

/**
 * The law a coefficient set plans distillation with. A set with its own law uses it, whatever the
 * choice; a set without one has no distillation rows unless the reader chose to borrow the paper's.
 * `howToChoose` completes the absent rows' sentence ("add --distillation-law paper").
 */
export function distillationLawFor(
  set: { label: string; distillationFitted: boolean },
  choice: DistillationLawChoice,
  howToChoose: string,
): DistillationLaw {
  if (set.distillationFitted) return FITTED_DISTILLATION;
  return choice === "paper"
    ? { source: "borrowed", note: BORROWED_DISTILLATION_NOTE }
    : { source: "absent", note: absentDistillationReason(set.label, howToChoose) };
}

/** The strategies planned under the law: supervised training alone when the set has no distillation law. */
export function strategiesUnderLaw<S>(law: DistillationLaw, strategies: readonly S[]): S[] {
  return law.source === "absent" ? strategies.filter((s) => s === "supervised") : [...strategies];
}

/**
 * Rows (or the strategies they come from) under the law: without one, the supervised row alone;
 * under a borrowed law, every distillation row's label says whose law it is.
 */
export function rowsUnderLaw<R extends { strategy: unknown; label: string }>(law: DistillationLaw, rows: readonly R[]): R[] {
  if (law.source === "absent") return rows.filter((r) => r.strategy === "supervised");
  if (law.source === "borrowed") return rows.map((r) => (r.strategy === "supervised" ? r : { ...r, label: borrowedLabel(r.label) }));
  return [...rows];
}

/** The ensemble under the law: marked as borrowing Table 6's distillation law when borrowed, so that its members' agreement on it counts for nothing. */
export function ensembleUnderLaw<E extends Pick<CoefficientEnsemble, "borrowedLaws">>(law: DistillationLaw, ensemble: E | null): E | null {
  return law.source === "borrowed" && ensemble ? withBorrowedDistillation(ensemble) : ensemble;
}
