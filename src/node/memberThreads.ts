// Ensemble members over Node worker threads (the build-time loader, `npm run bench`): the members
// are split into contiguous slices, each solved in its own thread by a TypeScript worker entry
// that posts one { index, result } message per member of its slice, and the results are joined
// in member order, so they equal a one-thread computation.

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { EnsembleMember } from "../core/ensemble/ensemble.js";

/** What a worker entry posts for each member of its slice (index within the slice). */
export interface MemberMessage<Result> {
  index: number;
  result: Result;
}

// Worker threads do not inherit tsx's loader hooks: load the TypeScript entry through tsx's API.
function startWorker(entry: URL, workerData: unknown): Worker {
  const tsx = import.meta.resolve("tsx/esm/api");
  const shim = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
  return new Worker(shim, { eval: true, workerData });
}

/**
 * Runs `entry` over slices of `members`; `task(slice)` is the workerData of one thread. Resolves
 * with one result per member, in member order.
 */
export async function inMemberThreads<Result>(
  entry: URL,
  members: readonly EnsembleMember[],
  task: (slice: EnsembleMember[]) => unknown,
  { threads = availableParallelism(), onProgress }: { threads?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<Result[]> {
  const total = members.length;
  const results = new Array<Result>(total);
  let done = 0;
  const workers = Math.max(1, Math.min(threads, total));
  await Promise.all(Array.from({ length: workers }, (_, w) => {
    const first = Math.floor((w * total) / workers);
    const last = Math.floor(((w + 1) * total) / workers);
    return new Promise<void>((resolve, reject) => {
      const worker = startWorker(entry, task(members.slice(first, last)));
      worker.on("message", (message: MemberMessage<Result>) => {
        results[first + message.index] = message.result;
        onProgress?.(++done, total);
      });
      worker.on("error", reject);
      worker.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker ${entry.pathname.split("/").pop()} for members ${first}..${last - 1} exited with code ${code}`))));
    });
  }));
  return results;
}
