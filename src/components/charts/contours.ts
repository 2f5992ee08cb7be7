// Figures 6 and 14 of the paper: for each fixed-M teacher (D_T = 20 N_T), contours of
// L_S - L~_S, the best-case distilled student's cross-entropy minus what the same student reaches
// with supervised training on the same tokens, over student tokens D_S (Figure 6) or student
// compute 3F(N_S)D_S (Figure 14) on x and student size N_S on y. Negative (blue): distillation
// wins; positive (red): supervised wins.

import * as Plot from "@observablehq/plot";
import { table13Model } from "../../core/laws/table13.js";
import { distilledLossWithSizeFixed, supervisedLoss, supervisedLossWithSizeFixed, type CoefficientSet } from "../../core/laws/laws.js";
import { forwardFlopsFunction } from "../../core/laws/flops.js";
import { formatQuantity } from "../../core/inputs/units.js";

type Coefficients = Pick<CoefficientSet, "supervised" | "distillation">;

/** The six fixed-M teachers of Figures 2 and 6, by their Table 13 names. */
export const FIGURE6_TEACHER_NAMES = ["198M", "546M", "975M", "1.82B", "4.82B", "7.75B"] as const;
/** Tokens per parameter of the fixed-M teachers. */
export const TEACHER_TOKENS_PER_PARAMETER = 20;

export type ContourAxis = "tokens" | "compute";

/** x ranges: the fixed-M-teacher runs (D_S 3e9 to 3e11, C_S 3e19 to 3e21) with a decade or more either side. */
export const CONTOUR_DOMAINS = Object.freeze({
  tokens: [1e9, 1e13] as [number, number],
  compute: [1e18, 1e23] as [number, number],
  studentParameters: [1e8, 2e10] as [number, number],
});

/** Class names of the marks: hooks for the browser tests and the timing script. */
export const CONTOUR_MARKS = {
  bands: "contour-bands",
  zero: "contour-zero",
  teacher: "contour-teacher-size",
  runs: "contour-runs",
} as const;

export interface Teacher {
  name: string;
  parameters: number;
  tokens: number;
  /** L_T = L(N_T, D_T) from the chosen coefficients' supervised law. */
  loss: number;
}

/** The fixed-M teachers with their Table 13 sizes and, under `coefficients`, their losses. */
export function fixedMTeachers(coefficients: Coefficients): Teacher[] {
  return FIGURE6_TEACHER_NAMES.map((name) => {
    const model = table13Model(name);
    if (!model) throw new Error(`Table 13 has no model named ${name}`);
    const parameters = model.N;
    const tokens = TEACHER_TOKENS_PER_PARAMETER * parameters;
    return { name, parameters, tokens, loss: supervisedLoss(coefficients.supervised, parameters, tokens) };
  });
}

export interface ContourGrid {
  axis: ContourAxis;
  /** Cells per panel along x and y. */
  columns: number;
  rows: number;
  xDomain: [number, number];
  yDomain: [number, number];
  /**
   * Columnar samples, panel after panel, each panel row-major from the bottom-left cell: x (D_S or
   * C_S) and y (N_S) at the cell's centre in log space, the panel's index, and L_S - L~_S.
   */
  x: Float64Array;
  y: Float64Array;
  panel: Int32Array;
  value: Float64Array;
  /** Smallest and largest difference over all panels. */
  extent: [number, number];
}

export interface ContourGridOptions {
  axis?: ContourAxis;
  columns?: number;
  rows?: number;
  /** Forward FLOPs per token F(N), for the compute axis; defaults to the paper's Eq. 69. */
  flops?: (N: number) => number;
}

/**
 * L_S - L~_S on a grid uniform in log x and log N_S for every teacher. Cells are sampled at their
 * centres so that, drawn on log scales, each sample sits in the middle of its screen cell (what
 * Plot's raster and contour marks assume of a dense grid).
 */
export function contourGrid(coefficients: Coefficients, teachers: readonly Teacher[], options: ContourGridOptions = {}): ContourGrid {
  const { axis = "tokens", columns = 80, rows = 60 } = options;
  const flops = options.flops ?? forwardFlopsFunction();
  const xDomain = CONTOUR_DOMAINS[axis];
  const yDomain = CONTOUR_DOMAINS.studentParameters;
  const [lx0, lx1] = xDomain.map(Math.log);
  const [ly0, ly1] = yDomain.map(Math.log);
  const n = columns * rows * teachers.length;
  const x = new Float64Array(n), y = new Float64Array(n), value = new Float64Array(n);
  const panel = new Int32Array(n);
  let min = Infinity, max = -Infinity, k = 0;
  for (let p = 0; p < teachers.length; p++) {
    const LT = teachers[p].loss;
    for (let j = 0; j < rows; j++) {
      const NS = Math.exp(ly0 + ((j + 0.5) / rows) * (ly1 - ly0));
      // The student's size terms are computed once per row: the fast path of laws.ts.
      const distilled = distilledLossWithSizeFixed(coefficients, NS);
      const supervised = supervisedLossWithSizeFixed(coefficients.supervised, NS);
      // On the compute axis D_S = C_S / 3F(N_S), so log D_S = log C_S - log 3F(N_S).
      const shift = axis === "compute" ? Math.log(3 * flops(NS)) : 0;
      for (let i = 0; i < columns; i++) {
        const lx = lx0 + ((i + 0.5) / columns) * (lx1 - lx0);
        const logDS = lx - shift;
        const difference = distilled(logDS, LT) - supervised(logDS);
        x[k] = Math.exp(lx);
        y[k] = NS;
        panel[k] = p;
        value[k] = difference;
        if (difference < min) min = difference;
        if (difference > max) max = difference;
        k++;
      }
    }
  }
  return { axis, columns, rows, xDomain, yDomain, x, y, panel, value, extent: [min, max] };
}

/** Students (of `rows` log-spaced sizes over the panels' N_S range) a teacher's distillation still beats at the x axis's right edge. */
export interface StillAhead {
  teacher: string;
  /** The smallest and largest such student; null when supervised training has caught up with every one. */
  students: [number, number] | null;
}

/**
 * Where supervised training has not caught up by the right edge of the panels (D_S = 1e13 tokens
 * or C_S = 1e23 FLOPs): per teacher, the range of students still better distilled there. The
 * page's prose is this, computed, rather than the claim that supervised training always catches up.
 */
export function distillationAheadAtRightEdge(coefficients: Coefficients, teachers: readonly Teacher[], options: ContourGridOptions = {}): StillAhead[] {
  const { axis = "tokens", rows = 200 } = options;
  const flops = options.flops ?? forwardFlopsFunction();
  const lx = Math.log(CONTOUR_DOMAINS[axis][1]);
  const [ly0, ly1] = CONTOUR_DOMAINS.studentParameters.map(Math.log);
  return teachers.map((teacher) => {
    const ahead: number[] = [];
    for (let j = 0; j < rows; j++) {
      const NS = Math.exp(ly0 + (j / (rows - 1)) * (ly1 - ly0));
      const logDS = lx - (axis === "compute" ? Math.log(3 * flops(NS)) : 0);
      if (distilledLossWithSizeFixed(coefficients, NS)(logDS, teacher.loss) < supervisedLossWithSizeFixed(coefficients.supervised, NS)(logDS)) ahead.push(NS);
    }
    return { teacher: teacher.name, students: ahead.length ? [ahead[0], ahead[ahead.length - 1]] : null };
  });
}

/** The sentence for distillationAheadAtRightEdge's answer. */
export function describeStillAhead(stillAhead: readonly StillAhead[], axis: ContourAxis): string {
  const edge = axis === "tokens" ? `${formatQuantity(CONTOUR_DOMAINS.tokens[1])} student tokens` : `${formatQuantity(CONTOUR_DOMAINS.compute[1])} FLOPs of student compute`;
  const behind = stillAhead.filter((s): s is StillAhead & { students: [number, number] } => s.students !== null);
  if (behind.length === 0) return `With these coefficients supervised training has caught up with every teacher's distillation, for every student drawn, by ${edge}.`;
  return `Supervised training does not always catch up within the panels: at ${edge} distillation is still ahead ` +
    behind.map((s) => `from the ${s.teacher} teacher for students of ${formatQuantity(s.students[0])} to ${formatQuantity(s.students[1])}`).join("; ") + ".";
}

/** Contour levels, denser near zero where the sign changes: 0, ±0.01, ±0.02, ±0.05, ... nats. */
const LEVELS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5];

/** Thresholds covering `extent`; the lowest sits at or below the minimum so every cell is filled. */
export function contourThresholds([min, max]: [number, number]): number[] {
  const levels = [...LEVELS.map((d) => -d).reverse(), 0, ...LEVELS];
  const below = levels.filter((t) => t <= min);
  const lowest = below.length ? below[below.length - 1] : levels[0];
  return levels.filter((t) => t >= lowest && t < max);
}

/** The middle of the band starting at `threshold`: bands are coloured by it so that 0 is neutral only at 0. */
function bandColourValue(thresholds: readonly number[], threshold: number): number {
  const i = thresholds.indexOf(threshold);
  const next = thresholds[i + 1] ?? threshold + (threshold - (thresholds[i - 1] ?? threshold - 0.1));
  return (threshold + next) / 2;
}

/** A distillation run with what the overlay needs (columns of distillation-runs.csv). */
export interface ContourRun {
  N_S: number;
  D_S: number;
  N_T: number;
  D_T: number;
  L_T: number;
  L_S: number;
  L_S_supervised: number;
  protocol?: string;
  line?: number;
}

/** Runs distilled from `teacher`: same N_T and D_T, up to the rounding of a CSV. */
export function runsOfTeacher<R extends ContourRun>(runs: readonly R[], teacher: Teacher): R[] {
  const close = (a: number, b: number) => Math.abs(a / b - 1) < 2e-3;
  return runs.filter((run) => close(run.N_T, teacher.parameters) && close(run.D_T, teacher.tokens));
}

export interface ContourChartOptions {
  teachers: readonly Teacher[];
  /** The runs to overlay, already matched to a teacher (`teacher` is its index in `teachers`). */
  runs: readonly (ContourRun & { teacher: number })[];
  /** Describes the runs in their tooltips (e.g. "SYNTHETIC"). */
  runsLabel?: string;
  width?: number;
  /** Panels per row. */
  perRow?: number;
}

/** Decades strictly inside a log domain. */
function innerDecades([lo, hi]: [number, number]): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) + 1; 10 ** e < hi * 0.999; e++) ticks.push(10 ** e);
  return ticks.filter((t) => t > lo * 1.001);
}

const formatDifference = (d: number) => `${d >= 0 ? "+" : "−"}${Math.abs(d).toFixed(3)}`;

/** The figure: one panel per teacher, bands of L_S - L~_S, the zero contour, N_S = N_T and the runs. */
export function contourChart(grid: ContourGrid, options: ContourChartOptions): SVGSVGElement | HTMLElement {
  const { teachers, runs, runsLabel = "run", width = 900 } = options;
  // Three panels a row on a desktop; one or two on a narrow screen, where three would be 100 px.
  const perRow = options.perRow ?? Math.max(1, Math.min(3, Math.floor((width - 80) / 240)));
  const flops = forwardFlopsFunction();
  const thresholds = contourThresholds(grid.extent);
  const runValues = runs.map((d) => d.L_S - d.L_S_supervised);
  // Symmetric about zero so that white means "no difference"; symlog keeps the small differences
  // near the break-even line visible next to the large ones far from it.
  const reach = Math.max(Math.abs(grid.extent[0]), Math.abs(grid.extent[1]), ...runValues.map(Math.abs));
  const column = (p: number) => p % perRow;
  const row = (p: number) => Math.floor(p / perRow);
  const panelRows = Math.ceil(teachers.length / perRow);
  const compute = grid.axis === "compute";
  const runX = (d: ContourRun) => (compute ? 3 * flops(d.N_S) * d.D_S : d.D_S);
  const cells = { length: grid.value.length };
  const cellFx = Array.from(grid.panel, column), cellFy = Array.from(grid.panel, row);
  const panelHeight = Math.max(180, Math.min(320, ((width - 80) / perRow) * 0.72));
  const chart = Plot.plot({
    width,
    height: panelRows * panelHeight + 70,
    marginLeft: 56,
    marginBottom: 44,
    marginTop: 22,
    fx: { axis: null, padding: 0.06 },
    fy: { axis: null, padding: 0.1 },
    x: {
      type: "log", domain: grid.xDomain, label: compute ? "Student compute 3F(N_S)·D_S (FLOPs) →" : "Student tokens D_S →",
      // Inner decades only: a tick at a panel's edge would run into the next panel's first tick.
      ticks: innerDecades(grid.xDomain), tickFormat: (d: number) => formatQuantity(d, 2),
    },
    y: {
      type: "log", domain: grid.yDomain, label: "↑ Student size N_S (parameters)",
      ticks: [1e8, 1e9, 1e10], tickFormat: (d: number) => formatQuantity(d, 2),
    },
    color: {
      type: "diverging-symlog", constant: 0.05, scheme: "BuRd", pivot: 0, domain: [-reach, reach],
      // Plot reads legend options (here its width) from the scale; its types do not list them.
      ...({ width: 420 } as object),
      legend: true, label: "L_S − L̃_S (nats): blue, distillation better; red, supervised better",
      ticks: [-0.5, -0.1, -0.02, 0, 0.02, 0.1, 0.5].filter((t) => Math.abs(t) <= reach),
      tickFormat: (d: number) => (d === 0 ? "0" : `${d > 0 ? "+" : "−"}${Math.abs(d)}`),
    },
    marks: [
      Plot.contour(cells, {
        x: grid.x, y: grid.y, value: grid.value, fx: cellFx, fy: cellFy,
        // The grid is already at one sample per screen cell; "none" drops each sample into its cell.
        width: grid.columns, height: grid.rows, interpolate: "none", thresholds,
        fill: (d: { value: number }) => bandColourValue(thresholds, d.value),
        stroke: "currentColor", strokeOpacity: 0.12, strokeWidth: 0.5,
        className: CONTOUR_MARKS.bands,
      }),
      // The break-even line L_S = L~_S.
      Plot.contour(cells, {
        x: grid.x, y: grid.y, value: grid.value, fx: cellFx, fy: cellFy,
        width: grid.columns, height: grid.rows, interpolate: "none", thresholds: [0],
        stroke: "black", strokeWidth: 1.2, fill: "none", className: CONTOUR_MARKS.zero,
      }),
      Plot.ruleY(teachers, {
        y: "parameters", fx: (_: Teacher, i: number) => column(i), fy: (_: Teacher, i: number) => row(i),
        stroke: "white", strokeWidth: 1.6, strokeDasharray: "5,4", className: CONTOUR_MARKS.teacher,
      }),
      Plot.dot(runs, {
        x: runX, y: "N_S", fx: (d) => column(d.teacher), fy: (d) => row(d.teacher),
        // A dark outline: the fill uses the bands' colour scale, so without it a dot on a band of
        // its own colour looks hollow.
        fill: (d) => d.L_S - d.L_S_supervised, stroke: "black", strokeWidth: 1.4, r: 3.4, clip: true,
        className: CONTOUR_MARKS.runs,
        channels: {
          Run: { value: () => runsLabel },
          "N_S": { value: (d: ContourRun) => formatQuantity(d.N_S) },
          [compute ? "C_S (FLOPs)" : "D_S"]: { value: (d: ContourRun) => formatQuantity(runX(d)) },
          "L_S (nats)": { value: (d: ContourRun) => d.L_S.toFixed(4) },
          "L̃_S fitted": { value: (d: ContourRun) => d.L_S_supervised.toFixed(4) },
          "L_S − L̃_S": { value: (d: ContourRun) => formatDifference(d.L_S - d.L_S_supervised) },
          Protocol: { value: (d: ContourRun) => d.protocol ?? "" },
        },
        tip: { format: { x: false, y: false, fx: false, fy: false, fill: false } },
      }),
      Plot.text(teachers, {
        fx: (_: Teacher, i: number) => column(i), fy: (_: Teacher, i: number) => row(i), frameAnchor: "top-left", dx: 6, dy: 6,
        text: (d: Teacher) => `N_T = ${d.name}, L_T = ${d.loss.toFixed(3)}`,
        fill: "black", stroke: "white", strokeWidth: 3, paintOrder: "stroke", fontSize: 10.5, fontWeight: 600,
      }),
      Plot.frame({ strokeOpacity: 0.3 }),
    ],
  });
  if (perRow < 3 && options.perRow === undefined) {
    (chart as typeof chart & { exportRender?: (w: number) => Element }).exportRender = (w: number) => contourChart(grid, { ...options, width: w });
  }
  return chart;
}
