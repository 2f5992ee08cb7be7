// Every page's wait for ensemble bands looks the same: one progress display, and one status line
// that runs a question on the page's worker pool, shows the display while the members are solved
// and then what the page says about the bands (data-state: computing, done, superseded, error).

import { browserEnsemblePool, type BandProgress, type PoolCoefficientSet } from "../../workers/ensemblePool.js";
import type { QuestionInput, QuestionName, QuestionSummary } from "../../core/uncertainty/questions.js";
import { el } from "./dom.js";

/** A bar and the count of ensemble members solved so far. */
export function bandProgress({ done, total }: BandProgress): HTMLElement {
  return el("span", { class: "band-progress", role: "status", "aria-live": "polite" },
    "Computing 90% bands: ", el("progress", { value: done, max: total }), ` ${done} of ${total} ensemble members solved…`);
}

export interface BandsJob<S> {
  /** The status line: the progress display, then `describe`'s text (or the error). */
  status: HTMLElement;
  /** The bands; null when superseded or cancelled. Rejects when a member's solve fails. */
  result: Promise<S | null>;
  cancel(): void;
}

export interface BandsJobOptions<S> {
  /** The status line's class (pages and tests find it by it). */
  className: string;
  /** A newer job in the same slot supersedes this one. */
  slot: string;
  /** What the status line says once the bands are in; `milliseconds` is the wait since the job left `ready`. */
  describe(bands: S, milliseconds: number): string;
  /** Resolves when the job may start: pages pass the paint of their point answer. */
  ready?: Promise<unknown>;
}

/** Runs one ensemble question on the page's pool, with its status line. */
export function startBands<Q extends QuestionName>(
  question: Q, input: QuestionInput<Q>, set: PoolCoefficientSet, { className, slot, describe, ready }: BandsJobOptions<QuestionSummary<Q>>,
): BandsJob<QuestionSummary<Q>> {
  const status = el("p", { class: `muted ${className}`, "data-state": "computing" });
  const total = set.ensemble.members.length;
  status.append(bandProgress({ done: 0, total }));
  const controller = new AbortController();
  let started = performance.now();
  const result = Promise.resolve(ready).then(() => {
    started = performance.now();
    return browserEnsemblePool().run(question, input, set, {
      slot, signal: controller.signal,
      onProgress: (progress) => status.replaceChildren(bandProgress(progress)),
    });
  }).then((bands) => {
    const milliseconds = performance.now() - started;
    if (bands === null) {
      status.dataset.state = "superseded";
      return null;
    }
    status.textContent = describe(bands, milliseconds);
    status.dataset.state = "done";
    status.dataset.milliseconds = String(milliseconds);
    return bands;
  }, (error: Error) => {
    status.textContent = `Bands could not be computed: ${error.message}`;
    status.dataset.state = "error";
    throw error;
  });
  return { status, result, cancel: () => controller.abort() };
}

/** A status line for bands that need no computing: built with the site, or none to compute. */
export function bandsStatusLine(className: string, state: "prebuilt" | "none", text: string): HTMLElement {
  return el("p", { class: `muted ${className}`, "data-state": state }, text);
}
