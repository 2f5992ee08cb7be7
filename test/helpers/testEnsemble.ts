// Test ensembles built from known spreads: NOT a bootstrap (the `ensemble` branch builds the real
// ones), only members whose coefficients the test chooses, so that the bands have known answers.

import { randomLcg, randomNormal } from "d3";
import { TABLE6, type DistillationCoefficients, type SupervisedCoefficients } from "../../src/core/laws/laws.js";
import type { CoefficientEnsemble, EnsembleMember } from "../../src/core/ensemble/ensemble.js";

export function ensembleOf(members: EnsembleMember[], kind: CoefficientEnsemble["kind"] = "bootstrap"): CoefficientEnsemble {
  return { kind, description: "test ensemble built from a known spread", members, requested: members.length, leftOut: 0, seed: 0 };
}

/**
 * Table 6 with every coefficient multiplied by exp(sigma z), z standard normal, seeded: members
 * spread around the point like a well-behaved bootstrap, for tests of plumbing and speed.
 */
export function perturbedTable6(count: number, { seed = 1, supervisedSigma = 0.01, distillationSigma = 0.03 } = {}): CoefficientEnsemble {
  const normal = randomNormal.source(randomLcg(seed))(0, 1);
  const perturb = <T extends object>(c: T, sigma: number): T =>
    Object.fromEntries(Object.entries(c).map(([k, v]) => [k, (v as number) * Math.exp(sigma * normal())])) as T;
  return ensembleOf(Array.from({ length: count }, () => ({
    supervised: perturb<SupervisedCoefficients>(TABLE6.supervised, supervisedSigma),
    distillation: perturb<DistillationCoefficients>(TABLE6.distillation, distillationSigma),
  })));
}

/** Table 6 with the supervised E shifted by each offset: supervised L_S* shifts by exactly that offset. */
export function shiftedE(offsets: readonly number[]): CoefficientEnsemble {
  return ensembleOf(offsets.map((offset) => ({
    supervised: { ...TABLE6.supervised, E: TABLE6.supervised.E + offset },
    distillation: { ...TABLE6.distillation },
  })));
}
