// What each worker of the ensemble pool does, as a plain object (exposed with comlink by
// ensembleWorker.ts, called directly by the Node tests): it keeps each ensemble it is sent, and per
// request solves a range of its members for one registered question and one or more inputs, in
// chunks that yield to the event loop so that a cancel sent meanwhile is seen within one chunk.

import type { EnsembleMember } from "../core/ensemble/ensemble.js";
import type { EnsembleQuestion, QuestionContext } from "../core/ensemble/question.js";
import { prepareQuestion } from "../core/ensemble/runner.js";
import { ensembleQuestion, type QuestionName } from "../core/uncertainty/questions.js";

/**
 * Work between two looks at the message queue: long enough that yielding costs little (a planner
 * member takes about a millisecond), short enough for a prompt cancel (a Figure 8 member takes
 * a few hundred: one member per chunk).
 */
const CHUNK_MILLISECONDS = 40;
/** Ensembles kept per worker: the page's set and a few it switched between. */
const KEPT_ENSEMBLES = 4;

export interface SliceRequest {
  /** Numbered by the pool; `cancel(id)` stops it. */
  id: number;
  question: QuestionName;
  /** Several inputs (the planner's sweep) are solved member by member in one pass. */
  inputs: unknown[];
  /** Each input's preparation, or null: the worker prepares them and sends them back. */
  prepared: unknown[] | null;
  context: QuestionContext;
  /** The key the ensemble was kept under (the set's id and a content hash). */
  ensemble: string;
  /** Members first..last-1, in order. */
  first: number;
  last: number;
}

export type SliceOutcome =
  /** `outcomes[k]`: input k's outcomes of the range's members, in order; `prepared` when the worker prepared. */
  | { kind: "solved"; outcomes: unknown[][]; prepared: unknown[] | null }
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
  const remember = (key: string, members: EnsembleMember[]) => {
    // Most recently used last: the first key is the one to drop.
    ensembles.delete(key);
    ensembles.set(key, members);
    while (ensembles.size > KEPT_ENSEMBLES) ensembles.delete(ensembles.keys().next().value!);
  };
  return {
    keep: remember,
    async solve({ id, question: name, inputs, prepared: given, context, ensemble: key, first, last }, onProgress) {
      const members = ensembles.get(key);
      if (!members) return { kind: "missing" };
      if (!(0 <= first && first <= last && last <= members.length)) throw new RangeError(`members ${first}..${last} outside the ensemble's ${members.length}`);
      remember(key, members);
      const question = ensembleQuestion(name) as EnsembleQuestion<unknown, unknown, unknown, unknown>;
      cancelled.set(id, false);
      try {
        const prepared = given ?? inputs.map((input) => prepareQuestion(question, input, context));
        const outcomes = inputs.map((): unknown[] => []);
        for (let next = first; next < last;) {
          const chunkStart = performance.now();
          do {
            const member = members[next++];
            inputs.forEach((input, k) => outcomes[k].push(question.solveMember(member, input, prepared[k])));
          } while (next < last && performance.now() - chunkStart < CHUNK_MILLISECONDS);
          onProgress?.(next - first);
          await yieldToMessages();
          if (cancelled.get(id)) return { kind: "cancelled" };
        }
        return { kind: "solved", outcomes, prepared: given ? null : prepared };
      } finally {
        cancelled.delete(id);
      }
    },
    cancel(id) {
      if (cancelled.has(id)) cancelled.set(id, true);
    },
  };
}
