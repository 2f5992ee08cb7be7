// Figure 8 of the paper: for each student, the best student loss L_S* of supervised training and of
// the four distillation scenarios against total compute, with the crossover compute where
// supervised training catches best-case distillation (dashed rule) and teacher inference (dotted
// rule, an existing teacher), their 90% intervals and the 90% bands of each curve across the
// coefficient ensemble. Where a plan needs the laws outside the runs (extrapolation), its curve
// is faded: each curve is drawn faded in full, then solid where every point is inside.
//
// Each panel has its own y range, zoomed to where the strategies differ: Plot's facets share one
// y scale, so each panel's losses are mapped to [0, 1] of that panel and the panel draws its own
// tick labels. The chart's data-y-domains attribute gives each panel's range (for readers of the
// drawn geometry, such as the browser tests).

import * as Plot from "@observablehq/plot";
import { ticks as niceTicks } from "d3";
import { STRATEGIES } from "../../core/allocation/plan.js";
import { formatExponent } from "../../core/inputs/units.js";
import type { Figure8Bands } from "../../core/uncertainty/figure8Bands.js";
import type { ValidityFlag } from "../../core/domain/validity.js";
import { computeFacetsFrame, decadeTicks, exportAtDesktopWidth, studentFacets } from "./computeFacets.js";
import type { CrossoverRow, SolutionRow } from "../state/optimalCurves.js";

/** Colours by strategy, in STRATEGIES order; supervised is the neutral reference, as in the paper. */
export const STRATEGY_COLORS = ["currentColor", "#4e79a7", "#f28e2c", "#59a14f", "#e15759"];

/**
 * Line widths by strategy, drawn widest first: curves that coincide (teacher pretraining and
 * pretraining + inference at small compute, best case and teacher pretraining at large) show as
 * a line inside a wider one of another colour instead of one hiding the other.
 */
export const STRATEGY_WIDTHS: Record<string, number> = {
  supervised: 1.5, "best-case": 3, "teacher-inference": 1.4, "teacher-pretraining": 4.4, "teacher-pretraining-inference": 2.2,
};

/** Class names of the marks: hooks for the browser tests, which read the drawn geometry back. */
export const FIGURE8_MARKS = {
  supervised: "figure8-supervised",
  distillation: "figure8-distillation",
  crossover: "figure8-crossover",
  crossoverInference: "figure8-crossover-inference",
  crossoverInterval: "figure8-crossover-interval",
  band: "figure8-band",
  /** The dotted edges of the bands widened beyond the fitted runs. */
  widenedBand: "figure8-band-widened",
  /** The solid, inside-the-domain parts of the curves (all strategies). */
  inside: "figure8-inside",
} as const;

export interface Figure8Options {
  /** Facet order: the students as given. */
  students: readonly string[];
  width?: number;
  height?: number;
  /** The ensemble's bands and crossover intervals (null: not drawn, e.g. while they compute). */
  bands?: Figure8Bands | null;
  /** The validity flags of each row (same order as `rows`); flagged points are drawn faded. */
  flags?: readonly (readonly ValidityFlag[])[] | null;
}

/** The part of the grid zoomed on: budgets from this many times the smallest (where curves still fall steeply). */
export const ZOOM_FROM_FACTOR = 100;

/**
 * A panel's loss range: from its lowest value to the highest any curve (or band) reaches at
 * budgets of at least ZOOM_FROM_FACTOR times the smallest, padded by 4%. Steep starts leave the
 * top of the panel; the decades where strategies differ fill it.
 */
export function zoomDomain(points: readonly { budget: number; low: number; high: number }[]): [number, number] {
  if (points.length === 0) return [0, 1];
  const smallest = Math.min(...points.map((p) => p.budget));
  const lo = Math.min(...points.map((p) => p.low));
  const zoomed = points.filter((p) => p.budget >= smallest * ZOOM_FROM_FACTOR * (1 - 1e-9));
  const hi = Math.max(...(zoomed.length ? zoomed : points).map((p) => p.high));
  const pad = 0.04 * Math.max(hi - lo, 1e-6);
  return [lo - pad, hi + pad];
}

interface BandRow { student: string; label: string; strategy: string; budget: number; low: number; high: number; share: number | null; widened: boolean }

/** The bands as rows for Plot, by student name. */
export function bandRows(bands: Figure8Bands | null | undefined, students: readonly string[]): BandRow[] {
  if (!bands) return [];
  return bands.curves.flatMap((c) => c.loss === null ? [] : [{
    student: students[c.studentIndex], strategy: c.strategy, label: STRATEGIES.find((s) => s.id === c.strategy)!.label,
    budget: c.budget, low: c.loss.low, high: c.loss.high, share: c.shareBeatingSupervised, widened: c.loss.widened,
  }]);
}

export function figure8Chart(rows: readonly SolutionRow[], crossovers: readonly CrossoverRow[], options: Figure8Options): SVGSVGElement | HTMLElement {
  const { students, width, height = 380, bands, flags } = options;
  // On a phone the panels wrap to one or two columns (facetLayout); exports redraw at desktop width.
  const facets = studentFacets(students, width);
  const panel = facets.channels("student");
  const bandData = bandRows(bands, students);
  const domains = new Map(students.map((student) => [student, zoomDomain([
    ...rows.filter((d) => d.student === student).map((d) => ({ budget: d.budget, low: d.studentLoss, high: d.studentLoss })),
    ...bandData.filter((d) => d.student === student),
  ])]));
  const scaled = (student: string, loss: number) => {
    const [lo, hi] = domains.get(student) ?? [0, 1];
    return (loss - lo) / (hi - lo);
  };
  const points = rows.map((d, i) => ({ ...d, y: scaled(d.student, d.studentLoss), flags: flags?.[i] ?? [] }));
  const supervised = points.filter((d) => d.strategy === "supervised");
  // Widest first, so that narrower curves lie on top of wider ones.
  const order = STRATEGIES.map((s) => s.id).filter((id) => id !== "supervised").sort((a, b) => STRATEGY_WIDTHS[b] - STRATEGY_WIDTHS[a]);
  const distilled = order.map((id) => points.filter((d) => d.strategy === id));
  // Without flags (no domain) every point counts as inside: nothing is marked.
  const inside = points.map((d) => ({ ...d, y: d.flags.length ? NaN : d.y }));
  const faded = flags ? 0.32 : 1;
  const facetWidth = (width ?? 640) / Math.max(1, facets.columns);
  const bandPoints = bandData.map((d) => ({ ...d, y1: scaled(d.student, d.low), y2: scaled(d.student, d.high) }));
  const ticks = students.flatMap((student) => {
    const [lo, hi] = domains.get(student)!;
    return niceTicks(lo, hi, 5).map((value) => ({ student, value, y: scaled(student, value) }));
  });
  const reached = crossovers.filter((d) => d.budget !== null);
  const intervals = (bands?.crossovers ?? []).filter((c) => c.interval !== null && c.interval.low !== null).map((c) => ({
    student: students[c.studentIndex], scenario: c.scenario,
    low: c.interval!.low!, high: c.interval!.high ?? Math.max(...rows.map((d) => d.budget)),
    // Best case on top, teacher inference under it.
    y: c.scenario === "best-case" ? 0.985 : 0.955,
  }));
  const describe = (d: (typeof points)[number]) => `${d.label}\nN_S = ${d.student}, C = ${formatExponent(d.budget, 3)} FLOPs\nL_S* = ${d.studentLoss.toFixed(4)} nats` +
    (d.flags.length ? `\nExtrapolated: ${d.flags.map((f) => f.message).join("; ")}` : "");
  const frame = computeFacetsFrame({ budgets: rows.map((d) => d.budget), facets, width, height, marginLeft: 48, grid: true });
  const chart = Plot.plot({
    ...frame,
    // Narrow panels get a label every fourth decade, so the exponents do not run together.
    ...(rows.length ? { x: { ...frame.x,
      ticks: decadeTicks(Math.min(...rows.map((d) => d.budget)), Math.max(...rows.map((d) => d.budget)), facetWidth < 190 ? 4 : 2) } } : {}),
    ...(facets.rows === 1 ? { fx: { ...frame.fx, padding: 0.22 } } : {}),
    marginTop: 44,
    y: { domain: [0, 1], axis: null },
    color: { legend: true, domain: STRATEGIES.map((s) => s.label), range: STRATEGY_COLORS },
    marks: [
      Plot.frame({ strokeOpacity: 0.2 }),
      facets.headings,
      // Each panel's own loss axis: grid lines and labels at nice values of its range.
      Plot.ruleY(ticks, { y: "y", ...panel, strokeOpacity: 0.08 }),
      Plot.text(ticks, { y: "y", ...panel, text: (d: { value: number }) => d.value.toFixed(2), frameAnchor: "left", textAnchor: "end", dx: -4, fontVariant: "tabular-nums" }),
      Plot.text([students[0]], { ...facets.channels((d: string) => d), frameAnchor: "top-left", dy: -34, dx: -44, textAnchor: "start", text: () => "↑ Student cross-entropy L_S* (nats), each panel its own range" }),
      Plot.areaY(bandPoints, {
        x: "budget", y1: "y1", y2: "y2", ...panel, fill: "label", z: "label", fillOpacity: 0.16, clip: true,
        className: FIGURE8_MARKS.band,
      }),
      // Widened beyond the runs: the band's edge dotted there (NaN breaks it where the band is the members' own).
      Plot.areaY(bandPoints.map((d) => (d.widened ? d : { ...d, y1: NaN, y2: NaN })), {
        x: "budget", y1: "y1", y2: "y2", ...panel, z: "label", fill: "none", stroke: "label", strokeDasharray: "1,2", strokeOpacity: 0.7, clip: true,
        className: FIGURE8_MARKS.widenedBand,
      }),
      ...distilled.map((data) => Plot.line(data, {
        x: "budget", y: "y", ...panel, stroke: "label", z: "label", strokeWidth: data.length ? STRATEGY_WIDTHS[data[0].strategy] : 1.8, clip: true,
        strokeOpacity: faded, className: FIGURE8_MARKS.distillation,
      })),
      // Supervised is the reference the scenarios are judged against: dashed, as the paper draws it.
      Plot.line(supervised, {
        x: "budget", y: "y", ...panel, stroke: "label", strokeDasharray: "5,3", strokeWidth: STRATEGY_WIDTHS.supervised, clip: true,
        strokeOpacity: faded, className: FIGURE8_MARKS.supervised,
      }),
      // The same curves, solid where the plan stays inside the validity domain (NaN breaks the line).
      ...(flags ? [...order, "supervised"].map((id) => Plot.line(inside.filter((d) => d.strategy === id), {
        x: "budget", y: "y", ...panel, stroke: "label", z: "label", strokeWidth: STRATEGY_WIDTHS[id], clip: true,
        strokeDasharray: id === "supervised" ? "5,3" : undefined, className: FIGURE8_MARKS.inside,
      })) : []),
      Plot.ruleX(reached.filter((d) => d.scenario === "best-case"), { x: "budget", ...panel, strokeDasharray: "2,3", strokeOpacity: 0.8, className: FIGURE8_MARKS.crossover }),
      Plot.ruleX(reached.filter((d) => d.scenario !== "best-case"), { x: "budget", ...panel, stroke: STRATEGY_COLORS[2], strokeDasharray: "1,2", strokeOpacity: 0.9, className: FIGURE8_MARKS.crossoverInference }),
      // The 90% intervals of the crossovers: bars along the top of the panel.
      ...(["best-case", "teacher-inference"] as const).map((scenario) => Plot.link(intervals.filter((d) => d.scenario === scenario), {
        x1: "low", x2: "high", y1: "y", y2: "y", ...panel, strokeWidth: 3, strokeOpacity: 0.6, clip: true,
        stroke: scenario === "best-case" ? "currentColor" : STRATEGY_COLORS[2],
        className: FIGURE8_MARKS.crossoverInterval,
      })),
      Plot.text(reached.filter((d) => d.scenario === "best-case"), {
        x: "budget", ...panel, frameAnchor: "bottom", dy: -6, dx: 4, textAnchor: "start",
        text: (d: CrossoverRow) => `crossover\n${formatExponent(d.budget!, 2)}`,
      }),
      Plot.tip(points, Plot.pointer({ x: "budget", y: "y", ...panel, stroke: "label", title: describe })),
    ],
  });
  (chart as HTMLElement | SVGSVGElement).dataset.yDomains = JSON.stringify(Object.fromEntries(domains));
  return exportAtDesktopWidth(chart, facets, (w) => figure8Chart(rows, crossovers, { ...options, width: w }));
}
