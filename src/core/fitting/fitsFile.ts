// The shape of fits.json, the build's fits of the bundled data sets: src/data/fits.zip.ts builds a
// value of this type and the pages read it through the same type, so a field renamed on one side
// fails the type check on the other. docs/coefficients-format.md describes the fields.

import type { CoefficientSet } from "../laws/laws.js";
import type { OutOfDomainGrowth } from "../domain/outOfDomain.js";
import type { ValidityDomain } from "../domain/validity.js";
import type { DatasetAnalysis, PublishedEnsemble } from "./analysis.js";

/** One data set under src/data/runs/: its description, its run counts and its analysis. */
export interface FitsDataset extends DatasetAnalysis {
  /** The folder's name; planner links carry it (as "refit:<id>"), so it must not change. */
  id: string;
  label: string;
  description: string;
  /** Generated runs: every page that uses the set says so. */
  synthetic: boolean;
  runs: { supervised: number; distillation: number };
  /** Groups of line numbers of exactly repeated runs (reported, not errors). */
  duplicates: { supervised: number[][]; distillation: number[][] };
  /** How the ensemble was drawn; the intervals are its percentiles at `level`. */
  bootstrap: { resamples: number; seed: number; level: number };
}

/** Table 6 with its parametric-bootstrap ensemble, the domain of the paper's design and the growth measured on its bundled runs. */
export interface FitsPaper extends CoefficientSet {
  ensemble: PublishedEnsemble;
  domain: ValidityDomain;
  outOfDomain: OutOfDomainGrowth | null;
}

export interface FitsFile {
  paper: FitsPaper;
  datasets: FitsDataset[];
}
