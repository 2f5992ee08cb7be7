// The existing-teachers page's state (Section 5.2, Appendix D.3): the reader's teachers as typed
// CSV lines, a student and a budget, kept in the URL like the planner's.

import type { ExistingTeacher, StudentBudget } from "../core/teachers.js";
import { parsePositive, parseStudent, type Parsed } from "./plannerState.js";
import { table13Model } from "../core/table13.js";
import { queryFromRaw, rawFromQuery } from "./queryState.js";

export interface TeachersRaw {
  teachers: string;
  student: string;
  /** What the budget counts: distillation tokens, or total FLOPs with or without the teacher's logits. */
  kind: "tokens" | "compute-logits" | "compute-free";
  amount: string;
  coefficients: string;
  flops: "eq69" | "2N";
}

export const TEACHERS_DEFAULTS: Readonly<TeachersRaw> = Object.freeze({
  teachers: [
    "name, size, loss, tokens",
    "Chinchilla 1.82B, 1.82B, , 36.4B",
    "Chinchilla 7.75B, 7.75B, , 155B",
    "Overtrained 1.82B, 1.82B, , 1T",
    "In-house 30B, 30B, 1.80, ",
  ].join("\n"),
  student: "546M",
  kind: "compute-logits",
  amount: "1e21",
  coefficients: "paper",
  flops: "eq69",
});

export const TEACHERS_FIELDS = Object.keys(TEACHERS_DEFAULTS) as (keyof TeachersRaw)[];

export function teachersRawFromSearch(search: string): TeachersRaw {
  const raw = rawFromQuery(search, TEACHERS_DEFAULTS, TEACHERS_FIELDS);
  if (!["tokens", "compute-logits", "compute-free"].includes(raw.kind)) raw.kind = TEACHERS_DEFAULTS.kind;
  if (raw.flops !== "eq69" && raw.flops !== "2N") raw.flops = TEACHERS_DEFAULTS.flops;
  return raw;
}

export function teachersSearchFromRaw(raw: TeachersRaw): string {
  return queryFromRaw(raw, TEACHERS_FIELDS);
}

/**
 * One teacher per line: `name, size, loss, tokens`, with either the loss (nats) or the tokens
 * it was trained on. A first line starting with "name" is a header. Every bad line is named.
 */
export function parseTeachers(text: string): Parsed<ExistingTeacher[]> {
  const lines = text.split(/\r?\n/).map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== "" && !/^name\s*,/i.test(line));
  if (lines.length === 0) return { ok: false, error: "List at least one teacher: name, size, loss, tokens." };
  const teachers: ExistingTeacher[] = [];
  const problems: string[] = [];
  const names = new Set<string>();
  for (const { line, number } of lines) {
    const [name = "", size = "", loss = "", tokens = "", ...rest] = line.split(",").map((s) => s.trim());
    const where = `Line ${number}`;
    if (rest.length) { problems.push(`${where}: expected 4 fields (name, size, loss, tokens), got ${4 + rest.length}.`); continue; }
    if (name === "") { problems.push(`${where}: give the teacher a name.`); continue; }
    if (names.has(name)) { problems.push(`${where}: the name “${name}” is used twice.`); continue; }
    const sizeParsed = parsePositive(size, "a size");
    const parameters = table13Model(size)?.N ?? (sizeParsed.ok ? sizeParsed.value : null);
    if (parameters === null) { problems.push(`${where}: size “${size}” is not a number such as 7B or 7e9.`); continue; }
    const teacher: ExistingTeacher = { name, parameters };
    if (loss !== "") {
      const value = Number(loss);
      if (!(Number.isFinite(value) && value > 0)) { problems.push(`${where}: loss “${loss}” is not a positive number of nats.`); continue; }
      teacher.loss = value;
    } else if (tokens !== "") {
      const parsed = parsePositive(tokens, "a number of tokens");
      if (!parsed.ok) { problems.push(`${where}: tokens “${tokens}” is not a number such as 2T or 2e12.`); continue; }
      teacher.tokens = parsed.value;
    } else {
      problems.push(`${where}: give the teacher’s loss or the tokens it was trained on.`);
      continue;
    }
    names.add(name);
    teachers.push(teacher);
  }
  return problems.length ? { ok: false, error: problems.join(" ") } : { ok: true, value: teachers };
}

export function parseStudentBudget(kind: TeachersRaw["kind"], amount: string): Parsed<StudentBudget> {
  const parsed = parsePositive(amount, kind === "tokens" ? "a number of distillation tokens, such as 20B" : "a budget in FLOPs, such as 1e21");
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    value: kind === "tokens"
      ? { kind: "tokens", studentTokens: parsed.value }
      : { kind: "compute", budget: parsed.value, payLogits: kind === "compute-logits" },
  };
}

export { parseStudent };
