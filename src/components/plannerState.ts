// The planner's state: what the reader typed (raw text, kept in the URL so that a copied link
// reopens the same plan), how it is read into numbers, and the message shown at a field when it
// cannot be. Pure functions, shared by the planner, scenarios and teachers pages and unit-tested
// in test/plannerState.test.ts.

import { DEFAULT_FLOPS_MODEL, flopsModel, type FlopsModel } from "../core/flops.js";
import { DEFAULT_BOUNDS, feasibleBudgetRange } from "../core/optimizer.js";
import { SCENARIO_IDS } from "../core/scenarios.js";
import { formatExponent, formatQuantity, parseQuantity } from "../core/units.js";
import { PAPER_OPTION, missingSetMessage, type CoefficientOption } from "./coefficientSets.js";
import { queryFromRaw, rawFromQuery } from "./queryState.js";

/** Every input of the planner as typed. Keys double as URL query parameters. */
export interface PlannerRaw {
  student: string;
  budget: string;
  /** Whether the budget is given in FLOPs or in GPU-hours. */
  unit: "flops" | "gpu-hours";
  gpu_hours: string;
  /** Throughput per GPU in FLOP/s, or a preset name such as "H100". */
  gpu: string;
  /** Model FLOPs utilisation, percent. */
  mfu: string;
  flops: "eq69" | "2N";
  n_ctx: string;
  n_vocab: string;
  rho_model: string;
  g_size: string;
  n_ffn: string;
  rho_ffn: string;
  /** "paper" or "refit:<data set id>". */
  coefficients: string;
  sweep_budgets: string;
  sweep_students: string;
}

export type PlannerField = keyof PlannerRaw;

export const PLANNER_DEFAULTS: Readonly<PlannerRaw> = Object.freeze({
  student: "1.82B",
  budget: "1e22",
  unit: "flops",
  gpu_hours: "10000",
  gpu: "H100",
  mfu: "40",
  flops: "eq69",
  n_ctx: String(DEFAULT_FLOPS_MODEL.nCtx),
  n_vocab: String(DEFAULT_FLOPS_MODEL.nVocab),
  rho_model: String(DEFAULT_FLOPS_MODEL.rhoModel),
  g_size: String(DEFAULT_FLOPS_MODEL.gSize),
  n_ffn: String(DEFAULT_FLOPS_MODEL.nFfn),
  rho_ffn: "8/3",
  coefficients: "paper",
  sweep_budgets: "1e20, 1e21, 1e22, 1e23, 1e24",
  sweep_students: "546M, 1.82B, 7.75B",
});

export const PLANNER_FIELDS = Object.keys(PLANNER_DEFAULTS) as PlannerField[];

/** Peak dense bf16 throughput per GPU from the vendors' datasheets, FLOP/s. */
export const GPU_PRESETS: Readonly<Record<string, number>> = Object.freeze({
  H100: 989e12,
  H200: 989e12,
  A100: 312e12,
  MI300X: 1307e12,
});

export const BUDGET_PRESETS = ["1e19", "1e20", "1e21", "1e22", "1e23", "1e24", "1e25"];

/** Where planner state is shared between pages (the scenarios page reads it). */
export const STATE_STORAGE_KEY = "distillation-planner:state";

/** Reads planner state from a query string; missing or unknown values take the defaults. */
export function rawFromSearch(search: string, defaults: Readonly<PlannerRaw> = PLANNER_DEFAULTS): PlannerRaw {
  const raw = rawFromQuery(search, defaults, PLANNER_FIELDS);
  if (raw.unit !== "flops" && raw.unit !== "gpu-hours") raw.unit = defaults.unit;
  if (raw.flops !== "eq69" && raw.flops !== "2N") raw.flops = defaults.flops;
  return raw;
}

/** The query string for a state; every field is written so a link survives changed defaults. */
export function searchFromRaw(raw: PlannerRaw): string {
  return queryFromRaw(raw, PLANNER_FIELDS);
}

// ---------------------------------------------------------------------------------------------
// Reading fields.

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/**
 * A positive number, with scale suffixes ("1.5B") or as a fraction ("8/3"). `what` names the
 * quantity with an example ("a budget in FLOPs, such as 3e22") for the messages.
 */
export function parsePositive(text: string, what: string): Parsed<number> {
  if (text.trim() === "") return fail(`Type ${what}.`);
  const fraction = /^\s*([^/]+)\/([^/]+)$/.exec(text);
  let value: number | null;
  if (fraction) {
    const [a, b] = [parseQuantity(fraction[1]), parseQuantity(fraction[2])];
    value = a === null || b === null ? null : a / b;
  } else value = parseQuantity(text);
  if (value === null || !Number.isFinite(value)) return fail(`“${text.trim()}” is not a number: type ${what}.`);
  if (value <= 0) return fail(`“${text.trim()}” is not positive: type ${what}.`);
  return ok(value);
}

/**
 * A student size: a Table 13 name ("1.82B" is exactly 1.821e9 parameters) or a quantity, within
 * the optimiser's bounds.
 */
export function parseStudent(text: string, table13: ReadonlyMap<string, number>, bounds = DEFAULT_BOUNDS): Parsed<number> {
  const named = table13.get(text.trim());
  if (named !== undefined) return ok(named);
  const parsed = parsePositive(text, "a student size, such as 546M, 1.5B or 3e9");
  if (!parsed.ok) return parsed;
  if (parsed.value < bounds[0] || parsed.value > bounds[1]) {
    return fail(`A student of ${formatQuantity(parsed.value)} parameters is outside the optimiser's bounds (${formatExponent(bounds[0])} to ${formatExponent(bounds[1])}).`);
  }
  return ok(parsed.value);
}

export function parseThroughput(text: string): Parsed<number> {
  const preset = Object.entries(GPU_PRESETS).find(([name]) => name.toLowerCase() === text.trim().toLowerCase());
  if (preset) return ok(preset[1]);
  return parsePositive(text, `a peak throughput in FLOP/s per GPU, such as 989e12, or one of ${Object.keys(GPU_PRESETS).join(", ")}`);
}

export function parseUtilisation(text: string): Parsed<number> {
  const parsed = parsePositive(text.replace(/%\s*$/, ""), "a utilisation in percent of peak, such as 40");
  if (!parsed.ok) return parsed;
  if (parsed.value > 100) return fail("Utilisation is a percentage of peak: at most 100.");
  return ok(parsed.value / 100);
}

/** A comma- or space-separated list of positive quantities; every bad entry is named. */
export function parseList(text: string, parseOne: (entry: string) => Parsed<number>, what: string, maximum: number): Parsed<number[]> {
  const entries = text.split(/[,;\s]+/).filter((s) => s !== "");
  if (entries.length === 0) return fail(`List at least one ${what}.`);
  if (entries.length > maximum) return fail(`At most ${maximum} ${what}s (got ${entries.length}).`);
  const values: number[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const parsed = parseOne(entry);
    if (parsed.ok) values.push(parsed.value);
    else problems.push(parsed.error);
  }
  if (problems.length) return fail(problems.join(" "));
  return ok([...new Set(values)].sort((a, b) => a - b));
}

// ---------------------------------------------------------------------------------------------
// The whole state.

export interface PlannerValues {
  studentParameters: number;
  /** Total FLOPs, whichever unit it was typed in. */
  budget: number;
  /** FLOP/s actually delivered per GPU (throughput times utilisation), for the GPU-hours view. */
  deliveredPerGpu: number;
  flops: FlopsModel;
  coefficients: CoefficientOption;
  sweepBudgets: number[];
  sweepStudents: number[];
}

export interface Resolved {
  values: PlannerValues;
  /** A message for every field that could not be read; its value fell back to the last good one. */
  errors: Partial<Record<PlannerField, string>>;
}

export interface ResolveContext {
  table13: ReadonlyMap<string, number>;
  coefficientSets: readonly CoefficientOption[];
  /** Used for any field that cannot be read: the last good values, else the defaults'. */
  fallback?: PlannerValues;
  bounds?: readonly [number, number];
}

export const MAX_SWEEP_BUDGETS = 12;
export const MAX_SWEEP_STUDENTS = 6;

/** Reads every field; fields that fail keep the fallback value and get a message. */
export function resolvePlanner(raw: PlannerRaw, context: ResolveContext): Resolved {
  const bounds = context.bounds ?? DEFAULT_BOUNDS;
  const errors: Resolved["errors"] = {};
  const fallback = context.fallback ?? defaultValues(context);
  const take = <T>(field: PlannerField, parsed: Parsed<T>, otherwise: T): T => {
    if (parsed.ok) return parsed.value;
    errors[field] = parsed.error;
    return otherwise;
  };

  const studentParameters = take("student", parseStudent(raw.student, context.table13, bounds), fallback.studentParameters);

  // FLOPs model: each Eq. 69 parameter is read even for 2N, so a bad one is flagged before use.
  const architecture: Partial<FlopsModel> = { form: raw.flops };
  const architectureFields = [
    ["n_ctx", "nCtx", "a context length"], ["n_vocab", "nVocab", "a vocabulary size"],
    ["rho_model", "rhoModel", "d_model / n_layers"], ["g_size", "gSize", "a GQA group size"],
    ["n_ffn", "nFfn", "a number of feed-forward matrices"], ["rho_ffn", "rhoFfn", "d_ff / d_model"],
  ] as const;
  for (const [field, key, what] of architectureFields) {
    architecture[key] = take(field, parsePositive(raw[field], what), fallback.flops[key]);
  }
  const flops = flopsModel(architecture);

  const coefficients = context.coefficientSets.find((c) => c.id === raw.coefficients) ??
    (errors.coefficients = missingSetMessage(raw.coefficients, fallback.coefficients.label), fallback.coefficients);

  const throughput = take("gpu", parseThroughput(raw.gpu), NaN);
  const utilisation = take("mfu", parseUtilisation(raw.mfu), NaN);
  const deliveredPerGpu = Number.isFinite(throughput * utilisation) ? throughput * utilisation : fallback.deliveredPerGpu;

  let budget: number;
  const budgetField: PlannerField = raw.unit === "gpu-hours" ? "gpu_hours" : "budget";
  if (raw.unit === "gpu-hours") {
    const hours = parsePositive(raw.gpu_hours, "a number of GPU-hours, such as 20000 or 1.5M");
    budget = hours.ok ? hours.value * 3600 * deliveredPerGpu : NaN;
    if (!hours.ok) errors.gpu_hours = hours.error;
  } else {
    const parsed = parsePositive(raw.budget, "a budget in FLOPs, such as 3e22");
    budget = parsed.ok ? parsed.value : NaN;
    if (!parsed.ok) errors.budget = parsed.error;
  }
  if (Number.isFinite(budget)) {
    const problem = budgetProblem(studentParameters, budget, { flops, bounds });
    if (problem) {
      errors[budgetField] = problem;
      budget = NaN;
    }
  }
  if (!Number.isFinite(budget)) budget = fallback.budget;

  const sweepStudents = take("sweep_students", parseList(raw.sweep_students,
    (entry) => parseStudent(entry, context.table13, bounds), "student size", MAX_SWEEP_STUDENTS), fallback.sweepStudents);
  const sweepBudgets = take("sweep_budgets", parseList(raw.sweep_budgets,
    (entry) => parsePositive(entry, "budgets in FLOPs, such as 1e21"), "budget", MAX_SWEEP_BUDGETS), fallback.sweepBudgets);

  return { values: { studentParameters, budget, deliveredPerGpu, flops, coefficients, sweepBudgets, sweepStudents }, errors };
}

/**
 * Why no distillation allocation exists for a budget, or null. Only a budget outside every
 * scenario's feasible range is an input error; one that only some scenarios cannot meet gives
 * rows saying "infeasible" in the table instead.
 */
export function budgetProblem(
  studentParameters: number,
  budget: number,
  options: { flops?: FlopsModel; bounds?: readonly [number, number] } = {},
): string | null {
  const ranges = SCENARIO_IDS.map((id) => feasibleBudgetRange(studentParameters, id, options));
  const minimum = Math.min(...ranges.map((r) => r.minimum));
  const maximum = Math.max(...ranges.map((r) => r.maximum));
  const [lo, hi] = options.bounds ?? DEFAULT_BOUNDS;
  if (budget < minimum) {
    return `${formatExponent(budget)} FLOPs is too small for any allocation: a ${formatQuantity(studentParameters)} student needs at least ` +
      `${formatExponent(minimum)} FLOPs to see ${formatExponent(lo)} tokens (the optimiser's lower bound).`;
  }
  if (budget > maximum) {
    return `${formatExponent(budget)} FLOPs is beyond the optimiser's bounds: with N_T, D_S, D_T at most ${formatExponent(hi)}, ` +
      `a ${formatQuantity(studentParameters)} student cannot spend more than ${formatExponent(maximum)} FLOPs.`;
  }
  return null;
}

export function defaultValues(context: Pick<ResolveContext, "table13" | "coefficientSets">): PlannerValues {
  const read = <T>(parsed: Parsed<T>): T => {
    if (!parsed.ok) throw new Error(`planner default does not parse: ${parsed.error}`);
    return parsed.value;
  };
  const d = PLANNER_DEFAULTS;
  return {
    studentParameters: read(parseStudent(d.student, context.table13)),
    budget: read(parsePositive(d.budget, "budget")),
    deliveredPerGpu: read(parseThroughput(d.gpu)) * read(parseUtilisation(d.mfu)),
    flops: DEFAULT_FLOPS_MODEL,
    coefficients: context.coefficientSets.find((c) => c.id === d.coefficients) ?? PAPER_OPTION,
    sweepBudgets: read(parseList(d.sweep_budgets, (e) => parsePositive(e, "budget"), "budget", MAX_SWEEP_BUDGETS)),
    sweepStudents: read(parseList(d.sweep_students, (e) => parseStudent(e, context.table13), "student", MAX_SWEEP_STUDENTS)),
  };
}

/** Table 13 names to exact non-embedding sizes, from rows of data/table13-models.csv. */
export function table13Sizes(models: readonly { name: string; N_billion: number }[]): Map<string, number> {
  return new Map(models.map((m) => [m.name, m.N_billion * 1e9]));
}

/** GPU-hours a budget takes at a delivered throughput per GPU. */
export function gpuHours(budget: number, deliveredPerGpu: number): number {
  return budget / (deliveredPerGpu * 3600);
}

/** The raw state to write back: fields with errors keep the text of the last good state. */
export function goodRaw(raw: PlannerRaw, errors: Resolved["errors"], lastGood: PlannerRaw): PlannerRaw {
  const merged = { ...raw };
  for (const key of Object.keys(errors) as PlannerField[]) (merged as Record<string, string>)[key] = lastGood[key];
  return merged;
}

