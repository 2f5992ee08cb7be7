// The pieces of the "Your runs" page: a file drop zone, the column mapping form, the preview of
// the first rows as read, the list of problems, the progress bars, and the fit in a Web Worker.

import { predictDistillationRuns, predictSupervisedRuns, type DatasetAnalysis } from "../../core/fitting/analysis.js";
import { UNITS, VARIABLE_DESCRIPTION, VARIABLE_QUANTITY } from "../../core/fitting/columnGuess.js";
import {
  DISTILLATION_COLUMNS, SUPERVISED_COLUMNS, type ColumnMapping, type RunDataError, type RunKind, type RunTableCheck,
} from "../../core/fitting/runs.js";
import type { FitProgress } from "../../core/fitting/fitSearch.js";
import type { DistillationRun, SupervisedRun } from "../../core/fitting/runs.js";
import type { RunRow } from "../charts/fitsCharts.js";
import type { FitJobInput, FitJobProgress, FitJobResult } from "../../workers/fitJob.js";
import { el } from "../page/dom.js";


type ValueElement<T> = HTMLElement & { value: T };

function emit(element: HTMLElement): void {
  element.dispatchEvent(new Event("input", { bubbles: true }));
}

/**
 * A file picker that also takes a file dropped on it. Its value is the File (or null); choosing
 * or dropping one fires "input", as Observable inputs do.
 */
export function dropZone(label: string, { id, accept = ".csv,.tsv,.txt,text/csv,text/tab-separated-values", what = "a CSV or TSV file" }: { id: string; accept?: string; what?: string }): ValueElement<File | null> & { choose(file: File | null): void } {
  const input = el("input", { type: "file", accept, id: `${id}-input` });
  const name = el("span", { class: "drop-file" }, "no file");
  const zone = el("label", { class: "drop-zone", id, for: `${id}-input` },
    el("b", {}, label), el("span", {}, ` — drop ${what} here, or click to choose one. `), name, input) as unknown as ValueElement<File | null> & { choose(file: File | null): void };
  zone.value = null;
  const take = (file: File | null) => {
    zone.value = file;
    name.textContent = file ? `${file.name} (${file.size.toLocaleString("en")} bytes)` : "no file";
    emit(zone);
  };
  zone.choose = take;
  input.addEventListener("change", (event) => { event.stopPropagation(); take(input.files?.[0] ?? null); });
  input.addEventListener("input", (event) => event.stopPropagation());
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("dragging"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    const file = event.dataTransfer?.files?.[0];
    if (file) take(file);
  });
  return zone;
}

/**
 * Why a file's text is not a table of runs at all, or null: a NUL character, or more than one
 * character in a hundred that did not decode as UTF-8, means binary bytes (an archive, a model
 * file, random data), which no column mapping can read.
 */
export function notTextProblem(text: string): string | null {
  const undecoded = text.match(/\uFFFD/g)?.length ?? 0;
  return text.includes("\u0000") || undecoded > text.length / 100
    ? "not a text file: it holds binary bytes; choose a CSV or TSV file of runs (a header row, then one run per line)"
    : null;
}

/** The variables a kind of file needs, in file order. */
export function variablesOf(kind: RunKind): readonly string[] {
  return kind === "supervised" ? SUPERVISED_COLUMNS : DISTILLATION_COLUMNS;
}

/**
 * One row per variable: which column feeds it (the guess preselected) and, for sizes and token
 * counts, the unit. The value is a ColumnMapping; a change fires "input".
 */
export function mappingForm(header: readonly string[], kind: RunKind, guess: Required<ColumnMapping>, { id }: { id: string }): ValueElement<Required<ColumnMapping>> {
  // A new object on every change, so that the page's cells see a new value.
  let value: Required<ColumnMapping> = {
    columns: { ...guess.columns }, decimalExponents: { ...guess.decimalExponents },
  };
  const change = (update: (next: Required<ColumnMapping>) => void) => {
    value = { columns: { ...value.columns }, decimalExponents: { ...value.decimalExponents } };
    update(value);
    form.value = value;
    emit(form);
  };
  const rows = variablesOf(kind).map((variable) => {
    const column = el("select", { "data-variable": variable, "data-role": "column", "aria-label": `Column for ${variable}` },
      el("option", { value: "" }, "— none —"),
      header.map((name) => el("option", { value: name, selected: guess.columns[variable] === name }, name)));
    column.addEventListener("input", (event) => {
      event.stopPropagation();
      change((next) => { next.columns[variable] = column.value === "" ? null : column.value; });
    });
    const quantity = VARIABLE_QUANTITY[variable];
    let unit: HTMLElement = el("span", { class: "muted" }, "nats");
    if (quantity !== "loss") {
      const select = el("select", { "data-variable": variable, "data-role": "unit", "aria-label": `Unit of ${variable}` },
        UNITS[quantity].map((u) => el("option", { value: u.exponent, selected: guess.decimalExponents[variable] === u.exponent }, u.label)));
      select.addEventListener("input", (event) => {
        event.stopPropagation();
        change((next) => { next.decimalExponents[variable] = Number(select.value); });
      });
      unit = select;
    }
    return el("tr", {}, el("th", { scope: "row" }, variable), el("td", { class: "muted" }, VARIABLE_DESCRIPTION[variable]),
      el("td", {}, column), el("td", {}, unit));
  });
  const form = el("table", { class: "mapping", id },
    el("thead", {}, el("tr", {}, el("th", {}, "Variable"), el("th", {}, "Meaning"), el("th", {}, "Column in your file"), el("th", {}, "Unit"))),
    el("tbody", {}, rows)) as unknown as ValueElement<Required<ColumnMapping>>;
  form.value = value;
  return form;
}

/** The first rows as read: each mapped cell as written, and the number it becomes in the law's units. */
export function previewTable(
  table: readonly (readonly string[])[], kind: RunKind, mapping: Required<ColumnMapping>, check: RunTableCheck<unknown>, { id, count = 5 }: { id: string; count?: number },
): HTMLElement {
  const header = table[0] ?? [];
  const variables = variablesOf(kind);
  const byLine = new Map((check.runs as { line: number }[]).map((run) => [run.line, run as unknown as Record<string, number>]));
  const fields: Record<string, string> = { N: "N", D: "D", L: "L", N_S: "NS", D_S: "DS", N_T: "NT", D_T: "DT", L_T: "LT", L_S: "LS" };
  const badLines = new Set(check.badLines);
  // Physical lines as the checker counts them (quoted line breaks included).
  let line = 1;
  const body: HTMLElement[] = [];
  for (let i = 0; i < table.length && body.length < count; i++) {
    const cells = table[i];
    if (i > 0 && !(cells.length === 1 && cells[0].trim() === "")) {
      const run = byLine.get(line);
      body.push(el("tr", { class: badLines.has(line) ? "bad-row" : null, "data-line": line },
        el("td", {}, String(line)),
        variables.map((variable) => {
          const index = header.indexOf(mapping.columns[variable] ?? variable);
          const raw = index >= 0 ? cells[index] ?? "" : "";
          const read = run ? run[fields[variable]] : undefined;
          return el("td", {}, el("code", {}, raw), read === undefined ? "" : el("small", {}, ` → ${read.toPrecision(6)}`));
        })));
    }
    line += 1;
    for (const cell of cells) line += (cell.match(/\r\n|\r|\n/g) ?? []).length;
  }
  return el("table", { class: "preview", id },
    el("thead", {}, el("tr", {}, el("th", {}, "line"), variables.map((variable) => {
      const exponent = mapping.decimalExponents[variable] ?? 0;
      return el("th", {}, variable, el("small", {}, ` ${mapping.columns[variable] ? `← ${mapping.columns[variable]}` : ""}${exponent ? ` × 1e${exponent}` : ""}`));
    }))),
    el("tbody", {}, body));
}

/** Every problem as a list item naming file, line, column and what was expected. */
export function problemList(problems: readonly RunDataError[], { id }: { id: string }): HTMLElement {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  return el("ul", { class: "problems", id },
    sorted.map((p) => el("li", { "data-line": p.line, "data-column": p.column ?? "" }, p.message)));
}

/** Progress bars, one per task and phase, created as tasks report. */
export function progressPanel({ id }: { id: string }): HTMLElement & { update(p: FitJobProgress): void; reset(): void } {
  const panel = el("div", { class: "progress-panel", id }) as unknown as HTMLElement & { update(p: FitJobProgress): void; reset(): void };
  const bars = new Map<string, { bar: HTMLProgressElement; text: HTMLElement }>();
  const phaseName: Record<FitProgress["phase"], string> = {
    grid: "start grid", screen: "screening", refine: "refinement", polish: "polishing on every run", bootstrap: "bootstrap resamples",
  };
  panel.update = ({ task, progress }) => {
    const key = `${task}/${progress.phase}`;
    let entry = bars.get(key);
    if (!entry) {
      const bar = el("progress", { max: 1, value: 0, "data-task": task, "data-phase": progress.phase });
      const text = el("span", { class: "muted" });
      const label = task.endsWith("fit") ? `${task}: ${phaseName[progress.phase]}` : `${task} ${phaseName[progress.phase]}`;
      panel.append(el("div", { class: "progress-row" }, el("span", { class: "progress-label" }, label), bar, text));
      entry = { bar, text };
      bars.set(key, entry);
    }
    entry.bar.max = progress.total;
    entry.bar.value = progress.done;
    entry.text.textContent = ` ${progress.done.toLocaleString("en")} / ${progress.total.toLocaleString("en")}`;
  };
  panel.reset = () => { bars.clear(); panel.replaceChildren(); };
  return panel;
}

export interface RunningFit {
  result: Promise<FitJobResult>;
  /** Terminates the worker; `result` then rejects with a FitCancelled. */
  cancel(): void;
  worker: Worker;
}

export class FitCancelled extends Error {
  constructor() {
    super("The fit was cancelled.");
    this.name = "FitCancelled";
  }
}

/** Runs the fit in a new module worker; cancelling terminates it, so no work goes on afterwards. */
export function fitInWorker(input: FitJobInput, onProgress: (p: FitJobProgress) => void): RunningFit {
  const worker = new Worker(import.meta.resolve("../../workers/fitWorker.js"), { type: "module", name: "your-runs-fit" });
  let reject: (error: Error) => void = () => {};
  const result = new Promise<FitJobResult>((resolve, fail) => {
    reject = fail;
    worker.onmessage = (event: MessageEvent) => {
      const message = event.data;
      if (message.type === "progress") onProgress(message);
      else if (message.type === "result") { worker.terminate(); resolve(message.result); }
      else if (message.type === "error") { worker.terminate(); fail(Object.assign(new Error(message.message), { name: message.name })); }
    };
    worker.onerror = (event) => { worker.terminate(); fail(new Error(`The fit worker failed: ${event.message}`)); };
  });
  worker.postMessage(input);
  // Exposed for the browser test that checks a cancelled worker does no more work.
  (globalThis as { __yourRunsWorker?: Worker }).__yourRunsWorker = worker;
  return {
    result,
    worker,
    cancel() {
      worker.terminate();
      reject(new FitCancelled());
    },
  };
}

/** The runs with the full fit's predictions, in the row shape of the fits page's charts (as fits.zip.ts writes them). */
export function predictionRows(
  supervised: readonly SupervisedRun[], distillation: readonly DistillationRun[], analysis: DatasetAnalysis,
): { supervised: RunRow[]; distillation: RunRow[] } {
  const s = analysis.supervised.fit.coefficients;
  const supervisedRows = predictSupervisedRuns(supervised, s).map((p, i) => {
    const run = supervised[i];
    return {
      dataset: "yours", line: run.line ?? i + 2, N: run.N, D: run.D, L: run.L, ...run.labels,
      L_predicted: p.predicted, relative_residual: p.relativeResidual, split: p.split,
    };
  });
  const d = analysis.distillation?.fit.coefficients;
  const distillationRows = d === undefined ? [] : predictDistillationRuns(distillation, s, d).map((p, i) => {
    const run = distillation[i];
    return {
      dataset: "yours", line: run.line ?? i + 2, N_S: run.NS, D_S: run.DS, N_T: run.NT, D_T: run.DT, L_T: run.LT, L_S: run.LS,
      ...run.labels, L_S_predicted: p.predicted, L_S_supervised: p.supervisedStudentLoss,
      relative_residual: p.relativeResidual, split: p.split,
    };
  });
  return { supervised: supervisedRows, distillation: distillationRows };
}
