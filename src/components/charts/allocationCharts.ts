// Figures 9, 20, 22, 25, 28 (the optimal D_S*, N_T*, D_T* against compute) and Figures 23, 26, 29
// (the share of compute going to each term of Eq. 9), for one scenario and several students.

import * as Plot from "@observablehq/plot";
import { formatExponent } from "../../core/inputs/units.js";
import { computeFacetsFrame, exportAtDesktopWidth, exponentFormat, facetLayout, studentFacets } from "./computeFacets.js";
import { FLOPS_TERMS, type ShareRow, type SolutionRow } from "../state/optimalCurves.js";
import type { ValidityDomain, ValidityFlag } from "../../core/domain/validity.js";

export const ALLOCATION_MARKS = {
  line: "allocation-line",
  bound: "allocation-bound",
  share: "allocation-share",
  /** The range the runs cover, per quantity (shaded). */
  domain: "allocation-domain",
  /** Allocations whose quantity lies outside that range (crosses). */
  extrapolated: "allocation-extrapolated",
  /** Budgets whose plan extrapolates in any variable (washed out in the share chart). */
  extrapolatedShare: "allocation-extrapolated-share",
} as const;

/** The quantities of the configuration figures, in the paper's panel order. */
export const QUANTITIES = [
  { key: "studentTokens", label: "Student tokens D_S*", variable: "D_S", domain: "studentTokens" },
  { key: "teacherParameters", label: "Teacher parameters N_T*", variable: "N_T*", domain: "teacherParameters" },
  { key: "teacherTokens", label: "Teacher tokens D_T*", variable: "D_T*", domain: "teacherTokens" },
] as const;

export interface QuantityRow {
  student: string;
  budget: number;
  quantity: string;
  value: number;
  /** "lower"/"upper" when the optimiser stopped on the [1e6, 1e17] box. */
  bound: string | null;
  /** Why this quantity is an extrapolation ("N_T* = 105B: 8x the largest fitted teacher"), or null. */
  extrapolation: string | null;
}

/** Long form of the solutions: one row per (solution, quantity), with the flag of that quantity when `flags` are given. */
export function quantityRows(rows: readonly SolutionRow[], flags: readonly (readonly ValidityFlag[])[] | null = null): QuantityRow[] {
  return rows.flatMap((row, i) => QUANTITIES.flatMap(({ key, label, variable }) => {
    const value = row[key];
    const flag = flags?.[i]?.find((f) => f.variable === variable) ?? null;
    return value === null ? [] : [{ student: row.student, budget: row.budget, quantity: label, value, bound: row.bounds[key], extrapolation: flag?.message ?? null }];
  }));
}

export interface AllocationChartOptions {
  students: readonly string[];
  bounds: readonly [number, number];
  width?: number;
  height?: number;
  /** The coefficient set's validity domain: its ranges are shaded and allocations outside them crossed. */
  domain?: ValidityDomain | null;
  /** The validity flags of each row (same order as the rows). */
  flags?: readonly (readonly ValidityFlag[])[] | null;
}

/** Student colours: ordered, light to dark with size, as the paper's figures shade them. */
function studentColor(students: readonly string[]) {
  return { legend: true, type: "ordinal" as const, domain: students, scheme: "viridis" as const, label: "Student N_S" };
}

export function configurationChart(rows: readonly SolutionRow[], options: AllocationChartOptions): SVGSVGElement | HTMLElement {
  const { students, bounds, width, height = 340, domain, flags } = options;
  const long = quantityRows(rows, flags ?? null);
  const covered = domain?.distillation
    ? QUANTITIES.map((q) => ({ quantity: q.label, ...domain.distillation![q.domain] }))
    : [];
  const facets = facetLayout(QUANTITIES.map((q) => q.label), width, { marginLeft: 56 });
  const chart = Plot.plot({
    ...computeFacetsFrame({
      budgets: rows.map((d) => d.budget), facets,
      width, height, marginLeft: 56, grid: true,
    }),
    y: { type: "log", label: "↑ Tokens or parameters", tickFormat: exponentFormat, grid: true },
    color: studentColor(students),
    marks: [
      // What the runs cover: outside this band an allocation is an extrapolation of the laws.
      Plot.rect(covered, { ...facets.channels("quantity"), y1: "min", y2: "max", fill: "currentColor", fillOpacity: 0.07, className: ALLOCATION_MARKS.domain }),
      Plot.frame({ strokeOpacity: 0.2 }),
      facets.headings,
      // The box of the optimisation: a curve lying on one of these lines is a bound solution.
      Plot.ruleY(bounds, { strokeDasharray: "4,3", strokeOpacity: 0.5 }),
      Plot.text([bounds[1]], { y: (d: number) => d, frameAnchor: "right", dx: -3, dy: 8, lineAnchor: "top", textAnchor: "end", text: (d: number) => `bound ${formatExponent(d, 1)}`, fillOpacity: 0.6 }),
      Plot.line(long, { x: "budget", y: "value", ...facets.channels("quantity"), stroke: "student", strokeWidth: 1.6, className: ALLOCATION_MARKS.line }),
      Plot.dot(long.filter((d) => d.bound !== null), {
        x: "budget", y: "value", ...facets.channels("quantity"), stroke: "student", fill: "var(--theme-background, white)", r: 3,
        className: ALLOCATION_MARKS.bound,
      }),
      Plot.dot(long.filter((d) => d.extrapolation !== null), {
        x: "budget", y: "value", ...facets.channels("quantity"), stroke: "student", symbol: "times", r: 2.5, strokeWidth: 1.2,
        className: ALLOCATION_MARKS.extrapolated,
      }),
      Plot.tip(long, Plot.pointer({
        x: "budget", y: "value", ...facets.channels("quantity"), stroke: "student",
        title: (d: QuantityRow) => `N_S = ${d.student}, C = ${formatExponent(d.budget, 3)} FLOPs\n${d.quantity} = ${formatExponent(d.value, 3)}${d.bound ? ` (on the ${d.bound} bound)` : ""}` +
          (d.extrapolation ? `\nExtrapolated: ${d.extrapolation}` : ""),
      })),
    ],
  });
  return exportAtDesktopWidth(chart, facets, (w) => configurationChart(rows, { ...options, width: w }));
}

/** Colours of the three terms, after the paper: student training blue, logits orange, teacher pretraining green. */
export const TERM_COLORS = ["#4e79a7", "#f28e2c", "#59a14f"];

/**
 * The budgets whose plan extrapolates, as x-extents between the neighbouring budgets (geometric
 * midpoints) per student: the share chart washes them out.
 */
export function extrapolatedSpans(rows: readonly SolutionRow[], flags: readonly (readonly ValidityFlag[])[]) {
  return rows.flatMap((row, i) => {
    if (!flags[i]?.length) return [];
    const budgets = rows.filter((r) => r.student === row.student).map((r) => r.budget);
    const k = budgets.indexOf(row.budget);
    const x1 = k > 0 ? Math.sqrt(budgets[k - 1] * row.budget) : row.budget;
    const x2 = k < budgets.length - 1 ? Math.sqrt(budgets[k + 1] * row.budget) : row.budget;
    return [{ student: row.student, budget: row.budget, x1, x2, message: flags[i].map((f) => f.message).join("; ") }];
  });
}

export function shareChart(
  shares: readonly ShareRow[],
  options: Omit<AllocationChartOptions, "bounds" | "domain" | "flags"> & { extrapolated?: ReturnType<typeof extrapolatedSpans> },
): SVGSVGElement | HTMLElement {
  const { students, width, height = 300, extrapolated = [] } = options;
  const facets = studentFacets(students, width);
  const chart = Plot.plot({
    ...computeFacetsFrame({ budgets: shares.map((d) => d.budget), facets, width, height, marginLeft: 48 }),
    y: { label: "↑ Share of total compute (%)", percent: true, domain: [0, 100], grid: true },
    color: { legend: true, domain: FLOPS_TERMS.map((t) => t.label), range: TERM_COLORS },
    marks: [
      Plot.areaY(shares, {
        x: "budget", y: "share", ...facets.channels("student"), fill: "term", order: FLOPS_TERMS.map((t) => t.label), fillOpacity: 0.85,
        className: ALLOCATION_MARKS.share,
      }),
      // Extrapolated plans, washed out.
      Plot.rect(extrapolated, {
        x1: "x1", x2: "x2", y1: 0, y2: 1, ...facets.channels("student"), fill: "var(--theme-background, white)", fillOpacity: 0.55,
        className: ALLOCATION_MARKS.extrapolatedShare,
      }),
      Plot.frame({ strokeOpacity: 0.2 }),
      facets.headings,
    ],
  });
  return exportAtDesktopWidth(chart, facets, (w) => shareChart(shares, { ...options, width: w }));
}
