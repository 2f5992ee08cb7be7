// Figure 8's band grid over Node worker threads (the build-time loader, `npm run bench`): the
// members are split into slices, each refitted... re-optimised in its own thread, and the results
// joined in member order, so the bands equal those of computeFigure8Bands in one thread.

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { CoefficientEnsemble, EnsembleMember } from "../core/ensemble.js";
import type { LawCoefficients } from "../core/optimizer.js";
import type { CurveBandOptions, CurveGrid } from "../core/curveBands.js";
import { figure8Bands, figure8Point, type Figure8Bands, type Figure8Point, type MemberResult } from "../core/figure8Bands.js";

export interface BandWorkerTask {
  members: EnsembleMember[];
  grid: CurveGrid;
  point: Figure8Point;
  options: CurveBandOptions;
}

export type BandWorkerMessage = { type: "member"; index: number; result: MemberResult };

// Worker threads do not inherit tsx's loader hooks: load the TypeScript entry through tsx's API.
function startWorker(task: BandWorkerTask): Worker {
  const entry = new URL("./figure8BandWorker.ts", import.meta.url).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const shim = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  return new Worker(shim, { eval: true, workerData: task });
}

export async function figure8BandsInWorkers(
  coefficients: LawCoefficients,
  ensemble: CoefficientEnsemble,
  grid: CurveGrid,
  options: CurveBandOptions = {},
  { threads = availableParallelism(), onProgress }: { threads?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<Figure8Bands> {
  const point = figure8Point(coefficients, grid, options);
  const total = ensemble.members.length;
  const results = new Array<MemberResult>(total);
  let done = 0;
  const workers = Math.max(1, Math.min(threads, total));
  await Promise.all(Array.from({ length: workers }, (_, w) => {
    const first = Math.floor((w * total) / workers);
    const last = Math.floor(((w + 1) * total) / workers);
    return new Promise<void>((resolve, reject) => {
      const worker = startWorker({ members: ensemble.members.slice(first, last), grid, point, options });
      worker.on("message", (message: BandWorkerMessage) => {
        results[first + message.index] = message.result;
        onProgress?.(++done, total);
      });
      worker.on("error", reject);
      worker.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`band worker for members ${first}..${last - 1} exited with code ${code}`))));
    });
  }));
  return figure8Bands(grid, point, results, ensemble);
}
