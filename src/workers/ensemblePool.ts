// The browser's one pool of ensemble workers. Each worker keeps every coefficient ensemble it is
// sent (once, under the set's id and a hash of its members) and per request receives only the
// registered question's name (src/core/uncertainty/questions.ts), its input, the set's context and
// a range of members. A request splits the members over the workers, reports the members done,
// joins the slices in member order and summarises them here (summaries are cheap; solving members
// is not). A newer request in the same slot, or an abort of the request's signal, cancels it: its
// workers stop within a chunk and its promise resolves null.

import * as Comlink from "comlink";
import type { CoefficientEnsemble, EnsembleMember } from "../core/ensemble/ensemble.js";
import { memberRanges, type EnsembleQuestion, type QuestionContext } from "../core/ensemble/question.js";
import type { ValidityDomain } from "../core/domain/validity.js";
import type { LawCoefficients } from "../core/allocation/optimizer.js";
import {
  ensembleQuestion, type QuestionInput, type QuestionName, type QuestionPrepared, type QuestionSummary,
} from "../core/uncertainty/questions.js";
import type { PoolWorkerApi, SliceOutcome, SliceRequest } from "./poolSlices.js";

/** Members done of the request's total, over all workers. */
export interface BandProgress {
  done: number;
  total: number;
}

export interface PoolRunOptions<P> {
  /** Requests in one slot supersede each other (the planner's bands, its sweep's bands...); others run alongside. */
  slot?: string;
  signal?: AbortSignal;
  onProgress?: (progress: BandProgress) => void;
  /** Each input's preparation when the page has it at hand (the planner's point rows); else every worker prepares. */
  prepared?: P[];
}

/** The coefficient set a question runs against, with its ensemble (a page's coefficient option). */
export interface PoolCoefficientSet extends LawCoefficients {
  id: string;
  domain?: ValidityDomain | null;
  ensemble: CoefficientEnsemble;
}

export interface EnsemblePool {
  /** The question's summary over every member; null when superseded or aborted. Rejects when a worker fails. */
  run<Q extends QuestionName>(question: Q, input: QuestionInput<Q>, set: PoolCoefficientSet, options?: PoolRunOptions<QuestionPrepared<Q>>): Promise<QuestionSummary<Q> | null>;
  /** Several inputs of one question in one pass over the members (the planner's sweep): one summary each. */
  runEach<Q extends QuestionName>(question: Q, inputs: QuestionInput<Q>[], set: PoolCoefficientSet, options?: PoolRunOptions<QuestionPrepared<Q>>): Promise<QuestionSummary<Q>[] | null>;
  /** Cancels the slot's running request, if any. */
  cancel(slot: string): void;
  terminate(): void;
}

/** A worker as the pool sees it: the browser's over comlink, or the API itself in Node tests. */
export interface PoolEndpoint {
  api: {
    keep(...args: Parameters<PoolWorkerApi["keep"]>): unknown;
    solve(...args: Parameters<PoolWorkerApi["solve"]>): Promise<SliceOutcome>;
    cancel(...args: Parameters<PoolWorkerApi["cancel"]>): unknown;
  };
  terminate(): void;
}

/**
 * Workers for a machine with `cores` logical cores. While bands compute the page's own thread
 * mostly waits, so on one or two cores every core gets a worker; beyond that one core is left to
 * the page, and more than six workers would each get too few members to repay their start.
 */
export function poolWorkerCount(cores = globalThis.navigator?.hardwareConcurrency || 2): number {
  return Math.max(1, Math.min(6, cores <= 2 ? cores : cores - 1));
}

const ensembleHashes = new WeakMap<EnsembleMember[], string>();

/** The set's id and an FNV-1a hash of its members' JSON: equal members, equal key, whichever object carries them. */
export function ensembleKey({ id, ensemble }: Pick<PoolCoefficientSet, "id" | "ensemble">): string {
  let hash = ensembleHashes.get(ensemble.members);
  if (hash === undefined) {
    const text = JSON.stringify(ensemble.members);
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    hash = `${(h >>> 0).toString(16)}-${ensemble.members.length}`;
    ensembleHashes.set(ensemble.members, hash);
  }
  return `${id}#${hash}`;
}

/** Plain data only: what crosses to a worker is structured-cloned. */
function contextOf({ supervised, distillation, domain, ensemble }: PoolCoefficientSet): QuestionContext {
  const { kind, description, leftOut, requested, borrowedLaws, implausible, implausibleReason } = ensemble;
  return {
    point: { supervised, distillation }, domain: domain ?? null,
    ensemble: { kind, description, leftOut, requested, implausible: implausible ?? 0, implausibleReason: implausibleReason ?? null, ...(borrowedLaws ? { borrowedLaws } : {}) },
  };
}

function browserWorker(): PoolEndpoint {
  const worker = new Worker(import.meta.resolve("./ensembleWorker.js"), { type: "module" });
  // The callback reaches solve as comlink's proxy (see PoolOptions.callback).
  return { api: Comlink.wrap<PoolWorkerApi>(worker) as unknown as PoolEndpoint["api"], terminate: () => worker.terminate() };
}

export interface PoolOptions {
  workers?: number;
  /** Starts one worker; called when the first request comes, so that a page's first paint never waits for workers. */
  start?: () => PoolEndpoint;
  /** Wraps a progress callback for the trip to a worker (comlink's proxy in browsers). */
  callback?: <F extends (...args: never[]) => unknown>(f: F) => F;
}

export function ensemblePool({ workers = poolWorkerCount(), start = browserWorker, callback = Comlink.proxy }: PoolOptions = {}): EnsemblePool {
  let endpoints: { endpoint: PoolEndpoint; kept: Set<string> }[] = [];
  const slots = new Map<string, AbortController>();
  let nextId = 0;

  async function solveSlice(w: number, request: SliceRequest, members: EnsembleMember[], onProgress: (done: number) => void): Promise<SliceOutcome> {
    const { endpoint, kept } = endpoints[w];
    // Calls on one worker arrive in order: no need to wait for `keep` before `solve`.
    if (!kept.has(request.ensemble)) {
      kept.add(request.ensemble);
      void endpoint.api.keep(request.ensemble, members);
    }
    const outcome = await endpoint.api.solve(request, callback(onProgress));
    if (outcome.kind !== "missing") return outcome;
    void endpoint.api.keep(request.ensemble, members);
    return endpoint.api.solve(request, callback(onProgress));
  }

  async function runEach(name: QuestionName, inputs: unknown[], set: PoolCoefficientSet, { slot, signal, onProgress, prepared }: PoolRunOptions<unknown> = {}): Promise<unknown[] | null> {
    const question = ensembleQuestion(name) as EnsembleQuestion<unknown, unknown, unknown, unknown>;
    const members = set.ensemble.members;
    const total = members.length;
    if (total === 0) throw new RangeError(`the ensemble of "${set.id}" has no members to solve`);
    if (prepared && prepared.length !== inputs.length) throw new RangeError(`${name}: ${prepared.length} preparations for ${inputs.length} inputs`);
    const controller = new AbortController();
    if (slot !== undefined) {
      slots.get(slot)?.abort();
      slots.set(slot, controller);
    }
    if (signal?.aborted) controller.abort();
    signal?.addEventListener("abort", () => controller.abort(), { once: true });
    if (controller.signal.aborted) return null;
    if (endpoints.length === 0) endpoints = Array.from({ length: workers }, () => ({ endpoint: start(), kept: new Set<string>() }));

    const context = contextOf(set);
    const key = ensembleKey(set);
    const requests = memberRanges(total, endpoints.length).map(({ first, count }): SliceRequest => ({
      id: ++nextId, question: name, inputs, prepared: prepared ?? null, context, ensemble: key, first, last: first + count,
    }));
    const done = new Array<number>(requests.length).fill(0);
    // Progress comes back on each callback's own channel and can arrive after the result: dropped once settled.
    let settled = false;
    const cancelSlices = () => requests.forEach((r, w) => void endpoints[w].endpoint.api.cancel(r.id));
    const aborted = new Promise<null>((resolve) => controller.signal.addEventListener("abort", () => {
      cancelSlices();
      resolve(null);
    }, { once: true }));
    onProgress?.({ done: 0, total });
    const slices = Promise.all(requests.map((request, w) => solveSlice(w, request, members, (n) => {
      done[w] = n;
      if (!settled) onProgress?.({ done: done.reduce((a, b) => a + b, 0), total });
    }))).then((outcomes) => {
      if (controller.signal.aborted || outcomes.some((o) => o.kind !== "solved")) return null;
      const solved = outcomes as Extract<SliceOutcome, { kind: "solved" }>[];
      const preparations = prepared ?? solved[0].prepared!;
      return inputs.map((input, k) => question.summarise(solved.flatMap((o) => o.outcomes[k]), input, preparations[k], context));
    }, (error: unknown) => {
      cancelSlices();
      throw error;
    });
    try {
      return await Promise.race([aborted, slices]);
    } finally {
      settled = true;
      if (slot !== undefined && slots.get(slot) === controller) slots.delete(slot);
    }
  }

  return {
    async run(name, input, set, options) {
      const summaries = await runEach(name, [input], set, options);
      return summaries === null ? null : summaries[0] as QuestionSummary<typeof name>;
    },
    runEach: (name, inputs, set, options) => runEach(name, inputs, set, options) as Promise<QuestionSummary<typeof name>[] | null>,
    cancel(slot) {
      slots.get(slot)?.abort();
    },
    terminate() {
      for (const controller of slots.values()) controller.abort();
      for (const { endpoint } of endpoints) endpoint.terminate();
      endpoints = [];
    },
  };
}

let shared: EnsemblePool | null = null;

/** The page's pool, shared by all its cells; its workers start with the first request. */
export function browserEnsemblePool(): EnsemblePool {
  return (shared ??= ensemblePool());
}
