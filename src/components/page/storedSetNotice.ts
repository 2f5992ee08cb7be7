// The note a page shows when a coefficient set stored in this browser fails its check: the set is
// left out of the page's choices, and the reader is told which field is wrong and what the page
// uses instead, rather than meeting a broken chart.

import { unusableStoredSets } from "../state/storedSets.js";

/** A paragraph naming every unusable stored set (from the last storedCoefficientOptions()); hidden when there is none. */
export function unusableSetsNotice(fallbackLabel = "Paper (Table 6)"): HTMLElement {
  const sets = unusableStoredSets();
  const note = document.createElement("p");
  note.id = "unusable-stored-sets";
  note.className = "error";
  note.hidden = sets.length === 0;
  note.textContent = sets.map((set) => `The coefficient set “${set.name}” stored in this browser cannot be used: ${set.problem}. ` +
    `It is left out of the choices here; unless you choose another set, the page uses ${fallbackLabel}.`).join(" ");
  return note;
}
