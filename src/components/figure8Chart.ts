// Figure 8 of the paper: for each student, the best student loss L_S* of supervised training and of
// the four distillation scenarios against total compute, with the crossover compute where
// supervised training catches best-case distillation as a dashed rule.

import * as Plot from "@observablehq/plot";
import { STRATEGIES } from "../core/plan.js";
import { formatExponent } from "../core/units.js";
import { computeFacetsFrame, exportAtDesktopWidth, studentFacets } from "./computeFacets.js";
import type { CrossoverRow, SolutionRow } from "./optimalCurves.js";

/** Colours by strategy, in STRATEGIES order; supervised is the neutral reference, as in the paper. */
export const STRATEGY_COLORS = ["currentColor", "#4e79a7", "#f28e2c", "#59a14f", "#e15759"];

/** Class names of the marks: hooks for the browser tests, which read the drawn geometry back. */
export const FIGURE8_MARKS = {
  supervised: "figure8-supervised",
  distillation: "figure8-distillation",
  crossover: "figure8-crossover",
} as const;

export interface Figure8Options {
  /** Facet order: the students as given. */
  students: readonly string[];
  width?: number;
  height?: number;
}

export function figure8Chart(rows: readonly SolutionRow[], crossovers: readonly CrossoverRow[], options: Figure8Options): SVGSVGElement | HTMLElement {
  const { students, width, height = 380 } = options;
  const facets = studentFacets(students, width);
  const supervised = rows.filter((d) => d.strategy === "supervised");
  const distilled = rows.filter((d) => d.strategy !== "supervised");
  const reached = crossovers.filter((d) => d.budget !== null);
  const chart = Plot.plot({
    ...computeFacetsFrame({ budgets: rows.map((d) => d.budget), facets, width, height, marginLeft: 48, grid: true }),
    y: { label: "↑ Student cross-entropy L_S* (nats)", grid: true, nice: true },
    color: { legend: true, domain: STRATEGIES.map((s) => s.label), range: STRATEGY_COLORS },
    marks: [
      Plot.frame({ strokeOpacity: 0.2 }),
      facets.headings,
      Plot.line(distilled, {
        x: "budget", y: "studentLoss", ...facets.channels("student"), stroke: "label", z: "label", strokeWidth: 1.8,
        className: FIGURE8_MARKS.distillation,
      }),
      // Supervised is the reference the scenarios are judged against: dashed, as the paper draws it.
      Plot.line(supervised, {
        x: "budget", y: "studentLoss", ...facets.channels("student"), stroke: "label", strokeDasharray: "5,3", strokeWidth: 1.5,
        className: FIGURE8_MARKS.supervised,
      }),
      Plot.ruleX(reached, { x: "budget", ...facets.channels("student"), strokeDasharray: "2,3", strokeOpacity: 0.8, className: FIGURE8_MARKS.crossover }),
      Plot.text(reached, {
        x: "budget", ...facets.channels("student"), frameAnchor: "top", dy: 6, dx: 4, textAnchor: "start",
        text: (d: CrossoverRow) => `crossover\n${formatExponent(d.budget!, 2)}`,
      }),
      Plot.tip(rows as SolutionRow[], Plot.pointer({
        x: "budget", y: "studentLoss", ...facets.channels("student"), stroke: "label",
        title: (d: SolutionRow) => `${d.label}\nN_S = ${d.student}, C = ${formatExponent(d.budget, 3)} FLOPs\nL_S* = ${d.studentLoss.toFixed(4)} nats`,
      })),
    ],
  });
  return exportAtDesktopWidth(chart, facets, (w) => figure8Chart(rows, crossovers, { ...options, width: w }));
}
