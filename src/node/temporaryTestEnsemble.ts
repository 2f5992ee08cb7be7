// TEMPORARY (branch `figures`, to be replaced when branch `ensemble` is merged): a TEST ensemble
// of the paper's Table 6 made of seeded random perturbations of its coefficients, and a stand-in
// validity domain (the bundled synthetic data set's runs, which follow the paper's design). Its
// members are NOT fitted to anything: they only exercise the band code until the real parametric
// bootstrap ensemble (fits.json `paper.ensemble`) exists. Everything built from it says so
// ("TEST ENSEMBLE") and nothing here may ship.

import { fileURLToPath } from "node:url";
import { randomLcg, randomNormal } from "d3-random";
import { TABLE6 } from "../core/laws.js";
import type { CoefficientEnsemble, EnsembleMember } from "../core/ensemble.js";
import { readDataset } from "../core/datasets.js";
import { validityDomain, type ValidityDomain } from "../core/validity.js";

export const TEMPORARY_TEST_ENSEMBLE_NOTE = "TEST ENSEMBLE (perturbed Table 6, not fitted): temporary until the parametric bootstrap lands";

/** Members with each coefficient multiplied by exp(N(0, spread)); seeded, so reproducible. */
export function temporaryTestEnsemble(count = 200, seed = 9, spread = 0.01): CoefficientEnsemble {
  const normal = randomNormal.source(randomLcg(seed))(0, spread);
  const perturb = <T extends object>(c: T): T =>
    Object.fromEntries(Object.entries(c).map(([k, v]) => [k, (v as number) * Math.exp(normal())])) as T;
  const members: EnsembleMember[] = Array.from({ length: count }, () => ({
    supervised: perturb({ ...TABLE6.supervised }),
    distillation: perturb({ ...TABLE6.distillation }),
  }));
  return {
    kind: "parametric-bootstrap", description: TEMPORARY_TEST_ENSEMBLE_NOTE,
    members, requested: count, leftOut: 0, seed,
  };
}

/** The runs of the bundled synthetic data set, standing in for the paper's design. */
export function temporaryPaperDomain(): ValidityDomain {
  const folder = fileURLToPath(new URL("../data/runs/paper-synthetic/", import.meta.url));
  const dataset = readDataset(folder);
  return validityDomain(dataset.supervised, dataset.distillation,
    "TEMPORARY stand-in: the runs of the bundled synthetic data set (the paper's design)");
}
