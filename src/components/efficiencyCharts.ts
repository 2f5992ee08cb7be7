// Figures 33 and 34 of the paper: for each student, the compute (or Eq. 34 tokens) a distillation
// scenario needs to reach a target cross-entropy, as a multiple of what supervised training needs,
// against the target. Dashed horizontal rule: break-even (1); dashed vertical rule: the student's
// lowest cross-entropy L(N_S, D = inf), as the paper draws them.

import * as Plot from "@observablehq/plot";
import { SCENARIOS } from "../core/scenarios.js";
import { STRATEGY_COLORS } from "./figure8Chart.js";

export interface EfficiencyRow {
  student: string;
  strategy: string;
  label: string;
  targetLoss: number;
  computeRatio: number;
  dataRatio: number;
  compute: number;
  dataTokens: number;
  supervisedCompute: number;
  supervisedTokens: number;
}

export interface EfficiencyChartOptions {
  students: readonly string[];
  /** L(N_S, inf) per student name. */
  floors: ReadonlyMap<string, number>;
  metric: "computeRatio" | "dataRatio";
  width?: number;
}

export const EFFICIENCY_MARKS = { curve: "efficiency-curve", breakEven: "efficiency-break-even", floor: "efficiency-floor" } as const;

export function efficiencyChart(rows: readonly EfficiencyRow[], { students, floors, metric, width = 640 }: EfficiencyChartOptions) {
  const columns = width < 560 ? 2 : 4;
  const facet = (name: string) => students.indexOf(name);
  const fx = (d: { student: string }) => facet(d.student) % columns;
  const fy = (d: { student: string }) => Math.floor(facet(d.student) / columns);
  const floorRows = students.map((student) => ({ student, floor: floors.get(student)! }));
  const labels = SCENARIOS.map((s) => s.label);
  const rowsCount = Math.ceil(students.length / columns);
  return Plot.plot({
    width,
    height: 60 + 190 * rowsCount,
    marginLeft: 52,
    marginBottom: 40,
    fx: { axis: null },
    fy: { axis: null },
    x: { label: "Target student cross-entropy L* (nats) →", grid: true, ticks: 4 },
    y: {
      type: "log", grid: true,
      label: metric === "computeRatio" ? "↑ Compute / supervised compute" : "↑ Tokens (Eq. 34) / supervised tokens",
    },
    color: { legend: true, domain: labels, range: STRATEGY_COLORS.slice(1) },
    marks: [
      Plot.frame({ strokeOpacity: 0.2 }),
      Plot.text(students.map((student) => ({ student })), { fx, fy, text: (d) => `N_S = ${d.student}`, frameAnchor: "top-left", dx: 4, dy: 4, fontWeight: "bold" }),
      Plot.ruleY([1], { stroke: "gray", strokeDasharray: "4,3", className: EFFICIENCY_MARKS.breakEven }),
      Plot.ruleX(floorRows, { x: "floor", fx, fy, stroke: "gray", strokeDasharray: "4,3", className: EFFICIENCY_MARKS.floor }),
      Plot.line(rows, { x: "targetLoss", y: metric, z: "label", stroke: "label", fx, fy, strokeWidth: 1.6, className: EFFICIENCY_MARKS.curve }),
      Plot.tip(rows as EfficiencyRow[], Plot.pointer({
        x: "targetLoss", y: metric, fx, fy, stroke: "label",
        title: (d: EfficiencyRow) => `${d.label}, N_S = ${d.student}\nL* = ${d.targetLoss.toFixed(4)} nats\n` +
          `compute ratio ${d.computeRatio.toPrecision(3)}, data ratio ${d.dataRatio.toPrecision(3)}`,
      })),
    ],
  });
}
