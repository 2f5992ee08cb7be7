// The planner's budget sweep: every (student size, budget) combination the reader lists, as a
// table with one row per combination and a chart of L_S* against budget for the five strategies
// (the paper's Figure 8 for the reader's own sizes).

import * as Plot from "@observablehq/plot";
import { decadeTicks, exportAtDesktopWidth, facetLayout } from "../charts/computeFacets.js";
import { STRATEGIES, type PlanRow } from "../../core/allocation/plan.js";
import type { PlanUncertainty } from "../../core/uncertainty/planUncertainty.js";
import { planValidityFlags, type ValidityDomain } from "../../core/domain/validity.js";
import { formatExponent, formatQuantity } from "../../core/inputs/units.js";
import { el } from "../page/dom.js";
import { STRATEGY_COLORS } from "../charts/figure8Chart.js";

export interface SweepCombination {
  studentParameters: number;
  budget: number;
  rows: PlanRow[];
}

/** The strategy of lowest L_S* among those you pay for (best case excluded: it is a bound). */
export function paidWinner(rows: readonly PlanRow[]): PlanRow | null {
  return rows.filter((r) => r.strategy !== "best-case" && r.studentLoss !== null)
    .reduce<PlanRow | null>((a, b) => (a === null || b.studentLoss! < a.studentLoss! ? b : a), null);
}

/** Short form of an infeasible row's reason for a narrow cell; the full text is its title. */
function infeasibleCell(row: PlanRow): HTMLTableCellElement {
  const short = row.errorReason === "budget-too-small" ? "infeasible: budget too small"
    : row.errorReason === "budget-too-large" ? "infeasible: budget too large" : "infeasible";
  return el("td", { class: "infeasible-reason", title: row.error!, "data-strategy": row.strategy }, short);
}

/**
 * One row per combination. With a `domain`, a cell whose plan needs the laws outside it is marked
 * "extrapolated" and its title lists what lies outside and how far.
 */
export function sweepTable(combinations: readonly SweepCombination[], { id, domain = null }: { id?: string; domain?: ValidityDomain | null } = {}): HTMLElement {
  const head = el("thead", {}, el("tr", {},
    el("th", {}, "Student N_S", el("br"), el("small", {}, "parameters")),
    el("th", {}, "Budget C", el("br"), el("small", {}, "FLOPs")),
    STRATEGIES.map((s) => el("th", { "data-strategy": s.id }, s.label, el("br"), el("small", {}, "L_S*, nats"))),
    el("th", {}, "Best paid strategy")));
  const body = el("tbody", {}, combinations.map(({ studentParameters, budget, rows }) => {
    const winner = paidWinner(rows);
    return el("tr", { "data-student": studentParameters, "data-budget": budget },
      el("td", { "data-value": studentParameters }, formatQuantity(studentParameters)),
      el("td", { "data-value": budget }, formatExponent(budget)),
      rows.map((row) => {
        if (row.studentLoss === null) return infeasibleCell(row);
        const flags = planValidityFlags(row, domain);
        return el("td", {
          "data-strategy": row.strategy, "data-value": row.studentLoss, class: [row === winner ? "winner" : "", flags.length ? "extrapolated" : ""].join(" ").trim() || null,
          "data-flags": flags.length ? flags.map((f) => f.variable).join(",") : null,
          title: flags.length ? `Outside the fitted region: ${flags.map((f) => f.message).join("; ")}` : null,
        }, row.studentLoss.toFixed(4), flags.length ? el("sup", { class: "extrapolation-mark" }, " ⚠") : null);
      }),
      el("td", {}, winner ? winner.label : "none feasible"));
  }));
  return el("div", { class: "table-scroll" }, el("table", { id, class: "sweep-table" }, head, body));
}

export interface SweepPoint {
  student: string;
  studentParameters: number;
  budget: number;
  strategy: string;
  strategyId: PlanRow["strategy"];
  studentLoss: number;
  /** The 90% band of L_S* over the coefficient ensemble, when computed. */
  low?: number;
  high?: number;
}

/**
 * One point per feasible strategy and combination; `bands[i]`, when given, is the uncertainty of
 * `combinations[i]` and adds its L_S* band to the points.
 */
export function sweepPoints(combinations: readonly SweepCombination[], bands?: readonly (PlanUncertainty | null)[] | null): SweepPoint[] {
  return combinations.flatMap(({ studentParameters, budget, rows }, i) => rows
    .filter((row) => row.studentLoss !== null)
    .map((row) => {
      const b = bands?.[i]?.strategies.find((s) => s.strategy === row.strategy)?.studentLoss ?? null;
      return {
        student: `N_S = ${formatQuantity(studentParameters)}`, studentParameters, budget,
        strategy: row.label, strategyId: row.strategy, studentLoss: row.studentLoss!,
        ...(b ? { low: b.low, high: b.high } : {}),
      };
    }));
}

/** L_S* against budget, one line per strategy, one panel per student size (wrapping on a phone); 90% bands shaded when the points carry them. */
export function sweepChart(points: readonly SweepPoint[], options: { width?: number; height?: number } = {}): SVGSVGElement | HTMLElement {
  const { width, height = 300 } = options;
  const students = [...new Set(points.map((p) => p.student))];
  const facets = facetLayout(students, width, { marginLeft: 50 });
  const budgets = points.map((p) => p.budget);
  const chart = Plot.plot({
    width,
    height: facets.height(height),
    marginLeft: 50,
    marginRight: 10,
    ...(students.length > 1 ? facets.scales : {}),
    // Budgets span orders of magnitude: a log axis spaces them evenly. Ticks at inner decades
    // only (decadeTicks): "1e20" and "1e24" at the panel edges touched their neighbours.
    x: {
      type: "log", label: "Total compute C (FLOPs) →", tickFormat: (x: number) => formatExponent(x, 1),
      ticks: budgets.length ? decadeTicks(Math.min(...budgets), Math.max(...budgets), students.length > 2 ? 2 : 1) : 4,
    },
    y: { label: "↑ Student cross-entropy L_S* (nats)", grid: true, nice: true },
    // The same colour for a strategy here as in Figure 8.
    color: { legend: true, domain: STRATEGIES.map((s) => s.label), range: STRATEGY_COLORS },
    marks: [
      Plot.frame({ strokeOpacity: 0.15 }),
      students.length > 1 ? facets.headings : null,
      // The band of each strategy across the coefficient samples, under its line.
      Plot.areaY(points.filter((d) => d.low !== undefined).sort((a, b) => a.budget - b.budget), {
        x: "budget", y1: "low", y2: "high", fill: "strategy", z: "strategy", fillOpacity: 0.14,
        ...(students.length > 1 ? facets.channels("student") : {}), className: "sweep-bands",
      }),
      // The supervised baseline is dashed so the distillation scenarios stand out against it
      // (Plot's dash pattern is per mark, hence two line marks).
      ...[true, false].map((supervised) => Plot.line(points.filter((d) => (d.strategyId === "supervised") === supervised), {
        x: "budget", y: "studentLoss", stroke: "strategy", z: "strategy", ...(students.length > 1 ? facets.channels("student") : {}),
        strokeDasharray: supervised ? "5,3" : undefined, className: "sweep-lines",
      })),
      Plot.dot(points, {
        x: "budget", y: "studentLoss", fill: "strategy", r: 2.5, ...(students.length > 1 ? facets.channels("student") : {}),
        className: "sweep-dots", tip: true,
        title: (d: SweepPoint) => `${d.strategy}\n${d.student}, C = ${formatExponent(d.budget)} FLOPs\nL_S* = ${d.studentLoss.toFixed(4)} nats` +
          (d.low !== undefined ? `\n90% band ${d.low.toFixed(4)} to ${d.high!.toFixed(4)}` : ""),
      }),
    ],
  });
  return exportAtDesktopWidth(chart, facets, (w) => sweepChart(points, { ...options, width: w }));
}
