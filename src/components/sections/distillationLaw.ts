// The planning pages' choice of a distillation law for a coefficient set that has none of its own
// (a set fitted on /yourruns to supervised runs only): one address field, the control's labels, how
// the choice applies to the set, and the note shown where the distillation rows would be. The rule
// itself is the CLI's (src/core/ensemble/borrowedLaw.ts): without the choice only the supervised
// row is planned; with it every distillation row and the verdict say whose law it is.

import {
  BORROWED_DISTILLATION_NOTE, PAPER_DISTILLATION_SOURCE, distillationLawFor, ensembleUnderLaw, rowsUnderLaw, strategiesUnderLaw,
  type DistillationLaw,
} from "../../core/ensemble/borrowedLaw.js";
import { STRATEGIES, planAllocations, type PlanInputs, type PlanRow } from "../../core/allocation/plan.js";
import type { CoefficientOption } from "../state/coefficientSets.js";
import { el } from "../page/dom.js";

/** The address field every planning page keeps: "none" (no distillation rows) or "paper" (borrow Table 6's law). */
export const DISTILLATION_LAW_DEFAULTS = Object.freeze({ distillation_law: "none" });

/** The field's values, for the pages' AddressSpec choices. */
export const DISTILLATION_LAW_CHOICES = Object.freeze({ distillation_law: ["none", "paper"] as readonly string[] });

/** The control's label for borrowing the paper's law: the absent rows' note names it. */
export const BORROW_DISTILLATION_LABEL = `Borrow ${PAPER_DISTILLATION_SOURCE}'s distillation law`;

/** The control's labels (Inputs.radio's map): shown text to address value. */
export const DISTILLATION_LAW_OPTIONS = new Map([["Supervised row only", "none"], [BORROW_DISTILLATION_LABEL, "paper"]]);

/** The set as the page plans with it under the reader's choice, and whose distillation law its rows use. */
export interface ChosenLaw {
  law: DistillationLaw;
  /** The set, its ensemble marked as borrowing Table 6's distillation law when the reader chose to. */
  coefficients: CoefficientOption;
}

/** The reader's choice (the address text) applied to a set; a set with its own law ignores it. */
export function chooseDistillationLaw(option: CoefficientOption, choice: string): ChosenLaw {
  const law = distillationLawFor(
    { label: "This coefficient set", distillationFitted: option.distillationFitted },
    choice === "paper" ? "paper" : "none",
    `choose “${BORROW_DISTILLATION_LABEL}” under the coefficients`,
  );
  return { law, coefficients: law.source === "borrowed" ? { ...option, ensemble: ensembleUnderLaw(law, option.ensemble) } : option };
}

/** The hint at the control: what the choice does for this set. */
export function distillationLawHint(law: DistillationLaw): string {
  if (law.source === "fitted") return "This set has its own distillation law; the choice is for a set fitted to supervised runs only.";
  if (law.source === "borrowed") return `Every distillation row and the verdict say “${BORROWED_DISTILLATION_NOTE}”.`;
  return "This set has no distillation law: only the supervised row is planned.";
}

/** The planner's rows for a set under its law: every strategy, or supervised training alone, labelled as the CLI labels them. */
export function planUnderLaw(inputs: PlanInputs, law: DistillationLaw): PlanRow[] {
  return rowsUnderLaw(law, planAllocations(inputs, strategiesUnderLaw(law, STRATEGIES.map((s) => s.id))));
}

/**
 * Where the distillation rows would be: why they are absent; under a borrowed law, whose law the
 * distillation answers use. Empty and hidden for a set with its own law.
 */
export function distillationLawNote(law: DistillationLaw, id: string): HTMLElement {
  const text = law.source === "absent" ? law.note : law.source === "borrowed" ? `The distillation answers here use ${law.note}.` : "";
  return el("p", { id, class: "distillation-law-note", "data-law": law.source, hidden: text === "" }, text);
}

/** The set's part of a page's answer keys (data-key): its id, and the law when the set has none of its own. */
export function chosenSetKey({ law, coefficients }: ChosenLaw): string {
  return law.source === "fitted" ? coefficients.id : `${coefficients.id}+${law.source}`;
}
