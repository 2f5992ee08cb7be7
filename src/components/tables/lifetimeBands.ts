// The lifetime page's uncertainty: a status line beside the point answer (a progress bar while the
// workers answer the question with every ensemble member, then the verdict with its share and
// what the ensemble is), and the bands table. Every number carries its full-precision value in
// data attributes (the browser tests compare them with the core's).

import type { CoefficientEnsemble } from "../../core/ensemble/ensemble.js";
import type { LifetimeAnswer } from "../../core/questions/lifetime.js";
import { lifetimeBrackets, type LifetimeUncertainty, type LifetimeUncertaintyInputs } from "../../core/uncertainty/lifetimeUncertainty.js";
import { formatShare } from "../../core/ensemble/verdict.js";
import { describeEnsembleUse } from "../../core/ensemble/summary.js";
import { formatExponent, formatQuantity } from "../../core/inputs/units.js";
import { formatRatio } from "./numberFormat.js";
import { el } from "../page/dom.js";
import { bandCell } from "./uncertaintyTable.js";
import { WIDENED_BANDS_NOTE } from "../../core/domain/bandWidening.js";
import type { EnsembleVerdict } from "../../core/ensemble/verdict.js";
import { browserEnsemblePool, type PoolCoefficientSet } from "../../workers/ensemblePool.js";

/** A page's coefficient option: its ensemble may be missing. */
type PoolCoefficientSetOption = Omit<PoolCoefficientSet, "ensemble"> & { ensemble: CoefficientEnsemble | null | undefined };
import { bandProgress } from "../page/bandProgress.js";
import { afterPaint } from "../page/timing.js";

/** The pool's slot of the lifetime bands: a newer answer's bands supersede the last. */
export const LIFETIME_BANDS_SLOT = "lifetime";

export interface LifetimeBandsJob {
  /** Progress while the bands compute, then the verdict and the ensemble line; data-state says which. */
  status: HTMLElement;
  /** The bands; null when superseded or when the set has no ensemble. Rejects if a worker fails. */
  result: Promise<LifetimeUncertainty | null>;
}

/**
 * Posts the request after the point answer has painted. `key` names the answer the bands belong
 * to (data-answer-key, as the point answer's), `pointNote` what the verdict's point optimum needs
 * of the laws beyond the fitted runs that the verdict does not say ("" when nothing).
 */
export function startLifetimeBands(
  { inputs, point, coefficients, key, pointNote }: {
    inputs: LifetimeUncertaintyInputs; point: LifetimeAnswer[]; coefficients: PoolCoefficientSetOption; key: string;
    pointNote: (verdict: EnsembleVerdict) => string;
  },
): LifetimeBandsJob {
  const status = el("div", { id: "lifetime-verdict", class: "lifetime-verdict", "data-answer-key": key, role: "status", "aria-live": "polite" });
  const ensemble = coefficients.ensemble;
  if (!ensemble || ensemble.members.length === 0) {
    status.dataset.state = "none";
    status.append(el("p", { class: "muted" }, "This coefficient set carries no ensemble of coefficient samples, so the answer has no bands: it is the point fit's."));
    return { status, result: Promise.resolve(null) };
  }
  const line = el("p", { class: "muted" }, bandProgress({ done: 0, total: ensemble.members.length }));
  status.dataset.state = "computing";
  status.append(line);
  const started = performance.now();
  // afterPaint resolves with the run's promise: the second then waits for the run itself.
  const result = afterPaint(() => browserEnsemblePool().run("lifetime", inputs, { ...coefficients, ensemble }, {
    // Beyond the domain the point fit answers again at the bracketing targets (a few hundred ms), after the answer has painted.
    slot: LIFETIME_BANDS_SLOT, prepared: [{ point, brackets: lifetimeBrackets(inputs, point, coefficients) }], onProgress: (progress) => line.replaceChildren(bandProgress(progress)),
  })).then((running) => running).then((u) => {
    if (u === null) return null;
    const share = u.verdict.shares.find((s) => s.id === u.verdict.winner)?.share ?? u.verdict.shares[0]?.share ?? 0;
    const note = pointNote(u.verdict);
    status.replaceChildren(
      el("p", { class: "lifetime-verdict-sentence", "data-kind": u.verdict.kind, "data-winner": u.verdict.winner ?? "", "data-share": share },
        el("b", {}, u.verdict.kind === "winner" ? "How sure: " : "Not sure: "), u.verdict.sentence,
        note ? ` ${note}` : ""),
      el("p", { class: "lifetime-members muted", "data-members": u.members, "data-left-out": u.leftOut, "data-requested": u.requested },
        `${describeEnsembleUse(u)} ${u.ensembleDescription}`));
    status.dataset.state = "done";
    status.dataset.milliseconds = String(performance.now() - started);
    // The time of the frame that shows the bands (read by scripts/measure/questions.ts).
    requestAnimationFrame(() => { status.dataset.painted = String(performance.now()); });
    return u;
  }, (error) => {
    status.dataset.state = "error";
    status.replaceChildren(el("p", { class: "field-error" }, `The bands could not be computed: ${error?.message ?? error}`));
    throw error;
  });
  return { status, result };
}

/** One row per strategy: the point optimum's N_S* and the bands over the members. */
export function lifetimeBandsTable(u: LifetimeUncertainty): HTMLElement {
  const pct = `${Math.round(100 * u.level)}%`;
  const target = u.comparison === "ratio";
  const signed = (x: number) => (x > 0 ? "+" : x < 0 ? "−" : "±") + Math.abs(x).toFixed(4);
  const head = el("thead", {}, el("tr", {},
    el("th", {}, "Strategy"),
    el("th", {}, `N_S* ${pct} band`, el("br"), el("small", {}, "parameters")),
    el("th", {}, `D_S/N_S ${pct} band`, el("br"), el("small", {}, "tokens per parameter")),
    target ? el("th", {}, `Lifetime FLOPs ${pct} band`) : el("th", {}, `L_S ${pct} band`, el("br"), el("small", {}, "nats")),
    el("th", {}, target ? `÷ supervised ${pct} band` : `vs supervised ${pct} band`, el("br"), el("small", {}, target ? "lifetime FLOPs ratio, same sample" : "nats, same sample")),
    el("th", {}, "Beats supervised", el("br"), el("small", {}, "share of samples")),
    el("th", {}, "Samples", el("br"), el("small", {}, "used"))));
  const body = el("tbody", {}, u.strategies.map((s) => el("tr", { "data-strategy": s.id, class: s.id === u.verdict.winner ? "winner" : null },
    el("th", { scope: "row" }, s.label),
    bandCell("N_S", s.studentParameters, formatQuantity),
    bandCell("tokens_per_parameter", s.tokensPerParameter, formatRatio),
    target ? bandCell("flops_lifetime", s.lifetimeFlops, (x) => formatExponent(x, 3)) : bandCell("L_S", s.studentLoss, (x) => x.toFixed(4)),
    s.versusSupervised === null ? el("td", { class: "none" }, "—")
      : bandCell(target ? "flops_lifetime_ratio_to_supervised" : "L_S_minus_supervised", s.versusSupervised, target ? (x) => x.toFixed(3) : signed),
    s.shareBeatingSupervised === null ? el("td", { class: "none" }, "—")
      : el("td", { "data-field": "share_beating_supervised", "data-value": s.shareBeatingSupervised }, formatShare(s.shareBeatingSupervised)),
    el("td", { "data-field": "members", "data-value": s.used, "data-unreachable": s.unreachable, "data-failed": s.failed, title: s.failure ?? "" },
      `${s.used}${s.unreachable ? ` (${s.unreachable} unreachable)` : ""}${s.failed ? ` (${s.failed} failed)` : ""}`))));
  const widened = u.strategies.some((s) => [s.lifetimeFlops, s.studentLoss, s.versusSupervised].some((b) => b?.widened));
  return el("div", {},
    el("div", { class: "table-scroll" }, el("table", { class: "lifetime-bands-table" }, head, body)),
    widened ? el("p", { class: "muted lifetime-widened-note" }, WIDENED_BANDS_NOTE) : null);
}
