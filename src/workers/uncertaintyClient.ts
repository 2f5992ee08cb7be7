// The main thread's side of the planner's uncertainty worker: one worker for the page, each new
// request superseding the previous one (whose promise resolves null), progress reported per chunk.

import * as Comlink from "comlink";
import type { CoefficientEnsemble } from "../core/ensemble/ensemble.js";
import type { PlanRow } from "../core/allocation/plan.js";
import type { PlanUncertainty, UncertaintyInputs } from "../core/uncertainty/planUncertainty.js";
import type { UncertaintyWorkerApi } from "./uncertaintyWorker.js";

export interface UncertaintyClient {
  /** Resolves null when superseded by a later call. */
  plan(inputs: UncertaintyInputs, pointRows: readonly PlanRow[], ensemble: CoefficientEnsemble,
    onProgress?: (done: number, total: number) => void): Promise<PlanUncertainty | null>;
  /**
   * Plans several requests one after another (the sweep's combinations); resolves null when a
   * later call of plan or planSequence superseded it. Progress counts members over all requests.
   */
  planSequence(requests: readonly { inputs: UncertaintyInputs; pointRows: readonly PlanRow[] }[], ensemble: CoefficientEnsemble,
    onProgress?: (done: number, total: number) => void): Promise<PlanUncertainty[] | null>;
  cancel(): void;
  terminate(): void;
}

/** `url` is the worker module's URL: pages pass import.meta.resolve("./workers/uncertaintyWorker.js"). */
export function uncertaintyClient(url: string | URL): UncertaintyClient {
  const worker = new Worker(url, { type: "module" });
  const api = Comlink.wrap<UncertaintyWorkerApi>(worker);
  let request = 0;
  let generation = 0;
  const send = async (inputs: UncertaintyInputs, pointRows: readonly PlanRow[], ensemble: CoefficientEnsemble,
    onProgress?: (done: number, total: number) => void) => {
    // Progress comes back on the proxy's own channel, so its last message can arrive after the
    // result: once the request has settled, late progress is dropped.
    let settled = false;
    const progress = onProgress && ((done: number, total: number) => {
      if (!settled) onProgress(done, total);
    });
    try {
      // Plain data only: PlanRow objects and the ensemble are structured-cloned.
      return await api.plan(++request, { ...inputs, strategies: [...inputs.strategies] }, JSON.parse(JSON.stringify(pointRows)), ensemble,
        progress ? Comlink.proxy(progress) : undefined);
    } finally {
      settled = true;
    }
  };
  return {
    plan(inputs, pointRows, ensemble, onProgress) {
      generation++;
      return send(inputs, pointRows, ensemble, onProgress);
    },
    async planSequence(requests, ensemble, onProgress) {
      const mine = ++generation;
      const results: PlanUncertainty[] = [];
      const size = ensemble.members.length;
      for (const [k, { inputs, pointRows }] of requests.entries()) {
        if (generation !== mine) return null;
        const result = await send(inputs, pointRows, ensemble, onProgress && ((done) => onProgress(k * size + done, requests.length * size)));
        if (result === null || generation !== mine) return null;
        results.push(result);
      }
      return results;
    },
    cancel() {
      generation++;
      void api.cancel(++request);
    },
    terminate() {
      worker.terminate();
    },
  };
}
