// The coefficient sets every page can compute with: the paper's Table 6, and each data set fitted
// at build time by src/data/fits.zip.ts (fits.json) that has both laws. One list serves the
// planner pages (which keep the chosen id in the URL) and the figure pages (which name the set in
// every export). Synthetic data sets say so at the start of their label, so that nothing drawn
// or planned from them is mistaken for the paper's.

import { TABLE6, type DistillationCoefficients, type SupervisedCoefficients } from "../../core/laws/laws.js";
import type { CoefficientEnsemble } from "../../core/ensemble/ensemble.js";
import type { OutOfDomainGrowth } from "../../core/domain/outOfDomain.js";
import type { ValidityDomain } from "../../core/domain/validity.js";
import type { FitsDataset, FitsFile, FitsPaper } from "../../core/fitting/fitsFile.js";
import { unusableStoredSet } from "./storedSets.js";

export interface CoefficientOption {
  /** "paper", or "refit:<data set id>": planner links carry it, so it must not change. */
  id: string;
  /** Shown in the selectors and in every export's note. */
  label: string;
  /** Fitted to synthetic runs: shown as such wherever the set is used. */
  synthetic: boolean;
  /** Where the coefficients come from. */
  source: string;
  supervised: SupervisedCoefficients;
  /**
   * The distillation law the figures draw with. When the set has none of its own
   * (`distillationFitted` false) it is Table 6's, and the planning pages use it only when the
   * reader chooses to borrow it (distillationLawChoice.ts).
   */
  distillation: DistillationCoefficients;
  /** False for a set fitted to supervised runs only: it has no distillation law of its own. */
  distillationFitted: boolean;
  /** The coefficient samples the bands are taken over (null: the set has none, no bands). */
  ensemble: CoefficientEnsemble | null;
  /** The region the set was fitted on (null: unknown, nothing is flagged). */
  domain: ValidityDomain | null;
  /** The error growth measured on the set's runs: bands beyond the domain widen by it (absent: they do not). */
  outOfDomain?: OutOfDomainGrowth | null;
}

/** A law's report in fits.json, of which the list reads the fitted coefficients only. */
type FittedCoefficients<L extends "supervised" | "distillation"> = { fit: Pick<NonNullable<FitsDataset[L]>["fit"], "coefficients"> };

/**
 * The fields of fits.json (FitsFile, core/fitting/fitsFile.ts) this list reads, picked from that
 * type so that the two cannot drift; the rest is optional, as in sets built by hand.
 */
export interface FitsCoefficientSets {
  datasets: readonly (Pick<FitsDataset, "id" | "label"> & Partial<Pick<FitsDataset, "description" | "synthetic" | "ensemble" | "domain" | "outOfDomain">> & {
    supervised: FittedCoefficients<"supervised">;
    distillation: FittedCoefficients<"distillation"> | null;
  })[];
  paper?: Partial<Pick<FitsPaper, "ensemble" | "domain" | "outOfDomain">>;
}

/** The file the build writes is such a list: the type check fails here if they drift apart. */
const readsFitsFile: (fits: FitsFile) => FitsCoefficientSets = (fits) => fits;

export const PAPER_OPTION: CoefficientOption = {
  id: TABLE6.id, label: TABLE6.label, synthetic: false, source: TABLE6.source,
  supervised: TABLE6.supervised, distillation: TABLE6.distillation, distillationFitted: true, ensemble: null, domain: null,
};

/**
 * The paper's Table 6, then each data set's refit that has both laws (planning and the figures need
 * Eq. 8), then the sets fitted on the "Your runs" page and stored in this browser
 * (storedCoefficientOptions() in storedSets.ts).
 */
export function coefficientOptions(fits: FitsCoefficientSets | null | undefined, stored: readonly CoefficientOption[] = []): CoefficientOption[] {
  const refits = (fits?.datasets ?? []).filter((d) => d.distillation !== null).map((d) => ({
    id: `refit:${d.id}`,
    label: `${d.synthetic ? "SYNTHETIC: " : ""}Fitted to ${d.label}`,
    synthetic: Boolean(d.synthetic),
    source: d.description || `Fitted at build time to the runs in src/data/runs/${d.id}/.`,
    supervised: d.supervised.fit.coefficients,
    distillation: d.distillation!.fit.coefficients,
    distillationFitted: true,
    ensemble: d.ensemble ?? null,
    domain: d.domain ?? null,
    outOfDomain: d.outOfDomain ?? null,
  }));
  const paper = {
    ...PAPER_OPTION, ensemble: fits?.paper?.ensemble ?? null, domain: fits?.paper?.domain ?? null, outOfDomain: fits?.paper?.outOfDomain ?? null,
  };
  return [paper, ...refits, ...stored];
}

/** The set's name without the "SYNTHETIC: " its label starts with, for where a badge says it. */
export function coefficientTitle(option: CoefficientOption): string {
  return option.label.replace(/^SYNTHETIC: /, "");
}

/**
 * What a page says when its address names a coefficient set it does not have: a set fitted on the
 * "Your runs" page lives only in the browser that fitted it (or loaded its JSON).
 */
export function missingSetMessage(id: string, fallbackLabel: string = PAPER_OPTION.label): string {
  const unusable = unusableStoredSet(id);
  if (unusable) return `The coefficient set “${unusable.name}” stored in this browser cannot be used (${unusable.problem}); using ${fallbackLabel}.`;
  return id.startsWith("user:")
    ? `The coefficient set “${id}” in this address is not stored in this browser (sets fitted on the Your runs page stay in the browser that fitted them; load its JSON there); using ${fallbackLabel}.`
    : `No coefficient set “${id}” in this build; using ${fallbackLabel}.`;
}

/** The line each exported figure carries, naming its coefficients. */
export function coefficientNote(option: CoefficientOption): string {
  return `Coefficients: ${option.label}.${option.synthetic ? " Synthetic data: not the paper's runs." : ""} ` +
    `Busbridge et al. (2025), Distillation Scaling Laws.`;
}

/** How a planner export names the coefficient set: the label, plus the numbers for a refit so the file stands alone. */
export function coefficientRecord(option: CoefficientOption): string {
  if (option.id === PAPER_OPTION.id) return option.label;
  const list = (c: object) => Object.entries(c).map(([k, v]) => `${k}=${Number(v).toPrecision(6)}`).join(" ");
  return `${option.label} [supervised ${list(option.supervised)}; distillation ${list(option.distillation)}]`;
}
