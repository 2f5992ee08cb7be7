// Small HTML tables shared by the figure pages and the report, with data-* attributes on the rows
// so that the browser tests read exact numbers rather than formatted text.

import { formatExponent, formatQuantity } from "../../core/inputs/units.js";
import { TABLE3, allocationTrend, type AllocationTrend, type CrossoverRow } from "../state/optimalCurves.js";
import type { LawCoefficients } from "../../core/allocation/optimizer.js";
import type { CrossoverInterval } from "../../core/uncertainty/crossoverBands.js";
import type { Figure8Bands } from "../../core/uncertainty/figure8Bands.js";
import type { Student } from "../state/students.js";

export interface Column<T> {
  label: string;
  value: (row: T) => string;
}

export function simpleTable<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  { id, attributes }: { id?: string; attributes?: (row: T) => Record<string, string> } = {},
): HTMLTableElement {
  const table = document.createElement("table");
  if (id) table.id = id;
  const head = table.createTHead().insertRow();
  for (const column of columns) {
    const th = document.createElement("th");
    th.textContent = column.label;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const [key, value] of Object.entries(attributes?.(row) ?? {})) tr.setAttribute(`data-${key}`, value);
    for (const column of columns) tr.insertCell().textContent = column.value(row);
  }
  return table;
}

/** The 90% interval of a crossover as words: "1.2e22 to 3.4e22", "1.2e22 to beyond the feasible range". */
export function crossoverIntervalText(interval: CrossoverInterval | null): string {
  if (interval === null) return "";
  if (interval.low === null) return "beyond the feasible range";
  return `${formatExponent(interval.low, 2)} to ${interval.high === null ? "beyond the feasible range" : formatExponent(interval.high, 2)}`;
}

/**
 * Figure 8's crossover compute per student and scenario, with the ensemble's 90% interval and
 * the members without a crossover in range when `bands` are given.
 */
export function crossoverTable(crossovers: readonly CrossoverRow[], id = "figure8-crossovers", bands: Figure8Bands | null = null): HTMLTableElement {
  const intervalOf = (d: CrossoverRow) => {
    const s = bands?.grid.studentParameters.indexOf(d.studentParameters) ?? -1;
    return bands?.crossovers.find((c) => c.studentIndex === s && c.scenario === d.scenario) ?? null;
  };
  const columns: Column<CrossoverRow>[] = [
    { label: "Student N_S", value: (d) => d.student },
    { label: "Supervised catches", value: (d) => d.scenario === "teacher-inference" ? `${d.label} (an existing teacher)` : d.label },
    { label: "Crossover compute C (FLOPs)", value: (d) => (d.budget === null ? "no crossover within the bounds" : formatExponent(d.budget, 3)) },
  ];
  if (bands) {
    columns.push(
      { label: `${Math.round(100 * bands.level)}% interval over members`, value: (d) => crossoverIntervalText(intervalOf(d)?.interval ?? null) },
      { label: "No crossover in range", value: (d) => {
        const i = intervalOf(d)?.interval;
        return i ? `${i.none} of ${i.members} members (${Math.round((100 * i.none) / i.members)}%)` : "";
      } },
    );
  }
  columns.push(
    { label: "Student tokens D_S there", value: (d) => (d.studentTokens === null ? "" : formatQuantity(d.studentTokens)) },
    { label: "L_S there (nats)", value: (d) => (d.studentLoss === null ? "" : d.studentLoss.toFixed(4)) },
  );
  return simpleTable(crossovers, columns, {
    id,
    attributes: (d) => {
      const interval = intervalOf(d)?.interval ?? null;
      return {
        "student-parameters": String(d.studentParameters), scenario: d.scenario, budget: d.budget === null ? "" : String(d.budget),
        ...(interval ? { low: String(interval.low ?? ""), high: String(interval.high ?? ""), none: String(interval.none), members: String(interval.members) } : {}),
      };
    },
  });
}

/** The crossover rows for download, with the interval and the members without a crossover when bands are given. */
export function crossoverRecords(crossovers: readonly CrossoverRow[], bands: Figure8Bands | null, coefficientSet: string): object[] {
  return crossovers.map((d) => {
    const s = bands?.grid.studentParameters.indexOf(d.studentParameters) ?? -1;
    const band = bands?.crossovers.find((c) => c.studentIndex === s && c.scenario === d.scenario);
    const interval = band?.interval ?? null;
    return {
      ...d,
      // null: beyond the feasible range.
      interval_low: interval?.low ?? null, interval_high: interval?.high ?? null, interval_level: bands?.level ?? null,
      members_without_crossover: interval?.none ?? null, members: interval?.members ?? null,
      // The verdict rule at the crossover: null without a crossover or a validity domain.
      decided_by_runs: band?.domain?.decidedByRuns ?? null,
      extrapolation_variable: band?.domain?.extrapolation?.variable ?? null,
      extrapolation_factor: band?.domain?.extrapolation?.factor ?? null,
      coefficient_set: coefficientSet,
    };
  });
}

export interface Table3Row {
  studentClass: "small" | "large";
  computeClass: "small" | "large";
  student: Student;
  budget: number;
  paper: string;
  trend: AllocationTrend | null;
  agrees: boolean | null;
}

/** Small and large compute of Table 3. */
export const TABLE3_COMPUTE = { small: 1e21, large: 1e25 } as const;

/** Table 3 recomputed (teacher pretraining + inference) for the smallest and largest of `students`. */
export function table3Rows(students: readonly Student[], coefficients: LawCoefficients): Table3Row[] {
  if (students.length === 0) return [];
  const small = students.reduce((a, b) => (b.parameters < a.parameters ? b : a));
  const large = students.reduce((a, b) => (b.parameters > a.parameters ? b : a));
  return TABLE3.map((row) => {
    const student = row.student === "small" ? small : large;
    const budget = TABLE3_COMPUTE[row.compute];
    const trend = allocationTrend(student, budget, "teacher-pretraining-inference", { coefficients });
    return { studentClass: row.student, computeClass: row.compute, student, budget, paper: row.paper, trend, agrees: trend ? row.agrees(trend.shares) : null };
  });
}

/** The paper's classes: small students below about 3B parameters, large ones above about 10B. */
export const TABLE3_STUDENT_CLASSES = { smallBelow: 3e9, largeAbove: 1e10 } as const;

export function studentClassWord(d: Pick<Table3Row, "student" | "studentClass">): string {
  if (d.studentClass === "large") return d.student.parameters >= TABLE3_STUDENT_CLASSES.largeAbove ? "large" : "largest given, not large";
  return d.student.parameters <= TABLE3_STUDENT_CLASSES.smallBelow ? "small" : "smallest given, not small";
}

export function table3Table(rows: readonly Table3Row[]): HTMLTableElement {
  return simpleTable(rows, [
    // "large" and "small" as the paper means them (above about 10B, below about 3B); the largest
    // of the students given is not called large if it is not.
    { label: "Student", value: (d) => `${d.student.name} (${studentClassWord(d)})` },
    { label: "Compute", value: (d) => `${formatExponent(d.budget)} (${d.computeClass})` },
    { label: "Computed split", value: (d) => (d.trend ? d.trend.description : "infeasible") },
    { label: "Paper (Table 3)", value: (d) => d.paper },
    { label: "Agrees?", value: (d) => (d.agrees === null ? "–" : d.agrees ? "yes" : "no") },
  ], { id: "table3", attributes: (d) => ({ "student-parameters": String(d.student.parameters), budget: String(d.budget), agrees: String(d.agrees) }) });
}

/** The sentence under Table 3, written from the computed shares. */
export function table3Summary(rows: readonly Table3Row[]): string {
  if (rows.length !== 4) return "";
  const first = (d: Table3Row) => d.trend
    ? `a ${d.student.name} student given ${formatExponent(d.budget)} FLOPs puts its compute ${d.trend.description}`
    : `a ${d.student.name} student cannot spend ${formatExponent(d.budget)} FLOPs within the bounds`;
  const then = (d: Table3Row) => `at ${formatExponent(d.budget)} FLOPs ${d.trend ? `it goes ${d.trend.description}` : "the budget is infeasible"}`;
  const holding = rows.filter((d) => d.agrees).length;
  const [small, large] = [rows[0].student, rows[2].student];
  return `With these coefficients, ${first(rows[0])}; ${then(rows[1])}. By contrast, ${first(rows[2])}; ${then(rows[3])}. ` +
    `${holding} of the paper’s four trends hold here${holding < 4 ? "; the rows marked “no” differ from the paper’s summary" : ""}.` +
    (small.parameters > TABLE3_STUDENT_CLASSES.smallBelow || large.parameters < TABLE3_STUDENT_CLASSES.largeAbove ? " The paper’s small students are below about 3B parameters and its large ones above about 10B." : "");
}

/** Flat records of Table 3 for CSV/JSON. */
export function table3Records(rows: readonly Table3Row[], coefficientSet: string): Record<string, unknown>[] {
  return rows.map((d) => ({
    student_class: d.studentClass, compute_class: d.computeClass, student: d.student.name, student_parameters: d.student.parameters,
    budget_flops: d.budget,
    share_student_training: d.trend?.shares["Student training"] ?? null,
    share_teacher_logits: d.trend?.shares["Teacher logits"] ?? null,
    share_teacher_pretraining: d.trend?.shares["Teacher pretraining"] ?? null,
    computed: d.trend?.description ?? "infeasible", paper: d.paper, agrees: d.agrees, coefficient_set: coefficientSet,
  }));
}
