// The planner's allocation table: one row per strategy (PlanRow from src/core/allocation/plan.ts), with the
// FLOPs split as numbers and as a stacked bar, bound solutions marked and explained underneath.
// Every numeric cell carries its full-precision value in data-value, for tests and for readers
// who inspect the page.

import type { PlanRow } from "../../core/allocation/plan.js";
import type { BoundFlag } from "../../core/allocation/optimizer.js";
import { formatExponent, formatQuantity, quantityColumnFormat } from "../../core/inputs/units.js";
import { formatRatio } from "./numberFormat.js";
import { el } from "../page/dom.js";

/** The three parts of the budget, in the order they are stacked, with the CSS colour of each. */
export const FLOPS_PARTS = [
  { key: "studentTraining", label: "Student training", colour: "var(--theme-foreground-focus)" },
  { key: "teacherLogits", label: "Teacher logits", colour: "#e7a33e" },
  { key: "teacherPretraining", label: "Teacher pretraining", colour: "#9c6bce" },
] as const;

const formatLoss = (x: number) => x.toFixed(4);
const formatDifference = (x: number) => (x > 0 ? "+" : x < 0 ? "−" : "±") + Math.abs(x).toFixed(4);

interface Column {
  field: string;
  header: string;
  unit: string;
  value: (row: PlanRow) => number | null;
  format: (x: number) => string;
  bound?: (row: PlanRow) => BoundFlag;
  /** Shown instead of a number where the strategy has no such quantity (supervised: no teacher). */
  none?: string;
}

const NO_TEACHER = "supervised training has no teacher";

// Grouped as the header shows them: the losses that decide first (on a phone they are what fits
// beside the strategy; the rest scrolls), then what the student gets, the teacher, the FLOPs.
export const ALLOCATION_GROUPS: readonly { label: string; columns: readonly Column[] }[] = [
  {
    label: "Student loss",
    columns: [
      { field: "L_S", header: "L_S*", unit: "nats", value: (r) => r.studentLoss, format: formatLoss },
      { field: "L_S_minus_supervised", header: "vs supervised", unit: "nats", value: (r) => r.differenceToSupervised, format: formatDifference },
    ],
  },
  {
    label: "Student",
    columns: [
      { field: "D_S", header: "D_S*", unit: "tokens", value: (r) => r.studentTokens, format: formatQuantity, bound: (r) => r.bounds.studentTokens },
      { field: "M_S", header: "D_S/N_S", unit: "tokens/param.", value: (r) => r.studentTokensPerParameter, format: formatRatio },
    ],
  },
  {
    label: "Teacher",
    columns: [
      { field: "N_T", header: "N_T*", unit: "parameters", value: (r) => r.teacherParameters, format: formatQuantity, bound: (r) => r.bounds.teacherParameters, none: NO_TEACHER },
      { field: "D_T", header: "D_T*", unit: "tokens", value: (r) => r.teacherTokens, format: formatQuantity, bound: (r) => r.bounds.teacherTokens, none: NO_TEACHER },
      { field: "M_T", header: "D_T/N_T", unit: "tokens/param.", value: (r) => r.teacherTokensPerParameter, format: formatRatio, none: NO_TEACHER },
      { field: "L_T", header: "L_T*", unit: "nats", value: (r) => r.teacherLoss, format: formatLoss, none: NO_TEACHER },
    ],
  },
];

export const ALLOCATION_COLUMNS: readonly Column[] = ALLOCATION_GROUPS.flatMap((g) => g.columns);

function formatFlops(x: number): string {
  return x === 0 ? "0" : formatExponent(x);
}

/** The three parts of the budget as numbers, each with its colour key; data-value has full precision. */
export function flopsNumbers(row: PlanRow): HTMLElement {
  const flops = row.flops!;
  return el("div", { class: "flops-numbers" }, FLOPS_PARTS.map((part) =>
    el("span", { "data-field": `flops_${snake(part.key)}`, "data-value": flops[part.key], title: `${part.label}: ${formatExponent(flops[part.key], 4)} FLOPs` },
      el("i", { style: `background:${part.colour}` }), formatFlops(flops[part.key]))));
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A horizontal bar of the budget's three parts, widths proportional to their FLOPs. */
export function flopsBar(row: PlanRow): HTMLElement {
  const flops = row.flops!;
  const parts = FLOPS_PARTS.map((part) => ({ ...part, value: flops[part.key], share: flops[part.key] / flops.total }));
  const title = parts.map((p) => `${p.label}: ${(100 * p.share).toFixed(1)}%`).join("\n");
  return el("div", { class: "flops-bar", title, role: "img", "aria-label": title.replaceAll("\n", ", ") },
    parts.filter((p) => p.share > 0).map((p) =>
      el("span", { style: `width:${(100 * p.share).toFixed(3)}%;background:${p.colour}`, "data-part": p.key, "data-share": p.share })));
}

const BOUND_WORDS: Record<"lower" | "upper", string> = { lower: "at lower bound", upper: "at upper bound" };

function cell(row: PlanRow, column: Column, format: (x: number) => string): HTMLTableCellElement {
  const value = column.value(row);
  if (value === null) return el("td", { class: "none", "data-field": column.field, title: column.none ?? "" }, "—");
  const bound = column.bound?.(row) ?? null;
  return el("td", { "data-field": column.field, "data-value": value, class: bound ? "at-bound" : null },
    format(value),
    bound ? el("sup", { class: "bound-mark", title: `${column.header} is ${BOUND_WORDS[bound]} of the optimiser’s box; see the note below` }, bound === "upper" ? " max" : " min") : null);
}

/**
 * The allocation table with its notes. `winner` is the strategy to highlight (lowest paid L_S*).
 * Infeasible strategies get one cell saying so and why, never empty or NaN cells.
 */
export function allocationTable(rows: readonly PlanRow[], { id, winner }: { id?: string; winner?: string } = {}): HTMLElement {
  const head = el("thead", {},
    el("tr", { class: "groups" },
      el("th", { rowspan: 2 }, "Strategy"),
      ALLOCATION_GROUPS.map((g) => el("th", { colspan: g.columns.length, scope: "colgroup" }, g.label)),
      el("th", { rowspan: 2, class: "split-header" }, "FLOPs: student training, teacher logits, teacher pretraining")),
    el("tr", {},
      ALLOCATION_COLUMNS.map((c) => el("th", { "data-field": c.field }, c.header, el("br"), el("small", {}, c.unit)))));
  const notes: HTMLElement[] = [];
  // Sizes and tokens in one style per column (never "1e17" above "779B").
  const formats = ALLOCATION_COLUMNS.map((column) => column.format === formatQuantity
    ? quantityColumnFormat(rows.filter((r) => !r.error).map(column.value).filter((v): v is number => v !== null))
    : column.format);
  const body = el("tbody", {}, rows.map((row) => {
    const marks = row.notes.map((note) => {
      notes.push(el("li", { "data-strategy": row.strategy }, el("b", {}, `${row.label}: `), note));
      return el("sup", {}, String(notes.length));
    });
    // An overtrained teacher (D_T* on the upper bound) raises the reader's next question: which
    // teacher they already have would do. The existing-teachers page answers it, started here.
    if (row.strategy === "teacher-inference" && row.bounds.teacherTokens === "upper" && row.teacherParameters !== null && row.teacherTokens !== null) {
      const query = new URLSearchParams({
        student: String(row.studentParameters), kind: "compute-logits", amount: String(row.budget),
        teachers: `name, size, loss, tokens\nProposed N_T*, ${formatExponent(row.teacherParameters, 4)}, , ${formatExponent(row.teacherTokens, 4)}`,
      });
      notes.push(el("li", { "data-strategy": row.strategy, class: "teachers-link" }, el("b", {}, `${row.label}: `),
        "the teacher this plan would train is overtrained (D_T* at the limit). If you already have teachers, ",
        el("a", { href: `./teachers.html?${query}` }, "rank them on the existing-teachers page"), " for this student and budget."));
      marks.push(el("sup", {}, String(notes.length)));
    }
    const name = el("th", { scope: "row" }, row.label, marks);
    if (row.error) {
      return el("tr", { "data-strategy": row.strategy, class: "infeasible" }, name,
        el("td", { colspan: ALLOCATION_COLUMNS.length + 1, class: "infeasible-reason" }, `infeasible: ${row.error}`));
    }
    return el("tr", { "data-strategy": row.strategy, class: row.strategy === winner ? "winner" : null }, name,
      ALLOCATION_COLUMNS.map((column, i) => cell(row, column, formats[i])),
      el("td", { class: "split" }, flopsNumbers(row), flopsBar(row)));
  }));
  return el("div", { class: "allocation" },
    el("div", { class: "table-scroll" }, el("table", { id, class: "allocation-table" }, head, body)),
    notes.length ? el("ol", { class: "allocation-notes" }, notes) : null);
}

/** The legend of the FLOPs bars. */
export function flopsLegend(): HTMLElement {
  return el("div", { class: "flops-legend" }, FLOPS_PARTS.map((p) =>
    el("span", {}, el("i", { style: `background:${p.colour}` }), p.label)));
}
