// Figure 8's band grid over Node worker threads (the build-time loader, `npm run bench`): each
// slice of members is re-optimised in its own thread (memberThreads.ts), so the bands equal
// those of computeFigure8Bands in one thread.

import type { CoefficientEnsemble, EnsembleMember } from "../core/ensemble/ensemble.js";
import type { LawCoefficients } from "../core/allocation/optimizer.js";
import type { CurveBandOptions, CurveGrid } from "../core/uncertainty/curveBands.js";
import { figure8Bands, figure8Point, type Figure8Bands, type Figure8Point, type MemberResult } from "../core/uncertainty/figure8Bands.js";
import { inMemberThreads } from "./memberThreads.js";

export interface BandWorkerTask {
  members: EnsembleMember[];
  grid: CurveGrid;
  point: Figure8Point;
  options: CurveBandOptions;
}

export async function figure8BandsInWorkers(
  coefficients: LawCoefficients,
  ensemble: CoefficientEnsemble,
  grid: CurveGrid,
  options: CurveBandOptions = {},
  threading: { threads?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<Figure8Bands> {
  const point = figure8Point(coefficients, grid, options);
  const results = await inMemberThreads<MemberResult>(new URL("./figure8BandWorker.ts", import.meta.url), ensemble.members,
    (members): BandWorkerTask => ({ members, grid, point, options }), threading);
  return figure8Bands(grid, point, results, ensemble);
}
