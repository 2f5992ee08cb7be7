// The capacity gap (paper Figures 4 and 7): distilled student loss against teacher loss for one
// student, with the best teacher marked and the supervised student as reference.

import * as Plot from "@observablehq/plot";
import { TEACHER_STUDENT_LOSS, supervisedLossRule, teacherStudentLossFrame } from "./teacherStudentLossAxes.js";

export interface CapacityGapPoint {
  /** L_T, nats. */
  teacherLoss: number;
  /** L_S(N_S, D_S, L_T), nats. */
  studentLoss: number;
}

export interface CapacityGapOptions {
  /** L~_S(N_S, D_S): the same student trained without a teacher, nats. */
  supervisedLoss: number;
  /** The bottom of the U: L_T* and the student loss it gives. */
  optimum: CapacityGapPoint;
  width?: number;
  height?: number;
}

/** Class names of the marks' groups: hooks for styling and for the browser tests, which read the
 * plotted geometry back through the chart's scales. */
export const CAPACITY_GAP_MARKS = {
  curve: "capacity-gap-curve",
  supervised: "capacity-gap-supervised",
  optimum: "capacity-gap-optimum",
  diagonal: "capacity-gap-diagonal",
} as const;

export function capacityGapChart(
  curve: readonly CapacityGapPoint[],
  { supervisedLoss, optimum, width, height = 420 }: CapacityGapOptions,
) {
  const { x, y } = TEACHER_STUDENT_LOSS;
  return Plot.plot({
    ...teacherStudentLossFrame({ width, height, marginRight: 20 }),
    marks: [
      // Eq. 8 never lets the student beat its teacher: L_S > L_T everywhere.
      Plot.line(curve, { x, y: x, stroke: "currentColor", strokeOpacity: 0.25, className: CAPACITY_GAP_MARKS.diagonal }),
      Plot.text(curve.slice(-1), { x, y: x, text: () => "L_S = L_T", textAnchor: "end", dx: -4, dy: -8, fillOpacity: 0.5 }),
      ...supervisedLossRule(supervisedLoss, { className: CAPACITY_GAP_MARKS.supervised, labelDy: 10 }),
      Plot.line(curve, { x, y, stroke: "var(--theme-foreground-focus)", strokeWidth: 2, className: CAPACITY_GAP_MARKS.curve }),
      Plot.dot([optimum], { x, y, r: 5, fill: "var(--theme-foreground-focus)", stroke: "var(--theme-background)", className: CAPACITY_GAP_MARKS.optimum }),
      Plot.text([optimum], {
        x, y, dy: 18, lineAnchor: "top",
        text: (d: CapacityGapPoint) => `L_T* = ${d.teacherLoss.toFixed(3)}\nL_S = ${d.studentLoss.toFixed(3)}`,
      }),
      Plot.tip(curve, Plot.pointerX({
        x, y,
        title: (d: CapacityGapPoint) => `L_T = ${d.teacherLoss.toFixed(3)} nats\nL_S = ${d.studentLoss.toFixed(3)} nats`,
      })),
    ],
  });
}
