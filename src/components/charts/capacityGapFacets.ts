// Figures 4 and 7 of the paper: for several students and several budgets, the distilled student
// loss against the teacher loss, and the locus of the optimal teacher loss L_T* (the red line) as
// the student size varies continuously.

import * as Plot from "@observablehq/plot";
import { DEFAULT_FLOPS_MODEL, forwardFlopsFunction } from "../../core/laws/flops.js";
import { distilledLoss, supervisedLoss } from "../../core/laws/laws.js";
import { DEFAULT_BOUNDS, optimalTeacherLoss, type LawCoefficients } from "../../core/allocation/optimizer.js";
import { formatExponent } from "../../core/inputs/units.js";
import type { Student } from "../state/students.js";
import { exportAtDesktopWidth, facetLayout } from "./computeFacets.js";

export type BudgetKind = "tokens" | "tokens-per-parameter" | "compute";

export const BUDGET_KINDS: { id: BudgetKind; label: string; unit: string; example: string }[] = [
  { id: "tokens", label: "Distillation tokens D_S (Figure 7)", unit: "D_S", example: "1e10, 1e11, 1e12, 1e13" },
  { id: "tokens-per-parameter", label: "Tokens per parameter M_S = D_S/N_S (Figure 4)", unit: "M_S", example: "20, 80, 320, 1280" },
  { id: "compute", label: "Student compute C = 3F(N_S)D_S, FLOPs", unit: "C", example: "1e20, 1e21, 1e22, 1e23" },
];

/** D_S for a student under a budget of the given kind. */
export function studentTokensFor(kind: BudgetKind, budget: number, studentParameters: number): number {
  if (kind === "tokens") return budget;
  if (kind === "tokens-per-parameter") return budget * studentParameters;
  return budget / (3 * forwardFlopsFunction(DEFAULT_FLOPS_MODEL)(studentParameters));
}

export function panelName(kind: BudgetKind, budget: number): string {
  const unit = BUDGET_KINDS.find((k) => k.id === kind)!.unit;
  return `${unit} = ${kind === "tokens-per-parameter" ? String(budget) : formatExponent(budget, 3)}`;
}

export interface GapCurvePoint {
  panel: string;
  student: string;
  studentParameters: number;
  studentTokens: number;
  teacherLoss: number;
  studentLoss: number;
}

export interface GapData {
  panels: string[];
  /** L_S(N_S, D_S, L_T) over a log grid of L_T, per panel and student. */
  curves: GapCurvePoint[];
  /** The bottom of each curve: L_T* and L_S there. */
  optima: GapCurvePoint[];
  /** L_T* for a dense range of student sizes: the paper's red line. */
  locus: GapCurvePoint[];
  teacherLossRange: [number, number];
}

export function capacityGapData(
  students: readonly Student[],
  kind: BudgetKind,
  budgets: readonly number[],
  coefficients: LawCoefficients,
  { points = 160, locusPoints = 48 } = {},
): GapData {
  const [lo, hi] = DEFAULT_BOUNDS;
  const panels = budgets.map((b) => panelName(kind, b));
  // From the strongest teacher the bounds allow to a little past the weakest supervised student
  // drawn: beyond that L_S ~ L_T and the curve only repeats the diagonal.
  const strongest = supervisedLoss(coefficients.supervised, hi, hi);
  const supervisedLosses = budgets.flatMap((b) => students.map((s) =>
    supervisedLoss(coefficients.supervised, s.parameters, studentTokensFor(kind, b, s.parameters))));
  const weakest = Math.min(supervisedLoss(coefficients.supervised, lo, lo), 1.25 * Math.max(...supervisedLosses));
  const range: [number, number] = [strongest, weakest];
  const optimum = (panel: string, student: string, NS: number, DS: number): GapCurvePoint => {
    const best = optimalTeacherLoss(NS, DS, { coefficients, teacherLossRange: range });
    return { panel, student, studentParameters: NS, studentTokens: DS, teacherLoss: best.teacherLoss, studentLoss: best.studentLoss };
  };
  const curves: GapCurvePoint[] = [];
  const optima: GapCurvePoint[] = [];
  const locus: GapCurvePoint[] = [];
  const sizes = students.map((s) => s.parameters);
  const [smallest, largest] = [Math.min(...sizes) / 3, Math.max(...sizes) * 3];
  budgets.forEach((budget, i) => {
    const panel = panels[i];
    for (const { parameters: NS, name } of students) {
      const DS = studentTokensFor(kind, budget, NS);
      for (let k = 0; k < points; k++) {
        const teacherLoss = range[0] * (range[1] / range[0]) ** (k / (points - 1));
        curves.push({ panel, student: name, studentParameters: NS, studentTokens: DS, teacherLoss, studentLoss: distilledLoss(coefficients, NS, DS, teacherLoss) });
      }
      optima.push(optimum(panel, name, NS, DS));
    }
    for (let k = 0; k < locusPoints; k++) {
      const NS = smallest * (largest / smallest) ** (k / (locusPoints - 1));
      locus.push(optimum(panel, "L_T*", NS, studentTokensFor(kind, budget, NS)));
    }
  });
  return { panels, curves, optima, locus, teacherLossRange: range };
}

export const CAPACITY_FACET_MARKS = {
  curve: "capacity-facets-curve",
  optimum: "capacity-facets-optimum",
  locus: "capacity-facets-locus",
} as const;

export function capacityGapFacets(data: GapData, options: { students: readonly string[]; width?: number; height?: number }): SVGSVGElement | HTMLElement {
  const { students, width, height = 360 } = options;
  const { panels, curves, optima, locus } = data;
  const diagonal = panels.flatMap((panel) => data.teacherLossRange.map((teacherLoss) => ({ panel, teacherLoss })));
  const facets = facetLayout(panels, width);
  const chart = Plot.plot({
    width,
    height: facets.height(height),
    marginLeft: 48,
    marginBottom: 40,
    ...facets.scales,
    x: { type: "log", label: "Teacher cross-entropy L_T (nats) →", tickFormat: "~f", ticks: 5, grid: true },
    y: { label: "↑ Student cross-entropy L_S (nats)", grid: true, nice: true },
    color: { legend: true, type: "ordinal", domain: students, scheme: "viridis", label: "Student N_S" },
    marks: [
      Plot.frame({ strokeOpacity: 0.2 }),
      facets.headings,
      // Eq. 8 never lets the student beat its teacher at finite data: L_S > L_T.
      Plot.line(diagonal, { x: "teacherLoss", y: "teacherLoss", ...facets.channels("panel"), strokeOpacity: 0.25 }),
      Plot.line(curves, { x: "teacherLoss", y: "studentLoss", ...facets.channels("panel"), stroke: "student", z: "student", strokeWidth: 1.4, className: CAPACITY_FACET_MARKS.curve }),
      Plot.line(locus, { x: "teacherLoss", y: "studentLoss", ...facets.channels("panel"), stroke: "#d62728", strokeWidth: 2, className: CAPACITY_FACET_MARKS.locus }),
      Plot.dot(optima, { x: "teacherLoss", y: "studentLoss", ...facets.channels("panel"), fill: "student", stroke: "#d62728", r: 3.5, className: CAPACITY_FACET_MARKS.optimum }),
      Plot.tip(optima, Plot.pointer({
        x: "teacherLoss", y: "studentLoss", ...facets.channels("panel"),
        title: (d: GapCurvePoint) => `N_S = ${d.student}, D_S = ${formatExponent(d.studentTokens, 3)}\nL_T* = ${d.teacherLoss.toFixed(3)} nats, L_S = ${d.studentLoss.toFixed(3)} nats`,
      })),
    ],
  });
  return exportAtDesktopWidth(chart, facets, (w) => capacityGapFacets(data, { ...options, width: w }));
}
