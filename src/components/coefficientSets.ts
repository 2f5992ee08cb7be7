// The coefficient sets a figure can be drawn with: the paper's Table 6, and every data set fitted
// at build time by src/data/fits.zip.ts (fits.json). Synthetic data sets say so in their label,
// so that a figure drawn from them is never mistaken for the paper's.

import { TABLE6, type DistillationCoefficients, type SupervisedCoefficients } from "../core/laws.js";

export interface CoefficientChoice {
  id: string;
  /** Shown in the selector and in every export's note. */
  label: string;
  synthetic: boolean;
  coefficients: { supervised: SupervisedCoefficients; distillation: DistillationCoefficients };
}

/** The subset of fits.json the figures read. */
export interface FitsFile {
  datasets: {
    id: string;
    label: string;
    synthetic?: boolean;
    supervised: { fit: { coefficients: SupervisedCoefficients } };
    distillation: { fit: { coefficients: DistillationCoefficients } } | null;
  }[];
}

export const PAPER_CHOICE: CoefficientChoice = {
  id: TABLE6.id,
  label: TABLE6.label,
  synthetic: false,
  coefficients: { supervised: TABLE6.supervised, distillation: TABLE6.distillation },
};

/** The paper first, then each fitted data set that has both laws (the figures need Eq. 8). */
export function coefficientChoices(fits: FitsFile | null | undefined): CoefficientChoice[] {
  const fitted = (fits?.datasets ?? [])
    .filter((dataset) => dataset.distillation !== null)
    .map((dataset) => ({
      id: dataset.id,
      label: `${dataset.synthetic ? "SYNTHETIC: " : ""}Fitted to ${dataset.label}`,
      synthetic: Boolean(dataset.synthetic),
      coefficients: { supervised: dataset.supervised.fit.coefficients, distillation: dataset.distillation!.fit.coefficients },
    }));
  return [PAPER_CHOICE, ...fitted];
}

/** The line each exported figure carries, naming its coefficients. */
export function coefficientNote(choice: CoefficientChoice): string {
  return `Coefficients: ${choice.label}.${choice.synthetic ? " Synthetic data: not the paper's runs." : ""} ` +
    `Busbridge et al. (2025), Distillation Scaling Laws.`;
}
