// Spreads a bootstrap over worker threads (Node only). Resample b is drawn from the same seeded
// sequence whichever worker refits it, so the intervals equal those of inThreadBootstrap; only
// the wall-clock time changes. The distillation bootstrap is most of a build's time, and a
// build machine's other cores are otherwise idle while it runs.

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { bootstrapIntervals, type BootstrapDraws } from "../core/fitter.js";
import type { BootstrapJob, BootstrapRunner } from "../core/analysis.js";

/** What the main thread posts to a worker. */
export interface WorkerTask {
  job: BootstrapJob;
  first: number;
  count: number;
}

/** What a worker posts back. */
export type WorkerMessage = { type: "progress"; done: number } | { type: "done"; draws: BootstrapDraws<unknown> };

// Worker threads do not inherit tsx's loader hooks, so the TypeScript entry is loaded through
// tsx's API from a one-line JavaScript shim.
function startWorker(task: WorkerTask): Worker {
  const entry = new URL("./bootstrapWorker.ts", import.meta.url).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const shim = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  return new Worker(shim, { eval: true, workerData: task });
}

/** A runner that refits the resamples in `threads` worker threads (default: one per core). */
export function workerBootstrap(threads = availableParallelism()): BootstrapRunner {
  return async (job, onProgress) => {
    const workers = Math.max(1, Math.min(threads, job.resamples));
    const done = new Array<number>(workers).fill(0);
    const slices = Array.from({ length: workers }, (_, w) => {
      const first = Math.floor((w * job.resamples) / workers);
      const count = Math.floor(((w + 1) * job.resamples) / workers) - first;
      return new Promise<BootstrapDraws<unknown>>((resolve, reject) => {
        const worker = startWorker({ job, first, count });
        worker.on("message", (message: WorkerMessage) => {
          if (message.type === "progress") {
            done[w] = message.done;
            onProgress?.(done.reduce((a, b) => a + b, 0));
          } else {
            resolve(message.draws);
          }
        });
        worker.on("error", reject);
        worker.on("exit", (code) => {
          if (code !== 0) reject(new Error(`bootstrap worker for resamples ${first}..${first + count - 1} exited with code ${code}`));
        });
      });
    });
    return bootstrapIntervals(await Promise.all(slices));
  };
}
