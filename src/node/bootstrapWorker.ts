// Worker-thread entry of bootstrapWorkers.ts: refits one slice of members and posts them.

import { parentPort, workerData } from "node:worker_threads";
import { runBootstrapSlice } from "../core/fitting/analysis.js";
import type { WorkerMessage, WorkerTask } from "./bootstrapWorkers.js";

const { job, first, count } = workerData as WorkerTask;
const post = (message: WorkerMessage) => parentPort!.postMessage(message);
let lastPosted = 0;
const part = runBootstrapSlice(job, { first, count }, (done) => {
  // Posting every refit would flood the main thread for fast supervised refits.
  if (done - lastPosted >= Math.max(1, Math.floor(count / 50)) || done === count) {
    lastPosted = done;
    post({ type: "progress", done });
  }
});
post({ type: "done", part });
