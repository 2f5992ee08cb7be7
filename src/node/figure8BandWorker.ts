// Worker-thread entry of figure8BandWorkers.ts: re-optimises one slice of members.

import { parentPort, workerData } from "node:worker_threads";
import { figure8Member, type MemberResult } from "../core/uncertainty/figure8Bands.js";
import type { BandWorkerTask } from "./figure8BandWorkers.js";
import type { MemberMessage } from "./memberThreads.js";

const { members, grid, point, options } = workerData as BandWorkerTask;
members.forEach((member, index) => {
  const message: MemberMessage<MemberResult> = { index, result: figure8Member(member, grid, point, options) };
  parentPort!.postMessage(message);
});
