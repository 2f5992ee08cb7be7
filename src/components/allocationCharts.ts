// Figures 9, 20, 22, 25, 28 (the optimal D_S*, N_T*, D_T* against compute) and Figures 23, 26, 29
// (the share of compute going to each term of Eq. 9), for one scenario and several students.

import * as Plot from "@observablehq/plot";
import { formatExponent } from "../core/units.js";
import { computeFacetsFrame, exponentFormat, studentFacets } from "./computeFacets.js";
import { FLOPS_TERMS, type ShareRow, type SolutionRow } from "./optimalCurves.js";

export const ALLOCATION_MARKS = {
  line: "allocation-line",
  bound: "allocation-bound",
  share: "allocation-share",
} as const;

/** The quantities of the configuration figures, in the paper's panel order. */
export const QUANTITIES = [
  { key: "studentTokens", label: "Student tokens D_S*" },
  { key: "teacherParameters", label: "Teacher parameters N_T*" },
  { key: "teacherTokens", label: "Teacher tokens D_T*" },
] as const;

export interface QuantityRow {
  student: string;
  budget: number;
  quantity: string;
  value: number;
  /** "lower"/"upper" when the optimiser stopped on the [1e6, 1e17] box. */
  bound: string | null;
}

/** Long form of the solutions: one row per (solution, quantity). */
export function quantityRows(rows: readonly SolutionRow[]): QuantityRow[] {
  return rows.flatMap((row) => QUANTITIES.flatMap(({ key, label }) => {
    const value = row[key];
    return value === null ? [] : [{ student: row.student, budget: row.budget, quantity: label, value, bound: row.bounds[key] }];
  }));
}

export interface AllocationChartOptions {
  students: readonly string[];
  bounds: readonly [number, number];
  width?: number;
  height?: number;
}

/** Student colours: ordered, light to dark with size, as the paper's figures shade them. */
function studentColor(students: readonly string[]) {
  return { legend: true, type: "ordinal" as const, domain: students, scheme: "viridis" as const, label: "Student N_S" };
}

export function configurationChart(rows: readonly SolutionRow[], { students, bounds, width, height = 340 }: AllocationChartOptions) {
  const long = quantityRows(rows);
  return Plot.plot({
    ...computeFacetsFrame({
      budgets: rows.map((d) => d.budget), facets: { domain: QUANTITIES.map((q) => q.label), label: null },
      width, height, marginLeft: 56, grid: true,
    }),
    y: { type: "log", label: "↑ Tokens or parameters", tickFormat: exponentFormat, grid: true },
    color: studentColor(students),
    marks: [
      Plot.frame({ strokeOpacity: 0.2 }),
      // The box of the optimisation: a curve lying on one of these lines is a bound solution.
      Plot.ruleY(bounds, { strokeDasharray: "4,3", strokeOpacity: 0.5 }),
      Plot.text([bounds[1]], { y: (d: number) => d, frameAnchor: "right", dx: -3, dy: 8, lineAnchor: "top", textAnchor: "end", text: (d: number) => `bound ${formatExponent(d, 1)}`, fillOpacity: 0.6 }),
      Plot.line(long, { x: "budget", y: "value", fx: "quantity", stroke: "student", strokeWidth: 1.6, className: ALLOCATION_MARKS.line }),
      Plot.dot(long.filter((d) => d.bound !== null), {
        x: "budget", y: "value", fx: "quantity", stroke: "student", fill: "var(--theme-background, white)", r: 3,
        className: ALLOCATION_MARKS.bound,
      }),
      Plot.tip(long, Plot.pointer({
        x: "budget", y: "value", fx: "quantity", stroke: "student",
        title: (d: QuantityRow) => `N_S = ${d.student}, C = ${formatExponent(d.budget, 3)} FLOPs\n${d.quantity} = ${formatExponent(d.value, 3)}${d.bound ? ` (on the ${d.bound} bound)` : ""}`,
      })),
    ],
  });
}

/** Colours of the three terms, after the paper: student training blue, logits orange, teacher pretraining green. */
export const TERM_COLORS = ["#4e79a7", "#f28e2c", "#59a14f"];

export function shareChart(shares: readonly ShareRow[], { students, width, height = 300 }: Omit<AllocationChartOptions, "bounds">) {
  return Plot.plot({
    ...computeFacetsFrame({ budgets: shares.map((d) => d.budget), facets: studentFacets(students), width, height, marginLeft: 48 }),
    y: { label: "↑ Share of total compute (%)", percent: true, domain: [0, 100], grid: true },
    color: { legend: true, domain: FLOPS_TERMS.map((t) => t.label), range: TERM_COLORS },
    marks: [
      Plot.areaY(shares, {
        x: "budget", y: "share", fx: "student", fill: "term", order: FLOPS_TERMS.map((t) => t.label), fillOpacity: 0.85,
        className: ALLOCATION_MARKS.share,
      }),
      Plot.frame({ strokeOpacity: 0.2 }),
    ],
  });
}
