// The planner's state: what the reader typed (raw text, kept in the URL so that a copied link
// reopens the same plan), how it is read into numbers, and the message shown at a field when it
// cannot be. Pure functions, shared by the planner, scenarios and teachers pages and unit-tested
// in test/planner-state.test.ts.

import { DEFAULT_FLOPS_MODEL, flopsModel, type FlopsModel } from "../../core/laws/flops.js";
import { DEFAULT_BOUNDS } from "../../core/allocation/optimizer.js";
import { budgetProblem } from "../../core/allocation/feasibility.js";
import { table13Model } from "../../core/laws/table13.js";
import { SCENARIO_IDS } from "../../core/laws/scenarios.js";
import { INPUT_LIMITS } from "../../core/inputs/inputLimits.js";
import { formatExponent, formatQuantity } from "../../core/inputs/units.js";
import {
  ARCHITECTURE_INPUTS, GPU_PRESETS, fail, parseLimited, parseList, parseStudent, parseThroughput, parseUtilisation, type Parsed,
} from "../../core/inputs/fieldParsers.js";
import { PAPER_OPTION, missingSetMessage, type CoefficientOption } from "./coefficientSets.js";
import { addressOf, readAddress, type AddressSpec } from "../page/queryState.js";
import { WITHIN_DOMAIN_CHOICES, WITHIN_DOMAIN_DEFAULTS } from "../sections/withinDomain.js";
import { DISTILLATION_LAW_CHOICES, DISTILLATION_LAW_DEFAULTS, chooseDistillationLaw } from "../sections/distillationLaw.js";
import type { DistillationLaw } from "../../core/ensemble/borrowedLaw.js";

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
  /** For a set without a distillation law: "none" (the supervised row only) or "paper" (borrow Table 6's; components/sections/distillationLaw.ts). */
  distillation_law: string;
  sweep_budgets: string;
  sweep_students: string;
  /** The within-domain switch ("off" or "on") and its widening factor (components/sections/withinDomain.ts). */
  within: string;
  within_factor: string;
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
  ...DISTILLATION_LAW_DEFAULTS,
  sweep_budgets: "1e20, 1e21, 1e22, 1e23, 1e24",
  sweep_students: "546M, 1.82B, 7.75B",
  ...WITHIN_DOMAIN_DEFAULTS,
});

export const PLANNER_FIELDS = Object.keys(PLANNER_DEFAULTS) as PlannerField[];

export { GPU_PRESETS };

export const BUDGET_PRESETS = ["1e19", "1e20", "1e21", "1e22", "1e23", "1e24", "1e25"];

/** Where planner state is shared between pages (the scenarios page reads it). */
export const STATE_STORAGE_KEY = "distillation-planner:state";

/** How the planner's state is kept in the address. */
export const PLANNER_ADDRESS: AddressSpec<PlannerRaw> = {
  defaults: PLANNER_DEFAULTS,
  choices: { unit: ["flops", "gpu-hours"], flops: ["eq69", "2N"], ...WITHIN_DOMAIN_CHOICES, ...DISTILLATION_LAW_CHOICES },
};

/** Reads planner state from a query string; missing or unknown values take the defaults. */
export function rawFromSearch(search: string): PlannerRaw {
  return readAddress(search, PLANNER_ADDRESS);
}

/** The query string for a state; every field is written so a link survives changed defaults. */
export function searchFromRaw(raw: PlannerRaw): string {
  return addressOf(raw, PLANNER_ADDRESS);
}

// Reading fields: the parsers live in the core (src/core/inputs/fieldParsers.ts), shared with the CLI.

export {
  describeLimit, parseLimited, parseList, parsePositive, parseStudent, parseThroughput, parseUtilisation, type Parsed,
} from "../../core/inputs/fieldParsers.js";


// ---------------------------------------------------------------------------------------------
// The whole state.

export interface PlannerValues {
  studentParameters: number;
  /** Total FLOPs, whichever unit it was typed in. */
  budget: number;
  /** FLOP/s actually delivered per GPU (throughput times utilisation), for the GPU-hours view. */
  deliveredPerGpu: number;
  flops: FlopsModel;
  /** The set chosen, its ensemble marked when it borrows Table 6's distillation law. */
  coefficients: CoefficientOption;
  /** Whose distillation law the plan's rows use (none: the supervised row only). */
  distillationLaw: DistillationLaw;
  sweepBudgets: number[];
  sweepStudents: number[];
}

export interface Resolved {
  values: PlannerValues;
  /** A message for every field that could not be read; its value fell back to the last good one. */
  errors: Partial<Record<PlannerField, string>>;
}

export interface ResolveContext {
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

  const studentParameters = take("student", parseStudent(raw.student), fallback.studentParameters);

  // FLOPs model: each Eq. 69 parameter is read even for 2N, so a bad one is flagged before use.
  const architecture: Partial<FlopsModel> = { form: raw.flops };
  for (const { field, key, limit } of ARCHITECTURE_INPUTS) {
    architecture[key] = take(field, parseLimited(raw[field], limit), fallback.flops[key]);
  }
  const flops = flopsModel(architecture);

  const chosenSet = context.coefficientSets.find((c) => c.id === raw.coefficients) ??
    (errors.coefficients = missingSetMessage(raw.coefficients, fallback.coefficients.label), fallback.coefficients);
  const { coefficients, law: distillationLaw } = chooseDistillationLaw(chosenSet, raw.distillation_law);

  const throughput = take("gpu", parseThroughput(raw.gpu), NaN);
  const utilisation = take("mfu", parseUtilisation(raw.mfu), NaN);
  const deliveredPerGpu = Number.isFinite(throughput * utilisation) ? throughput * utilisation : fallback.deliveredPerGpu;

  let budget: number;
  const budgetField: PlannerField = raw.unit === "gpu-hours" ? "gpu_hours" : "budget";
  if (raw.unit === "gpu-hours") {
    const hours = parseLimited(raw.gpu_hours, INPUT_LIMITS.gpuHours);
    budget = hours.ok ? hours.value * 3600 * deliveredPerGpu : NaN;
    if (!hours.ok) errors.gpu_hours = hours.error;
  } else {
    const parsed = parseLimited(raw.budget, INPUT_LIMITS.budgetFlops);
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
    (entry) => parseStudent(entry), "student size", MAX_SWEEP_STUDENTS), fallback.sweepStudents);
  // The sweep's budgets get the main budget field's checks, for every student of the sweep.
  const sweepBudgets = take("sweep_budgets", parseList(raw.sweep_budgets, (entry) => {
    const parsed = parseLimited(entry, INPUT_LIMITS.budgetFlops);
    if (!parsed.ok) return parsed;
    for (const student of sweepStudents) {
      const problem = budgetProblem(student, parsed.value, { flops, bounds });
      if (problem) return fail(problem);
    }
    return parsed;
  }, "budget", MAX_SWEEP_BUDGETS), fallback.sweepBudgets);

  return { values: { studentParameters, budget, deliveredPerGpu, flops, coefficients, distillationLaw, sweepBudgets, sweepStudents }, errors };
}

/** The value of one of a page's defaults: a default that does not parse is a bug in the page, so it throws. */
export function defaultReader(page: string): <T>(parsed: Parsed<T>) => T {
  return <T>(parsed: Parsed<T>): T => {
    if (!parsed.ok) throw new Error(`${page} default does not parse: ${parsed.error}`);
    return parsed.value;
  };
}

export function defaultValues(context: Pick<ResolveContext, "coefficientSets">): PlannerValues {
  const read = defaultReader("planner");
  const d = PLANNER_DEFAULTS;
  const chosen = chooseDistillationLaw(context.coefficientSets.find((c) => c.id === d.coefficients) ?? PAPER_OPTION, d.distillation_law);
  return {
    studentParameters: read(parseStudent(d.student)),
    budget: read(parseLimited(d.budget, INPUT_LIMITS.budgetFlops)),
    deliveredPerGpu: read(parseThroughput(d.gpu)) * read(parseUtilisation(d.mfu)),
    flops: DEFAULT_FLOPS_MODEL,
    coefficients: chosen.coefficients,
    distillationLaw: chosen.law,
    sweepBudgets: read(parseList(d.sweep_budgets, (e) => parseLimited(e, INPUT_LIMITS.budgetFlops), "budget", MAX_SWEEP_BUDGETS)),
    sweepStudents: read(parseList(d.sweep_students, (e) => parseStudent(e), "student", MAX_SWEEP_STUDENTS)),
  };
}

/** GPU-hours a budget takes at a delivered throughput per GPU. */
export function gpuHours(budget: number, deliveredPerGpu: number): number {
  return budget / (deliveredPerGpu * 3600);
}

/**
 * The budget field not in use (FLOPs when the budget is typed in GPU-hours, and the reverse):
 * the budget in use converted at the throughput given, or "" while that budget cannot be read,
 * so that the greyed field never shows a figure the plan does not use. Four significant digits:
 * switching the unit reads this text back without moving the budget by more than 0.05%.
 */
export function convertedBudgetText(raw: Pick<PlannerRaw, "unit">, resolved: Resolved): string {
  const typed: PlannerField = raw.unit === "gpu-hours" ? "gpu_hours" : "budget";
  const { budget, deliveredPerGpu } = resolved.values;
  if (resolved.errors[typed] || resolved.errors.gpu || resolved.errors.mfu) return "";
  return raw.unit === "gpu-hours" ? formatExponent(budget, 4) : formatQuantity(gpuHours(budget, deliveredPerGpu), 4);
}

