// The lifetime charts: FLOPs (training + serving) against student size per strategy, the U-curve
// with each minimum marked; and the optimal student size against tokens served.

import * as Plot from "@observablehq/plot";
import { formatExponent, formatQuantity } from "../../core/inputs/units.js";
import { formatRatio } from "../tables/numberFormat.js";

export const LIFETIME_COLORS = ["currentColor", "#f28e2c", "#e15759", "#9c6ade"];
export const LIFETIME_MARKS = { curve: "lifetime-curve", minimum: "lifetime-minimum", interval: "lifetime-interval", size: "lifetime-size" } as const;

export interface LifetimeCurveRow { label: string; studentParameters: number; total: number }
export interface LifetimeMinimumRow { label: string; studentParameters: number; total: number; tokensPerParameter: number }
/** The 90% interval of a strategy's N_S* over the ensemble, drawn at the height of its point minimum. */
export interface LifetimeIntervalRow { label: string; low: number; high: number; total: number; members: number }

export function lifetimeUChart(
  rows: readonly LifetimeCurveRow[],
  minima: readonly LifetimeMinimumRow[],
  { labels, intervals = [], width = 640 }: { labels: readonly string[]; intervals?: readonly LifetimeIntervalRow[]; width?: number },
) {
  // End ticks a few percent tall on the log axis, so that a narrow interval still reads as one.
  const ends = intervals.flatMap((d) => [d.low, d.high].map((x) => ({ ...d, x })));
  const intervalTitle = (d: LifetimeIntervalRow) => `${d.label}: N_S* 90% interval over ${d.members} samples\n${formatQuantity(d.low)} to ${formatQuantity(d.high)}`;
  return Plot.plot({
    width, height: 340, marginLeft: 60,
    x: { type: "log", label: "Student size N_S (parameters) →", tickFormat: (d: number) => formatQuantity(d), grid: true },
    y: { type: "log", label: "↑ Lifetime FLOPs (training + serving)", tickFormat: (d: number) => formatExponent(d, 2), grid: true },
    color: { legend: true, domain: labels, range: LIFETIME_COLORS },
    marks: [
      Plot.line(rows, { x: "studentParameters", y: "total", stroke: "label", z: "label", strokeWidth: 1.6, className: LIFETIME_MARKS.curve }),
      Plot.ruleY(intervals, { y: "total", x1: "low", x2: "high", stroke: "label", strokeWidth: 2.5, title: intervalTitle, className: LIFETIME_MARKS.interval }),
      Plot.ruleX(ends, { x: "x", y1: (d: LifetimeIntervalRow) => d.total / 1.12, y2: (d: LifetimeIntervalRow) => d.total * 1.12, stroke: "label", strokeWidth: 1.5 }),
      Plot.dot(minima, { x: "studentParameters", y: "total", stroke: "label", fill: "label", r: 4, className: LIFETIME_MARKS.minimum }),
      Plot.tip(minima as LifetimeMinimumRow[], Plot.pointer({
        x: "studentParameters", y: "total", stroke: "label",
        title: (d: LifetimeMinimumRow) => `${d.label}: minimum\nN_S = ${formatQuantity(d.studentParameters)}, ${formatRatio(d.tokensPerParameter)} tokens/parameter\n${formatExponent(d.total, 4)} FLOPs`,
      })),
    ],
  });
}

export interface LifetimeSizeRow { label: string; served: number; studentParameters: number; tokensPerParameter: number }

export function lifetimeSizeChart(rows: readonly LifetimeSizeRow[], { labels, current, width = 640 }: { labels: readonly string[]; current: number; width?: number }) {
  return Plot.plot({
    width, height: 300, marginLeft: 60,
    x: { type: "log", label: "Tokens served over the model's life T →", tickFormat: (d: number) => formatExponent(d, 1), grid: true },
    y: { type: "log", label: "↑ Optimal student size N_S*", tickFormat: (d: number) => formatQuantity(d), grid: true },
    color: { legend: true, domain: labels, range: LIFETIME_COLORS },
    marks: [
      Plot.ruleX([current], { strokeDasharray: "3,3", stroke: "gray" }),
      Plot.line(rows, { x: "served", y: "studentParameters", stroke: "label", z: "label", marker: "circle", className: LIFETIME_MARKS.size }),
      Plot.tip(rows as LifetimeSizeRow[], Plot.pointer({
        x: "served", y: "studentParameters", stroke: "label",
        title: (d: LifetimeSizeRow) => `${d.label}\nT = ${formatExponent(d.served, 3)} tokens\nN_S* = ${formatQuantity(d.studentParameters)}, ${formatRatio(d.tokensPerParameter)} tokens/parameter`,
      })),
    ],
  });
}
