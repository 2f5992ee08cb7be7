// Starting a TypeScript worker thread under tsx (Node only). Worker threads do not inherit tsx's
// loader hooks, so the entry is loaded through tsx's API from a one-line JavaScript shim.

import { Worker } from "node:worker_threads";

export function startTsWorker(entry: URL, workerData: unknown): Worker {
  const tsx = import.meta.resolve("tsx/esm/api");
  const shim = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
  return new Worker(shim, { eval: true, workerData });
}
