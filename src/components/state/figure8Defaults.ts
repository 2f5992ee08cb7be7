// Figure 8's default view: the page's initial inputs, and the grid the build precomputes bands
// for (figure8-bands.json in the fits archive, src/node/figure8DefaultBands.ts). One definition, so the prebuilt bands match what opens.

import { STRATEGIES } from "../../core/allocation/plan.js";
import type { CurveGrid } from "../../core/uncertainty/curveBands.js";
import { logGrid, type Student } from "./students.js";

export const FIGURE8_DEFAULTS = Object.freeze({
  coefficients: "paper",
  students: "198M, 546M, 975M, 1.82B",
  perDecade: 4,
  /** Budgets 10^from to 10^to FLOPs. */
  from: 17,
  to: 27,
});

export function figure8Budgets(perDecade: number): number[] {
  return logGrid(FIGURE8_DEFAULTS.from, FIGURE8_DEFAULTS.to, perDecade);
}

export function figure8Grid(students: readonly Student[], perDecade: number): CurveGrid {
  return { studentParameters: students.map((s) => s.parameters), strategies: STRATEGIES.map((s) => s.id), budgets: figure8Budgets(perDecade) };
}

/** Whether bands computed for `a` serve a view of `b` (same students, strategies and budgets). */
export function sameGrid(a: CurveGrid, b: CurveGrid): boolean {
  const same = (x: readonly unknown[], y: readonly unknown[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return same(a.studentParameters, b.studentParameters) && same(a.strategies, b.strategies) &&
    a.budgets.length === b.budgets.length && a.budgets.every((v, i) => Math.abs(v / b.budgets[i] - 1) < 1e-12);
}
