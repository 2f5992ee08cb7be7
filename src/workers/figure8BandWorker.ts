// Web Worker of the Figure 8 bands (started by figure8BandJob.ts): computes the point fit's
// warm starts, then re-optimises its slice of members one by one, posting each as it is done.

import { figure8Member, figure8Point } from "../core/uncertainty/figure8Bands.js";
import type { CurveBandOptions, CurveGrid } from "../core/uncertainty/curveBands.js";
import type { EnsembleMember } from "../core/ensemble/ensemble.js";
import type { LawCoefficients } from "../core/allocation/optimizer.js";

export interface BandWorkerRequest {
  coefficients: LawCoefficients;
  members: EnsembleMember[];
  grid: CurveGrid;
  options: CurveBandOptions;
}

self.onmessage = (event: MessageEvent<BandWorkerRequest>) => {
  const { coefficients, members, grid, options } = event.data;
  try {
    const point = figure8Point(coefficients, grid, options);
    self.postMessage({ type: "point", point });
    members.forEach((member, index) => self.postMessage({ type: "member", index, result: figure8Member(member, grid, point, options) }));
  } catch (error) {
    self.postMessage({ type: "error", message: (error as Error).message });
  }
};
