// What each worker of the ensemble pool does, as a plain object (exposed with comlink by
// ensembleWorker.ts, called directly by the Node tests): it keeps each ensemble it is sent, and per
// request solves a range of its members for one question, in chunks that yield to the event loop
// so that a cancel sent meanwhile is seen within one chunk.

import type { EnsembleMember } from "../core/ensemble/ensemble.js";
import { ensembleQuestion } from "./ensembleQuestions.js";

/** Work between two looks at the message queue: long enough that yielding costs little, short enough for a prompt cancel. */
const CHUNK_MILLISECONDS = 40;
/** Ensembles kept per worker: the page's set and a few it switched between. */
const KEPT_ENSEMBLES = 4;

export interface SliceRequest {
  /** Numbered by the pool; `cancel(id)` stops it. */
  id: number;
  question: string;
  input: unknown;
  /** The key the ensemble was kept under (the set's id and a content hash). */
  ensemble: string;
  /** Members first..last-1, in order. */
  first: number;
  last: number;
}

export type SliceOutcome =
  | { kind: "solved"; members: unknown[]; prepared: unknown }
  | { kind: "cancelled" }
  /** The worker no longer holds the ensemble (it kept newer ones since): send it again. */
  | { kind: "missing" };

export interface PoolWorkerApi {
  keep(key: string, members: EnsembleMember[]): void;
  solve(request: SliceRequest, onProgress?: (done: number) => void): Promise<SliceOutcome>;
  cancel(id: number): void;
}

const yieldToMessages = () => new Promise((resolve) => setTimeout(resolve, 0));

export function poolWorkerApi(): PoolWorkerApi {
  const ensembles = new Map<string, EnsembleMember[]>();
  const cancelled = new Map<number, boolean>();
  return {
    keep(key, members) {
      ensembles.delete(key);
      ensembles.set(key, members);
      while (ensembles.size > KEPT_ENSEMBLES) ensembles.delete(ensembles.keys().next().value!);
    },
    async solve({ id, question: name, input, ensemble: key, first, last }, onProgress) {
      const members = ensembles.get(key);
      if (!members) return { kind: "missing" };
      if (!(0 <= first && first <= last && last <= members.length)) throw new RangeError(`members ${first}..${last} outside the ensemble's ${members.length}`);
      // Most recently used last: the first key is the one to drop.
      ensembles.delete(key);
      ensembles.set(key, members);
      const question = ensembleQuestion(name);
      cancelled.set(id, false);
      try {
        const prepared = question.prepare(input);
        const solved: unknown[] = [];
        for (let next = first; next < last;) {
          const chunkStart = performance.now();
          do solved.push(question.solveMember(input, members[next++], prepared));
          while (next < last && performance.now() - chunkStart < CHUNK_MILLISECONDS);
          onProgress?.(solved.length);
          await yieldToMessages();
          if (cancelled.get(id)) return { kind: "cancelled" };
        }
        return { kind: "solved", members: solved, prepared };
      } finally {
        cancelled.delete(id);
      }
    },
    cancel(id) {
      if (cancelled.has(id)) cancelled.set(id, true);
    },
  };
}
