// Spreads an ensemble (bootstrap or parametric bootstrap) over worker threads (Node only). Member b
// is drawn from the same seeded sequence whichever worker refits it, so the ensemble equals that of
// inThreadBootstrap; only the wall-clock time changes. The ensembles are most of a build's time,
// and a build machine's other cores are otherwise idle while they run.

import { availableParallelism } from "node:os";
import { mergeEnsembles, type EnsemblePart } from "../core/ensemble/bootstrap.js";
import { memberRanges } from "../core/ensemble/question.js";
import type { BootstrapJob, BootstrapRunner } from "../core/fitting/analysis.js";

/** What the main thread posts to a worker. */
export interface WorkerTask {
  job: BootstrapJob;
  first: number;
  count: number;
}

/** What a worker posts back. */
export type WorkerMessage = { type: "progress"; done: number } | { type: "done"; part: EnsemblePart };

import { startTsWorker } from "./tsxWorker.js";

/** A runner that refits the members in `threads` worker threads (default: one per core). */
export function workerBootstrap(threads = availableParallelism()): BootstrapRunner {
  return async (job, onProgress) => {
    const ranges = memberRanges(job.resamples, threads);
    const done = new Array<number>(ranges.length).fill(0);
    const slices = ranges.map(({ first, count }, w) => {
      return new Promise<EnsemblePart>((resolve, reject) => {
        const worker = startTsWorker(new URL("./bootstrapWorker.ts", import.meta.url), { job, first, count } satisfies WorkerTask);
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
