import { test } from "node:test";
import assert from "node:assert/strict";
import {
  computeOptimalForBudget, computeOptimalForLoss, lifetimeAt, lifetimeBudgetOptimum, lifetimeOptimum, lifetimeStrategies,
  studentSearchRange, servedTokens, LIFETIME_MIN_TOKENS_PER_PARAMETER,
} from "../src/core/questions/lifetime.js";
import { supervisedComputeOptimal } from "../src/core/allocation/optimizer.js";
import { solveStrategy } from "../src/core/allocation/strategy.js";

const NAMED = lifetimeStrategies(4).filter((s) => typeof s.strategy === "string");
const ALL = lifetimeStrategies(4);

test("with nothing served, the supervised lifetime optimum is the compute-optimal model", () => {
  for (const L of [2.2, 2.4, 2.6]) {
    const [r] = lifetimeOptimum(L, 0, NAMED.slice(0, 1));
    assert.equal(r.status, "optimal");
    if (r.status !== "optimal") continue;
    // The compute-optimal model for the budget it needs (Eq. 2 searched by supervisedComputeOptimal).
    const chinchilla = supervisedComputeOptimal(r.lifetime.total);
    assert.ok(Math.abs(chinchilla.parameters / r.studentParameters - 1) < 1e-4, `${chinchilla.parameters} vs ${r.studentParameters}`);
    assert.ok(Math.abs(chinchilla.loss - L) < 1e-9);
    assert.equal(r.lifetime.serving, 0);
    assert.ok(Math.abs(computeOptimalForLoss(L).parameters / r.studentParameters - 1) < 1e-4);
  }
});

test("the converse with nothing served is the compute-optimal model for the budget", () => {
  const [r] = lifetimeBudgetOptimum(1e22, 0, NAMED.slice(0, 1));
  assert.equal(r.status, "optimal");
  if (r.status !== "optimal") return;
  const reference = computeOptimalForBudget(1e22);
  assert.ok(Math.abs(reference.parameters / r.studentParameters - 1) < 1e-4);
  assert.ok(Math.abs(reference.loss - r.studentLoss) < 1e-9);
});

test("the optimum is never worse than a dense grid of student sizes by more than 1e-6 relative", () => {
  for (const [L, T] of [[2.3, 0], [2.3, 1e12], [2.5, 1e13]] as const) {
    const results = lifetimeOptimum(L, T, ALL);
    const [a, b] = studentSearchRange(L);
    for (const r of results) {
      assert.equal(r.status, "optimal", `${r.id} L=${L} T=${T}`);
      if (r.status !== "optimal") continue;
      let best = Infinity;
      // 200 sizes over the search range and 40 beyond it on either side (to the bounds).
      const grid = [
        ...Array.from({ length: 200 }, (_, i) => Math.exp(a + ((b - a) * i) / 199)),
        ...Array.from({ length: 40 }, (_, i) => Math.exp(Math.log(1e6) + ((a - Math.log(1e6)) * i) / 40)),
        ...Array.from({ length: 40 }, (_, i) => Math.exp(b + ((Math.log(1e17) - b) * (i + 1)) / 40)),
      ];
      for (const N of grid) {
        const at = lifetimeAt(N, L, T, r.strategy);
        if (at) best = Math.min(best, at.lifetime.total);
      }
      assert.ok(r.lifetime.total <= best * (1 + 1e-6), `${r.id} L=${L} T=${T}: ${r.lifetime.total} > grid ${best}`);
    }
  }
});

test("as T grows the optimal student gets smaller and is trained on more tokens per parameter", () => {
  const Ts = [0, 1e11, 1e12, 1e13, 1e14];
  for (const strategy of ALL) {
    const optima = Ts.map((T) => lifetimeOptimum(2.3, T, [strategy])[0]);
    for (let i = 1; i < optima.length; i++) {
      const [p, q] = [optima[i - 1], optima[i]];
      assert.ok(p.status === "optimal" && q.status === "optimal");
      if (p.status !== "optimal" || q.status !== "optimal") continue;
      assert.ok(q.studentParameters < p.studentParameters, `${strategy.id}: N at T=${Ts[i]} not below T=${Ts[i - 1]}`);
      // Strictly more tokens per parameter, except while both sit on the floor of one token per
      // parameter (an existing teacher's extrapolated optimum at small T).
      const floor = LIFETIME_MIN_TOKENS_PER_PARAMETER * (1 + 1e-9);
      if (p.tokensPerParameter <= floor && q.tokensPerParameter <= floor) continue;
      assert.ok(q.tokensPerParameter > p.tokensPerParameter, `${strategy.id}: D/N at T=${Ts[i]} not above T=${Ts[i - 1]}`);
    }
  }
});

test("the lifetime split adds up, serving is F(N_S) T, and the converse's allocation is the planner's", () => {
  const [r] = lifetimeOptimum(2.4, 1e12, NAMED.slice(2, 3));
  assert.equal(r.status, "optimal");
  if (r.status !== "optimal") return;
  const { studentTraining, teacherLogits, teacherPretraining, serving, total } = r.lifetime;
  assert.ok(Math.abs(studentTraining + teacherLogits + teacherPretraining + serving - total) / total < 1e-12);
  const [c] = lifetimeBudgetOptimum(1e22, 1e12, ALL.slice(3, 4));
  assert.equal(c.status, "optimal");
  if (c.status !== "optimal") return;
  const again = solveStrategy(c.studentParameters, c.lifetime.total - c.lifetime.serving, c.strategy);
  assert.equal(again.status, "optimal");
  if (again.status === "optimal") assert.ok(Math.abs(again.studentLoss - c.studentLoss) < 1e-12);
  assert.ok(Math.abs(c.lifetime.total / 1e22 - 1) < 1e-9);
});

test("bad inputs throw naming them", () => {
  assert.throws(() => lifetimeOptimum(2.4, -1), /served tokens/);
  assert.throws(() => lifetimeOptimum(1.1, 0), /irreducible/);
  assert.throws(() => lifetimeBudgetOptimum(0, 0), /lifetime budget/);
  assert.equal(servedTokens(1e9, 365), 3.65e11);
});
