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
