// Figures 33/34's default view with bands (src/components/state/efficiencyDefaults.ts) as the build
// writes it into the fits archive (efficiency-bands.json), over worker threads, so the page
// shows the bands at once.

import { TABLE6 } from "../core/laws/laws.js";
import type { CoefficientEnsemble } from "../core/ensemble/ensemble.js";
import { efficiencyGrid, type EfficiencyBandOptions, type EfficiencyBands, type EfficiencyGrid } from "../core/uncertainty/efficiencyBands.js";
import type { LawCoefficients } from "../core/allocation/optimizer.js";
import type { OutOfDomainWidening } from "../core/domain/bandWidening.js";
import { EFFICIENCY_DEFAULTS } from "../components/state/efficiencyDefaults.js";
import { parseSizes } from "../components/state/students.js";
import { curveSpans, efficiencyRows } from "../components/state/efficiencyRows.js";
import { compactJson, memberProgress } from "./bandFiles.js";
import { runQuestionInThreads, type ThreadOptions } from "./questionThreads.js";

/** The bands of `grid` over `ensemble`, its members split over worker threads; with `widening`, widened beyond its domain at `point`'s answers. */
export function efficiencyBandsInWorkers(
  ensemble: CoefficientEnsemble,
  grid: EfficiencyGrid,
  options: EfficiencyBandOptions = {},
  threading: ThreadOptions = {},
  widening: { point: LawCoefficients; outOfDomain: OutOfDomainWidening } | null = null,
): Promise<EfficiencyBands> {
  // Without a widening the question needs no point fit: Table 6's stands in for the context's.
  const context = { point: widening?.point ?? TABLE6, domain: widening?.outOfDomain.domain ?? null, ensemble };
  return runQuestionInThreads("efficiency", { grid, options, outOfDomain: widening?.outOfDomain ?? null }, context, ensemble.members, threading);
}

/** The grid of the default view for `coefficients` (Table 6's point fit): along its curves, as the page draws them. */
export function defaultEfficiencyGrid(coefficients: LawCoefficients = TABLE6): EfficiencyGrid {
  const { students } = parseSizes(EFFICIENCY_DEFAULTS.students, { limit: 8 });
  const { rows } = efficiencyRows(students, { coefficients });
  return efficiencyGrid(students.map((s) => s.parameters), curveSpans(rows), coefficients, EFFICIENCY_DEFAULTS.targetsPerCurve);
}

/** The JSON text of the default view's bands over `ensemble` (Table 6's), widened beyond the domain by `outOfDomain` (Table 6's, as the page's). */
export async function efficiencyDefaultBands(ensemble: CoefficientEnsemble, outOfDomain: OutOfDomainWidening | null, log: (message: string) => void = () => {}): Promise<string> {
  const widening = outOfDomain && { point: TABLE6, outOfDomain };
  const bands = await efficiencyBandsInWorkers(ensemble, defaultEfficiencyGrid(), {}, { onProgress: memberProgress(log, "Figures 33/34 bands") }, widening);
  return compactJson({ coefficients: EFFICIENCY_DEFAULTS.coefficients, ...bands });
}
