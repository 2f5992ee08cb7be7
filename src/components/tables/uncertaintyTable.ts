// The planner's uncertainty section: per strategy the point L_S* with its 90% band, the band of
// the difference to supervised training, the share of samples in which the strategy beats
// supervised training and the bands of the allocation; the verdict sentence; the members used and
// left out. Also the validity flags of each plan row. Every number carries its full-precision
// value in data-value (tests compare them with `npm run plan -- --uncertainty`).

import type { Band } from "../../core/ensemble/bands.js";
import type { PlanRow } from "../../core/allocation/plan.js";
import type { PlanUncertainty } from "../../core/uncertainty/planUncertainty.js";
import { formatShare } from "../../core/ensemble/verdict.js";
import { describeEnsembleUse } from "../../core/ensemble/summary.js";
import type { ValidityFlag } from "../../core/domain/validity.js";
import { formatQuantity } from "../../core/inputs/units.js";
import { el } from "../page/dom.js";

const loss = (x: number) => x.toFixed(4);
const difference = (x: number) => (x > 0 ? "+" : x < 0 ? "−" : "±") + Math.abs(x).toFixed(4);

/** A band's cell: its sides, and "(widened)" beyond the fitted runs ("unbounded" for a side out of reach). */
export function bandCell(field: string, b: (Band & { widened?: boolean }) | null | undefined, format: (x: number) => string, none = "—"): HTMLTableCellElement {
  if (!b) return el("td", { class: "none", "data-field": field }, none);
  // A band beyond the fitted runs carries the measured out-of-domain error, and says so.
  const widened = b.widened === true;
  return el("td", {
    "data-field": field, "data-low": b.low, "data-high": b.high, "data-median": b.median, "data-widened": widened,
    title: `median ${format(b.median)}; ${b.count} samples${widened ? "; widened by the error measured beyond the runs" : ""}`,
  }, b.low === b.high ? format(b.low) : `${format(b.low)} … ${b.high === Infinity ? "unbounded" : format(b.high)}`, ...(widened ? [el("small", {}, " (widened)")] : []));
}

/** The bands table, the verdict and the ensemble line. */
export function uncertaintyTable(u: PlanUncertainty, { id }: { id?: string } = {}): HTMLElement {
  const pct = Math.round(100 * u.level);
  const head = el("thead", {}, el("tr", {},
    el("th", {}, "Strategy"),
    el("th", {}, "L_S*", el("br"), el("small", {}, "point, nats")),
    el("th", {}, `L_S* ${pct}% band`, el("br"), el("small", {}, "nats")),
    el("th", {}, `vs supervised ${pct}% band`, el("br"), el("small", {}, "nats")),
    el("th", {}, "Beats supervised", el("br"), el("small", {}, "share of samples")),
    el("th", {}, `N_T* ${pct}% band`, el("br"), el("small", {}, "parameters")),
    el("th", {}, `D_T* ${pct}% band`, el("br"), el("small", {}, "tokens")),
    el("th", {}, `D_S* ${pct}% band`, el("br"), el("small", {}, "tokens")),
    el("th", {}, "Samples", el("br"), el("small", {}, "used"))));
  const body = el("tbody", {}, u.strategies.map((s) => el("tr", { "data-strategy": s.strategy, class: s.strategy === u.verdict.winner ? "winner" : null },
    el("th", { scope: "row" }, s.label),
    s.pointStudentLoss === null ? el("td", { class: "none" }, "infeasible") : el("td", { "data-field": "L_S", "data-value": s.pointStudentLoss }, loss(s.pointStudentLoss)),
    bandCell("L_S", s.studentLoss, loss),
    s.strategy === "supervised" ? el("td", { class: "none" }, "—") : bandCell("L_S_minus_supervised", s.differenceToSupervised, difference),
    s.shareBeatingSupervised === null ? el("td", { class: "none" }, "—")
      : el("td", { "data-field": "share_beating_supervised", "data-value": s.shareBeatingSupervised }, formatShare(s.shareBeatingSupervised)),
    bandCell("N_T", s.teacherParameters, formatQuantity),
    bandCell("D_T", s.teacherTokens, formatQuantity),
    bandCell("D_S", s.studentTokens, formatQuantity),
    el("td", { "data-field": "members", "data-value": s.used, "data-infeasible": s.unreachable, "data-failed": s.failed, title: s.failure ?? "" },
      `${s.used}${s.unreachable ? ` (${s.unreachable} infeasible)` : ""}${s.failed ? ` (${s.failed} failed)` : ""}`))));
  return el("div", { class: "uncertainty", id },
    el("p", { class: "uncertainty-verdict", "data-kind": u.verdict.kind, "data-winner": u.verdict.winner ?? "" }, u.verdict.sentence),
    el("div", { class: "table-scroll" }, el("table", { class: "uncertainty-table" }, head, body)),
    el("p", { class: "uncertainty-members", "data-members": u.members, "data-left-out": u.leftOut, "data-requested": u.requested },
      `${describeEnsembleUse(u)} ${u.ensembleDescription}`));
}

/** Each plan row's extrapolations, or a line saying the plan is inside the set's domain. */
export function validityNotes(rows: readonly PlanRow[], flags: readonly ValidityFlag[][], domainSource: string | null): HTMLElement {
  if (domainSource === null) {
    return el("div", { class: "validity-notes", "data-domain": "none" }, el("p", {}, "This coefficient set carries no validity domain: the plan is not checked for extrapolation."));
  }
  const flagged = rows.map((row, i) => ({ row, flags: flags[i] })).filter((r) => r.flags.length > 0);
  return el("div", { class: "validity-notes", "data-domain": domainSource },
    flagged.length === 0
      ? el("p", { class: "validity-inside" }, `Every row lies inside the region the coefficients were fitted on (${domainSource}).`)
      : [
        el("p", {}, `Outside the region the coefficients were fitted on (${domainSource}): these numbers extrapolate the laws.`),
        el("ul", {}, flagged.map(({ row, flags: f }) => el("li", { "data-strategy": row.strategy },
          el("b", {}, `${row.label}: `),
          f.flatMap((flag, k) => [k > 0 ? "; " : null, el("span", { class: "validity-flag", "data-variable": flag.variable, "data-factor": flag.factor, "data-side": flag.side }, flag.message)])))),
      ]);
}
