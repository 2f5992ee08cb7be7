// Worker-thread entry of efficiencyDefaultBands.ts: solves one slice of members on Figures 33/34's target grid.

import { parentPort, workerData } from "node:worker_threads";
import { efficiencyMember, type EfficiencyBandOptions, type EfficiencyGrid, type EfficiencyMemberResult } from "../core/uncertainty/efficiencyBands.js";
import type { EnsembleMember } from "../core/ensemble/ensemble.js";
import type { MemberMessage } from "./memberThreads.js";

const { members, grid, options } = workerData as { members: EnsembleMember[]; grid: EfficiencyGrid; options: EfficiencyBandOptions };
members.forEach((member, index) => {
  const message: MemberMessage<EfficiencyMemberResult> = { index, result: efficiencyMember(member, grid, options) };
  parentPort!.postMessage(message);
});
