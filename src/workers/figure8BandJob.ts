// Runs Figure 8's bands off the main thread: the members are split over Web Workers, progress
// is shown in an element the page places, and a superseded job is cancelled by terminating its
// workers (the page calls cancel() on invalidation). The point curves never wait for it.

import { figure8Bands, type Figure8Bands, type Figure8Point, type MemberResult } from "../core/uncertainty/figure8Bands.js";
import type { CurveGrid } from "../core/uncertainty/curveBands.js";
import type { CoefficientEnsemble } from "../core/ensemble/ensemble.js";
import type { LawCoefficients } from "../core/allocation/optimizer.js";
import { sameGrid } from "../components/state/figure8Defaults.js";

export interface BandJob {
  /** A line with a progress bar while the bands compute; says what they are when done. */
  status: HTMLElement;
  /** Resolves with the bands; rejects if a worker fails. Never settles once cancelled. */
  result: Promise<Figure8Bands>;
  cancel(): void;
}

export interface BandJobInputs {
  coefficients: LawCoefficients;
  /** The coefficient set's id: prebuilt bands serve only the set they were built for. */
  coefficientsId: string;
  ensemble: CoefficientEnsemble | null;
  grid: CurveGrid;
  /** Bands built with the site (the default view), used as they are when they match. */
  prebuilt?: (Figure8Bands & { coefficients: string }) | null;
  workers?: number;
}

function describe(bands: Pick<Figure8Bands, "ensemble" | "level">): string {
  const e = bands.ensemble;
  return `Shaded: ${Math.round(100 * bands.level)}% bands over ${e.members} ensemble members` +
    `${e.leftOut ? ` (${e.leftOut} of ${e.requested} resamples left out as unusable)` : " (none left out)"}, each re-optimised. ${e.description.replace(/\.?$/, ".")}`;
}

export function startBandJob({ coefficients, coefficientsId, ensemble, grid, prebuilt, workers }: BandJobInputs): BandJob {
  const status = document.createElement("p");
  status.className = "muted figure8-band-status";
  if (prebuilt && prebuilt.coefficients === coefficientsId && sameGrid(prebuilt.grid as CurveGrid, grid)) {
    status.textContent = `${describe(prebuilt)} Computed when the site was built.`;
    status.dataset.state = "prebuilt";
    return { status, result: Promise.resolve(prebuilt), cancel() {} };
  }
  if (!ensemble || ensemble.members.length === 0) {
    status.textContent = "No bands: this coefficient set carries no ensemble of coefficient samples.";
    status.dataset.state = "none";
    return { status, result: new Promise(() => {}), cancel() {} };
  }
  const total = ensemble.members.length;
  const progress = document.createElement("progress");
  progress.max = total;
  progress.value = 0;
  const text = document.createElement("span");
  status.dataset.state = "computing";
  status.append("Computing bands: ", progress, text);
  const update = (done: number) => {
    progress.value = done;
    text.textContent = ` ${done} of ${total} members re-optimised…`;
  };
  update(0);
  const count = Math.max(1, Math.min(workers ?? Math.max(1, (navigator.hardwareConcurrency || 2)), total));
  const started: Worker[] = [];
  const results = new Array<MemberResult>(total);
  let done = 0;
  let point: Figure8Point | null = null;
  const result = Promise.all(Array.from({ length: count }, (_, w) => {
    const first = Math.floor((w * total) / count), last = Math.floor(((w + 1) * total) / count);
    const worker = new Worker(import.meta.resolve("./figure8BandWorker.js"), { type: "module" });
    started.push(worker);
    return new Promise<void>((resolve, reject) => {
      let received = 0;
      worker.onmessage = ({ data }) => {
        if (data.type === "point") point = data.point;
        else if (data.type === "member") {
          results[first + data.index] = data.result;
          update(++done);
          if (++received === last - first) { worker.terminate(); resolve(); }
        } else if (data.type === "error") reject(new Error(data.message));
      };
      worker.onerror = (event) => reject(new Error(`band worker failed: ${event.message}`));
      if (last === first) { worker.terminate(); resolve(); }
      else worker.postMessage({ coefficients, members: ensemble.members.slice(first, last), grid, options: {} });
    });
  })).then(() => {
    const bands = figure8Bands(grid, point!, results, ensemble);
    status.textContent = describe(bands);
    status.dataset.state = "done";
    return bands;
  }, (error) => {
    status.textContent = `Bands could not be computed: ${error.message}`;
    status.dataset.state = "error";
    throw error;
  });
  return { status, result, cancel: () => started.forEach((w) => w.terminate()) };
}
