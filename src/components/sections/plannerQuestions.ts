// The planner's sections after the allocation table: a teacher shared by k students,
// storing the teacher's logits (Appendix G.4) with the paper's recipe (Appendix G), and how flat
// the optimum is over the teacher (Figures 19, 21, 24, 27). One component with its own inputs,
// so the planner page only imports it and displays it.

import * as Plot from "@observablehq/plot";
import { describeSharedTeacher, sharedTeacherWeights, type LogitsSharing } from "../../core/laws/amortisation.js";
import { flatOptimum, type FlatPoint } from "../../core/allocation/flatOptimum.js";
import { DISTILLATION_RECIPE, FIGURE54_MEASUREMENTS, FIGURE54_SIZES, describeStoredLogitsCost, formatBytes, logitStorage, storedLogitsCost } from "../../core/allocation/logitStorage.js";
import { planWeightsRow, type PlanRow } from "../../core/allocation/plan.js";
import { SCENARIOS, type ScenarioId } from "../../core/laws/scenarios.js";
import type { FlopsModel } from "../../core/laws/flops.js";
import type { LawCoefficients } from "../../core/allocation/optimizer.js";
import { describeFlags, domainOf, plannedPointFlags } from "../../core/domain/validity.js";
import { formatExponent, formatQuantity } from "../../core/inputs/units.js";
import { el } from "../page/dom.js";
import { downloadButtons, exportFigureButtons } from "../page/export.js";

export interface PlannerQuestionInputs {
  studentParameters: number;
  budget: number;
  coefficients: LawCoefficients & { id: string; label: string };
  flops: FlopsModel;
}

type Resize = (render: (width: number) => Element) => Element;

function field(label: string, input: HTMLInputElement | HTMLSelectElement, name: string): { element: HTMLElement; message: HTMLElement } {
  const message = el("div", { class: "field-message field-hint", "data-field": name });
  const element = el("div", { class: "question-field", "data-field": name }, el("label", {}, label, " ", input), message);
  return { element, message };
}

function setMessage(message: HTMLElement, error: string | null, hint = "") {
  message.className = `field-message ${error ? "field-error" : "field-hint"}`;
  message.textContent = error ?? hint;
}

/** Renders a section's output now and again whenever one of its fields changes. */
function renderOnInput(fields: readonly { element: HTMLElement }[], render: () => void): void {
  for (const f of fields) f.element.addEventListener("input", render);
  render();
}

function textInput(value: string, size = 8): HTMLInputElement {
  const input = document.createElement("input");
  input.type = "text";
  input.value = value;
  input.size = size;
  return input;
}

function select(options: readonly [string, string][], value: string): HTMLSelectElement {
  const s = document.createElement("select");
  for (const [v, label] of options) s.append(el("option", { value: v }, label));
  s.value = value;
  return s;
}

const number = (x: number | null) => (x === null ? "-" : formatQuantity(x));

// ---------------------------------------------------------------------------------------------

function sharedTeacherSection(inputs: PlannerQuestionInputs, rows: readonly PlanRow[]): HTMLElement {
  const k = field("Students sharing the teacher, k", textInput("4", 6), "shared_k");
  const logits = field("Teacher logits", select([["per-student", "run by each student (charged in full)"], ["stored", "computed once, stored and reused (1/k each)"]], "per-student"), "shared_logits");
  const output = el("div", { id: "shared-teacher-output" });
  const render = () => {
    const kText = (k.element.querySelector("input") as HTMLInputElement).value;
    const n = Number(kText);
    if (!(Number.isInteger(n) && n >= 1 && n <= 1e6)) {
      setMessage(k.message, `k: “${kText}” is not a whole number of students from 1 to 1,000,000.`);
      output.replaceChildren();
      return;
    }
    const mode = (logits.element.querySelector("select") as HTMLSelectElement).value as LogitsSharing;
    const weights = sharedTeacherWeights(n, mode);
    setMessage(k.message, null, `δ_pre = 1/${n} = ${weights.deltaPretraining.toPrecision(3)}, δ_lgt = ${weights.deltaLogits.toPrecision(3)}`);
    let row: PlanRow;
    try {
      row = planWeightsRow(inputs, weights, describeSharedTeacher(n, mode));
    } catch (error) {
      output.replaceChildren(el("p", { class: "warning" }, `Not available: ${(error as Error).message}.`));
      return;
    }
    const supervised = rows.find((r) => r.strategy === "supervised");
    const flags = row.studentLoss === null ? [] : plannedPointFlags({
      studentParameters: inputs.studentParameters, studentTokens: row.studentTokens!, teacherParameters: row.teacherParameters,
      teacherTokens: row.teacherTokens, teacherLoss: row.teacherLoss,
    }, domainOf(inputs.coefficients));
    output.replaceChildren(
      row.error
        ? el("p", { class: "warning", "data-strategy": "weights" }, row.error)
        : el("table", { class: "shared-table", "data-strategy": "weights" },
          el("thead", {}, el("tr", {}, ...["Strategy", "D_S*", "N_T*", "D_T*", "L_T*", "L_S*", "vs supervised", "student / logits / teacher FLOPs"].map((h) => el("th", {}, h)))),
          el("tbody", {}, el("tr", {},
            el("td", {}, row.label), el("td", {}, number(row.studentTokens)), el("td", {}, number(row.teacherParameters)),
            el("td", {}, number(row.teacherTokens)), el("td", {}, row.teacherLoss!.toFixed(4)),
            el("td", { class: "shared-loss", "data-value": String(row.studentLoss) }, row.studentLoss!.toFixed(4)),
            el("td", {}, `${row.differenceToSupervised! >= 0 ? "+" : ""}${row.differenceToSupervised!.toFixed(4)}`),
            el("td", {}, [row.flops!.studentTraining, row.flops!.teacherLogits, row.flops!.teacherPretraining].map((x) => `${((100 * x) / row.flops!.total).toFixed(1)}%`).join(" / "))))),
      el("p", { class: "muted" }, describeFlags(flags, domainOf(inputs.coefficients))),
      mode === "stored" && !row.error && row.studentTokens !== null && row.differenceToSupervised !== null
        ? el("p", { id: "shared-teacher-storage" }, describeStoredLogitsCost(storedLogitsCost(row.studentTokens, row.differenceToSupervised, inputs.flops.nVocab)))
        : "",
      // Supervised training is outside the token bounds at some budgets (its row then says why).
      supervised && supervised.studentLoss === null ? el("p", {}, `Supervised training: ${supervised.error}.`) : "",
      supervised && supervised.studentLoss !== null ? el("p", {}, `Supervised training at this budget: ${supervised.studentLoss.toFixed(4)} nats. k = 1 is the teacher pretraining + inference scenario; as k grows the row tends to teacher inference (per-student logits) or the best case (stored logits).`) : "",
      downloadButtons([{ strategy: "weights", label: row.label, delta_logits: weights.deltaLogits, delta_pretraining: weights.deltaPretraining, D_S: row.studentTokens, N_T: row.teacherParameters, D_T: row.teacherTokens, L_T: row.teacherLoss, L_S: row.studentLoss, L_S_minus_supervised: row.differenceToSupervised, error: row.error, coefficient_set: inputs.coefficients.label }], { filename: "shared-teacher" }),
    );
  };
  renderOnInput([k, logits], render);
  return el("section", { id: "shared-teacher" },
    el("h2", {}, "A teacher shared by several students"),
    el("p", {}, "Eq. 9 with partial amortisation: each of k students pays 1/k of the teacher's pretraining; the logits are paid in full when every student runs the teacher on its own tokens, or 1/k when they are computed once on shared tokens, stored and reused (then see the storage below)."),
    el("div", { class: "question-inputs" }, k.element, logits.element), output);
}

// ---------------------------------------------------------------------------------------------

function storageSection(inputs: PlannerQuestionInputs, rows: readonly PlanRow[]): HTMLElement {
  const scenario = field("For the D_S of", select(SCENARIOS.filter((s) => s.deltaPretraining === 1).map((s) => [s.id, s.label]), "teacher-pretraining"), "storage_scenario");
  const form = field("Stored", select([["full", "full distribution"], ["top-k", "top-k"]], "full"), "storage_form");
  const k = field("k", textInput("128", 6), "storage_k");
  const precision = field("Precision", select([["2", "bf16 / fp16 (2 bytes)"], ["4", "fp32 (4 bytes)"], ["1", "8-bit (1 byte)"]], "2"), "storage_precision");
  const output = el("div", { id: "storage-output" });
  const render = () => {
    const id = (scenario.element.querySelector("select") as HTMLSelectElement).value as ScenarioId;
    const row = rows.find((r) => r.strategy === id);
    const kind = (form.element.querySelector("select") as HTMLSelectElement).value as "full" | "top-k";
    const kText = (k.element.querySelector("input") as HTMLInputElement).value;
    k.element.hidden = kind !== "top-k";
    const kValue = Number(kText);
    const vocabularySize = inputs.flops.nVocab;
    if (kind === "top-k" && !(Number.isInteger(kValue) && kValue >= 1 && kValue <= vocabularySize)) {
      setMessage(k.message, `k: “${kText}” is not a whole number from 1 to the vocabulary size ${vocabularySize}.`);
      output.replaceChildren();
      return;
    }
    setMessage(k.message, null, "");
    if (!row || row.studentTokens === null) {
      output.replaceChildren(el("p", { class: "warning" }, `No allocation for this scenario at this budget${row?.error ? `: ${row.error}` : ""}.`));
      return;
    }
    const bytesPerValue = Number((precision.element.querySelector("select") as HTMLSelectElement).value);
    const s = logitStorage(row.studentTokens, { form: kind, k: kValue, bytesPerValue, vocabularySize: Math.round(vocabularySize) });
    output.replaceChildren(el("p", { id: "storage-figure", "data-bytes": String(s.totalBytes) },
      `D_S* = ${formatQuantity(row.studentTokens)} tokens × ${formatQuantity(s.bytesPerToken)} bytes per token ` +
      (kind === "full" ? `(${vocabularySize} vocabulary entries × ${bytesPerValue} bytes)` : `(${kValue} values × ${bytesPerValue} bytes + ${kValue} indices × ${s.indexBytes} bytes)`) +
      ` = `, el("b", {}, formatBytes(s.totalBytes)), "."));
  };
  renderOnInput([scenario, form, k, precision], render);
  const measurements = el("table", { class: "figure54-table" },
    el("thead", {}, el("tr", {}, el("th", {}, "Truncation"), el("th", {}, "λ"), el("th", {}, "Measured loss change"), el("th", {}, "Against"))),
    el("tbody", {}, ...FIGURE54_MEASUREMENTS.map((m) => el("tr", {}, el("td", {}, m.method), el("td", {}, String(m.lambda)), el("td", {}, m.lossIncrease), el("td", {}, m.against)))));
  return el("section", { id: "logit-storage" },
    el("h2", {}, "Storing the teacher's logits (Appendix G.4)"),
    el("p", {}, "The teacher-pretraining scenarios charge the logits once and store them. What that takes for the plan's D_S:"),
    el("div", { class: "question-inputs" }, scenario.element, form.element, k.element, precision.element), output,
    el("p", {}, `What truncation cost in the paper's measurements (Figure 54, ${FIGURE54_SIZES}). These are measurements at the sizes tested, not a law, and this planner does not extrapolate them:`),
    measurements,
    el("h3", {}, "Recipe (Appendix G)"),
    el("ul", { id: "recipe" }, ...DISTILLATION_RECIPE.map((r) => el("li", {}, `${r.finding} — ${r.where}.`))));
}

// ---------------------------------------------------------------------------------------------

export const FLAT_MARKS = { cell: "flat-cell", region: "flat-region", optimum: "flat-optimum" } as const;

function flatChart(flat: ReturnType<typeof flatOptimum>, width: number) {
  const points = flat.points.filter((p) => p.excess !== null);
  const logN = [...new Set(flat.points.map((p) => Math.log(p.teacherParameters)))].sort((a, b) => a - b);
  const logD = [...new Set(flat.points.map((p) => Math.log(p.teacherTokens)))].sort((a, b) => a - b);
  const half = (axis: number[]) => (axis.length > 1 ? (axis[1] - axis[0]) / 2 : 0.1);
  const hn = half(logN), hd = half(logD);
  const r = flat.ranges;
  const cap = Math.max(flat.tolerance * 20, 0.05);
  return Plot.plot({
    width, height: Math.min(420, width * 0.8), marginLeft: 60, marginBottom: 40,
    x: { type: "log", label: "Teacher size N_T →", tickFormat: (d: number) => formatQuantity(d) },
    y: { type: "log", label: "↑ Teacher tokens D_T", tickFormat: (d: number) => formatQuantity(d) },
    color: { type: "sequential", scheme: "blues", reverse: true, domain: [0, cap], clamp: true, legend: true, label: "L_S − L_S* (nats)" },
    marks: [
      Plot.rect(points, {
        x1: (d: FlatPoint) => Math.exp(Math.log(d.teacherParameters) - hn), x2: (d: FlatPoint) => Math.exp(Math.log(d.teacherParameters) + hn),
        y1: (d: FlatPoint) => Math.exp(Math.log(d.teacherTokens) - hd), y2: (d: FlatPoint) => Math.exp(Math.log(d.teacherTokens) + hd),
        fill: "excess", className: FLAT_MARKS.cell,
      }),
      Plot.dot(points.filter((d) => d.within), { x: "teacherParameters", y: "teacherTokens", r: 1.5, fill: "black", className: FLAT_MARKS.region }),
      ...(r ? [Plot.rect([r], { x1: (d: typeof r) => d.teacherParameters[0], x2: (d: typeof r) => d.teacherParameters[1], y1: (d: typeof r) => d.teacherTokens[0], y2: (d: typeof r) => d.teacherTokens[1], stroke: "black", strokeDasharray: "4,3", fill: "none" })] : []),
      Plot.dot([flat.optimum], { x: "teacherParameters", y: "teacherTokens", symbol: "star", r: 7, fill: "#e15759", stroke: "white", className: FLAT_MARKS.optimum }),
      Plot.tip(points, Plot.pointer({
        x: "teacherParameters", y: "teacherTokens",
        title: (d: FlatPoint) => `N_T = ${formatQuantity(d.teacherParameters)}, D_T = ${formatQuantity(d.teacherTokens)}\nD_S = ${formatQuantity(d.studentTokens!)}\nL_S = ${d.studentLoss!.toFixed(4)} (+${d.excess!.toFixed(4)})\nclick for the full allocation`,
      })),
    ],
  });
}

function flatSection(inputs: PlannerQuestionInputs, resize: Resize): HTMLElement {
  const scenario = field("Scenario", select(SCENARIOS.filter((s) => s.id !== "best-case").map((s) => [s.id, s.label]), "teacher-pretraining-inference"), "flat_scenario");
  const tolerance = field("Tolerance (nats)", textInput("0.005", 6), "flat_tolerance");
  const output = el("div", { id: "flat-output" });
  const detail = el("div", { id: "flat-detail" }, el("p", { class: "muted" }, "Click a cell of the chart to see that allocation in full."));
  const render = () => {
    const id = (scenario.element.querySelector("select") as HTMLSelectElement).value as ScenarioId;
    const tText = (tolerance.element.querySelector("input") as HTMLInputElement).value;
    const tol = Number(tText);
    if (!(tText.trim() !== "" && Number.isFinite(tol) && tol > 0 && tol <= 1)) {
      setMessage(tolerance.message, `Tolerance: “${tText}” is not a number of nats between 0 and 1, such as 0.005.`);
      output.replaceChildren();
      return;
    }
    setMessage(tolerance.message, null, "");
    let flat: ReturnType<typeof flatOptimum>;
    try {
      flat = flatOptimum(inputs.studentParameters, inputs.budget, id, { tolerance: tol, coefficients: inputs.coefficients, flops: inputs.flops });
    } catch (error) {
      output.replaceChildren(el("p", { class: "warning" }, `No allocation: ${(error as Error).message}`));
      return;
    }
    const r = flat.ranges!;
    const words = `Any teacher from ${formatQuantity(r.teacherParameters[0])} to ${formatQuantity(r.teacherParameters[1])} parameters trained on ` +
      `${formatQuantity(r.teacherTokens[0])} to ${formatQuantity(r.teacherTokens[1])} tokens, with the student on ${formatQuantity(r.studentTokens[0])} to ` +
      `${formatQuantity(r.studentTokens[1])} tokens (what the budget leaves), costs less than ${tol} nats against the optimum ` +
      `(N_T* = ${formatQuantity(flat.optimum.teacherParameters!)}, D_T* = ${formatQuantity(flat.optimum.teacherTokens!)}, L_S* = ${flat.optimum.studentLoss.toFixed(4)}). ` +
      `The box is the one spanned by the grid points within the tolerance (the dashed rectangle); not every point inside the box is within it.`;
    const chart = resize((width) => {
      const plot = flatChart(flat, width);
      plot.addEventListener("click", () => {
        const p = (plot as unknown as { value: FlatPoint | null }).value;
        if (!p) return;
        const flags = plannedPointFlags({ studentParameters: inputs.studentParameters, studentTokens: p.studentTokens!, teacherParameters: p.teacherParameters, teacherTokens: p.teacherTokens, teacherLoss: p.teacherLoss }, domainOf(inputs.coefficients));
        detail.replaceChildren(el("p", { id: "flat-selected", "data-teacher-parameters": String(p.teacherParameters), "data-teacher-tokens": String(p.teacherTokens) },
          `Selected: N_T = ${formatQuantity(p.teacherParameters)}, D_T = ${formatQuantity(p.teacherTokens)} (L_T = ${p.teacherLoss.toFixed(4)}), ` +
          `D_S = ${formatQuantity(p.studentTokens!)}; L_S = ${p.studentLoss!.toFixed(4)} nats, ${p.excess!.toFixed(4)} above the optimum` +
          `${p.within ? " (within the tolerance)" : ""}. ${describeFlags(flags, domainOf(inputs.coefficients))}`));
      });
      return plot;
    });
    output.replaceChildren(
      el("p", { id: "flat-ranges" }, words), chart,
      exportFigureButtons(chart, { filename: "flat-optimum", title: `Student loss over the teacher at ${formatExponent(inputs.budget)} FLOPs, N_S = ${formatQuantity(inputs.studentParameters)}`, note: `Coefficients: ${inputs.coefficients.label}. Tolerance ${tol} nats.` }),
      detail,
      downloadButtons(flat.points.map((p) => ({ N_T: p.teacherParameters, D_T: p.teacherTokens, D_S: p.studentTokens, L_T: p.teacherLoss, L_S: p.studentLoss, excess: p.excess, within: p.within })), { filename: "flat-optimum-grid" }),
    );
  };
  renderOnInput([scenario, tolerance], render);
  return el("section", { id: "flat-optimum" },
    el("h2", {}, "How flat is the optimum? (Figures 19, 21, 24, 27)"),
    el("p", {}, "Nobody trains exactly the optimal teacher. At this student and budget, the student's loss over the teacher's size and tokens (D_S from the budget), a 41 × 41 grid spanning a factor 100 either side of the optimum:"),
    el("div", { class: "question-inputs" }, scenario.element, tolerance.element), output);
}

export function plannerQuestions(inputs: PlannerQuestionInputs, rows: readonly PlanRow[], { resize }: { resize: Resize }): HTMLElement {
  return el("div", { id: "planner-questions" }, sharedTeacherSection(inputs, rows), storageSection(inputs, rows), flatSection(inputs, resize));
}
