// The Node runner of ensemble questions (the build-time loaders, `npm run bench`): the members are
// split into contiguous ranges (memberRanges), each solved in its own worker thread by the
// registered question, and the outcomes joined in member order, so the summary equals the inline
// runner's (runQuestion).

import { availableParallelism } from "node:os";
import type { EnsembleMember } from "../core/ensemble/ensemble.js";
import { memberRanges, type QuestionContext } from "../core/ensemble/question.js";
import { prepareQuestion } from "../core/ensemble/runner.js";
import {
  ensembleQuestion, type QuestionInput, type QuestionName, type QuestionOutcome, type QuestionPrepared, type QuestionSummary,
} from "../core/uncertainty/questions.js";
import { startTsWorker } from "./tsxWorker.js";

/** What one thread receives: the question's name, its input and preparation, and its members. */
export interface QuestionTask {
  name: QuestionName;
  input: unknown;
  prepared: unknown;
  members: EnsembleMember[];
}

/** What a thread posts for each member of its range (index within the range). */
export interface MemberMessage {
  index: number;
  outcome: unknown;
}

export interface ThreadOptions {
  /** Worker threads (default: one per core). */
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Every member's outcome of question `name`, in member order, over worker threads. */
export async function solveMembersInThreads<N extends QuestionName>(
  name: N, input: QuestionInput<N>, prepared: QuestionPrepared<N>, members: readonly EnsembleMember[],
  { threads = availableParallelism(), onProgress }: ThreadOptions = {},
): Promise<QuestionOutcome<N>[]> {
  const total = members.length;
  const outcomes = new Array<QuestionOutcome<N>>(total);
  let done = 0;
  const entry = new URL("./questionWorker.ts", import.meta.url);
  await Promise.all(memberRanges(total, threads).map(({ first, count }) => new Promise<void>((resolve, reject) => {
    const task: QuestionTask = { name, input, prepared, members: members.slice(first, first + count) };
    const worker = startTsWorker(entry, task);
    worker.on("message", (message: MemberMessage) => {
      outcomes[first + message.index] = message.outcome as QuestionOutcome<N>;
      onProgress?.(++done, total);
    });
    worker.on("error", reject);
    worker.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${name} worker for members ${first}..${first + count - 1} exited with code ${code}`))));
  })));
  return outcomes;
}

/** Question `name` over the members in worker threads: prepared once here, summarised here. */
export async function runQuestionInThreads<N extends QuestionName>(
  name: N, input: QuestionInput<N>, context: QuestionContext, members: readonly EnsembleMember[],
  options: ThreadOptions & { prepared?: QuestionPrepared<N> } = {},
): Promise<QuestionSummary<N>> {
  const question = ensembleQuestion(name);
  const prepared = "prepared" in options ? options.prepared as QuestionPrepared<N> : prepareQuestion(question as never, input, context) as QuestionPrepared<N>;
  const outcomes = await solveMembersInThreads(name, input, prepared, members, options);
  return (question.summarise as (o: unknown, i: unknown, p: unknown, c: QuestionContext) => QuestionSummary<N>)(outcomes, input, prepared, context);
}
