// The Web Worker of the "Your runs" page: one fit job per worker (the page terminates the worker
// to cancel). Progress is posted at most every 100 ms per task, and always at a phase's end, so the
// page redraws its bars a few times a second whatever the fitter's own reporting rate.

import { runFitJob, type FitJobInput } from "./fitJob.js";

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent<FitJobInput>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const lastPost = new Map<string, number>();

scope.onmessage = async (event) => {
  try {
    const result = await runFitJob(event.data, ({ task, progress }) => {
      const key = `${task}:${progress.phase}`;
      const now = performance.now();
      if (progress.done !== progress.total && now - (lastPost.get(key) ?? -Infinity) < 100) return;
      lastPost.set(key, now);
      scope.postMessage({ type: "progress", task, progress });
    });
    scope.postMessage({ type: "result", result });
  } catch (error) {
    scope.postMessage({ type: "error", message: (error as Error).message, name: (error as Error).name });
  }
};
scope.postMessage({ type: "ready" });
