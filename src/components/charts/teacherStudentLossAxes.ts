// What every chart of student loss against teacher loss draws alike (the capacity-gap page,
// Figures 4 and 7, and the existing-teachers page, Figure 16): the two axes and the supervised
// student L~_S as the reference the distilled student is judged against.

import * as Plot from "@observablehq/plot";

/** The fields of a point that the two axes plot: x is the teacher's loss, y the student's. */
export const TEACHER_STUDENT_LOSS = { x: "teacherLoss", y: "studentLoss" } as const;

/** A chart's size and its two axes: `width` as given (Plot's default when absent), `height` and the right margin. */
export function teacherStudentLossFrame(
  { width, height, marginRight }: { width?: number; height: number; marginRight: number },
): Pick<Plot.PlotOptions, "width" | "height" | "marginRight" | "x" | "y"> {
  return { width, height, marginRight, ...teacherStudentLossAxes(width) };
}

/**
 * x: teacher cross-entropy L_T; y: student cross-entropy L_S. About one x tick per 80 px of
 * `width` (at most 8): eight labels such as "3.4" run together on a phone.
 */
export function teacherStudentLossAxes(width = 640): Pick<Plot.PlotOptions, "x" | "y"> {
  return {
    // Log x spreads the strong-teacher end, where L_T* sits close to the irreducible loss E.
    x: { type: "log", label: "Teacher cross-entropy L_T (nats) →", ticks: Math.max(3, Math.min(8, Math.floor(width / 80))), tickFormat: "~f" },
    y: { label: "↑ Student cross-entropy L_S (nats)", nice: true, grid: true },
  };
}

/**
 * A dashed rule at the supervised student's loss L~_S, labelled at the right edge. `labelDy`
 * places the label below (positive) or above (negative) the rule, away from the chart's curves.
 */
export function supervisedLossRule(supervisedLoss: number, { className, labelDy }: { className: string; labelDy: number }): Plot.Markish[] {
  return [
    Plot.ruleY([supervisedLoss], { strokeDasharray: "5,4", className }),
    Plot.text([supervisedLoss], {
      y: (d: number) => d, frameAnchor: "right", dx: -4, dy: labelDy, textAnchor: "end",
      text: (d: number) => `supervised L̃_S = ${d.toFixed(3)}`,
    }),
  ];
}
