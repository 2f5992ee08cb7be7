// Reads a list of student sizes as typed ("198M, 546M, 1.82B, 3e9"). Names of the paper's Table 13
// models stand for their exact sizes (198M is 1.983e8 parameters), anything else is a quantity.

import { formatQuantity, parseQuantity } from "../../core/inputs/units.js";
import { TABLE13_MODELS, table13Model } from "../../core/laws/table13.js";
import { parseList, parseStudent, type Parsed } from "./plannerState.js";

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
  { min = 1e6, max = 1e14, limit = 8, names = true }: { min?: number; max?: number; limit?: number; names?: boolean } = {},
): ParsedSizes {
  const sizes: number[] = [];
  const students: Student[] = [];
  const rejected: string[] = [];
  for (const entry of text.split(/[,;\s]+/).map((s) => s.trim()).filter(Boolean)) {
    const named = names ? table13Model(entry) : undefined;
    const value = named ? named.N : parseQuantity(entry);
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
  return parseSizes(text, { min, max, limit, names: false });
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
export function parseStudentList(text: string, { limit = 6 }: { limit?: number } = {}): Parsed<Student[]> {
  const parsed = parseList(text, (entry) => parseStudent(entry), "student size", limit);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    value: parsed.value.map((parameters) => ({
      parameters, name: TABLE13_MODELS.find((model) => model.N === parameters)?.name ?? formatQuantity(parameters, 3),
    })),
  };
}
