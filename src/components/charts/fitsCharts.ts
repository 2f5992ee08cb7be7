// The laws-and-fits page: Table 6 beside each data set's refit, predicted against observed loss
// with the extrapolation split (Figure 5), and the full fit's relative residuals.

import * as Plot from "@observablehq/plot";
import {
  TABLE6, distilledLossFromSupervised, supervisedLoss,
  type DistillationCoefficients, type SupervisedCoefficients,
} from "../../core/laws/laws.js";
import { TABLE6_INTERVALS, TABLE6_ROWS, TABLE6_RUNS } from "../../core/laws/table6Intervals.js";
import { formatExponent, formatQuantity } from "../../core/inputs/units.js";
import type { FitsDataset } from "../../core/fitting/fitsFile.js";
import { el } from "../page/dom.js";

interface Interval { lower: number; upper: number; atBound?: "lower" | "upper" }

/**
 * The part of one fits.json data set (FitsDataset, core/fitting/fitsFile.ts) this page reads; the
 * "Your runs" page passes its own fit in the same shape.
 */
export type FitsTableDataset = Pick<FitsDataset, "id" | "label" | "runs" | "bootstrap" | "supervised" | "distillation" | "extrapolation">
  & Partial<Pick<FitsDataset, "synthetic">>;

/**
 * Table 6's number style: integers for the large scales, three decimals for exponents; values
 * beyond that range (refit intervals of weakly identified scales reach 1e60) in exponent form.
 */
export function formatCoefficient(x: number): string {
  const magnitude = Math.abs(x);
  if (!Number.isFinite(x)) return String(x);
  if (magnitude >= 1e7 || (magnitude > 0 && magnitude < 1e-3)) return formatExponent(x, 3);
  if (magnitude >= 1000) return x.toFixed(0);
  if (magnitude >= 100) return x.toFixed(1);
  return x.toFixed(3);
}

type Law = "supervised" | "distillation";

/** Wider than this ratio of upper to lower end, an interval says the runs leave a coefficient open. */
export const UNDETERMINED_RATIO = 1e3;

/**
 * A coefficient's interval as the table prints it: " (lower, upper)" when it measures the value,
 * and, when it spans more than three decades (a scale the runs trade off against another, such as
 * (0.046, 4e66)), a note that the runs do not determine it rather than a figure that reads as a
 * measurement.
 */
export function describeInterval(lower: number | null, upper: number | null, atBound: "lower" | "upper" | null = null): string {
  if (lower === null || upper === null) return "";
  // A coefficient at a limit of its search: the interval is one-sided from that limit.
  if (atBound === "lower") return ` (at the bound ${formatCoefficient(lower)}; one-sided, up to ${formatCoefficient(upper)})`;
  if (atBound === "upper") return ` (at the bound ${formatCoefficient(upper)}; one-sided, down to ${formatCoefficient(lower)})`;
  if (lower > 0 && upper / lower > UNDETERMINED_RATIO) {
    return ` (not determined by these runs: the resamples put it anywhere from ${formatCoefficient(lower)} to ${formatCoefficient(upper)})`;
  }
  return ` (${formatCoefficient(lower)}, ${formatCoefficient(upper)})`;
}

/** One cell of the comparison: the paper's value, the refit and whether the paper lies outside its interval. */
export interface CoefficientComparison {
  row: string;
  law: Law;
  coefficient: string;
  paper: number;
  paperLower: number;
  paperUpper: number;
  refit: number | null;
  refitLower: number | null;
  refitUpper: number | null;
  /** True when the paper's value lies outside the refit's bootstrap interval. */
  paperOutside: boolean | null;
  /** The refit sits at this limit of its search; its interval is one-sided from it. */
  refitAtBound: "lower" | "upper" | null;
}

export function compareCoefficients(dataset: FitsTableDataset): CoefficientComparison[] {
  const comparisons: CoefficientComparison[] = [];
  for (const row of TABLE6_ROWS) {
    for (const law of ["supervised", "distillation"] as const) {
      const coefficient = row[law];
      if (coefficient === null) continue;
      const paper = (TABLE6[law] as unknown as Record<string, number>)[coefficient];
      const paperInterval = (TABLE6_INTERVALS[law] as Record<string, Interval>)[coefficient];
      const report = dataset[law];
      const refit = report ? (report.fit.coefficients as unknown as Record<string, number>)[coefficient] : null;
      const interval = (report?.bootstrap?.intervals as Record<string, Interval> | undefined)?.[coefficient] ?? null;
      comparisons.push({
        row: row.label, law, coefficient, paper, paperLower: paperInterval.lower, paperUpper: paperInterval.upper,
        refit: refit ?? null, refitLower: interval?.lower ?? null, refitUpper: interval?.upper ?? null,
        paperOutside: interval ? paper < interval.lower || paper > interval.upper : null,
        refitAtBound: interval?.atBound ?? null,
      });
    }
  }
  return comparisons;
}

/** Table 6 laid out as in the paper, each column pair being the paper's value and the refit. */
export function table6Table(dataset: FitsTableDataset): HTMLTableElement {
  const comparisons = compareCoefficients(dataset);
  const level = Math.round(100 * dataset.bootstrap.level);
  const interval = describeInterval;
  const cells = (law: Law, coefficient: string | null) => {
    const c = comparisons.find((d) => d.law === law && d.coefficient === coefficient);
    if (!c) return [el("td", { class: "blank" }, ""), el("td", { class: "blank" }, "")];
    return [
      el("td", { "data-source": "paper", "data-law": law, "data-coefficient": c.coefficient, "data-value": c.paper },
        el("span", { class: "value" }, formatCoefficient(c.paper)), el("small", {}, interval(c.paperLower, c.paperUpper))),
      el("td", {
        "data-source": "refit", "data-law": law, "data-coefficient": c.coefficient, "data-value": c.refit ?? "",
        "data-paper-outside": c.paperOutside === null ? null : String(c.paperOutside),
        "data-at-bound": c.refitAtBound,
        class: c.paperOutside ? "paper-outside" : null,
        title: c.paperOutside ? `The paper's ${formatCoefficient(c.paper)} lies outside this ${level}% interval` : null,
      },
      el("span", { class: "value" }, c.refit === null ? "–" : formatCoefficient(c.refit)),
      el("small", {}, interval(c.refitLower, c.refitUpper, c.refitAtBound)),
      c.paperOutside ? el("span", { class: "flag", "aria-label": "paper value outside the interval" }, " ⚑") : null),
    ];
  };
  const refitName = `${dataset.synthetic ? "SYNTHETIC " : ""}refit`;
  return el("table", { class: "table6", id: `table6-${dataset.id}` },
    el("thead", {},
      el("tr", {}, el("th", {}, ""), el("th", { colspan: 2 }, "Supervised (Eq. 1)"), el("th", { colspan: 2 }, "Distillation (Eq. 8)")),
      el("tr", {}, el("th", {}, "Coefficient"),
        el("th", {}, "Paper (90% interval)"), el("th", {}, `${refitName} (${level}% interval)`),
        el("th", {}, "Paper (90% interval)"), el("th", {}, `${refitName} (${level}% interval)`))),
    el("tbody", {},
      TABLE6_ROWS.map((row) => el("tr", {}, el("th", { scope: "row" }, row.label), ...cells("supervised", row.supervised), ...cells("distillation", row.distillation))),
      el("tr", {}, el("th", { scope: "row" }, "runs"),
        el("td", { "data-source": "paper", "data-law": "supervised", "data-coefficient": "runs", "data-value": TABLE6_RUNS.supervised }, String(TABLE6_RUNS.supervised)),
        el("td", { "data-source": "refit", "data-law": "supervised", "data-coefficient": "runs", "data-value": dataset.runs.supervised }, String(dataset.runs.supervised)),
        el("td", { "data-source": "paper", "data-law": "distillation", "data-coefficient": "runs", "data-value": TABLE6_RUNS.distillation }, String(TABLE6_RUNS.distillation)),
        el("td", { "data-source": "refit", "data-law": "distillation", "data-coefficient": "runs", "data-value": dataset.runs.distillation }, String(dataset.runs.distillation)))));
}

/** A run of supervised-runs.csv or distillation-runs.csv, as the page reads it. */
export interface RunRow {
  dataset: string;
  line: number;
  split: "fitted" | "held-out";
  relative_residual: number;
  [column: string]: unknown;
}

export interface PredictionPoint {
  observed: number;
  predicted: number;
  split: "fitted" | "held-out";
  run: RunRow;
}

/**
 * Predictions of the extrapolation fit (weak runs only), as in Figure 5: the supervised law at
 * (N, D); the distillation law with L~_S from the extrapolation's own supervised fit.
 */
export function extrapolationPredictions(
  supervisedRuns: readonly RunRow[],
  distillationRuns: readonly RunRow[],
  extrapolation: NonNullable<FitsTableDataset["extrapolation"]>,
): { supervised: PredictionPoint[]; distillation: PredictionPoint[] } {
  const s = extrapolation.supervised.coefficients as unknown as SupervisedCoefficients;
  const supervised = supervisedRuns.map((run) => ({
    observed: run.L as number, predicted: supervisedLoss(s, run.N as number, run.D as number), split: run.split, run,
  }));
  const d = extrapolation.distillation?.coefficients as unknown as DistillationCoefficients | undefined;
  const distillation = d === undefined ? [] : distillationRuns.map((run) => {
    const NS = run.N_S as number, DS = run.D_S as number;
    return {
      observed: run.L_S as number,
      predicted: distilledLossFromSupervised(d, NS, DS, run.L_T as number, supervisedLoss(s, NS, DS)),
      split: run.split, run,
    };
  });
  return { supervised, distillation };
}

/** Class names of the marks, for the browser tests. */
export const FITS_MARKS = { points: "fits-points", identity: "fits-identity", residuals: "fits-residuals" } as const;

const SPLIT_DOMAIN = ["fitted", "held-out"];
const SPLIT_COLORS = ["#8c8c8c", "#e15759"];

/** Predicted against observed cross-entropy with y = x, a ±1% band and the fitted/held-out split. */
export function predictedObservedChart(points: readonly PredictionPoint[], { title, threshold, width = 440 }: { title: string; threshold: number; width?: number }) {
  const losses = points.flatMap((d) => [d.observed, d.predicted]);
  const [lo, hi] = [Math.min(...losses) * 0.99, Math.max(...losses) * 1.01];
  const diagonal = [lo, hi].map((x) => ({ x }));
  return Plot.plot({
    width,
    height: Math.min(width, 420),
    title,
    x: { label: "Observed cross-entropy (nats) →", domain: [lo, hi], grid: true },
    y: { label: "↑ Predicted cross-entropy (nats)", domain: [lo, hi], grid: true },
    color: { legend: true, domain: SPLIT_DOMAIN, range: SPLIT_COLORS, tickFormat: (d: string) => (d === "fitted" ? `fitted (loss ≥ ${threshold})` : `held out (loss < ${threshold})`) },
    symbol: { domain: SPLIT_DOMAIN, range: ["circle", "triangle"] },
    marks: [
      Plot.areaY(diagonal, { x: "x", y1: (d: { x: number }) => 0.99 * d.x, y2: (d: { x: number }) => 1.01 * d.x, fill: "currentColor", fillOpacity: 0.08 }),
      Plot.line(diagonal, { x: "x", y: "x", strokeDasharray: "4,3", strokeOpacity: 0.7, className: FITS_MARKS.identity }),
      Plot.ruleX([threshold], { strokeOpacity: 0.3 }),
      Plot.dot(points, {
        x: "observed", y: "predicted", stroke: "split", symbol: "split", r: 2.6, strokeWidth: 1.1,
        className: FITS_MARKS.points,
        channels: { "relative error": { value: (d: PredictionPoint) => `${(100 * (d.predicted / d.observed - 1)).toFixed(2)}%` }, protocol: { value: (d: PredictionPoint) => String(d.run.protocol ?? "") } },
        tip: true,
      }),
      Plot.text(["±1% band"], { frameAnchor: "top-left", dx: 6, dy: 6, fillOpacity: 0.6 }),
    ],
  });
}

/** The full fit's relative residuals (observed - predicted) / predicted against one run column. */
export function residualChart(runs: readonly RunRow[], { x, xLabel, title, width = 440 }: { x: string; xLabel: string; title: string; width?: number }) {
  const extent = Math.max(0.01, ...runs.map((d) => Math.abs(d.relative_residual)));
  return Plot.plot({
    width,
    height: 300,
    title,
    x: { type: "log", label: `${xLabel} →`, tickFormat: (d: number) => (Number.isInteger(Math.log10(d)) ? formatQuantity(d, 2) : "") },
    y: { label: "↑ Relative residual (%)", domain: [-100 * extent, 100 * extent], grid: true, tickFormat: (d: number) => `${d}%` },
    color: { legend: true, domain: SPLIT_DOMAIN, range: SPLIT_COLORS },
    symbol: { domain: SPLIT_DOMAIN, range: ["circle", "triangle"] },
    marks: [
      Plot.ruleY([-1, 1], { strokeDasharray: "3,3", strokeOpacity: 0.5 }),
      Plot.ruleY([0]),
      Plot.dot(runs, {
        x, y: (d: RunRow) => 100 * d.relative_residual, stroke: "split", symbol: "split", r: 2.4, className: FITS_MARKS.residuals,
        channels: { line: "line", protocol: "protocol" }, tip: true,
      }),
    ],
  });
}

/** "2.72%" or "no held-out runs". */
export function formatError(x: number | null): string {
  return x === null ? "n/a (no held-out runs)" : `${(100 * x).toFixed(2)}%`;
}
