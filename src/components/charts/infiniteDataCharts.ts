// Figure 40 of the paper: with unlimited distillation data and the best teacher, does a distilled
// student reach the supervised lower bound L(N, inf) of Eq. 35? Eq. 37 against Eq. 35.

import * as Plot from "@observablehq/plot";
import { supervisedLossInfiniteData } from "../../core/laws/laws.js";
import { formatQuantity } from "../../core/inputs/units.js";
import { optimalTeacherLoss, type LawCoefficients } from "../../core/allocation/optimizer.js";
import { exponentFormat } from "./computeFacets.js";

export interface InfiniteDataRow {
  studentParameters: number;
  /** L(N_S, inf), Eq. 35. */
  supervisedLoss: number;
  /** L_T* at D_S = inf. */
  teacherLoss: number;
  /** L_S(N_S, inf, L_T*), Eq. 37. */
  studentLoss: number;
  /** L_S / L(N_S, inf) - 1. */
  relativeDifference: number;
}

/** Eq. 37 against Eq. 35 on a log grid of student sizes from 10^from to 10^to. */
export function infiniteDataRows(coefficients: LawCoefficients, { from = 7, to = 12, perDecade = 12 } = {}): InfiniteDataRow[] {
  const steps = (to - from) * perDecade;
  return Array.from({ length: steps + 1 }, (_, i) => {
    const NS = 10 ** (from + i / perDecade);
    // The teacher may be anything from just above the irreducible loss E to a very weak model;
    // the default range (teachers inside the N_T, D_T bounds) would cut off the optimum of the
    // largest students.
    const best = optimalTeacherLoss(NS, Infinity, { coefficients, teacherLossRange: [coefficients.supervised.E * 1.0001, 10] });
    const supervised = supervisedLossInfiniteData(coefficients.supervised, NS);
    return {
      studentParameters: NS, supervisedLoss: supervised, teacherLoss: best.teacherLoss, studentLoss: best.studentLoss,
      relativeDifference: best.studentLoss / supervised - 1,
    };
  });
}

/**
 * What the sign of the difference means, computed from the rows: where the best-teacher student
 * with unlimited data is below L(N_S, inf) (negative), distillation stays ahead at every budget and
 * supervised training never catches up (no crossover, Figure 8); where positive, it does.
 */
export function describeDifferenceSign(rows: readonly InfiniteDataRow[]): { negative: [number, number][]; sentence: string } {
  // Consecutive rows of one sign, as [smallest, largest] student.
  const stretches = (negative: boolean) => {
    const out: [number, number][] = [];
    let open: [number, number] | null = null;
    for (const d of rows) {
      if ((d.relativeDifference < 0) === negative && d.relativeDifference !== 0) {
        if (open) open[1] = d.studentParameters;
        else out.push(open = [d.studentParameters, d.studentParameters]);
      } else open = null;
    }
    return out;
  };
  const negative = stretches(true), positive = stretches(false);
  const words = (xs: [number, number][]) => xs.map(([a, b]) => `${formatQuantity(a)} to ${formatQuantity(b)}`).join(" and ");
  if (negative.length === 0) {
    return { negative, sentence: "The difference is positive for every student drawn: with enough data supervised training ends below any distilled student, so it always catches up." };
  }
  return {
    negative,
    sentence: `Its sign decides more than its size: for students of ${words(negative)} it is negative, so distillation from the best teacher stays below what supervised training reaches even with unlimited data, and supervised training never catches up (no crossover in Figure 8)` +
      (positive.length ? `; for ${words(positive)} it is positive and supervised training catches up.` : "."),
  };
}

/** Labelled decades only: a log axis' minor ticks would crowd the grid. */
function decades(rows: readonly InfiniteDataRow[]): number[] {
  const sizes = rows.map((d) => Math.log10(d.studentParameters));
  const ticks: number[] = [];
  for (let e = Math.ceil(Math.min(...sizes) - 1e-9); e <= Math.max(...sizes) + 1e-9; e++) ticks.push(10 ** e);
  return ticks;
}

export const INFINITE_DATA_MARKS = {
  supervised: "infinite-supervised",
  distilled: "infinite-distilled",
  difference: "infinite-difference",
} as const;

const SERIES = ["Supervised L(N_S, ∞) (Eq. 35)", "Distilled, best teacher L_S(N_S, ∞, L_T*) (Eq. 37)", "Best teacher L_T*"];

export function infiniteDataChart(rows: readonly InfiniteDataRow[], { width, height = 340 }: { width?: number; height?: number }) {
  return Plot.plot({
    width,
    height,
    marginLeft: 48,
    x: { type: "log", label: "Student parameters N_S →", ticks: decades(rows), tickFormat: exponentFormat, grid: true },
    y: { label: "↑ Cross-entropy (nats)", grid: true, nice: true },
    color: { legend: true, domain: SERIES, range: ["currentColor", "#4e79a7", "#d62728"] },
    marks: [
      Plot.line(rows, { x: "studentParameters", y: "teacherLoss", stroke: () => SERIES[2], strokeWidth: 1, strokeDasharray: "2,3" }),
      Plot.line(rows, { x: "studentParameters", y: "studentLoss", stroke: () => SERIES[1], strokeWidth: 2.5, className: INFINITE_DATA_MARKS.distilled }),
      Plot.line(rows, { x: "studentParameters", y: "supervisedLoss", stroke: () => SERIES[0], strokeDasharray: "5,3", strokeWidth: 1.5, className: INFINITE_DATA_MARKS.supervised }),
      Plot.tip(rows as InfiniteDataRow[], Plot.pointerX({
        x: "studentParameters", y: "studentLoss",
        title: (d: InfiniteDataRow) => `N_S = ${formatQuantity(d.studentParameters)}\nL(N_S, ∞) = ${d.supervisedLoss.toFixed(4)}\nL_S(N_S, ∞, L_T*) = ${d.studentLoss.toFixed(4)}\nL_T* = ${d.teacherLoss.toFixed(4)}`,
      })),
    ],
  });
}

export function relativeDifferenceChart(rows: readonly InfiniteDataRow[], { width, height = 260, band = [1e8, 1e11] as [number, number], tolerance = 0.01 }: { width?: number; height?: number; band?: [number, number]; tolerance?: number }) {
  return Plot.plot({
    width,
    height,
    marginLeft: 48,
    x: { type: "log", label: "Student parameters N_S →", ticks: decades(rows), tickFormat: exponentFormat, grid: true },
    y: { label: "↑ Relative difference L_S / L(N_S, ∞) − 1 (%)", percent: true, grid: true, nice: true },
    marks: [
      // The paper's claim: within 1% for students from 1e8 to 1e11 parameters.
      Plot.rect([band], { x1: (d: number[]) => d[0], x2: (d: number[]) => d[1], y1: -tolerance, y2: tolerance, fill: "currentColor", fillOpacity: 0.08 }),
      Plot.ruleY([-tolerance, tolerance], { strokeDasharray: "4,3", strokeOpacity: 0.6 }),
      Plot.ruleY([0]),
      Plot.line(rows, { x: "studentParameters", y: "relativeDifference", stroke: "#4e79a7", strokeWidth: 2, className: INFINITE_DATA_MARKS.difference }),
      Plot.text([band], { x: (d: number[]) => Math.sqrt(d[0] * d[1]), y: tolerance, dy: 6, lineAnchor: "top", text: () => `±${100 * tolerance}% on ${exponentFormat(band[0])}–${exponentFormat(band[1])}` }),
      Plot.tip(rows as InfiniteDataRow[], Plot.pointerX({
        x: "studentParameters", y: "relativeDifference",
        title: (d: InfiniteDataRow) => `N_S = ${formatQuantity(d.studentParameters)}\n${(100 * d.relativeDifference).toFixed(3)}%`,
      })),
    ],
  });
}
