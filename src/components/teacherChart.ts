// Existing teachers on the capacity gap (Section 5.2, Figures 7 and 16): the student's loss
// against the teacher's loss, with the optimal teacher loss L_T* marked and each of the reader's
// teachers placed at its predicted student loss.

import * as Plot from "@observablehq/plot";
import type { RankedTeacher } from "../core/teachers.js";
import { formatExponent } from "../core/units.js";
import { supervisedLossRule, teacherStudentLossAxes } from "./teacherStudentLossAxes.js";

export interface TeacherCurve {
  /** Distillation tokens D_S the curve is drawn for. */
  studentTokens: number;
  /** True for the curve at the recommended teacher's D_S (drawn solid); others are faint. */
  main: boolean;
  points: { teacherLoss: number; studentLoss: number }[];
}

export interface TeacherChartData {
  curves: TeacherCurve[];
  teachers: RankedTeacher[];
  optimum: { teacherLoss: number; studentLoss: number };
  /** L~_S at the recommended teacher's D_S. */
  supervisedLoss: number;
}

export const TEACHER_CHART_MARKS = {
  curve: "teacher-gap-curve",
  otherCurves: "teacher-gap-other-curves",
  optimum: "teacher-gap-optimum",
  teachers: "teacher-gap-teachers",
  supervised: "teacher-gap-supervised",
} as const;

export function teacherChart(data: TeacherChartData, { width, height = 400 }: { width?: number; height?: number } = {}) {
  const x = "teacherLoss";
  const y = "studentLoss";
  const main = data.curves.find((c) => c.main)!;
  const others = data.curves.filter((c) => !c.main).flatMap((c) => c.points.map((p) => ({ ...p, studentTokens: c.studentTokens })));
  return Plot.plot({
    width,
    height,
    marginRight: 30,
    ...teacherStudentLossAxes(),
    marks: [
      ...supervisedLossRule(data.supervisedLoss, { className: TEACHER_CHART_MARKS.supervised, labelDy: -8 }),
      // With the logits paid for, each teacher leaves a different D_S: its own, fainter, curve.
      Plot.line(others, { x, y, z: "studentTokens", stroke: "currentColor", strokeOpacity: 0.2, className: TEACHER_CHART_MARKS.otherCurves }),
      Plot.line(main.points, { x, y, stroke: "var(--theme-foreground-focus)", strokeWidth: 2, className: TEACHER_CHART_MARKS.curve }),
      Plot.dot([data.optimum], { x, y, r: 4, fill: "var(--theme-foreground-focus)", className: TEACHER_CHART_MARKS.optimum }),
      Plot.text([data.optimum], {
        x, y, dy: -12, lineAnchor: "bottom", text: (d: { teacherLoss: number }) => `L_T* = ${d.teacherLoss.toFixed(3)}`,
        stroke: "var(--theme-background)", strokeWidth: 3, paintOrder: "stroke", className: "teacher-gap-optimum-label",
      }),
      // The recommended teacher in green, the others in orange: two marks, since a fill given
      // as a CSS variable cannot be a channel value.
      ...[true, false].map((best) => Plot.dot(data.teachers.filter((d) => (d.rank === 1) === best), {
        x: "teacherLoss", y: "studentLoss", r: 5, stroke: "var(--theme-background)",
        fill: best ? "var(--theme-green)" : "#e7a33e",
        className: TEACHER_CHART_MARKS.teachers, tip: true,
        title: (d: RankedTeacher) => `#${d.rank} ${d.name}\nL_T = ${d.teacherLoss.toFixed(3)} (${d.lossSource})\nL_S = ${d.studentLoss.toFixed(4)} on ${formatExponent(d.studentTokens)} tokens\n${d.side}`,
      })),
      // Labels with a halo, so the dashed supervised line does not run through them, placed
      // below-right of their dots (the L_T* label sits above its dot), alternating above and
      // below along the x axis so that neighbouring teachers' labels do not meet.
      ...[1, -1].map((side) => Plot.text(data.teachers.filter((d) => labelSide(data.teachers, d) === side), {
        x: "teacherLoss", y: "studentLoss", text: (d: RankedTeacher) => `${d.rank}. ${d.name}`,
        dx: 9, dy: 10 * side, textAnchor: "start", lineAnchor: side > 0 ? "top" : "bottom",
        stroke: "var(--theme-background)", strokeWidth: 3, paintOrder: "stroke", className: "teacher-gap-labels",
      })),
    ],
  });
}

/** 1 (below) or -1 (above): alternating in order of teacher loss. */
function labelSide(teachers: readonly RankedTeacher[], teacher: RankedTeacher): 1 | -1 {
  const order = [...teachers].sort((a, b) => a.teacherLoss - b.teacherLoss);
  return order.indexOf(teacher) % 2 === 0 ? 1 : -1;
}
