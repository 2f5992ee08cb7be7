// Reads a list of student sizes as typed ("198M, 546M, 1.82B, 3e9"). Names of the paper's Table 13
// models stand for their exact sizes (198M is 1.983e8 parameters), anything else is a quantity.

import { formatQuantity, parseQuantity } from "../core/units.js";
import { parseList, parseStudent, type Parsed } from "./plannerState.js";

export interface ModelName {
  name: string;
  N_billion: number;
}

export interface Student {
  parameters: number;
  /** The Table 13 name when typed as one ("975M" for 9.755e8), else a short form of the size. */
  name: string;
}

export interface ParsedSizes {
  sizes: number[];
  students: Student[];
  /** Entries that are not a size between `min` and `max`, as typed. */
  rejected: string[];
}

export function parseSizes(
  text: string,
  models: readonly ModelName[] = [],
  { min = 1e6, max = 1e14, limit = 8 }: { min?: number; max?: number; limit?: number } = {},
): ParsedSizes {
  const sizes: number[] = [];
  const students: Student[] = [];
  const rejected: string[] = [];
  for (const entry of text.split(/[,;\s]+/).map((s) => s.trim()).filter(Boolean)) {
    const named = models.find((model) => model.name === entry);
    const value = named ? named.N_billion * 1e9 : parseQuantity(entry);
    if (value !== null && value >= min && value <= max && !sizes.includes(value) && sizes.length < limit) {
      sizes.push(value);
      students.push({ parameters: value, name: named ? named.name : formatQuantity(value, 3) });
    }
    else rejected.push(entry);
  }
  return { sizes, students, rejected };
}

/** Quantities such as budgets: "1e21, 1e23". */
export function parseQuantities(text: string, { min = 0, max = Infinity, limit = 8 } = {}): ParsedSizes {
  return parseSizes(text, [], { min, max, limit });
}

/** Log-spaced values from 10^from to 10^to, `perDecade` per decade, ends included. */
export function logGrid(from: number, to: number, perDecade: number): number[] {
  const steps = Math.round((to - from) * perDecade);
  return Array.from({ length: steps + 1 }, (_, i) => 10 ** (from + (i * (to - from)) / steps));
}

/**
 * A list of student sizes read with the planner's parser and messages (parseStudent: Table 13
 * names or quantities within INPUT_LIMITS.studentParameters), in increasing order, named.
 */
export function parseStudentList(text: string, models: readonly ModelName[], { limit = 6 }: { limit?: number } = {}): Parsed<Student[]> {
  const table13 = new Map(models.map((model) => [model.name, model.N_billion * 1e9]));
  const parsed = parseList(text, (entry) => parseStudent(entry, table13), "student size", limit);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    value: parsed.value.map((parameters) => ({
      parameters, name: models.find((model) => model.N_billion * 1e9 === parameters)?.name ?? formatQuantity(parameters, 3),
    })),
  };
}
