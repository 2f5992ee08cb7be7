// The main thread's side of the target-loss page's bands for "your student and target": the
// ensemble's members split over up to two workers (src/workers/targetLossWorker.ts), each new
// request superseding the previous one (whose result resolves null), progress shown in an element
// the page places, and the outcomes summarised here (summariseTargetUncertainty is cheap).

import * as Comlink from "comlink";
import type { CoefficientEnsemble } from "../core/ensemble/ensemble.js";
import {
  summariseTargetUncertainty, type MemberTargetOutcomes, type TargetLossUncertainty, type TargetUncertaintyInputs,
} from "../core/uncertainty/targetLossUncertainty.js";
import type { TargetLossWorkerApi } from "./targetLossWorker.js";

export interface TargetBandsRun {
  /** A progress bar while the members are solved; data-state "computing", "done", "superseded" or "error". */
  status: HTMLElement;
  /** Resolves with the summary, or null when a later request superseded this one. */
  result: Promise<TargetLossUncertainty | null>;
}

export interface TargetLossClient {
  bands(inputs: TargetUncertaintyInputs, ensemble: CoefficientEnsemble): TargetBandsRun;
  terminate(): void;
}

/** The page's worker count: two where there are two cores or more (this machine has two), else one. */
export function bandWorkerCount(): number {
  return Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1));
}

/** A progress line: "Computing bands: [bar] 40 of 203 members…". */
export function progressLine(className: string, total: number, what: string): { status: HTMLElement; update(done: number): void } {
  const status = document.createElement("p");
  status.className = `muted ${className}`;
  status.dataset.state = "computing";
  const progress = document.createElement("progress");
  progress.max = total;
  const text = document.createElement("span");
  status.append("Computing bands: ", progress, text);
  const update = (done: number) => {
    progress.value = done;
    text.textContent = ` ${done} of ${total} members ${what}…`;
  };
  update(0);
  return { status, update };
}

/**
 * `url`: the worker module's URL; the page passes import.meta.resolve("./workers/targetLossWorker.js").
 * The workers start with the first request, so that a page's first paint does not wait for them.
 */
export function targetLossClient(url: string | URL, workers = bandWorkerCount()): TargetLossClient {
  let running: Worker[] = [];
  let remotes: Comlink.Remote<TargetLossWorkerApi>[] = [];
  let request = 0;
  return {
    bands(inputs, ensemble) {
      if (running.length === 0) {
        running = Array.from({ length: workers }, () => new Worker(url, { type: "module" }));
        remotes = running.map((worker) => Comlink.wrap<TargetLossWorkerApi>(worker));
      }
      const mine = ++request;
      const started = performance.now();
      const total = ensemble.members.length;
      const { status, update } = progressLine("target-bands-status", total, "solved");
      const done = new Array<number>(remotes.length).fill(0);
      // Progress comes back on the proxy's own channel and can arrive after the result: once the
      // request has settled, late progress is dropped.
      let settled = false;
      const plain = { ...inputs, strategies: inputs.strategies.map((s) => ({ ...s })) };
      const slices = remotes.map((remote, w) => {
        const first = Math.floor((w * total) / remotes.length), last = Math.floor(((w + 1) * total) / remotes.length);
        const progress = Comlink.proxy((n: number) => {
          if (settled) return;
          done[w] = n;
          update(done.reduce((a, b) => a + b, 0));
        });
        return remote.solveTarget(mine, plain, ensemble.members.slice(first, last), progress);
      });
      const result = Promise.all(slices).then((parts) => {
        settled = true;
        if (parts.some((p) => p === null) || mine !== request) {
          status.dataset.state = "superseded";
          return null;
        }
        const summary = summariseTargetUncertainty(inputs, (parts as MemberTargetOutcomes[][]).flat(), ensemble);
        status.dataset.state = "done";
        status.dataset.milliseconds = String(performance.now() - started);
        status.textContent = `Bands computed in the browser over all ${total} members in ${(performance.now() - started).toFixed(0)} ms.`;
        return summary;
      }, (error: Error) => {
        settled = true;
        status.dataset.state = "error";
        status.textContent = `Bands could not be computed: ${error.message}`;
        throw error;
      });
      return { status, result };
    },
    terminate() {
      running.forEach((worker) => worker.terminate());
    },
  };
}
