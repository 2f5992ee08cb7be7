// The planner's Web Worker: plans every member of a coefficient ensemble (src/core/uncertainty.ts)
// off the main thread, in chunks, reporting progress and giving up as soon as a newer request
// supersedes it. Exposed with comlink; the page talks to it through src/components/uncertaintyClient.ts.

import * as Comlink from "comlink";
import type { CoefficientEnsemble } from "../core/ensemble.js";
import type { PlanRow } from "../core/plan.js";
import {
  solveMember, summariseUncertainty, type MemberOutcome, type PlanUncertainty, type UncertaintyInputs,
} from "../core/uncertainty.js";

/** Members solved between two looks at the message queue (a superseding request, a cancel). */
const CHUNK = 10;

let latest = 0;

const api = {
  /**
   * Bands for one request. Resolves null if a later request (or cancel) superseded it; the chunks
   * yield to the event loop so that the superseding message is seen within one chunk.
   */
  async plan(
    request: number,
    inputs: UncertaintyInputs,
    pointRows: PlanRow[],
    ensemble: CoefficientEnsemble,
    onProgress?: (done: number, total: number) => void,
  ): Promise<PlanUncertainty | null> {
    latest = Math.max(latest, request);
    const outcomes: MemberOutcome[] = [];
    let evaluations = 0;
    const total = ensemble.members.length;
    for (let start = 0; start < total; start += CHUNK) {
      if (request !== latest) return null;
      for (const member of ensemble.members.slice(start, start + CHUNK)) {
        const solved = solveMember(inputs, member);
        outcomes.push(solved.outcome);
        evaluations += solved.evaluations;
      }
      onProgress?.(outcomes.length, total);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (request !== latest) return null;
    return summariseUncertainty(inputs, pointRows, outcomes, ensemble, { evaluations });
  },
  cancel(request: number) {
    latest = Math.max(latest, request);
  },
};

export type UncertaintyWorkerApi = typeof api;

Comlink.expose(api);
