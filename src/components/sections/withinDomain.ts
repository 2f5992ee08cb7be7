// The within-domain switch of the planner, target-loss and lifetime pages: two address fields
// (the switch and the widening factor), how they are read, and the table that shows each
// strategy's answer inside the widened validity domain beside the unconstrained one
// (src/core/domain/withinDomain.ts computes it; docs/within-domain.md explains it).

import { formatCostRatio, type WithinDomainSummary } from "../../core/domain/withinDomain.js";
import { formatExponent, formatQuantity } from "../../core/inputs/units.js";
import { el } from "../page/dom.js";

/** The two address fields every page with the switch keeps. */
export const WITHIN_DOMAIN_DEFAULTS = Object.freeze({ within: "off", within_factor: "1" });

/** The switch's values, for the pages' AddressSpec choices. */
export const WITHIN_DOMAIN_CHOICES = Object.freeze({ within: ["off", "on"] as readonly string[] });

/** The switch's labels (Inputs.radio's map): shown text to address value. */
export const WITHIN_DOMAIN_OPTIONS = new Map([["Unconstrained only", "off"], ["Also inside the fitted runs", "on"]]);

/** The largest factor accepted: beyond it the box is the optimiser's own bounds anyway. */
const MAX_FACTOR = 1e6;

/** The switch as read: the factor when on (null when off), or the message for the factor's field. */
export function readWithinDomain(within: string, factorText: string): { factor: number | null; error?: string } {
  if (within !== "on") return { factor: null };
  const factor = Number(factorText);
  if (factorText.trim() === "" || !(Number.isFinite(factor) && factor >= 1 && factor <= MAX_FACTOR)) {
    return { factor: null, error: `Type a widening factor from 1 (the fitted runs' own box) to ${formatQuantity(MAX_FACTOR)}, such as 3.` };
  }
  return { factor };
}

const formatValue = (s: WithinDomainSummary, x: number | null) =>
  x === null ? "–" : s.quantity === "student loss" ? x.toFixed(4) : formatExponent(x, 3);
const formatCost = (s: WithinDomainSummary) =>
  s.cost === null ? "–" : s.costUnit === "nats" ? `+${Math.max(0, s.cost).toFixed(4)} nats` : `×${formatCostRatio(s.cost)}`;
const quantity = (x: number | null) => (x === null ? "–" : formatQuantity(x));

/**
 * The within-domain table: per strategy the unconstrained and inside answers, the cost of staying
 * inside, the inside allocation and what binds, then one sentence each (with the budgets or
 * targets that have an allocation inside when this one has none). Every row carries its numbers
 * in data- attributes at full precision.
 */
export function withinDomainTable(summaries: readonly WithinDomainSummary[], options: { id: string; domainSource: string }): HTMLElement {
  const first = summaries[0];
  const factor = first?.factor ?? 1;
  const what = first?.quantity === "student loss" ? "L_S (nats)" : first?.quantity === "compute" ? "Least compute (FLOPs)" : "Lifetime FLOPs";
  const header = ["Strategy", `${what}, unconstrained`, `${what}, inside`, "Cost of staying inside", "N_S", "D_S", "N_T", "D_T", "L_T", "Binds"];
  const rows = summaries.map((s) => el("tr", {
    "data-strategy": s.id, "data-status": s.status, "data-free": s.free ?? "", "data-inside": s.inside ?? "", "data-cost": s.cost ?? "",
    "data-feasible-min": s.feasible?.minimum ?? "", "data-feasible-max": s.feasible?.maximum ?? "",
  },
  el("td", {}, s.label), el("td", {}, formatValue(s, s.free)),
  el("td", {}, s.status === "inside" ? formatValue(s, s.inside) : "none inside"), el("td", {}, formatCost(s)),
  el("td", {}, quantity(s.studentParameters)), el("td", {}, quantity(s.studentTokens)), el("td", {}, quantity(s.teacherParameters)),
  el("td", {}, quantity(s.teacherTokens)), el("td", {}, s.teacherLoss === null ? "–" : s.teacherLoss.toFixed(4)),
  el("td", {}, s.edges.join(", ") || "–")));
  return el("div", { id: options.id, class: "within-domain", "data-factor": factor },
    el("p", {}, `Every variable a strategy needs (N_S, D_S, D_S/N_S, N_T, D_T, L_T) held inside ${options.domainSource}` +
      (factor === 1 ? "" : `, each range widened to [min/${factor}, max × ${factor}]`) + "."),
    el("div", { class: "within-domain-scroll" },
      el("table", {}, el("thead", {}, el("tr", {}, header.map((h) => el("th", {}, h)))), el("tbody", {}, rows))),
    el("ul", { class: "within-domain-notes" }, summaries.map((s) => el("li", { "data-strategy": s.id }, el("b", {}, `${s.label}: `), s.sentence))));
}
