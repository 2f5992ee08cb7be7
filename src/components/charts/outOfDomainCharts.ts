// The /fits page's "Beyond the runs" section: the measured out-of-domain error against the factor
// beyond the inner runs (one chart per law), and each ensemble's coefficient spread beside Table 6's
// published intervals, with the coefficients the runs do not determine labelled as such.

import * as Plot from "@observablehq/plot";
import { DIRECTION_LABELS, type DirectionGrowth, type OutOfDomainDirection } from "../../core/domain/outOfDomain.js";
import { TABLE6_INTERVALS } from "../../core/laws/table6Intervals.js";
import { el } from "../page/dom.js";
import { formatCoefficient } from "./fitsCharts.js";

const DIRECTIONS = Object.keys(DIRECTION_LABELS) as OutOfDomainDirection[];
const COLORS = ["#4269d0", "#efb118", "#ff725c"];

/** Held-out relative error (%) against the factor beyond the inner part, with each direction's fitted growth as a line. */
export function outOfDomainChart(growth: readonly DirectionGrowth[], { title, width = 440 }: { title: string; width?: number }) {
  const points = growth.flatMap((g) => g.points.map((p) => ({ ...p, direction: DIRECTION_LABELS[g.direction] })));
  const lines = growth.flatMap((g) => Array.from({ length: 21 }, (_, i) => {
    const factor = Math.exp((i / 20) * Math.log(g.maxFactor));
    return { factor, error: g.slope * Math.log(factor), direction: DIRECTION_LABELS[g.direction] };
  }));
  return Plot.plot({
    width,
    height: 300,
    title,
    x: { type: "log", label: "Factor beyond the inner runs (×) →", tickFormat: (d: number) => (Number.isInteger(Math.log10(d)) || d < 2 ? `${d}` : "") },
    y: { label: "↑ Relative error on the outer runs (%)", grid: true, tickFormat: (d: number) => `${d}%` },
    color: { legend: true, domain: DIRECTIONS.map((d) => DIRECTION_LABELS[d]), range: COLORS },
    marks: [
      Plot.dot(points, { x: "factor", y: (d) => 100 * d.relativeError, stroke: "direction", r: 2, strokeOpacity: 0.6, tip: true }),
      Plot.line(lines, { x: "factor", y: (d) => 100 * d.error, stroke: "direction", z: "direction", strokeWidth: 2 }),
    ],
  });
}

interface Spread { lower: number; upper: number }

/** Wider than this factor between its 5th and 95th percentile, a coefficient is "not determined by the runs". */
export const UNDETERMINED_RATIO = 10;

export function isUndetermined(spread: Spread): boolean {
  return !(spread.lower > 0) || spread.upper / spread.lower > UNDETERMINED_RATIO;
}

/**
 * One row per coefficient: Table 6's published 90% interval, then each ensemble's 5th-95th
 * percentile, flagged when the runs do not determine it (a spread over more than a factor 10).
 */
export function spreadTable(columns: readonly { label: string; supervised: Record<string, Spread> | null; distillation: Record<string, Spread> | null }[]): HTMLTableElement {
  const show = (s: Spread | undefined) => (s ? `${formatCoefficient(s.lower)} – ${formatCoefficient(s.upper)}` : "–");
  const rows = (["supervised", "distillation"] as const).flatMap((law) =>
    Object.entries(TABLE6_INTERVALS[law]).map(([name, paper]) => el("tr", {}, [
      el("td", {}, [`${name}${law === "distillation" ? "′" : ""}`]),
      el("td", {}, [show(paper)]),
      ...columns.map((c) => {
        const spread = c[law]?.[name];
        const undetermined = spread && isUndetermined(spread);
        return el("td", undetermined ? { class: "undetermined" } : {}, [show(spread), ...(undetermined ? [el("small", {}, [" not determined by the runs"])] : [])]);
      }),
    ])));
  return el("table", { class: "spread" }, [
    el("thead", {}, [el("tr", {}, [el("th", {}, ["Coefficient"]), el("th", {}, ["Table 6 (90%)"]), ...columns.map((c) => el("th", {}, [`${c.label} (5th–95th)`]))])]),
    el("tbody", {}, rows),
  ]) as HTMLTableElement;
}
