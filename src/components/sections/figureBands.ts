// The bands of Figure 8 and of Figures 33/34: those of the default view were computed when the
// site was built and are shown as they are; any other view is recomputed on the page's worker
// pool, with its status line. The point curves never wait for either.

import type { CoefficientEnsemble } from "../../core/ensemble/ensemble.js";
import type { LawCoefficients } from "../../core/allocation/optimizer.js";
import type { CurveGrid } from "../../core/uncertainty/curveBands.js";
import { sameEfficiencyGrid, type EfficiencyBands, type EfficiencyGrid } from "../../core/uncertainty/efficiencyBands.js";
import type { Figure8Bands } from "../../core/uncertainty/figure8Bands.js";
import { WIDENED_BANDS_NOTE, type OutOfDomainWidening } from "../../core/domain/bandWidening.js";
import { sameGrid } from "../state/figure8Defaults.js";
import { bandsStatusLine, startBands, type BandsJob } from "../page/bandProgress.js";

export interface FigureBandsJob<B> extends BandsJob<B> {
  /** The bands at once when they were prebuilt (a first drawing need not wait a tick), else null. */
  available: B | null;
}

type Summary = Pick<Figure8Bands, "ensemble" | "level">;

function leftOutClause({ ensemble: e }: Summary): string {
  return e.leftOut ? ` (${e.leftOut} of ${e.requested} resamples left out as unusable)` : " (none left out)";
}

function describeFigure8(bands: Summary & Pick<Figure8Bands, "curves">): string {
  const widened = bands.curves.filter((c) => c.loss?.widened).length;
  return `Shaded: ${Math.round(100 * bands.level)}% bands over ${bands.ensemble.members} ensemble members${leftOutClause(bands)}, each re-optimised. ${bands.ensemble.description.replace(/\.?$/, ".")}` +
    (widened ? ` ${widened} of ${bands.curves.length} points' bands are widened beyond the fitted runs (edged with dots in the figure, "(widened)" in the table). ${WIDENED_BANDS_NOTE}` : "");
}

function describeEfficiency(bands: EfficiencyBands): string {
  const targets = Math.max(0, ...bands.grid.targets.flat().map((t) => t.length));
  const widened = bands.cells.filter((c) => c.computeRatio?.widened || c.dataRatio?.widened).length;
  return `Shaded: ${Math.round(100 * bands.level)}% bands over ${bands.ensemble.members} ensemble members${leftOutClause(bands)}, each member solved on its own at ` +
    `${targets} targets along each curve; a member that cannot reach a target is left out of that target's band. ${bands.ensemble.description.replace(/\.?$/, ".")}` +
    (widened ? ` ${widened} of ${bands.cells.length} targets' bands are widened beyond the fitted runs (edged with dots in the figures, "widened" in the download). ${WIDENED_BANDS_NOTE}` : "");
}

const NO_ENSEMBLE = "No bands: this coefficient set carries no ensemble of coefficient samples.";
const never = <B>(): FigureBandsJob<B> => ({ status: document.createElement("span"), result: new Promise(() => {}), available: null, cancel() {} });

function prebuiltJob<B>(className: string, bands: B, text: string): FigureBandsJob<B> {
  return { status: bandsStatusLine(className, "prebuilt", `${text} Computed when the site was built.`), result: Promise.resolve(bands), available: bands, cancel() {} };
}

export interface FigureBandsInputs<B, G> {
  /** The coefficient set's id: prebuilt bands serve only the set they were built for. */
  coefficientsId: string;
  ensemble: CoefficientEnsemble | null;
  grid: G;
  prebuilt?: (B & { coefficients: string }) | null;
}

export function figure8BandsJob({ coefficients, coefficientsId, ensemble, grid, prebuilt, outOfDomain = null }: FigureBandsInputs<Figure8Bands, CurveGrid> & {
  coefficients: LawCoefficients;
  /** The set's domain and measured growth: the loss bands widen beyond the domain (the prebuilt ones were widened by the same). */
  outOfDomain?: OutOfDomainWidening | null;
}): FigureBandsJob<Figure8Bands> {
  const className = "figure8-band-status";
  if (prebuilt && prebuilt.coefficients === coefficientsId && sameGrid(prebuilt.grid as CurveGrid, grid)) return prebuiltJob(className, prebuilt, describeFigure8(prebuilt));
  if (!ensemble?.members.length) return { ...never(), status: bandsStatusLine(className, "none", NO_ENSEMBLE) };
  return { ...startBands("figure8", { grid, outOfDomain }, { ...coefficients, id: coefficientsId, ensemble }, { className, slot: "figure8", describe: describeFigure8 }), available: null };
}

/** Figures 33/34's bands; a grid without students has none and never settles. */
export function efficiencyBandsJob({ coefficients, coefficientsId, ensemble, grid, prebuilt, outOfDomain = null }: FigureBandsInputs<EfficiencyBands, EfficiencyGrid> & {
  coefficients: LawCoefficients;
  /** The set's domain and measured growth: the ribbons widen beyond the domain (the prebuilt ones were widened by the same). */
  outOfDomain?: OutOfDomainWidening | null;
}): FigureBandsJob<EfficiencyBands> {
  const className = "efficiency-band-status";
  if (prebuilt && prebuilt.coefficients === coefficientsId && sameEfficiencyGrid(prebuilt.grid, grid)) return prebuiltJob(className, prebuilt, describeEfficiency(prebuilt));
  if (!ensemble?.members.length || grid.studentParameters.length === 0) {
    return { ...never(), status: bandsStatusLine(className, "none", ensemble?.members.length ? "" : NO_ENSEMBLE) };
  }
  return {
    ...startBands("efficiency", { grid, outOfDomain }, { ...coefficients, id: coefficientsId, ensemble }, {
      className, slot: "efficiency",
      describe: (bands, milliseconds) => `${describeEfficiency(bands)} Computed in the browser in ${(milliseconds / 1000).toFixed(1)} s.`,
    }),
    available: null,
  };
}
