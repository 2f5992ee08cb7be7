import { test } from "node:test";
import assert from "node:assert/strict";
import { targetLossCompute, strategyFloor, efficiencyCurve } from "../src/core/questions/targetLoss.js";
import { solveStrategy, type Strategy } from "../src/core/allocation/strategy.js";
import { TABLE6, supervisedLoss } from "../src/core/laws/laws.js";
import { forwardFlopsFunction } from "../src/core/laws/flops.js";
import { resolveSolverContext } from "../src/core/allocation/optimizer.js";

const NAMED: Strategy[] = ["best-case", "teacher-inference", "teacher-pretraining", "teacher-pretraining-inference"];
const F = forwardFlopsFunction();

/** L_S* at a budget, or Infinity when the budget is infeasible (which reaches nothing). */
function plannedLoss(NS: number, C: number, strategy: Strategy): number {
  const r = solveStrategy(NS, C, strategy);
  return r.status === "optimal" ? r.studentLoss : Infinity;
}

test("supervised target compute is the closed-form inverse of Eq. 1", () => {
  const s = TABLE6.supervised;
  for (const NS of [2e8, 5e8, 1e10]) {
    for (const L of [2.4, 2.6, 3.0]) {
      const r = targetLossCompute(NS, L, "supervised");
      assert.equal(r.status, "optimal");
      if (r.status !== "optimal") continue;
      // Independent inverse: (L - E)^(1/gamma) = A/N^alpha + B/D^beta.
      const D = Math.pow(s.B / (Math.pow(L - s.E, 1 / s.gamma) - s.A / Math.pow(NS, s.alpha)), 1 / s.beta);
      assert.ok(Math.abs(r.studentTokens / D - 1) < 1e-12);
      assert.ok(Math.abs(r.compute / (3 * F(NS) * D) - 1) < 1e-12);
      assert.ok(Math.abs(supervisedLoss(s, NS, r.studentTokens) - L) < 1e-12);
    }
  }
});

test("planning with the returned compute reaches the target within 1e-6 nats, and 1% less compute does not", () => {
  const cases: [number, number][] = [[5e8, 2.4], [5e8, 2.6], [1e10, 2.2], [1e10, 2.4], [2e8, 2.4], [7e10, 2.2], [3e9, 2.5], [1.82e9, 2.35]];
  let checked = 0;
  for (const [NS, L] of cases) {
    for (const strategy of ["supervised", ...NAMED] as Strategy[]) {
      const r = targetLossCompute(NS, L, strategy);
      assert.equal(r.status, "optimal", `${NS} ${L} ${strategy}`);
      if (r.status !== "optimal") continue;
      const reached = plannedLoss(NS, r.compute, strategy);
      assert.ok(reached <= L + 1e-6, `${strategy} N_S=${NS} L*=${L}: planned ${reached} at C=${r.compute}`);
      const less = plannedLoss(NS, 0.99 * r.compute, strategy);
      assert.ok(less > L, `${strategy} N_S=${NS} L*=${L}: 1% less compute still reaches ${less}`);
      // The allocation spends what it says and reaches the target itself.
      assert.ok(Math.abs(r.flops.total / r.compute - 1) < 1e-12);
      assert.ok(r.studentLoss <= L + 1e-9);
      checked++;
    }
  }
  assert.equal(checked, cases.length * 5);
});

test("weights strategies (a teacher shared by k students): the returned compute reaches the target, 1% less does not", () => {
  const shared: Strategy[] = [
    { kind: "weights", deltaLogits: 1, deltaPretraining: 0.25 },
    { kind: "weights", deltaLogits: 0.25, deltaPretraining: 0.25 },
    { kind: "weights", deltaLogits: 0.5, deltaPretraining: 0.1 },
  ];
  for (const [NS, L] of [[5e8, 2.4], [1e10, 2.2], [1.82e9, 2.5]] as [number, number][]) {
    let previous = Infinity;
    for (const strategy of shared) {
      const r = targetLossCompute(NS, L, strategy);
      assert.equal(r.status, "optimal");
      if (r.status !== "optimal") continue;
      assert.ok(plannedLoss(NS, r.compute, strategy) <= L + 1e-6, `${JSON.stringify(strategy)} N_S=${NS}`);
      assert.ok(plannedLoss(NS, 0.99 * r.compute, strategy) > L, `${JSON.stringify(strategy)} N_S=${NS}: 1% less reaches`);
      previous = r.compute;
    }
    assert.ok(Number.isFinite(previous));
  }
  // Between the corners: the least compute grows with delta_pre (teacher-inference to pretraining + inference).
  const computes = [0, 0.1, 0.25, 0.5, 1].map((dp) => {
    const r = targetLossCompute(1e10, 2.2, { kind: "weights", deltaLogits: 1, deltaPretraining: dp });
    return r.status === "optimal" ? r.compute : NaN;
  });
  for (let i = 1; i < computes.length; i++) assert.ok(computes[i] >= computes[i - 1] * (1 - 1e-9), `not monotone: ${computes}`);
});

test("a target below the floor is unreachable, with the floor; the floor itself is reached", () => {
  for (const strategy of ["supervised", ...NAMED] as Strategy[]) {
    const floor = strategyFloor(resolveSolverContext(), 2e8, strategy);
    const below = targetLossCompute(2e8, floor - 1e-3, strategy);
    assert.equal(below.status, "unreachable");
    if (below.status === "unreachable") {
      assert.equal(below.floor, floor);
      assert.match(below.message, /below the lowest loss/);
    }
    assert.equal(targetLossCompute(2e8, floor + 1e-3, strategy).status, "optimal");
  }
  // Supervised floor within the bounds: D = 1e17.
  assert.equal(strategyFloor(resolveSolverContext(), 2e8, "supervised"), supervisedLoss(TABLE6.supervised, 2e8, 1e17));
});

test("the efficiency curve's points agree with the target-loss solver", () => {
  const NS = 1e10;
  const budgets = [1e20, 3e20, 1e21, 3e21];
  for (const strategy of ["teacher-inference", "teacher-pretraining-inference"] as Strategy[]) {
    const solutions = budgets.map((C) => solveStrategy(NS, C, strategy)).flatMap((s) => (s.status === "optimal" ? [s] : []));
    const points = efficiencyCurve(NS, solutions);
    assert.ok(points.length >= 3);
    for (const p of points) {
      const direct = targetLossCompute(NS, p.targetLoss, strategy);
      const supervised = targetLossCompute(NS, p.targetLoss, "supervised");
      assert.equal(direct.status, "optimal");
      if (direct.status !== "optimal" || supervised.status !== "optimal") continue;
      assert.ok(Math.abs(direct.compute / p.compute - 1) < 1e-3, `${strategy} ${p.compute} vs ${direct.compute}`);
      assert.ok(Math.abs(p.computeRatio - direct.compute / supervised.compute) / p.computeRatio < 1e-3);
    }
  }
});

test("bad arguments throw naming the argument", () => {
  assert.throws(() => targetLossCompute(-1, 2.4, "supervised"), /student parameters/);
  assert.throws(() => targetLossCompute(1e9, Number.NaN, "supervised"), /target loss/);
  assert.throws(() => targetLossCompute(1e9, 2.4, { kind: "weights", deltaLogits: 2, deltaPretraining: 0 }), /deltaLogits/);
});
