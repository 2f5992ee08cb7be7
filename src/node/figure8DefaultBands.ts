// Figure 8's default view with bands (src/components/state/figure8Defaults.ts) as the build writes it
// into the fits archive (figure8-bands.json): computed right after Table 6's ensemble, over
// worker threads (questionThreads.ts), so the page shows the bands at once.

import { TABLE6 } from "../core/laws/laws.js";
import { paperDomain } from "../core/domain/paperDomain.js";
import type { ValidityDomain } from "../core/domain/validity.js";
import type { CoefficientEnsemble } from "../core/ensemble/ensemble.js";
import type { LawCoefficients } from "../core/allocation/optimizer.js";
import type { CurveBandOptions, CurveGrid } from "../core/uncertainty/curveBands.js";
import type { Figure8Bands } from "../core/uncertainty/figure8Bands.js";
import type { OutOfDomainWidening } from "../core/domain/bandWidening.js";
import { FIGURE8_DEFAULTS, figure8Grid } from "../components/state/figure8Defaults.js";
import { parseSizes } from "../components/state/students.js";
import { compactJson, memberProgress } from "./bandFiles.js";
import { runQuestionInThreads, type ThreadOptions } from "./questionThreads.js";

/** Figure 8's bands of `grid` over `ensemble` (point fit `coefficients`), its members split over worker threads. */
export function figure8BandsInWorkers(
  coefficients: LawCoefficients,
  ensemble: CoefficientEnsemble,
  grid: CurveGrid,
  options: CurveBandOptions = {},
  threading: ThreadOptions = {},
  domain: ValidityDomain | null = null,
  outOfDomain: OutOfDomainWidening | null = null,
): Promise<Figure8Bands> {
  return runQuestionInThreads("figure8", { grid, options, outOfDomain }, { point: coefficients, domain, ensemble }, ensemble.members, threading);
}

/** The JSON text of the default view's bands over `ensemble` (Table 6's), widened beyond the domain by `outOfDomain` (Table 6's, as the page's). */
export async function figure8DefaultBands(ensemble: CoefficientEnsemble, outOfDomain: OutOfDomainWidening | null, log: (message: string) => void = () => {}): Promise<string> {
  const { students } = parseSizes(FIGURE8_DEFAULTS.students, { limit: 6 });
  const grid = figure8Grid(students, FIGURE8_DEFAULTS.perDecade);
  const bands = await figure8BandsInWorkers(TABLE6, ensemble, grid, {}, { onProgress: memberProgress(log, "Figure 8 bands") }, paperDomain(), outOfDomain);
  return compactJson({ coefficients: FIGURE8_DEFAULTS.coefficients, ...bands });
}
