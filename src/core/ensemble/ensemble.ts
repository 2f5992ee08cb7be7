// Coefficient ensembles (docs/spec.md section 9): a point fit plus members theta_1..theta_B, both laws
// each, one member per resample. CONTRACT shared by the fitter, the build-time loader, the CLI,
// the bands and the pages: keep these exported names and fields.

import type { DistillationCoefficients, SupervisedCoefficients } from "../laws/laws.js";

export interface EnsembleMember {
  supervised: SupervisedCoefficients;
  distillation: DistillationCoefficients;
}

export interface CoefficientEnsemble {
  /** "bootstrap": resamples of a data set's runs; "parametric-bootstrap": runs simulated from a point fit (Table 6). */
  kind: "bootstrap" | "parametric-bootstrap";
  /** One sentence on how the members were made, shown wherever bands are. */
  description: string;
  /** Usable members only (the rule is documented in docs/coefficients-format.md). */
  members: EnsembleMember[];
  /** Resamples attempted. */
  requested: number;
  /** Resamples left out as unusable: requested - members.length. Shown wherever bands are. */
  leftOut: number;
  /**
   * Of `leftOut`, members left out because they predict the impossible where a plan can go
   * (plausibleMembers.ts), with the first one's reason; absent on ensembles built without the check.
   */
  implausible?: number;
  implausibleReason?: string | null;
  seed: number;
  /**
   * Laws the members carry but were not fitted to the set's runs, with their source ("Table 6"):
   * members that share a borrowed law carry no information about it.
   */
  borrowedLaws?: { distillation?: string };
}
