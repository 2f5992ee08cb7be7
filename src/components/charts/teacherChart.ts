// Existing teachers on the capacity gap (Section 5.2, Figures 7 and 16): the student's loss
// against the teacher's loss, with the optimal teacher loss L_T* marked and each of the reader's
// teachers placed at its predicted student loss.

import * as Plot from "@observablehq/plot";
import type { RankedTeacher } from "../../core/allocation/teachers.js";
import { formatExponent } from "../../core/inputs/units.js";
import { TEACHER_STUDENT_LOSS, supervisedLossRule, teacherStudentLossFrame } from "./teacherStudentLossAxes.js";
import { dotRect, placeLabels } from "./labelLayout.js";

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
  const { x, y } = TEACHER_STUDENT_LOSS;
  const main = data.curves.find((c) => c.main)!;
  const others = data.curves.filter((c) => !c.main).flatMap((c) => c.points.map((p) => ({ ...p, studentTokens: c.studentTokens })));
  return Plot.plot({
    ...teacherStudentLossFrame({ width, height, marginRight: 30 }),
    marks: [
      ...supervisedLossRule(data.supervisedLoss, { className: TEACHER_CHART_MARKS.supervised, labelDy: -8 }),
      // With the logits paid for, each teacher leaves a different D_S: its own, fainter, curve.
      Plot.line(others, { x, y, z: "studentTokens", stroke: "currentColor", strokeOpacity: 0.2, className: TEACHER_CHART_MARKS.otherCurves }),
      Plot.line(main.points, { x, y, stroke: "var(--theme-foreground-focus)", strokeWidth: 2, className: TEACHER_CHART_MARKS.curve }),
      Plot.dot([data.optimum], { x, y, r: 4, fill: "var(--theme-foreground-focus)", className: TEACHER_CHART_MARKS.optimum }),
      Plot.text([data.optimum], {
        x, y, dy: -12, lineAnchor: "bottom", text: (d: { teacherLoss: number }) => `L_T* = ${d.teacherLoss.toFixed(3)}`,
        fill: "currentColor", stroke: "var(--theme-background)", strokeWidth: 3, paintOrder: "stroke", className: "teacher-gap-optimum-label",
      }),
      // The recommended teacher in green, the others in orange: two marks, since a fill given
      // as a CSS variable cannot be a channel value.
      ...[true, false].map((best) => Plot.dot(data.teachers.filter((d) => (d.rank === 1) === best), {
        x: "teacherLoss", y: "studentLoss", r: 5, stroke: "var(--theme-background)",
        fill: best ? "var(--theme-green)" : "#e7a33e",
        className: TEACHER_CHART_MARKS.teachers, tip: true,
        title: (d: RankedTeacher) => `#${d.rank} ${d.name}\nL_T = ${d.teacherLoss.toFixed(3)} (${d.lossSource})\nL_S = ${d.studentLoss.toFixed(4)} on ${formatExponent(d.studentTokens)} tokens\n${d.side}`,
      })),
      // Rank labels with a halo (the dashed supervised line does not run through them), placed by
      // measuring collisions with each other, the dots, the L_T* label and the supervised label.
      (_index: number[], scales: Plot.ScaleFunctions, _values: unknown, dimensions: Plot.Dimensions, context: { document: Document }) =>
        rankLabels(data, scales, dimensions, context.document),
    ],
  });
}

const LABEL_FONT_PX = 10;
const LABEL_HEIGHT = 12;

/** The width of a label in the chart's font (a canvas measures it; without one, 0.6 em per character). */
function textWidth(text: string, document: Document): number {
  const context = document.createElement("canvas").getContext?.("2d");
  if (!context) return text.length * 0.6 * LABEL_FONT_PX;
  context.font = `${LABEL_FONT_PX}px system-ui, sans-serif`;
  return context.measureText(text).width;
}

function rankLabels(data: TeacherChartData, scales: Plot.ScaleFunctions, dimensions: Plot.Dimensions, document: Document): SVGGElement {
  const x = scales.x!, y = scales.y!;
  const { width, height, marginLeft, marginRight, marginTop, marginBottom } = dimensions;
  const frame = { left: marginLeft, right: width - marginRight, top: marginTop, bottom: height - marginBottom };
  const optimumX = x(data.optimum.teacherLoss), optimumY = y(data.optimum.studentLoss);
  const optimumText = `L_T* = ${data.optimum.teacherLoss.toFixed(3)}`;
  const optimumWidth = textWidth(optimumText, document);
  const supervisedText = `supervised L̃_S = ${data.supervisedLoss.toFixed(3)}`;
  const supervisedWidth = textWidth(supervisedText, document);
  const supervisedY = y(data.supervisedLoss) - 8;
  const obstacles = [
    dotRect(optimumX, optimumY, 4),
    // The L_T* label: centred above its dot (dy -12, bottom line anchor).
    { left: optimumX - optimumWidth / 2, right: optimumX + optimumWidth / 2, top: optimumY - 12 - LABEL_HEIGHT, bottom: optimumY - 12 },
    // The supervised label: right-aligned at the frame's edge (dx -4), centred 8 px above the rule.
    { left: frame.right - 4 - supervisedWidth, right: frame.right - 4, top: supervisedY - LABEL_HEIGHT / 2, bottom: supervisedY + LABEL_HEIGHT / 2 },
    ...data.teachers.map((d) => dotRect(x(d.teacherLoss), y(d.studentLoss), 5)),
  ];
  // Best rank first: the recommended teacher's label gets the first choice of position.
  const teachers = [...data.teachers].sort((a, b) => a.rank - b.rank);
  const texts = teachers.map((d) => `${d.rank}. ${d.name}`);
  const placements = placeLabels(teachers.map((d, i) => ({
    x: x(d.teacherLoss), y: y(d.studentLoss), width: textWidth(texts[i], document), height: LABEL_HEIGHT,
  })), { frame, obstacles, gap: 9 });
  const svg = "http://www.w3.org/2000/svg";
  const group = document.createElementNS(svg, "g") as SVGGElement;
  group.setAttribute("class", "teacher-gap-labels");
  group.setAttribute("font-size", String(LABEL_FONT_PX));
  teachers.forEach((d, i) => {
    const p = placements[i];
    const text = document.createElementNS(svg, "text");
    text.setAttribute("x", String(x(d.teacherLoss) + p.dx));
    text.setAttribute("y", String(y(d.studentLoss) + p.dy));
    text.setAttribute("dy", "0.32em");
    text.setAttribute("text-anchor", p.textAnchor);
    text.setAttribute("fill", "currentColor");
    text.setAttribute("stroke", "var(--theme-background)");
    text.setAttribute("stroke-width", "3");
    text.setAttribute("paint-order", "stroke");
    text.textContent = texts[i];
    group.append(text);
  });
  return group;
}
