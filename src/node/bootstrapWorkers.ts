// Spreads an ensemble (bootstrap or parametric bootstrap) over worker threads (Node only). Member b
// is drawn from the same seeded sequence whichever worker refits it, so the ensemble equals that of
// inThreadBootstrap; only the wall-clock time changes. The ensembles are most of a build's time,
// and a build machine's other cores are otherwise idle while they run.

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { mergeEnsembles, type EnsemblePart } from "../core/ensemble/bootstrap.js";
import type { BootstrapJob, BootstrapRunner } from "../core/fitting/analysis.js";

/** What the main thread posts to a worker. */
export interface WorkerTask {
  job: BootstrapJob;
  first: number;
  count: number;
}

/** What a worker posts back. */
export type WorkerMessage = { type: "progress"; done: number } | { type: "done"; part: EnsemblePart };

// Worker threads do not inherit tsx's loader hooks, so the TypeScript entry is loaded through
// tsx's API from a one-line JavaScript shim.
function startWorker(task: WorkerTask): Worker {
  const entry = new URL("./bootstrapWorker.ts", import.meta.url).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const shim = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  return new Worker(shim, { eval: true, workerData: task });
}

/** A runner that refits the members in `threads` worker threads (default: one per core). */
export function workerBootstrap(threads = availableParallelism()): BootstrapRunner {
  return async (job, onProgress) => {
    const workers = Math.max(1, Math.min(threads, job.resamples));
    const done = new Array<number>(workers).fill(0);
    const slices = Array.from({ length: workers }, (_, w) => {
      const first = Math.floor((w * job.resamples) / workers);
      const count = Math.floor(((w + 1) * job.resamples) / workers) - first;
      return new Promise<EnsemblePart>((resolve, reject) => {
        const worker = startWorker({ job, first, count });
        worker.on("message", (message: WorkerMessage) => {
          if (message.type === "progress") {
            done[w] = message.done;
            onProgress?.(done.reduce((a, b) => a + b, 0));
          } else {
            resolve(message.part);
          }
        });
        worker.on("error", reject);
        worker.on("exit", (code) => {
          if (code !== 0) reject(new Error(`bootstrap worker for resamples ${first}..${first + count - 1} exited with code ${code}`));
        });
      });
    });
    return mergeEnsembles(await Promise.all(slices), job.resamples);
  };
}
