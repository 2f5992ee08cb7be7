// Validity flags (SPEC section 9) for one allocation: which planned quantities lie outside the box
// the coefficient set's runs span, with the factor. Supervised allocations are checked against the
// supervised law's box (N, D, D/N), distillation ones against the distillation law's.

import { validityFlags, type CheckedQuantity, type ValidityDomain, type ValidityFlag } from "./validity.js";

export interface CheckedAllocation {
  studentParameters: number;
  studentTokens: number;
  teacherParameters: number | null;
  teacherTokens: number | null;
  teacherLoss: number | null;
}

export function allocationFlags(domain: ValidityDomain | null | undefined, a: CheckedAllocation): ValidityFlag[] {
  if (!domain) return [];
  const quantities: CheckedQuantity[] = [];
  const d = domain.distillation;
  if (a.teacherLoss === null || d === null) {
    const s = domain.supervised;
    quantities.push(
      { variable: "N", value: a.studentParameters, range: s.parameters, noun: "fitted model" },
      { variable: "D", value: a.studentTokens, range: s.tokens, noun: "fitted token count" },
      { variable: "D/N", value: a.studentTokens / a.studentParameters, range: s.tokensPerParameter, noun: "fitted tokens per parameter", kind: "ratio" },
    );
  } else {
    quantities.push(
      { variable: "N_S", value: a.studentParameters, range: d.studentParameters, noun: "fitted student" },
      { variable: "D_S", value: a.studentTokens, range: d.studentTokens, noun: "fitted student token count" },
      { variable: "D_S/N_S", value: a.studentTokens / a.studentParameters, range: d.studentTokensPerParameter, noun: "fitted tokens per parameter", kind: "ratio" },
      { variable: "L_T*", value: a.teacherLoss, range: d.teacherLoss, noun: "fitted teacher", kind: "loss" },
    );
    if (a.teacherParameters !== null) quantities.push({ variable: "N_T*", value: a.teacherParameters, range: d.teacherParameters, noun: "fitted teacher" });
    if (a.teacherTokens !== null) quantities.push({ variable: "D_T*", value: a.teacherTokens, range: d.teacherTokens, noun: "fitted teacher token count" });
  }
  return validityFlags(quantities);
}

/** The domain a coefficient option carries once fits.json has one (null before, or for a set without runs). */
export function domainOf(option: unknown): ValidityDomain | null {
  const domain = (option as { domain?: ValidityDomain | null } | null)?.domain;
  return domain ?? null;
}

/** One line for a list of flags: "within the fitted runs" or the flags' messages. */
export function describeFlags(flags: readonly ValidityFlag[], domain: ValidityDomain | null): string {
  if (domain === null) return "No validity domain for this coefficient set: extrapolation cannot be checked.";
  if (flags.length === 0) return `Within the box of the fitted runs (${domain.source}).`;
  return `Extrapolates beyond ${domain.source}: ${flags.map((f) => f.message).join("; ")}.`;
}
