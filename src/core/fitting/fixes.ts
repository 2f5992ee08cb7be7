// Fixed coefficients as `npm run fit --fix NAME=VALUE` and the "Your runs" page write them: a
// primed name (gamma'), c0, c1, f1, d1 or distillation.NAME fixes the distillation law.

import { parseQuantity } from "../inputs/units.js";
import {
  DISTILLATION_COEFFICIENTS, SUPERVISED_COEFFICIENTS, type DistillationCoefficients, type SupervisedCoefficients,
} from "../laws/laws.js";

export class FixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FixError";
  }
}

/** The paper's name of a distillation coefficient: the capacity-term ones are primed (A', gamma'). */
export function primed(name: string): string {
  return ["c0", "c1", "f1", "d1"].includes(name) ? name : `${name}'`;
}

/** Reads --fix NAME=VALUE; a primed name (gamma') or distillation.NAME fixes the distillation law. */
export function parseFixList(fixes: string[]): {
  fixedSupervised: Partial<SupervisedCoefficients>;
  fixedDistillation: Partial<DistillationCoefficients>;
} {
  const fixedSupervised: Record<string, number> = {};
  const fixedDistillation: Record<string, number> = {};
  for (const fix of fixes) {
    const match = /^\s*([A-Za-z_.0-9]+'?)\s*=\s*(.+)$/.exec(fix);
    if (!match) throw new FixError(`--fix: expected NAME=VALUE such as gamma=1, got "${fix}"`);
    const [, rawName, rawValue] = match;
    const value = parseQuantity(rawValue) ?? NaN;
    if (!Number.isFinite(value)) throw new FixError(`--fix ${rawName}: expected a number, got "${rawValue}"`);
    let law: "supervised" | "distillation";
    let name: string;
    if (rawName.startsWith("supervised.")) { law = "supervised"; name = rawName.slice("supervised.".length); }
    else if (rawName.startsWith("distillation.")) { law = "distillation"; name = rawName.slice("distillation.".length); }
    else if (rawName.endsWith("'")) { law = "distillation"; name = rawName.slice(0, -1); }
    else if (["c0", "c1", "f1", "d1"].includes(rawName)) { law = "distillation"; name = rawName; }
    else { law = "supervised"; name = rawName; }
    const allowed: readonly string[] = law === "supervised" ? SUPERVISED_COEFFICIENTS : DISTILLATION_COEFFICIENTS;
    if (!allowed.includes(name)) {
      throw new FixError(`--fix ${rawName}: unknown ${law} coefficient; expected one of ${law === "supervised"
        ? SUPERVISED_COEFFICIENTS.join(", ")
        : DISTILLATION_COEFFICIENTS.map(primed).join(", ")}`);
    }
    if (value <= 0 && name !== "alpha" && name !== "beta" && name !== "gamma" && name !== "c0" && name !== "c1") {
      throw new FixError(`--fix ${rawName}: expected a positive number, got "${rawValue}"`);
    }
    if (value < 0) throw new FixError(`--fix ${rawName}: expected a non-negative number, got "${rawValue}"`);
    (law === "supervised" ? fixedSupervised : fixedDistillation)[name] = value;
  }
  return { fixedSupervised, fixedDistillation };
}

