// The lifetime page's Web Worker: answers the lifetime question with a slice of a coefficient
// ensemble's members (src/core/uncertainty/lifetimeUncertainty.ts), in chunks, reporting progress and giving
// up as soon as a newer request supersedes it. The page runs up to two of them, each on its own
// slice, through src/workers/lifetimeBandsClient.ts, which summarises their outcomes.

import * as Comlink from "comlink";
import type { EnsembleMember } from "../core/ensemble/ensemble.js";
import type { LifetimeAnswer } from "../core/questions/lifetime.js";
import { solveLifetimeMember, type LifetimeMemberOutcome, type LifetimeUncertaintyInputs } from "../core/uncertainty/lifetimeUncertainty.js";

/** Members solved between two looks at the message queue: some 50-100 ms of work. */
const CHUNK = 4;

let latest = 0;

export interface LifetimeSliceResult {
  outcomes: LifetimeMemberOutcome[];
  evaluations: number;
  widened: number;
}

const api = {
  /** The outcomes of `members`, in order; null if a later request (or cancel) superseded this one. */
  async solve(
    request: number,
    inputs: LifetimeUncertaintyInputs,
    point: LifetimeAnswer[],
    members: EnsembleMember[],
    onProgress?: (done: number) => void,
  ): Promise<LifetimeSliceResult | null> {
    latest = Math.max(latest, request);
    const result: LifetimeSliceResult = { outcomes: [], evaluations: 0, widened: 0 };
    for (let start = 0; start < members.length; start += CHUNK) {
      if (request !== latest) return null;
      for (const member of members.slice(start, start + CHUNK)) {
        const solved = solveLifetimeMember(inputs, point, member);
        result.outcomes.push(solved.outcome);
        result.evaluations += solved.evaluations;
        result.widened += solved.widened;
      }
      onProgress?.(result.outcomes.length);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return request === latest ? result : null;
  },
  cancel(request: number) {
    latest = Math.max(latest, request);
  },
};

export type LifetimeWorkerApi = typeof api;

Comlink.expose(api);
