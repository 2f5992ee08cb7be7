// The out-of-domain error of an answer written out independently of src/core/domain (tests of the
// widened bands compare with it): slope x ln(factor) summed over the directions of the law the
// answer uses, each factor the answer's distance beyond the runs.

import { paperDomain } from "../../src/core/domain/paperDomain.js";
import type { OutOfDomainGrowth } from "../../src/core/domain/outOfDomain.js";
import type { ValidityDomain } from "../../src/core/domain/validity.js";

/** A domain every answer lies inside. */
export const EVERYWHERE: ValidityDomain = {
  source: "everywhere",
  supervised: { parameters: { min: 1, max: 1e30 }, tokens: { min: 1, max: 1e30 }, tokensPerParameter: { min: 1e-30, max: 1e30 } },
  distillation: {
    studentParameters: { min: 1, max: 1e30 }, studentTokens: { min: 1, max: 1e30 }, studentTokensPerParameter: { min: 1e-30, max: 1e30 },
    teacherLoss: { min: 1e-9, max: 1e9 }, teacherParameters: { min: 1, max: 1e30 }, teacherTokens: { min: 1, max: 1e30 },
  },
};

/** The relative loss error at an answer (N_S, D_S, L_T; L_T null for supervised training) beyond `domain`. */
export function expectedError(growth: OutOfDomainGrowth, NS: number, DS: number, LT: number | null, domain: ValidityDomain = paperDomain()): number {
  const beyond = (v: number, r: { min: number; max: number }) => (v > r.max * 1.001 ? v / r.max : v < r.min * 0.999 ? r.min / v : 1);
  const d = domain.distillation!;
  const factors: Record<string, number> = LT === null
    ? { "student-size": beyond(NS, domain.supervised.parameters), "tokens-per-parameter": beyond(DS / NS, domain.supervised.tokensPerParameter) }
    : {
      "student-size": beyond(NS, d.studentParameters), "tokens-per-parameter": beyond(DS / NS, d.studentTokensPerParameter),
      "teacher-loss": LT < d.teacherLoss.min * 0.999 ? d.teacherLoss.min / LT : 1,
    };
  const law = LT === null ? growth.supervised : growth.distillation!;
  return law.reduce((e, g) => e + g.slope * Math.log(factors[g.direction] ?? 1), 0);
}
