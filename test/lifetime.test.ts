import { test } from "node:test";
import assert from "node:assert/strict";
import {
  computeOptimalForBudget, computeOptimalForLoss, lifetimeAt, lifetimeBudgetOptimum, lifetimeOptimum, lifetimeStrategies,
  studentSearchRange, servedTokens, LIFETIME_MIN_TOKENS_PER_PARAMETER, UNDOMAINED_TOKENS_FLOOR, describeLifetimeBounds, lifetimeTokensFloor,
} from "../src/core/questions/lifetime.js";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import { resolveSolverContext, supervisedComputeOptimal } from "../src/core/allocation/optimizer.js";
import { solveStrategy } from "../src/core/allocation/strategy.js";

const NAMED = lifetimeStrategies(4).filter((s) => typeof s.strategy === "string");
const ALL = lifetimeStrategies(4);

test("with nothing served, the supervised lifetime optimum is the compute-optimal model", () => {
  for (const L of [2.2, 2.4, 2.6]) {
    const [r] = lifetimeOptimum(L, 0, NAMED.slice(0, 1));
    assert.equal(r.status, "optimal");
    if (r.status !== "optimal") continue;
    // The compute-optimal model for the budget it needs (Eq. 2 searched by supervisedComputeOptimal).
    const chinchilla = supervisedComputeOptimal(resolveSolverContext(), r.lifetime.total);
    assert.ok(Math.abs(chinchilla.parameters / r.studentParameters - 1) < 1e-4, `${chinchilla.parameters} vs ${r.studentParameters}`);
    assert.ok(Math.abs(chinchilla.loss - L) < 1e-9);
    assert.equal(r.lifetime.serving, 0);
    assert.ok(Math.abs(computeOptimalForLoss(resolveSolverContext(), L).parameters / r.studentParameters - 1) < 1e-4);
  }
});

test("the converse with nothing served is the compute-optimal model for the budget", () => {
  const [r] = lifetimeBudgetOptimum(resolveSolverContext(), 1e22, 0, NAMED.slice(0, 1));
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
        const at = lifetimeAt(resolveSolverContext(), N, L, T, r.strategy);
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
  const [c] = lifetimeBudgetOptimum(resolveSolverContext(), 1e22, 1e12, ALL.slice(3, 4));
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
  assert.throws(() => lifetimeBudgetOptimum(resolveSolverContext(), 0, 0, lifetimeStrategies()), /lifetime budget/);
  assert.equal(servedTokens(1e9, 365), 3.65e11);
});

test("the tokens-per-parameter floor is the domain's smallest fitted D_S/N_S, and an answer on it says so", () => {
  const domain = paperDomain();
  // Table 6's design: the smallest student-tokens-per-parameter of its distillation runs, 3.13.
  assert.equal(LIFETIME_MIN_TOKENS_PER_PARAMETER, domain.distillation!.studentTokensPerParameter.min);
  assert.ok(Math.abs(LIFETIME_MIN_TOKENS_PER_PARAMETER - 3.133) < 1e-3);
  assert.equal(lifetimeTokensFloor({ ...domain, distillation: null }), domain.supervised.tokensPerParameter.min);
  assert.equal(lifetimeTokensFloor(null), UNDOMAINED_TOKENS_FLOOR);
  // At T = 0 and L* = 2.2 an existing teacher wants fewer tokens per parameter than any run had:
  // with a floor of one it answers 2.37B on 1.00 (x0.104 of supervised), with the domain's floor
  // 2.21B on 3.13 (x0.245); both answers are the floor's, and the row says so.
  const existing = ALL.slice(0, 2);
  for (const [floor, size, ratio] of [[1, 2.37e9, 0.1036], [LIFETIME_MIN_TOKENS_PER_PARAMETER, 2.21e9, 0.2452]] as const) {
    const [supervised, teacher] = lifetimeOptimum(2.2, 0, existing, floor === 1 ? { minStudentTokensPerParameter: 1 } : {});
    assert.ok(supervised.status === "optimal" && teacher.status === "optimal");
    if (supervised.status !== "optimal" || teacher.status !== "optimal") continue;
    assert.ok(Math.abs(teacher.studentParameters / size - 1) < 5e-3, `${teacher.studentParameters}`);
    assert.ok(Math.abs(teacher.lifetime.total / supervised.lifetime.total - ratio) < 5e-4, `${teacher.lifetime.total / supervised.lifetime.total}`);
    assert.ok(Math.abs(teacher.tokensPerParameter / floor - 1) < 1e-6);
    assert.equal(teacher.bounds.tokensPerParameter, "floor");
    assert.equal(teacher.bounds.tokensPerParameterFloor, floor);
    assert.equal(teacher.bounds.teacherTokens, "upper");
    assert.match(describeLifetimeBounds(teacher.bounds), new RegExp(`D_S/N_S at the floor ${floor.toPrecision(3)}; D_T at the 1e17 limit`));
    // Supervised's compute-optimal model is far above the floor: no limit named.
    assert.equal(supervised.bounds.tokensPerParameter, null);
    assert.equal(describeLifetimeBounds(supervised.bounds), "");
    // Brute force over a grid of student sizes at the same floor: none needs fewer lifetime FLOPs.
    for (let logN = Math.log(3e8); logN < Math.log(3e10); logN += 0.02) {
      const at = lifetimeAt(resolveSolverContext(), Math.exp(logN), 2.2, 0, "teacher-inference", { minStudentTokensPerParameter: floor });
      if (at) assert.ok(at.lifetime.total >= teacher.lifetime.total * (1 - 1e-9));
    }
  }
});
