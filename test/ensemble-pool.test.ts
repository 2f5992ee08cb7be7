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
import { targetLossUncertainty } from "../src/core/uncertainty/targetLossUncertainty.js";
import { lifetimeAnswer, lifetimeStrategies } from "../src/core/questions/lifetime.js";
import { lifetimeUncertainty } from "../src/core/uncertainty/lifetimeUncertainty.js";
import { computeEfficiencyBands, efficiencyGrid, EFFICIENCY_TOKENS_PER_PARAMETER } from "../src/core/uncertainty/efficiencyBands.js";
import { computeFigure8Bands } from "../src/core/uncertainty/figure8Bands.js";
import type { CurveGrid } from "../src/core/uncertainty/curveBands.js";
import { paperEnsemble } from "../src/cli/ensembleFile.js";
import { ensembleKey, ensemblePool, poolWorkerCount, type BandProgress, type PoolEndpoint } from "../src/workers/ensemblePool.js";
import { poolWorkerApi, type PoolWorkerApi } from "../src/workers/poolSlices.js";

const shipped = paperEnsemble();
const ensemble = (count: number): CoefficientEnsemble => ({ ...shipped, members: shipped.members.slice(0, count) });
const SET = "table6";

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

test("the planner's bands and sweep bands through the pool equal the core's one-thread computation", async () => {
  const members = ensemble(7);
  const plan = (studentParameters: number, budget: number) => {
    const pointRows = planAllocations({ studentParameters, budget });
    return { inputs: { studentParameters, budget, strategies: STRATEGIES.map((s) => s.id), bounds: DEFAULT_BOUNDS }, pointRows };
  };
  const one = plan(1.821e9, 1e22);
  for (const workers of [1, 3]) {
    const { pool } = testPool(workers);
    const progress: BandProgress[] = [];
    const pooled = await pool.run("plan", one, { id: SET, ensemble: members }, { onProgress: (p) => progress.push(p) });
    assert.deepEqual(pooled, planUncertainty(one.inputs, one.pointRows, members), `${workers} workers`);
    assert.deepEqual(progress.at(-1), { done: 7, total: 7 });
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].done >= progress[i - 1].done);
    const sweep = [one, plan(5.46e8, 3e21), plan(7.747e9, 1e24)];
    const bands = await pool.run("planSweep", { plans: sweep }, { id: SET, ensemble: members });
    assert.deepEqual(bands, sweep.map((p) => planUncertainty(p.inputs, p.pointRows, members)));
  }
});

test("target loss, Figures 33/34, lifetime and Figure 8 through the pool equal the core's computation", async () => {
  const members = ensemble(5);
  const { pool } = testPool(2);
  const set = { id: SET, ensemble: members };

  const target = { studentParameters: 2e9, targetLoss: 2.4, strategies: [{ id: "supervised", label: "Supervised", strategy: "supervised" as const }, ...SCENARIOS.map((s) => ({ id: s.id, label: s.label, strategy: s.id }))], bounds: DEFAULT_BOUNDS };
  assert.deepEqual(await pool.run("targetLoss", target, set), targetLossUncertainty(target, members));

  const [fewest, most] = EFFICIENCY_TOKENS_PER_PARAMETER;
  const grid = efficiencyGrid([5e8, 2e9], [5e8, 2e9].flatMap((N) => SCENARIOS.map((s) => ({ studentParameters: N, strategy: s.id, fewestTokens: fewest * N, mostTokens: most * N }))), TABLE6, 3);
  assert.deepEqual(await pool.run("efficiency", grid, set), computeEfficiencyBands(members, grid));

  const inputs = { question: { targetLoss: 2.3 }, servedTokens: 1e12, strategies: lifetimeStrategies(4) };
  const point = lifetimeAnswer(inputs.question, inputs.servedTokens, inputs.strategies);
  assert.deepEqual(await pool.run("lifetime", { inputs, point }, set), lifetimeUncertainty(inputs, point, members));

  const curves: CurveGrid = { studentParameters: [1.821e9], strategies: ["supervised", "best-case", "teacher-inference"], budgets: [1e20, 1e22, 1e24] };
  assert.deepEqual(await pool.run("figure8", { coefficients: TABLE6, grid: curves }, set), computeFigure8Bands(TABLE6, members, curves));
});

test("each ensemble travels to each worker once, keyed by its set and content; a worker that dropped it gets it again", async () => {
  const members = ensemble(6);
  const { pool, calls, apis } = testPool(2);
  const one = planAllocations({ studentParameters: 1.821e9, budget: 1e22 });
  const input = { inputs: { studentParameters: 1.821e9, budget: 1e22, strategies: STRATEGIES.map((s) => s.id) }, pointRows: one };
  const first = await pool.run("plan", input, { id: SET, ensemble: members });
  // Another object with the same members: the same key, nothing sent again.
  const again = await pool.run("plan", input, { id: SET, ensemble: { ...members, members: structuredClone(members.members) } });
  assert.deepEqual(again, first);
  assert.deepEqual(calls.map((c) => [c.keep, c.solve]), [[1, 2], [1, 2]]);
  assert.notEqual(ensembleKey({ id: SET, ensemble: members }), ensembleKey({ id: SET, ensemble: ensemble(5) }));
  assert.notEqual(ensembleKey({ id: SET, ensemble: members }), ensembleKey({ id: "other", ensemble: members }));
  // A worker keeps four ensembles: after four others, the first is sent again when asked for.
  for (let k = 0; k < 4; k++) apis[0].keep(`filler-${k}`, []);
  assert.deepEqual(await pool.run("plan", input, { id: SET, ensemble: members }), first);
  assert.deepEqual(calls.map((c) => c.keep), [2, 1]);
});

test("a newer request in the same slot, or an aborted signal, resolves null; other slots run on", async () => {
  const members = ensemble(40);
  const { pool, calls } = testPool(2);
  const rows = (budget: number) => planAllocations({ studentParameters: 1.821e9, budget });
  const input = (budget: number) => ({ inputs: { studentParameters: 1.821e9, budget, strategies: STRATEGIES.map((s) => s.id) }, pointRows: rows(budget) });
  const set = { id: SET, ensemble: members };
  const superseded = pool.run("plan", input(1e22), set, { slot: "bands" });
  const other = pool.run("plan", input(1e21), set, { slot: "sweep" });
  const newer = pool.run("plan", input(1e23), set, { slot: "bands" });
  assert.equal(await superseded, null);
  assert.ok(calls.every((c) => c.cancel >= 1), "the superseded slices were cancelled in the workers");
  assert.deepEqual(await newer, planUncertainty(input(1e23).inputs, input(1e23).pointRows, members));
  assert.deepEqual(await other, planUncertainty(input(1e21).inputs, input(1e21).pointRows, members));

  const controller = new AbortController();
  const aborted = pool.run("plan", input(1e22), set, { signal: controller.signal });
  controller.abort();
  assert.equal(await aborted, null);
  assert.equal(await pool.run("plan", input(1e22), set, { signal: AbortSignal.abort() }), null);
  await assert.rejects(pool.run("nonsense" as "plan", input(1e22), set), /no ensemble question named "nonsense"/);
  await assert.rejects(pool.run("plan", input(1e22), { id: SET, ensemble: ensemble(0) }), /ensemble of "table6" has no members/);
});

test("a worker stops a cancelled slice within a chunk: fewer members solved than asked", async () => {
  const api = poolWorkerApi();
  api.keep("k", ensemble(60).members);
  const rows = planAllocations({ studentParameters: 1.821e9, budget: 1e22 });
  let seen = 0;
  const running = api.solve({ id: 1, question: "plan", input: { inputs: { studentParameters: 1.821e9, budget: 1e22, strategies: STRATEGIES.map((s) => s.id) }, pointRows: rows }, ensemble: "k", first: 0, last: 60 },
    (done) => { seen = done; api.cancel(1); });
  assert.deepEqual(await running, { kind: "cancelled" });
  assert.ok(seen > 0 && seen < 60, `${seen} members solved before the cancel was seen`);
  assert.deepEqual(await api.solve({ id: 2, question: "plan", input: null, ensemble: "absent", first: 0, last: 1 }), { kind: "missing" });
});
