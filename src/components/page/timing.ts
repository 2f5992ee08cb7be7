// What a page's numbers cost to compute, for the timing scripts (scripts/measure/*.ts read the
// milliseconds a page writes into a data attribute): one helper instead of performance.now()
// pairs in the pages' cells.

export interface Timed<T> {
  value: T;
  milliseconds: number;
}

export function timed<T>(compute: () => T): Timed<T> {
  const started = performance.now();
  const value = compute();
  return { value, milliseconds: performance.now() - started };
}

/**
 * Runs `compute` after the browser has painted the current frame: for a page's secondary results
 * (the planner's sweep and the sections below it), so that the answer a reader typed for paints
 * first. Resolves with what `compute` returns.
 */
export function afterPaint<T>(compute: () => T): Promise<T> {
  return new Promise((resolve, reject) => requestAnimationFrame(() => setTimeout(() => {
    try {
      resolve(compute());
    } catch (error) {
      reject(error);
    }
  }, 0)));
}
