// The planner's budget sweep: every (student size, budget) combination the reader lists, as a
// table with one row per combination and a chart of L_S* against budget for the five strategies
// (the paper's Figure 8 for the reader's own sizes).

import * as Plot from "@observablehq/plot";
import { STRATEGIES, type PlanRow } from "../core/plan.js";
import { formatExponent, formatQuantity } from "../core/units.js";
import { el } from "./dom.js";
import { STRATEGY_COLORS } from "./figure8Chart.js";

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

export function sweepTable(combinations: readonly SweepCombination[], { id }: { id?: string } = {}): HTMLElement {
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
      rows.map((row) => row.studentLoss === null
        ? infeasibleCell(row)
        : el("td", { "data-strategy": row.strategy, "data-value": row.studentLoss, class: row === winner ? "winner" : null }, row.studentLoss.toFixed(4))),
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
}

export function sweepPoints(combinations: readonly SweepCombination[]): SweepPoint[] {
  return combinations.flatMap(({ studentParameters, budget, rows }) => rows
    .filter((row) => row.studentLoss !== null)
    .map((row) => ({
      student: `N_S = ${formatQuantity(studentParameters)}`, studentParameters, budget,
      strategy: row.label, strategyId: row.strategy, studentLoss: row.studentLoss!,
    })));
}

/** L_S* against budget, one line per strategy, one panel per student size. */
export function sweepChart(points: readonly SweepPoint[], { width, height = 300 }: { width?: number; height?: number } = {}) {
  const students = [...new Set(points.map((p) => p.student))];
  return Plot.plot({
    width,
    height,
    marginLeft: 50,
    marginRight: 10,
    // Budgets span orders of magnitude: a log axis spaces them evenly.
    x: { type: "log", label: "Total compute C (FLOPs) →", tickFormat: (x: number) => formatExponent(x, 1), ticks: 4 },
    y: { label: "↑ Student cross-entropy L_S* (nats)", grid: true, nice: true },
    fx: students.length > 1 ? { label: null, domain: students } : undefined,
    // The same colour for a strategy here as in Figure 8.
    color: { legend: true, domain: STRATEGIES.map((s) => s.label), range: STRATEGY_COLORS },
    marks: [
      Plot.frame({ strokeOpacity: 0.15 }),
      // The supervised baseline is dashed so the distillation scenarios stand out against it
      // (Plot's dash pattern is per mark, hence two line marks).
      ...[true, false].map((supervised) => Plot.line(points.filter((d) => (d.strategyId === "supervised") === supervised), {
        x: "budget", y: "studentLoss", stroke: "strategy", z: "strategy", fx: students.length > 1 ? "student" : undefined,
        strokeDasharray: supervised ? "5,3" : undefined, className: "sweep-lines",
      })),
      Plot.dot(points, {
        x: "budget", y: "studentLoss", fill: "strategy", r: 2.5, fx: students.length > 1 ? "student" : undefined,
        className: "sweep-dots", tip: true,
        title: (d: SweepPoint) => `${d.strategy}\n${d.student}, C = ${formatExponent(d.budget)} FLOPs\nL_S* = ${d.studentLoss.toFixed(4)} nats`,
      }),
    ],
  });
}
