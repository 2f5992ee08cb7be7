// The browser's ensemble worker pool, run in Node with its workers' API called in-process: every
// question's summary equals the core's one-thread computation over the same members (merged in
// member order whatever the worker count), each ensemble travels to a worker once, a newer request
// in the same slot or an aborted signal resolves null, and progress counts up to every member.

import { test } from "node:test";
import assert from "node:assert/strict";
import { TABLE6 } from "../src/core/laws/laws.js";
import { SCENARIOS } from "../src/core/laws/scenarios.js";
import type { CoefficientEnsemble } from "../src/core/ensemble/ensemble.js";
import { planAllocations, STRATEGIES } from "../src/core/allocation/plan.js";
import { DEFAULT_BOUNDS } from "../src/core/allocation/optimizer.js";
import { planUncertainty } from "../src/core/uncertainty/planUncertainty.js";
import { lifetimeStrategies } from "../src/core/questions/lifetime.js";
import { efficiencyGrid, EFFICIENCY_TOKENS_PER_PARAMETER } from "../src/core/uncertainty/efficiencyBands.js";
import type { CurveGrid } from "../src/core/uncertainty/curveBands.js";
import { runQuestion } from "../src/core/ensemble/runner.js";
import { ensembleQuestion, type QuestionInput, type QuestionName } from "../src/core/uncertainty/questions.js";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import { paperEnsemble } from "../src/cli/ensembleFile.js";
import { ensembleKey, ensemblePool, poolWorkerCount, type BandProgress, type PoolCoefficientSet, type PoolEndpoint } from "../src/workers/ensemblePool.js";
import { poolWorkerApi, type PoolWorkerApi } from "../src/workers/poolSlices.js";

const shipped = paperEnsemble();
const ensemble = (count: number): CoefficientEnsemble => ({ ...shipped, members: shipped.members.slice(0, count) });
const setOf = (members: CoefficientEnsemble, id = "paper"): PoolCoefficientSet => ({ ...TABLE6, id, domain: paperDomain(), ensemble: members });

/** The core's inline runner over the same set: what every pooled summary must equal. */
function inline<Q extends QuestionName>(name: Q, input: QuestionInput<Q>, set: PoolCoefficientSet) {
  const { kind, description, leftOut, requested, implausible, implausibleReason } = set.ensemble;
  const question = ensembleQuestion(name) as Parameters<typeof runQuestion>[0];
  const ensemble = { kind, description, leftOut, requested, implausible, implausibleReason };
  return runQuestion(question, input, { point: TABLE6, domain: set.domain ?? null, ensemble }, set.ensemble.members);
}

/** A pool whose workers are in-process APIs; `calls` counts what each was sent. */
function testPool(workers: number) {
  const calls: { keep: number; solve: number; cancel: number }[] = [];
  const apis: PoolWorkerApi[] = [];
  const start = (): PoolEndpoint => {
    const api = poolWorkerApi();
    const count = { keep: 0, solve: 0, cancel: 0 };
    calls.push(count);
    apis.push(api);
    return {
      api: {
        keep: (key, members) => (count.keep++, api.keep(key, structuredClone(members))),
        // Structured clone as postMessage does: what crosses must be plain data.
        solve: (request, onProgress) => (count.solve++, api.solve(structuredClone(request), onProgress)),
        cancel: (id) => (count.cancel++, api.cancel(id)),
      },
      terminate() {},
    };
  };
  return { pool: ensemblePool({ workers, start, callback: (f) => f }), calls, apis };
}

test("one worker count: every core on one or two, one left for the page beyond, at most six", () => {
  assert.deepEqual([1, 2, 3, 4, 8, 16].map((c) => poolWorkerCount(c)), [1, 2, 2, 3, 6, 6]);
});

const planInput = (studentParameters: number, budget: number) => ({ studentParameters, budget, strategies: STRATEGIES.map((x) => x.id), bounds: DEFAULT_BOUNDS });

test("the planner's bands and sweep bands through the pool equal the core's inline runner and planUncertainty", async () => {
  const set = setOf(ensemble(7));
  const one = planInput(1.821e9, 1e22);
  for (const workers of [1, 3]) {
    const { pool } = testPool(workers);
    const progress: BandProgress[] = [];
    const pooled = await pool.run("plan", one, set, { onProgress: (p) => progress.push(p) });
    assert.deepEqual(pooled, inline("plan", one, set), `${workers} workers`);
    assert.deepEqual(pooled, planUncertainty(one, planAllocations(one), set.ensemble, { domain: set.domain }));
    assert.deepEqual(progress.at(-1), { done: 7, total: 7 });
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].done >= progress[i - 1].done);
    // Prepared on the page (the planner's point rows) or in the workers: the same summary.
    assert.deepEqual(await pool.run("plan", one, set, { prepared: [{ pointRows: planAllocations(one) }] }), pooled);
    const sweep = [one, planInput(5.46e8, 3e21), planInput(7.747e9, 1e24)];
    assert.deepEqual(await pool.runEach("plan", sweep, set), sweep.map((input) => inline("plan", input, set)));
  }
});

test("target loss, Figures 33/34, lifetime and Figure 8 through the pool equal the core's inline runner", async () => {
  const set = setOf(ensemble(5));
  const { pool } = testPool(2);

  const target = { studentParameters: 2e9, targetLoss: 2.4, strategies: [{ id: "supervised", label: "Supervised", strategy: "supervised" as const }, ...SCENARIOS.map((s) => ({ id: s.id, label: s.label, strategy: s.id }))], bounds: DEFAULT_BOUNDS };
  assert.deepEqual(await pool.run("target-loss", target, set), inline("target-loss", target, set));

  const [fewest, most] = EFFICIENCY_TOKENS_PER_PARAMETER;
  const grid = efficiencyGrid([5e8, 2e9], [5e8, 2e9].flatMap((N) => SCENARIOS.map((s) => ({ studentParameters: N, strategy: s.id, fewestTokens: fewest * N, mostTokens: most * N }))), TABLE6, 3);
  assert.deepEqual(await pool.run("efficiency", { grid }, set), inline("efficiency", { grid }, set));

  const lifetime = { question: { targetLoss: 2.3 }, servedTokens: 1e12, strategies: lifetimeStrategies(4) };
  assert.deepEqual(await pool.run("lifetime", lifetime, set), inline("lifetime", lifetime, set));

  const curves: CurveGrid = { studentParameters: [1.821e9], strategies: ["supervised", "best-case", "teacher-inference"], budgets: [1e20, 1e22, 1e24] };
  assert.deepEqual(await pool.run("figure8", { grid: curves }, set), inline("figure8", { grid: curves }, set));
});

test("each ensemble travels to each worker once, keyed by its set and content; a worker that dropped it gets it again", async () => {
  const set = setOf(ensemble(6));
  const { pool, calls, apis } = testPool(2);
  const input = planInput(1.821e9, 1e22);
  const first = await pool.run("plan", input, set);
  // Another object with the same members: the same key, nothing sent again.
  const again = await pool.run("plan", input, { ...set, ensemble: { ...set.ensemble, members: structuredClone(set.ensemble.members) } });
  assert.deepEqual(again, first);
  assert.deepEqual(calls.map((c) => [c.keep, c.solve]), [[1, 2], [1, 2]]);
  assert.notEqual(ensembleKey(set), ensembleKey(setOf(ensemble(5))));
  assert.notEqual(ensembleKey(set), ensembleKey({ ...set, id: "other" }));
  // A worker keeps four ensembles: after four others, the first is sent again when asked for.
  for (let k = 0; k < 4; k++) apis[0].keep(`filler-${k}`, []);
  assert.deepEqual(await pool.run("plan", input, set), first);
  assert.deepEqual(calls.map((c) => c.keep), [2, 1]);
});

test("a newer request in the same slot, or an aborted signal, resolves null; other slots run on", async () => {
  const set = setOf(ensemble(40));
  const { pool, calls } = testPool(2);
  const superseded = pool.run("plan", planInput(1.821e9, 1e22), set, { slot: "bands" });
  const other = pool.run("plan", planInput(1.821e9, 1e21), set, { slot: "sweep" });
  const newer = pool.run("plan", planInput(1.821e9, 1e23), set, { slot: "bands" });
  assert.equal(await superseded, null);
  assert.ok(calls.every((c) => c.cancel >= 1), "the superseded slices were cancelled in the workers");
  assert.deepEqual(await newer, inline("plan", planInput(1.821e9, 1e23), set));
  assert.deepEqual(await other, inline("plan", planInput(1.821e9, 1e21), set));

  const controller = new AbortController();
  const aborted = pool.run("plan", planInput(1.821e9, 1e22), set, { signal: controller.signal });
  controller.abort();
  assert.equal(await aborted, null);
  assert.equal(await pool.run("plan", planInput(1.821e9, 1e22), set, { signal: AbortSignal.abort() }), null);
  await assert.rejects(pool.run("nonsense" as "plan", planInput(1.821e9, 1e22), set), /unknown ensemble question "nonsense"/);
  await assert.rejects(pool.run("plan", planInput(1.821e9, 1e22), setOf(ensemble(0))), /ensemble of "paper" has no members/);
  await assert.rejects(pool.runEach("plan", [planInput(1.821e9, 1e22)], set, { prepared: [] }), /plan: 0 preparations for 1 inputs/);
});

test("a worker stops a cancelled slice within a chunk: fewer members solved than asked", async () => {
  const api = poolWorkerApi();
  // Every shipped member: some 200 ms of solving at the fastest, several 40 ms chunks.
  const set = setOf(shipped);
  const total = shipped.members.length;
  api.keep("k", set.ensemble.members);
  const { kind, description, leftOut, requested } = set.ensemble;
  const request = {
    id: 1, question: "plan" as const, inputs: [planInput(1.821e9, 1e22)], prepared: null,
    context: { point: TABLE6, domain: null, ensemble: { kind, description, leftOut, requested } }, ensemble: "k", first: 0, last: total,
  };
  let seen = 0;
  const running = api.solve(request, (done) => { seen = done; api.cancel(1); });
  assert.deepEqual(await running, { kind: "cancelled" });
  assert.ok(seen > 0 && seen < total, `${seen} of ${total} members solved before the cancel was seen`);
  assert.deepEqual(await api.solve({ ...request, id: 2, ensemble: "absent" }), { kind: "missing" });
});
