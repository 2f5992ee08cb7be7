// Figures 33 and 34 of the paper: for each student, the compute (or Eq. 34 tokens) a distillation
// scenario needs to reach a target cross-entropy, as a multiple of what supervised training needs,
// against the target. Dashed horizontal rule: break-even (1); dashed vertical rule: the student's
// lowest cross-entropy L(N_S, D = inf), as the paper draws them. Shaded: the 90% band of the ratio
// over the coefficient ensemble (efficiencyBands.ts), at the bands' grid of targets. Where a point's
// allocation needs the laws outside the runs they were fitted on, the curve is faded: each curve is
// drawn faded in full, then solid where every point is inside, as Figure 8 does.

import * as Plot from "@observablehq/plot";
import { SCENARIOS } from "../../core/laws/scenarios.js";
import type { EfficiencyPoint } from "../../core/questions/targetLoss.js";
import type { EfficiencyBands } from "../../core/uncertainty/efficiencyBands.js";
import { widenedBandColumns } from "../../core/domain/bandWidening.js";
import type { ValidityFlag } from "../../core/domain/validity.js";
import { STRATEGY_COLORS } from "./figure8Chart.js";

export interface EfficiencyRow extends EfficiencyPoint {
  student: string;
  strategy: string;
  label: string;
  /** What the point's allocation needs of the laws outside the set's validity domain ([] inside, or without a domain). */
  flags: ValidityFlag[];
}

export interface EfficiencyChartOptions {
  students: readonly string[];
  /** L(N_S, inf) per student name. */
  floors: ReadonlyMap<string, number>;
  metric: "computeRatio" | "dataRatio";
  /** The ensemble's bands (null: not drawn, e.g. while they compute or without an ensemble). */
  bands?: EfficiencyBands | null;
  /** Whether the rows were checked against a validity domain: only then are flagged parts faded. */
  validityChecked?: boolean;
  width?: number;
}

/** Class names of the marks: hooks for the browser tests, which read the drawn geometry back. */
export const EFFICIENCY_MARKS = {
  curve: "efficiency-curve", inside: "efficiency-inside", band: "efficiency-band",
  /** The dotted edges of the ribbons where they are widened beyond the fitted runs. */
  widenedBand: "efficiency-band-widened",
  breakEven: "efficiency-break-even", floor: "efficiency-floor",
} as const;

export interface EfficiencyBandRow {
  student: string;
  strategy: string;
  label: string;
  targetLoss: number;
  low: number;
  median: number;
  /** Infinity when unbounded (the harder target is out of the point fit's reach). */
  high: number;
  /** Widened beyond the fitted runs (bandWidening.ts). */
  widened: boolean;
  /** Members in the band, and those left out (the target unreachable for them, or a failed solve). */
  members: number;
  missing: number;
}

/** The bands of one metric as rows, by student name (cells without any member reaching are left out). */
export function efficiencyBandRows(bands: EfficiencyBands | null | undefined, students: readonly string[], metric: "computeRatio" | "dataRatio"): EfficiencyBandRow[] {
  if (!bands) return [];
  return bands.cells.flatMap((c) => {
    const b = c[metric];
    return b === null ? [] : [{
      student: students[c.studentIndex], strategy: c.strategy, label: SCENARIOS.find((s) => s.id === c.strategy)!.label,
      // JSON (the prebuilt file) writes an unbounded side as null: the flag says what it is.
      targetLoss: c.targetLoss, low: b.low, median: b.median, high: b.unbounded ? Infinity : b.high, widened: b.widened, members: b.count, missing: b.missing,
    }];
  });
}

/**
 * The bands as download records: one per student, target and scenario, both ratios' 5th, 50th and
 * 95th percentiles and whether (and by what loss error) each is widened beyond the fitted runs.
 */
export function efficiencyBandRecords(bands: EfficiencyBands | null | undefined, students: readonly string[], coefficientSet: string): Record<string, string | number | boolean | null>[] {
  if (!bands) return [];
  return bands.cells.map((c) => ({
    student: students[c.studentIndex], student_parameters: bands.grid.studentParameters[c.studentIndex], scenario: c.strategy, target_loss: c.targetLoss,
    ...widenedBandColumns("compute_ratio", c.computeRatio), ...widenedBandColumns("data_ratio", c.dataRatio),
    members_used: c.computeRatio?.count ?? 0, members_unreachable: c.unreachable, members_failed: c.failed,
    ensemble: `${Math.round(100 * bands.level)}% bands over ${bands.ensemble.members} members; ${bands.ensemble.leftOut} of ${bands.ensemble.requested} left out as unusable. ${bands.ensemble.description}`,
    coefficient_set: coefficientSet,
  }));
}

export function efficiencyChart(rows: readonly EfficiencyRow[], { students, floors, metric, bands, validityChecked = false, width = 640 }: EfficiencyChartOptions) {
  const columns = width < 560 ? 2 : 4;
  const facet = (name: string) => students.indexOf(name);
  const fx = (d: { student: string }) => facet(d.student) % columns;
  const fy = (d: { student: string }) => Math.floor(facet(d.student) / columns);
  const floorRows = students.map((student) => ({ student, floor: floors.get(student)! }));
  const labels = SCENARIOS.map((s) => s.label);
  const rowsCount = Math.ceil(students.length / columns);
  // An unbounded side runs to the panel's edge (the ribbons are clipped there).
  const bandData = efficiencyBandRows(bands, students, metric).map((d) => (d.high === Infinity ? { ...d, high: Number.MAX_VALUE } : d));
  // The solid overlay: NaN breaks the line at every extrapolated point.
  const inside = rows.map((d) => ({ ...d, [metric]: d.flags.length ? NaN : d[metric] }));
  // The y range is the curves' (and break-even's), padded: where a curve dives, a few members reach
  // the target with almost no compute, and their band's low end would squeeze the curves into a
  // sliver; the ribbons are clipped at the panel's edge instead.
  const values = rows.map((d) => d[metric]).filter((v) => v > 0);
  const yDomain = [Math.min(1, ...values) / 1.6, Math.max(1, ...values) * 1.6];
  return Plot.plot({
    width,
    height: 60 + 190 * rowsCount,
    marginLeft: 52,
    marginBottom: 40,
    fx: { axis: null },
    fy: { axis: null },
    x: { label: "Target student cross-entropy L* (nats) →", grid: true, ticks: 4 },
    y: {
      // Plain decimals (0.01, not Plot's SI "10m", which reads as ten milli-something).
      type: "log", grid: true, domain: yDomain, tickFormat: (d: number) => ratioTick(d, yDomain[1] / yDomain[0] > 30),
      label: metric === "computeRatio" ? "↑ Compute / supervised compute" : "↑ Tokens (Eq. 34) / supervised tokens",
    },
    color: { legend: true, domain: labels, range: STRATEGY_COLORS.slice(1) },
    marks: [
      Plot.frame({ strokeOpacity: 0.2 }),
      Plot.text(students.map((student) => ({ student })), { fx, fy, text: (d) => `N_S = ${d.student}`, frameAnchor: "top-left", dx: 4, dy: 4, fontWeight: "bold" }),
      Plot.areaY(bandData, { x: "targetLoss", y1: "low", y2: "high", z: "label", fill: "label", fx, fy, fillOpacity: 0.15, clip: true, className: EFFICIENCY_MARKS.band }),
      // Widened beyond the runs: the ribbon's edge dotted there (NaN breaks it where the ribbon is the members' own).
      Plot.areaY(bandData.map((d) => (d.widened ? d : { ...d, low: NaN, high: NaN })), {
        x: "targetLoss", y1: "low", y2: "high", z: "label", stroke: "label", fill: "none", fx, fy, strokeDasharray: "1,2", strokeOpacity: 0.7, clip: true,
        className: EFFICIENCY_MARKS.widenedBand,
      }),
      Plot.ruleY([1], { stroke: "gray", strokeDasharray: "4,3", className: EFFICIENCY_MARKS.breakEven }),
      Plot.ruleX(floorRows, { x: "floor", fx, fy, stroke: "gray", strokeDasharray: "4,3", className: EFFICIENCY_MARKS.floor }),
      Plot.line(rows, {
        x: "targetLoss", y: metric, z: "label", stroke: "label", fx, fy, strokeWidth: 1.6, strokeOpacity: validityChecked ? 0.32 : 1,
        className: EFFICIENCY_MARKS.curve,
      }),
      ...(validityChecked ? [Plot.line(inside, { x: "targetLoss", y: metric, z: "label", stroke: "label", fx, fy, strokeWidth: 1.6, className: EFFICIENCY_MARKS.inside })] : []),
      Plot.tip(rows as EfficiencyRow[], Plot.pointer({
        x: "targetLoss", y: metric, fx, fy, stroke: "label",
        title: (d: EfficiencyRow) => `${d.label}, N_S = ${d.student}\nL* = ${d.targetLoss.toFixed(4)} nats\n` +
          `compute ratio ${d.computeRatio.toPrecision(3)}, data ratio ${d.dataRatio.toPrecision(3)}` +
          (d.flags.length ? `\nExtrapolated: ${d.flags.map((f) => f.message).join("; ")}` : ""),
      })),
    ],
  });
}

/**
 * A ratio tick of a log axis as a plain number (0.001, 0.5, 1, 20); over more than a decade and a
 * half only the powers of ten are labelled, as Plot labels a log axis itself.
 */
export function ratioTick(value: number, powersOfTenOnly = false): string {
  const exponent = Math.log10(value);
  if (powersOfTenOnly && Math.abs(exponent - Math.round(exponent)) > 1e-9) return "";
  return String(+value.toPrecision(3));
}
