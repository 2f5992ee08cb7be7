// The main thread's side of the lifetime page's band workers: the ensemble's members are split
// over up to two workers (see bandWorkerCount), each new request supersedes the previous one (whose promise resolves null), and the
// progress counts members over all workers. The outcomes are summarised here, once.

import * as Comlink from "comlink";
import type { CoefficientEnsemble } from "../core/ensemble/ensemble.js";
import type { LifetimeAnswer } from "../core/questions/lifetime.js";
import {
  summariseLifetimeUncertainty, type LifetimeUncertainty, type LifetimeUncertaintyInputs,
} from "../core/uncertainty/lifetimeUncertainty.js";
import type { LifetimeWorkerApi } from "./lifetimeWorker.js";

export interface LifetimeBandsClient {
  /** Resolves null when superseded by a later call or cancelled. */
  run(inputs: LifetimeUncertaintyInputs, point: readonly LifetimeAnswer[], ensemble: CoefficientEnsemble,
    onProgress?: (done: number, total: number) => void): Promise<LifetimeUncertainty | null>;
  cancel(): void;
  terminate(): void;
}

/**
 * Workers to start: one per core, at most two. The bands start after the answer has painted and
 * the page cancels them as soon as an input changes, so the main thread needs its core only for
 * the charts meanwhile; two workers on two cores halve the wait for the bands.
 */
export function bandWorkerCount(cores = globalThis.navigator?.hardwareConcurrency || 2): number {
  return Math.max(1, Math.min(2, cores));
}

/** `url` is the worker module's URL: the page passes import.meta.resolve("./workers/lifetimeWorker.js"). */
export function lifetimeBandsClient(url: string | URL, workers = bandWorkerCount()): LifetimeBandsClient {
  const pool = Array.from({ length: workers }, () => {
    const worker = new Worker(url, { type: "module" });
    return { worker, api: Comlink.wrap<LifetimeWorkerApi>(worker) };
  });
  let request = 0;
  return {
    async run(inputs, point, ensemble, onProgress) {
      const mine = ++request;
      const total = ensemble.members.length;
      const done = new Array<number>(pool.length).fill(0);
      // Progress comes back on the proxy's own channel and can arrive after the result: dropped then.
      let settled = false;
      // Plain data only: the strategies, the point answers and the members are structured-cloned.
      const plainInputs = JSON.parse(JSON.stringify(inputs)) as LifetimeUncertaintyInputs;
      const plainPoint = JSON.parse(JSON.stringify(point)) as LifetimeAnswer[];
      try {
        const slices = await Promise.all(pool.map(({ api }, w) => {
          const first = Math.floor((w * total) / pool.length), last = Math.floor(((w + 1) * total) / pool.length);
          const progress = onProgress && Comlink.proxy((n: number) => {
            done[w] = n;
            if (!settled && request === mine) onProgress(done.reduce((a, b) => a + b, 0), total);
          });
          return api.solve(mine, plainInputs, plainPoint, ensemble.members.slice(first, last), progress);
        }));
        if (request !== mine || slices.some((s) => s === null)) return null;
        return summariseLifetimeUncertainty(inputs, point, slices.flatMap((s) => s!.outcomes), ensemble, {
          evaluations: slices.reduce((a, s) => a + s!.evaluations, 0),
          widened: slices.reduce((a, s) => a + s!.widened, 0),
        });
      } finally {
        settled = true;
      }
    },
    cancel() {
      const next = ++request;
      for (const { api } of pool) void api.cancel(next);
    },
    terminate() {
      for (const { worker } of pool) worker.terminate();
    },
  };
}
