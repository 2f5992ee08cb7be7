// The ensemble and validity domain a coefficient file may carry beside its point fit (the
// `ensemble` and `domain` fields of fits.json's data sets; docs/coefficients-format.md), and the
// shipped parametric-bootstrap ensemble of Table 6, for `npm run plan -- --uncertainty`.

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CoefficientEnsemble, EnsembleMember } from "../core/ensemble.js";
import type { ValidityDomain } from "../core/validity.js";
import { UsageError } from "./common.js";

import { DISTILLATION_COEFFICIENTS, SUPERVISED_COEFFICIENTS } from "../core/laws.js";

// Exponents and c0, c1 of a bootstrap member may reach 0 (a degenerate branch of the fit); scales,
// f1 and d1 must stay positive for the laws to be defined.
const MAY_BE_ZERO = new Set(["alpha", "beta", "gamma", "c0", "c1"]);

/** The Table 6 ensemble shipped in the repository (written by `npm run paper-ensemble`). */
export const PAPER_ENSEMBLE_FILE = fileURLToPath(new URL("../data/paper-ensemble.json", import.meta.url));

function checkMember(where: string, member: unknown, index: number): EnsembleMember {
  const m = member as Record<string, Record<string, unknown>> | null;
  for (const [law, keys] of [["supervised", SUPERVISED_COEFFICIENTS], ["distillation", DISTILLATION_COEFFICIENTS]] as const) {
    const c = m?.[law];
    if (!c || typeof c !== "object") throw new UsageError(`${where}: ensemble.members[${index}] has no ${law} law`);
    for (const key of keys) {
      const x = c[key];
      if (typeof x !== "number" || !Number.isFinite(x) || x < 0 || (x === 0 && !MAY_BE_ZERO.has(key))) {
        throw new UsageError(`${where}: ensemble.members[${index}].${law}.${key} must be a ${MAY_BE_ZERO.has(key) ? "non-negative" : "positive"} number, got ${JSON.stringify(x)}`);
      }
    }
  }
  return member as EnsembleMember;
}

/** The `ensemble` field of a parsed coefficient file, checked; null when the file has none. */
export function ensembleField(where: string, root: unknown): CoefficientEnsemble | null {
  const value = (root as Record<string, unknown> | null)?.ensemble as Record<string, unknown> | undefined;
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" || !Array.isArray(value.members)) throw new UsageError(`${where}: "ensemble" must be an object with a "members" array`);
  if (value.members.length === 0) throw new UsageError(`${where}: ensemble.members is empty`);
  const members = value.members.map((m, i) => checkMember(where, m, i));
  const kind = value.kind === "parametric-bootstrap" ? "parametric-bootstrap" : "bootstrap";
  const requested = typeof value.requested === "number" ? value.requested : members.length;
  return {
    kind, members, requested,
    leftOut: typeof value.leftOut === "number" ? value.leftOut : requested - members.length,
    description: typeof value.description === "string" ? value.description : `ensemble read from ${where}`,
    seed: typeof value.seed === "number" ? value.seed : 0,
  };
}

/** The `domain` field of a parsed coefficient file, or null. */
export function domainField(root: unknown): ValidityDomain | null {
  const value = (root as Record<string, unknown> | null)?.domain as ValidityDomain | undefined;
  return value && typeof value === "object" && value.supervised ? value : null;
}

/** Reads a JSON file's ensemble and domain (the point coefficients are read by readCoefficientsFile). */
export function readEnsembleFile(file: string): { ensemble: CoefficientEnsemble | null; domain: ValidityDomain | null } {
  const root = JSON.parse(readFileSync(file, "utf8"));
  return { ensemble: ensembleField(file, root), domain: domainField(root) };
}

/** Table 6's parametric-bootstrap ensemble, or a message saying how to make it. */
export function paperEnsemble(): CoefficientEnsemble {
  if (!existsSync(PAPER_ENSEMBLE_FILE)) {
    throw new UsageError(`--uncertainty: Table 6's ensemble ${PAPER_ENSEMBLE_FILE} is missing (npm run paper-ensemble writes it); ` +
      "or give --coefficients FILE with an ensemble");
  }
  const root = JSON.parse(readFileSync(PAPER_ENSEMBLE_FILE, "utf8"));
  const ensemble = ensembleField(PAPER_ENSEMBLE_FILE, root);
  if (!ensemble) throw new UsageError(`${PAPER_ENSEMBLE_FILE}: no "ensemble" field`);
  return ensemble;
}
