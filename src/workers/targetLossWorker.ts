// The target-loss page's Web Worker: solves ensemble members off the main thread, for the bands
// of "your student and target" (targetLossUncertainty.ts) and of Figures 33/34
// (efficiencyBands.ts). Exposed with comlink; the page talks to it through
// src/workers/targetLossClient.ts (own target: superseding requests) and
// src/workers/efficiencyBandJob.ts (figures: cancelled by terminating the worker).

import * as Comlink from "comlink";
import type { EnsembleMember } from "../core/ensemble/ensemble.js";
import { efficiencyMember, type EfficiencyGrid, type EfficiencyMemberResult } from "../core/uncertainty/efficiencyBands.js";
import { solveTargetMember, type MemberTargetOutcomes, type TargetUncertaintyInputs } from "../core/uncertainty/targetLossUncertainty.js";
import { inChunks, requestGate } from "./chunks.js";

const gate = requestGate();

const api = {
  /** Every strategy in each of `members`, in order. Resolves null if a later request (or cancel) superseded it. */
  solveTarget(
    request: number,
    inputs: TargetUncertaintyInputs,
    members: EnsembleMember[],
    onProgress?: (done: number) => void,
  ): Promise<MemberTargetOutcomes[] | null> {
    gate.see(request);
    return inChunks(members, (member) => solveTargetMember(inputs, member), () => gate.current(request), onProgress);
  },
  /** Figures 33/34's grid for each of `members`, reporting each member as it is done. */
  efficiency(grid: EfficiencyGrid, members: EnsembleMember[], onMember?: (done: number) => void): EfficiencyMemberResult[] {
    return members.map((member, i) => {
      const result = efficiencyMember(member, grid);
      onMember?.(i + 1);
      return result;
    });
  },
};

export type TargetLossWorkerApi = typeof api;

Comlink.expose(api);
