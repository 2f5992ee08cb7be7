// What the pages' comlink workers share: requests numbered by the client, each superseded by any
// later one (or a cancel), and work done in chunks that yield to the event loop between them, so
// that a superseding message is seen within one chunk.

/** Members solved between two looks at the message queue. */
export const CHUNK = 10;

/** The latest request seen: a request is current until a later one (or a cancel with a later number) arrives. */
export function requestGate() {
  let latest = 0;
  return {
    see(request: number) {
      latest = Math.max(latest, request);
    },
    current: (request: number) => request === latest,
  };
}

/**
 * `solve` for each item, in chunks of CHUNK, reporting the count done after each chunk; resolves
 * null as soon as `current()` turns false (checked before each chunk and at the end).
 */
export async function inChunks<T, R>(items: readonly T[], solve: (item: T) => R, current: () => boolean, onProgress?: (done: number) => void): Promise<R[] | null> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += CHUNK) {
    if (!current()) return null;
    for (const item of items.slice(start, start + CHUNK)) results.push(solve(item));
    onProgress?.(results.length);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return current() ? results : null;
}
