// The inline ensemble runner: prepares a question once, solves members (all at once, or in chunks
// that yield between them so that progress shows and a cancellation is seen), and summarises.
// Pure: the worker runners (src/node/questionThreads.ts, the browser pool) call the same
// functions on their range of members.

import type { EnsembleMember } from "./ensemble.js";
import type { EnsembleQuestion, MemberRange, QuestionContext } from "./question.js";

export interface SolveOptions {
  /** Members solved so far (of the range) and the range's size; called after each chunk. */
  onProgress?: (done: number, total: number) => void;
  /** Checked before each chunk and at the end: true abandons the run (the result is null). */
  isCancelled?: () => boolean;
  /** Members between two progress reports and cancellation checks (default 10). */
  chunk?: number;
}

export const DEFAULT_CHUNK = 10;

// The core has neither DOM nor Node types; every environment it runs in has a global setTimeout.
const nextTask = () => new Promise<void>((resolve) => (globalThis as unknown as { setTimeout(f: () => void, ms: number): unknown }).setTimeout(resolve, 0));

/** Whatever `prepare` gives, or undefined for a question without one. */
export function prepareQuestion<I, P, O, S>(question: EnsembleQuestion<I, P, O, S>, input: I, context: QuestionContext): P {
  return question.prepare ? question.prepare(input, context) : (undefined as P);
}

function rangeOf(members: readonly EnsembleMember[], range?: MemberRange): MemberRange {
  return range ?? { first: 0, count: members.length };
}

/** Solves chunk after chunk, pausing after each; returns the outcomes, or null once cancelled. */
function* chunked<I, P, O, S>(
  question: EnsembleQuestion<I, P, O, S>, input: I, prepared: P, members: readonly EnsembleMember[],
  range: MemberRange | undefined, { onProgress, isCancelled, chunk = DEFAULT_CHUNK }: SolveOptions,
): Generator<void, O[] | null> {
  const { first, count } = rangeOf(members, range);
  const outcomes: O[] = [];
  for (let start = 0; start < count; start += chunk) {
    if (isCancelled?.()) return null;
    const end = Math.min(count, start + chunk);
    for (let i = start; i < end; i++) outcomes.push(question.solveMember(members[first + i], input, prepared));
    onProgress?.(end, count);
    yield;
  }
  return isCancelled?.() ? null : outcomes;
}

/** Solves the members of `range` (default all) in one go; null if cancelled. */
export function solveMembers<I, P, O, S>(
  question: EnsembleQuestion<I, P, O, S>, input: I, prepared: P, members: readonly EnsembleMember[],
  range?: MemberRange, options: SolveOptions = {},
): O[] | null {
  const steps = chunked(question, input, prepared, members, range, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** As solveMembers, yielding to the event loop after each chunk (a superseding message is seen within one chunk). */
export async function solveMembersInChunks<I, P, O, S>(
  question: EnsembleQuestion<I, P, O, S>, input: I, prepared: P, members: readonly EnsembleMember[],
  range?: MemberRange, options: SolveOptions = {},
): Promise<O[] | null> {
  const steps = chunked(question, input, prepared, members, range, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTask();
  }
}

/** The whole question in one call: prepare, every member, summarise (CLI, tests). Null only if cancelled. */
export function runQuestion<I, P, O, S>(
  question: EnsembleQuestion<I, P, O, S>, input: I, context: QuestionContext, members: readonly EnsembleMember[],
  options: SolveOptions & { prepared?: P } = {},
): S {
  const prepared = "prepared" in options ? options.prepared as P : prepareQuestion(question, input, context);
  const outcomes = solveMembers(question, input, prepared, members, undefined, options);
  if (outcomes === null) throw new Error(`${question.name}: cancelled`);
  return question.summarise(outcomes, input, prepared, context);
}

/** runQuestion in chunks; null when cancelled. */
export async function runQuestionInChunks<I, P, O, S>(
  question: EnsembleQuestion<I, P, O, S>, input: I, context: QuestionContext, members: readonly EnsembleMember[],
  options: SolveOptions & { prepared?: P } = {},
): Promise<S | null> {
  const prepared = "prepared" in options ? options.prepared as P : prepareQuestion(question, input, context);
  const outcomes = await solveMembersInChunks(question, input, prepared, members, undefined, options);
  return outcomes === null ? null : question.summarise(outcomes, input, prepared, context);
}
