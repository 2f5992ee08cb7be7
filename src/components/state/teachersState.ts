// The existing-teachers page's state (Section 5.2, Appendix D.3): the reader's teachers as typed
// CSV lines, a student and a budget, kept in the URL like the planner's.

import { rankTeachers, type ExistingTeacher, type StudentBudget, type TeacherRanking } from "../../core/allocation/teachers.js";
import { flopsModel, type FlopsModel } from "../../core/laws/flops.js";
import { INPUT_LIMITS, OPTIMISER_BOX } from "../../core/inputs/inputLimits.js";
import { formatExponent } from "../../core/inputs/units.js";
import { defaultReader, parseLimited, parseStudent, type Parsed } from "./plannerState.js";
import { table13Model } from "../../core/laws/table13.js";
import { addressOf, readAddress, type AddressSpec } from "../page/queryState.js";
import { missingSetMessage, type CoefficientOption } from "./coefficientSets.js";

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

export const TEACHERS_ADDRESS: AddressSpec<TeachersRaw> = {
  defaults: TEACHERS_DEFAULTS,
  choices: { kind: ["tokens", "compute-logits", "compute-free"], flops: ["eq69", "2N"] },
};

export function teachersRawFromSearch(search: string): TeachersRaw {
  return readAddress(search, TEACHERS_ADDRESS);
}

export function teachersSearchFromRaw(raw: TeachersRaw): string {
  return addressOf(raw, TEACHERS_ADDRESS);
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
    const sizeParsed = parseLimited(size, INPUT_LIMITS.teacherParameters);
    const parameters = table13Model(size)?.N ?? (sizeParsed.ok ? sizeParsed.value : null);
    if (parameters === null) { problems.push(`${where}: size: ${!sizeParsed.ok ? sizeParsed.error : ""}`); continue; }
    const teacher: ExistingTeacher = { name, parameters };
    if (loss !== "") {
      const parsed = parseLimited(loss, INPUT_LIMITS.loss);
      if (!parsed.ok) { problems.push(`${where}: loss: ${parsed.error}`); continue; }
      teacher.loss = parsed.value;
    } else if (tokens !== "") {
      const parsed = parseLimited(tokens, INPUT_LIMITS.tokens);
      if (!parsed.ok) { problems.push(`${where}: tokens: ${parsed.error}`); continue; }
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
  const parsed = parseLimited(amount, kind === "tokens" ? INPUT_LIMITS.tokens : INPUT_LIMITS.budgetFlops);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    value: kind === "tokens"
      ? { kind: "tokens", studentTokens: parsed.value }
      : { kind: "compute", budget: parsed.value, payLogits: kind === "compute-logits" },
  };
}

export interface TeachersValues {
  teachers: ExistingTeacher[];
  studentParameters: number;
  budget: StudentBudget;
  coefficients: CoefficientOption;
  flops: FlopsModel;
}

export interface ResolvedTeachers {
  /** The inputs the ranking is for: this reading's, or the last good ones if it cannot be ranked. */
  values: TeachersValues;
  ranking: TeacherRanking;
  /** A message for every field that could not be read, or for the budget if no ranking exists. */
  errors: Partial<Record<keyof TeachersRaw, string>>;
}

export interface TeachersContext {
  coefficientSets: readonly CoefficientOption[];
  /** The last good values (which ranked); the defaults' when absent. */
  fallback?: TeachersValues;
}

export function defaultTeachersValues(context: Pick<TeachersContext, "coefficientSets">): TeachersValues {
  const read = defaultReader("teachers");
  const d = TEACHERS_DEFAULTS;
  return {
    teachers: read(parseTeachers(d.teachers)),
    studentParameters: read(parseStudent(d.student)),
    budget: read(parseStudentBudget(d.kind, d.amount)),
    coefficients: context.coefficientSets.find((c) => c.id === d.coefficients) ?? context.coefficientSets[0],
    flops: flopsModel({ form: d.flops }),
  };
}

/**
 * Reads the page's fields and ranks the teachers. A field that cannot be read takes the fallback's
 * value; a budget that leaves a teacher fewer distillation tokens than the optimiser's lower bound
 * (where Eq. 8 means nothing) is an error at the budget, and the fallback is ranked instead.
 */
export function resolveTeachers(raw: TeachersRaw, context: TeachersContext): ResolvedTeachers {
  const fallback = context.fallback ?? defaultTeachersValues(context);
  const errors: ResolvedTeachers["errors"] = {};
  const read = <T>(name: keyof TeachersRaw, parsed: Parsed<T>, otherwise: T): T => {
    if (parsed.ok) return parsed.value;
    errors[name] = parsed.error;
    return otherwise;
  };
  const coefficients = context.coefficientSets.find((c) => c.id === raw.coefficients) ??
    (errors.coefficients = missingSetMessage(raw.coefficients, fallback.coefficients.label), fallback.coefficients);
  const values: TeachersValues = {
    teachers: read("teachers", parseTeachers(raw.teachers), fallback.teachers),
    studentParameters: read("student", parseStudent(raw.student), fallback.studentParameters),
    budget: read("amount", parseStudentBudget(raw.kind, raw.amount), fallback.budget),
    coefficients,
    flops: flopsModel({ form: raw.flops }),
  };
  const rank = (v: TeachersValues) => rankTeachers(v.teachers, v.studentParameters, v.budget, { coefficients: v.coefficients, flops: v.flops });
  try {
    const ranking = rank(values);
    const fewest = Math.min(...ranking.teachers.map((t) => t.studentTokens));
    if (!(fewest < OPTIMISER_BOX[0])) return { values, ranking, errors };
    errors.amount = `This budget leaves only ${formatExponent(fewest)} distillation tokens for some teacher (fewer than ${formatExponent(OPTIMISER_BOX[0])}); give a larger budget.`;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    errors.amount = error.message;
  }
  return { values: fallback, ranking: rank(fallback), errors };
}

export { parseStudent };
