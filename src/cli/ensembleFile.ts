// The shipped parametric-bootstrap ensemble of Table 6, for `npm run plan -- --uncertainty`
// without `--coefficients`: the CLI cannot read the site's build output on a fresh clone, so
// `npm run paper-ensemble` writes it into the repository (docs/coefficients-format.md).

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CoefficientEnsemble } from "../core/ensemble/ensemble.js";
import type { OutOfDomainGrowth } from "../core/domain/outOfDomain.js";
import { UsageError, readCoefficientsFile } from "./common.js";

/** The Table 6 ensemble shipped in the repository (written by `npm run paper-ensemble`). */
export const PAPER_ENSEMBLE_FILE = fileURLToPath(new URL("../data/paper-ensemble.json", import.meta.url));

/** Table 6's parametric-bootstrap ensemble, or a message saying how to make it. */
export function paperEnsemble(): CoefficientEnsemble {
  return paperEnsembleFile().ensemble;
}

/** Table 6's ensemble and its out-of-domain growth, measured on the bundled runs of the paper's design. */
export function paperEnsembleFile(): { ensemble: CoefficientEnsemble; outOfDomain: OutOfDomainGrowth | null } {
  if (!existsSync(PAPER_ENSEMBLE_FILE)) {
    throw new UsageError(`--uncertainty: Table 6's ensemble ${PAPER_ENSEMBLE_FILE} is missing (npm run paper-ensemble writes it); ` +
      "or give --coefficients FILE with an ensemble");
  }
  const { ensemble, outOfDomain } = readCoefficientsFile(PAPER_ENSEMBLE_FILE);
  if (!ensemble) throw new UsageError(`${PAPER_ENSEMBLE_FILE}: no "ensemble" field`);
  return { ensemble, outOfDomain };
}
