// The planner's Web Worker: plans every member of a coefficient ensemble (src/core/uncertainty/planUncertainty.ts)
// off the main thread, in chunks, reporting progress and giving up as soon as a newer request
// supersedes it. Exposed with comlink; the page talks to it through src/workers/uncertaintyClient.ts.

import * as Comlink from "comlink";
import type { CoefficientEnsemble } from "../core/ensemble/ensemble.js";
import type { PlanRow } from "../core/allocation/plan.js";
import {
  solveMember, summariseUncertainty, type PlanUncertainty, type UncertaintyInputs,
} from "../core/uncertainty/planUncertainty.js";
import { inChunks, requestGate } from "./chunks.js";

const gate = requestGate();

const api = {
  /** Bands for one request. Resolves null if a later request (or cancel) superseded it. */
  async plan(
    request: number,
    inputs: UncertaintyInputs,
    pointRows: PlanRow[],
    ensemble: CoefficientEnsemble,
    onProgress?: (done: number, total: number) => void,
  ): Promise<PlanUncertainty | null> {
    gate.see(request);
    const total = ensemble.members.length;
    const solved = await inChunks(ensemble.members, (member) => solveMember(inputs, member), () => gate.current(request),
      onProgress && ((done) => onProgress(done, total)));
    if (solved === null) return null;
    const evaluations = solved.reduce((n, s) => n + s.evaluations, 0);
    return summariseUncertainty(inputs, pointRows, solved.map((s) => s.outcome), ensemble, { evaluations });
  },
  cancel(request: number) {
    gate.see(request);
  },
};

export type UncertaintyWorkerApi = typeof api;

Comlink.expose(api);
