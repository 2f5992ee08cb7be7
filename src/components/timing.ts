// What a page's numbers cost to compute, for the timing scripts (scripts/measure-*.ts read the
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
