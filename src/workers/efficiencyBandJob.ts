// Runs Figures 33/34's bands off the main thread: prebuilt for the default view (the build writes
// efficiency-bands.json), else the members split over up to two Web Workers
// (src/workers/targetLossWorker.ts), progress shown in an element the page places, and a
// superseded job cancelled by terminating its workers (the page calls cancel() on invalidation).
// The point curves never wait for it.

import * as Comlink from "comlink";
import type { CoefficientEnsemble } from "../core/ensemble/ensemble.js";
import { efficiencyBands, sameEfficiencyGrid, type EfficiencyBands, type EfficiencyGrid, type EfficiencyMemberResult } from "../core/uncertainty/efficiencyBands.js";
import type { TargetLossWorkerApi } from "./targetLossWorker.js";
import { bandWorkerCount, progressLine } from "./targetLossClient.js";

export interface EfficiencyBandJob {
  /** A line with a progress bar while the bands compute; says what they are when done (data-state as it goes). */
  status: HTMLElement;
  /** Resolves with the bands; rejects if a worker fails. Never settles once cancelled, or without an ensemble. */
  result: Promise<EfficiencyBands>;
  /** The bands at once when they were prebuilt (the first drawing need not wait a tick for them), else null. */
  available: EfficiencyBands | null;
  cancel(): void;
}

export interface EfficiencyBandJobInputs {
  /** The worker module's URL: the page passes import.meta.resolve("./workers/targetLossWorker.js"). */
  workerUrl: string | URL;
  /** The coefficient set's id: prebuilt bands serve only the set they were built for. */
  coefficientsId: string;
  ensemble: CoefficientEnsemble | null;
  grid: EfficiencyGrid;
  prebuilt?: (EfficiencyBands & { coefficients: string }) | null;
  workers?: number;
}

function describe(bands: Pick<EfficiencyBands, "ensemble" | "level" | "grid">): string {
  const e = bands.ensemble;
  return `Shaded: ${Math.round(100 * bands.level)}% bands over ${e.members} ensemble members` +
    `${e.leftOut ? ` (${e.leftOut} of ${e.requested} resamples left out as unusable)` : " (none left out)"}, each member solved on its own at ` +
    `${Math.max(0, ...bands.grid.targets.flat().map((t) => t.length))} targets along each curve; a member that cannot reach a target is left out of that target's band. ${e.description.replace(/\.?$/, ".")}`;
}

export function startEfficiencyBandJob({ workerUrl, coefficientsId, ensemble, grid, prebuilt, workers = bandWorkerCount() }: EfficiencyBandJobInputs): EfficiencyBandJob {
  const started = performance.now();
  if (prebuilt && prebuilt.coefficients === coefficientsId && sameEfficiencyGrid(prebuilt.grid, grid)) {
    const status = document.createElement("p");
    status.className = "muted efficiency-band-status";
    status.textContent = `${describe(prebuilt)} Computed when the site was built.`;
    status.dataset.state = "prebuilt";
    return { status, result: Promise.resolve(prebuilt), available: prebuilt, cancel() {} };
  }
  if (!ensemble || ensemble.members.length === 0 || grid.studentParameters.length === 0) {
    const status = document.createElement("p");
    status.className = "muted efficiency-band-status";
    status.textContent = ensemble?.members.length ? "" : "No bands: this coefficient set carries no ensemble of coefficient samples.";
    status.dataset.state = "none";
    return { status, result: new Promise(() => {}), available: null, cancel() {} };
  }
  const total = ensemble.members.length;
  const { status, update } = progressLine("efficiency-band-status", total, "solved at every target");
  const count = Math.max(1, Math.min(workers, total));
  const startedWorkers: Worker[] = [];
  const done = new Array<number>(count).fill(0);
  const result = Promise.all(Array.from({ length: count }, (_, w) => {
    const first = Math.floor((w * total) / count), last = Math.floor(((w + 1) * total) / count);
    const worker = new Worker(workerUrl, { type: "module" });
    startedWorkers.push(worker);
    const remote = Comlink.wrap<TargetLossWorkerApi>(worker);
    return remote.efficiency(grid, ensemble.members.slice(first, last), Comlink.proxy((n: number) => {
      done[w] = n;
      update(done.reduce((a, b) => a + b, 0));
    })).finally(() => worker.terminate());
  })).then((parts: EfficiencyMemberResult[][]) => {
    const bands = efficiencyBands(grid, parts.flat(), ensemble);
    status.textContent = `${describe(bands)} Computed in the browser in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
    status.dataset.state = "done";
    status.dataset.milliseconds = String(performance.now() - started);
    return bands;
  }, (error: Error) => {
    status.textContent = `Bands could not be computed: ${error.message}`;
    status.dataset.state = "error";
    throw error;
  });
  return { status, result, available: null, cancel: () => startedWorkers.forEach((w) => w.terminate()) };
}
