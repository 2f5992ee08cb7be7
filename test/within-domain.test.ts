// The within-domain plan against an independent brute force: dense grids over the widened
// validity domain, evaluating the laws directly (Eq. 1, Eq. 8, Eq. 9), for supervised training,
// the four scenarios, the target-loss question and the lifetime question, plus the budgets
// (targets) for which an allocation inside exists and random cases.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { TABLE6, distilledLoss, supervisedLoss } from "../src/core/laws/laws.js";
import { forwardFlopsFunction } from "../src/core/laws/flops.js";
import { SCENARIOS } from "../src/core/laws/scenarios.js";
import { DEFAULT_BOUNDS, resolveSolverContext, type AllocationBox } from "../src/core/allocation/optimizer.js";
import { budgetRangeInBox } from "../src/core/allocation/feasibility.js";
import { solveStrategy, strategyWeights, type OptimalStrategy, type Strategy } from "../src/core/allocation/strategy.js";
import { targetLossCompute, type TargetLossReached } from "../src/core/questions/targetLoss.js";
import { LIFETIME_MIN_TOKENS_PER_PARAMETER, lifetimeAt, lifetimeStrategies } from "../src/core/questions/lifetime.js";
import { formatExponent } from "../src/core/inputs/units.js";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import {
  lifetimeWithinDomain, planWithinDomain, summariseLifetimeWithinDomain, targetLossWithinDomain, withinDomainBox,
} from "../src/core/domain/withinDomain.js";
import { EDGE_TOLERANCE, type ValidityDomain } from "../src/core/domain/validity.js";

const F = forwardFlopsFunction();
const DOMAIN = paperDomain();
const STRATEGIES: Strategy[] = ["supervised", ...SCENARIOS.map((s) => s.id)];
const [LO, HI] = DEFAULT_BOUNDS;

const logGrid = (a: number, b: number, n: number) =>
  Array.from({ length: n }, (_, i) => Math.exp(Math.log(a) + ((Math.log(b) - Math.log(a)) * i) / (n - 1)));
const within = (x: number, r: { min: number; max: number } | undefined, rel = 1e-9) =>
  !r || (x >= r.min * (1 - rel) && x <= r.max * (1 + rel));

/** The student-token range of a box for a student: tokens, tokens per parameter and the bounds. */
function studentTokenRange(NS: number, b: AllocationBox): [number, number] {
  return [
    Math.max(LO, b.studentTokens?.min ?? LO, (b.studentTokensPerParameter?.min ?? 0) * NS),
    Math.min(HI, b.studentTokens?.max ?? HI, (b.studentTokensPerParameter?.max ?? Infinity) * NS),
  ];
}

/** The teacher losses the best case may choose inside a box: those of teachers within the bounds, held to the box's range. */
function freeTeacherLosses(b: AllocationBox): [number, number] {
  const s = TABLE6.supervised;
  return [Math.max(supervisedLoss(s, HI, HI), b.teacherLoss?.min ?? 0), Math.min(supervisedLoss(s, LO, LO), b.teacherLoss?.max ?? Infinity)];
}

/** Every teacher (N_T, D_T, L_T) of an n x n log grid over the box's teacher ranges with L_T in its range. */
function teacherGrid(b: AllocationBox, n: number): { NT: number; DT: number; LT: number }[] {
  const teachers: { NT: number; DT: number; LT: number }[] = [];
  const nt = b.teacherParameters!, dt = b.teacherTokens!;
  for (const NT of logGrid(Math.max(LO, nt.min), Math.min(HI, nt.max), n)) {
    for (const DT of logGrid(Math.max(LO, dt.min), Math.min(HI, dt.max), n)) {
      const LT = supervisedLoss(TABLE6.supervised, NT, DT);
      if (within(LT, b.teacherLoss, 0)) teachers.push({ NT, DT, LT });
    }
  }
  return teachers;
}

/** Brute force of section 5 inside a box: the least L_S over a grid of allocations spending C exactly, and how many grid points are inside. */
function bruteBudget(NS: number, C: number, strategy: Strategy, box: ReturnType<typeof withinDomainBox>, n = 300) {
  const supervised = strategy === "supervised";
  const b = supervised ? box.supervised : box.distillation;
  const [dsLo, dsHi] = studentTokenRange(NS, b);
  if (!within(NS, b.studentParameters, EDGE_TOLERANCE)) return { loss: Infinity, inside: 0 };
  const { deltaLogits: dl, deltaPretraining: dp } = strategyWeights(strategy);
  if (dl === 0 && dp === 0) {
    const DS = C / (3 * F(NS));
    if (!(DS >= dsLo && DS <= dsHi)) return { loss: Infinity, inside: 0 };
    if (supervised) return { loss: supervisedLoss(TABLE6.supervised, NS, DS), inside: 1 };
    const [a, z] = freeTeacherLosses(b);
    let loss = Infinity;
    for (let i = 0; i < n; i++) loss = Math.min(loss, distilledLoss(TABLE6, NS, DS, a + ((z - a) * i) / (n - 1)));
    return { loss, inside: n };
  }
  let loss = Infinity, inside = 0;
  for (const { NT, DT, LT } of teacherGrid(b, n)) {
    const DS = (C - dp * 3 * F(NT) * DT) / (3 * F(NS) + dl * F(NT));
    if (!(DS >= dsLo && DS <= dsHi)) continue;
    inside++;
    loss = Math.min(loss, distilledLoss(TABLE6, NS, DS, LT));
  }
  return { loss, inside };
}

/** An optimal solution's variables are all inside the box (relative 1e-9) and it spends the budget. */
function assertInside(r: OptimalStrategy, box: ReturnType<typeof withinDomainBox>, where: string) {
  const supervised = r.strategy === "supervised";
  const b = supervised ? box.supervised : box.distillation;
  assert.ok(within(r.studentParameters, b.studentParameters, EDGE_TOLERANCE), `${where}: N_S`);
  assert.ok(within(r.studentTokens, b.studentTokens), `${where}: D_S ${r.studentTokens}`);
  assert.ok(within(r.studentTokens / r.studentParameters, b.studentTokensPerParameter), `${where}: D_S/N_S`);
  if (!supervised) assert.ok(within(r.teacherLoss!, b.teacherLoss), `${where}: L_T ${r.teacherLoss}`);
  if (r.teacherDetermined) {
    assert.ok(within(r.teacherParameters!, b.teacherParameters), `${where}: N_T ${r.teacherParameters}`);
    assert.ok(within(r.teacherTokens!, b.teacherTokens), `${where}: D_T ${r.teacherTokens}`);
  }
  assert.ok(Math.abs(r.flops.total / r.budget - 1) < 1e-9, `${where}: spends the budget`);
}

/** The grid of a 300 x 300 brute force misses a constrained optimum by at most this (measured: 3.5e-4 nats at most over these cases). */
const GRID_NATS = 1e-3;

test("within-domain plan matches a brute force over the widened domain for supervised and the four scenarios", () => {
  const seen = { infeasible: 0, binding: 0, gap: 0 };
  for (const factor of [1, 3]) {
    const box = withinDomainBox(DOMAIN, factor);
    for (const [NS, C] of [[1.434e8, 1e19], [5e8, 3e19], [1.82e9, 1e21], [1e9, 1e20], [5.873e9, 3e21], [3e9, 2e22]] as const) {
      const plan = planWithinDomain(NS, C, STRATEGIES, DOMAIN, { factor });
      for (const row of plan.rows) {
        const where = `${row.id} N_S=${NS} C=${C} F=${factor}`;
        const brute = bruteBudget(NS, C, row.strategy, box);
        if (row.inside.status === "infeasible") {
          assert.equal(brute.inside, 0, `${where}: the solver says infeasible but the grid has ${brute.inside} allocations inside`);
          seen.infeasible++;
          continue;
        }
        assert.ok(brute.inside > 0, `${where}: the solver found an allocation inside but the grid none`);
        assertInside(row.inside, box, where);
        assert.ok(row.inside.studentLoss <= brute.loss + 1e-9, `${where}: ${row.inside.studentLoss} above the grid's ${brute.loss}`);
        assert.ok(row.inside.studentLoss >= brute.loss - GRID_NATS, `${where}: ${row.inside.studentLoss} far below the grid's ${brute.loss}`);
        // Staying inside never helps: the cost is >= 0 up to the solvers' tolerance.
        assert.ok(row.costNats !== null && row.costNats >= -1e-9, `${where}: cost ${row.costNats}`);
        if (row.costNats > 1e-3) seen.binding++;
        seen.gap = Math.max(seen.gap, brute.loss - row.inside.studentLoss);
      }
    }
  }
  // The cases exercise both outcomes and constraints that bind.
  assert.ok(seen.infeasible >= 3 && seen.binding >= 3, JSON.stringify(seen));
});

test("an unconstrained optimum already inside the domain is the within-domain answer (cost 0)", () => {
  const plan = planWithinDomain(1.82e9, 1e21, STRATEGIES, DOMAIN);
  const pretraining = plan.rows.find((r) => r.id === "teacher-pretraining")!;
  assert.equal(pretraining.free.status, "optimal");
  assert.ok(Math.abs(pretraining.costNats!) < 1e-9);
  assert.deepEqual(pretraining.edges, []);
  // The best case wants a stronger teacher than any fitted one: L_T binds at the strongest fitted teacher.
  const best = plan.rows.find((r) => r.id === "best-case")!;
  assert.ok(best.costNats! > 1e-3);
  assert.deepEqual(best.edges, ["L_T at its lower edge"]);
  assert.ok(Math.abs(best.inside.status === "optimal" ? best.inside.teacherLoss! / DOMAIN.distillation!.teacherLoss.min - 1 : 1) < 1e-9);
});

test("the budgets with an allocation inside: both sides of each edge, and the grid's cheapest and dearest allocations", () => {
  for (const factor of [1, 2]) {
    const box = withinDomainBox(DOMAIN, factor);
    for (const NS of [1.434e8, 1e9, 5.873e9]) {
      for (const strategy of STRATEGIES) {
        const where = `${strategy} N_S=${NS} F=${factor}`;
        const range = budgetRangeInBox(resolveSolverContext({ box }), NS, strategy === "supervised" ? "supervised" : strategyWeights(strategy));
        assert.ok(range !== null && range.minimum < range.maximum, where);
        for (const [edge, side] of [[range.minimum, -1], [range.minimum, 1], [range.maximum, -1], [range.maximum, 1]] as const) {
          const C = edge * (1 + side * 1e-4);
          const r = solveStrategy(NS, C, strategy, { box });
          const insideRange: boolean = C >= range.minimum && C <= range.maximum;
          assert.equal(r.status, insideRange ? "optimal" : "infeasible", `${where} C=${C}`);
          if (r.status === "infeasible") {
            assert.equal(r.reason, C < range.minimum ? "budget-too-small" : "budget-too-large");
            assert.deepEqual(r.feasibleRange, range);
            // No allocation of the grid spends a budget outside the range inside the box.
            assert.equal(bruteBudget(NS, C, strategy, box, 200).inside, 0, `${where} C=${C}: grid allocations outside the range`);
          }
        }
        // Independent: the least and greatest Eq. 9 cost over a grid of the box.
        const b = strategy === "supervised" ? box.supervised : box.distillation;
        const [dsLo, dsHi] = studentTokenRange(NS, b);
        const { deltaLogits: dl, deltaPretraining: dp } = strategyWeights(strategy);
        let least = Infinity, most = 0;
        if (dl === 0 && dp === 0) {
          least = 3 * F(NS) * dsLo;
          most = 3 * F(NS) * dsHi;
        } else {
          for (const { NT, DT } of teacherGrid(b, 400)) {
            least = Math.min(least, dsLo * (3 * F(NS) + dl * F(NT)) + 3 * dp * F(NT) * DT);
            most = Math.max(most, dsHi * (3 * F(NS) + dl * F(NT)) + 3 * dp * F(NT) * DT);
          }
        }
        assert.ok(range.minimum <= least * (1 + 1e-9) && least <= range.minimum * (1 + 1e-2), `${where}: least ${least} vs ${range.minimum}`);
        assert.ok(range.maximum >= most * (1 - 1e-9) && most >= range.maximum * (1 - 1e-2), `${where}: most ${most} vs ${range.maximum}`);
      }
    }
  }
});

test("a student outside the widened domain has nothing inside at any budget; widening admits it", () => {
  const outside = planWithinDomain(3e10, 1e22, STRATEGIES, DOMAIN);
  for (const row of outside.rows) {
    assert.equal(row.inside.status, "infeasible");
    if (row.inside.status !== "infeasible") continue;
    assert.equal(row.inside.reason, "nothing-inside");
    assert.equal(row.inside.feasibleRange, null);
    assert.match(row.inside.message, /outside it/);
  }
  // 3e10 is 5.1x the largest fitted student and 2.4x the largest supervised model: F = 6 admits both.
  const widened = planWithinDomain(3e10, 1e22, STRATEGIES, DOMAIN, { factor: 6 });
  assert.ok(widened.rows.every((r) => r.inside.status === "optimal"), widened.rows.map((r) => r.inside.status === "infeasible" ? r.inside.message : "").join("\n"));
  assert.throws(() => withinDomainBox(DOMAIN, 0.5), /factor must be a finite number >= 1/);
});

test("a supervised-only domain holds students and teachers to the supervised runs' box", () => {
  const supervisedOnly: ValidityDomain = { ...DOMAIN, distillation: null };
  const box = withinDomainBox(supervisedOnly);
  assert.equal(box.distillation.teacherLoss, undefined);
  assert.deepEqual(box.distillation.teacherParameters, DOMAIN.supervised.parameters);
  for (const row of planWithinDomain(1e9, 1e21, STRATEGIES, supervisedOnly).rows) {
    const brute = bruteBudget(1e9, 1e21, row.strategy, box);
    assert.equal(row.inside.status, "optimal", row.id);
    if (row.inside.status !== "optimal") continue;
    assertInside(row.inside, box, row.id);
    assert.ok(row.inside.studentLoss <= brute.loss + 1e-9 && row.inside.studentLoss >= brute.loss - GRID_NATS, row.id);
  }
});

test("random students, budgets and factors: never below the grid, never above it by more than its resolution", () => {
  fc.assert(fc.property(
    fc.double({ min: Math.log(1e8), max: Math.log(2e10), noNaN: true }),
    fc.double({ min: Math.log(1e18), max: Math.log(1e23), noNaN: true }),
    fc.double({ min: 1, max: 8, noNaN: true }),
    fc.constantFrom(...STRATEGIES),
    (logN, logC, factor, strategy) => {
      const NS = Math.exp(logN), C = Math.exp(logC);
      const box = withinDomainBox(DOMAIN, factor);
      const r = solveStrategy(NS, C, strategy, { box });
      const brute = bruteBudget(NS, C, strategy, box, 120);
      if (r.status === "infeasible") return brute.inside === 0;
      assertInside(r, box, `${strategy} ${NS} ${C} ${factor}`);
      const free = solveStrategy(NS, C, strategy);
      return (brute.inside === 0 || (r.studentLoss <= brute.loss + 1e-9 && r.studentLoss >= brute.loss - 5 * GRID_NATS)) &&
        (free.status !== "optimal" || r.studentLoss >= free.studentLoss - 1e-9);
    },
  ), { numRuns: 40, seed: 17 });
});

/** Brute force of the target-loss question inside a box: the least Eq. 9 compute over a teacher grid, D_S by bisection. */
function bruteTarget(NS: number, target: number, strategy: Strategy, box: ReturnType<typeof withinDomainBox>, n = 120): number {
  const supervised = strategy === "supervised";
  const b = supervised ? box.supervised : box.distillation;
  const [dsLo, dsHi] = studentTokenRange(NS, b);
  const { deltaLogits: dl, deltaPretraining: dp } = strategyWeights(strategy);
  const leastTokens = (loss: (DS: number) => number) => {
    if (loss(dsHi) > target) return Infinity;
    if (loss(dsLo) <= target) return dsLo;
    let a = Math.log(dsLo), z = Math.log(dsHi);
    for (let i = 0; i < 80; i++) {
      const m = 0.5 * (a + z);
      if (loss(Math.exp(m)) > target) a = m;
      else z = m;
    }
    return Math.exp(z);
  };
  if (supervised) return 3 * F(NS) * leastTokens((DS) => supervisedLoss(TABLE6.supervised, NS, DS));
  let best = Infinity;
  if (dl === 0 && dp === 0) {
    const [a, z] = freeTeacherLosses(b);
    for (let i = 0; i < 4 * n; i++) {
      const LT = a + ((z - a) * i) / (4 * n - 1);
      best = Math.min(best, 3 * F(NS) * leastTokens((DS) => distilledLoss(TABLE6, NS, DS, LT)));
    }
    return best;
  }
  for (const { NT, DT, LT } of teacherGrid(b, n)) {
    const DS = leastTokens((x) => distilledLoss(TABLE6, NS, x, LT));
    if (!Number.isFinite(DS)) continue;
    best = Math.min(best, 3 * F(NS) * DS + F(NT) * (dl * DS + 3 * dp * DT));
  }
  return best;
}

test("within-domain target loss matches a brute force over the widened domain", () => {
  const strategies = STRATEGIES.map((s) => ({ id: String(s), label: String(s), strategy: s }));
  const seen = { unreachable: 0, binding: 0 };
  for (const [NS, target] of [[1e9, 2.3], [1.82e9, 2.25], [5e8, 2.5], [1.434e8, 2.7], [1.434e8, 2.5], [3e9, 2.15]] as const) {
    const answer = targetLossWithinDomain(NS, target, strategies, DOMAIN);
    const box = withinDomainBox(DOMAIN);
    for (const row of answer.rows) {
      const where = `${row.id} N_S=${NS} L*=${target}`;
      const brute = bruteTarget(NS, target, row.strategy, box);
      if (row.inside.status === "unreachable") {
        assert.equal(brute, Infinity, `${where}: unreachable, but the grid reaches it with ${brute}`);
        // Every target at or above the floor is reachable inside; just below it is not.
        assert.ok(row.inside.floor !== null && row.inside.floor > target);
        assert.equal(targetLossCompute(NS, row.inside.floor * (1 + 1e-6), row.strategy, { box }).status, "optimal", where);
        assert.equal(bruteTarget(NS, row.inside.floor * (1 - 1e-4), row.strategy, box), Infinity, where);
        seen.unreachable++;
        continue;
      }
      const r = row.inside as TargetLossReached;
      assert.ok(r.compute <= brute * (1 + 1e-9), `${where}: ${r.compute} above the grid's ${brute}`);
      assert.ok(r.compute >= brute * (1 - 1e-2), `${where}: ${r.compute} far below the grid's ${brute}`);
      assert.ok(r.studentLoss <= target + 1e-9);
      assert.ok(row.computeRatio === null || row.computeRatio >= 1 - 1e-9, `${where}: ratio ${row.computeRatio}`);
      if (row.computeRatio !== null && row.computeRatio > 1.01) seen.binding++;
      // The allocation found is inside the box: re-solving at its compute inside the box reaches the target.
      const b = row.strategy === "supervised" ? box.supervised : box.distillation;
      assert.ok(within(r.studentTokens, b.studentTokens) && within(r.studentTokens / NS, b.studentTokensPerParameter), where);
      if (r.teacherLoss !== null) assert.ok(within(r.teacherLoss, b.teacherLoss), where);
      if (r.teacherDetermined) assert.ok(within(r.teacherParameters!, b.teacherParameters) && within(r.teacherTokens!, b.teacherTokens), where);
    }
  }
  assert.ok(seen.unreachable >= 1 && seen.binding >= 3, JSON.stringify(seen));
});

test("within-domain lifetime: the student size minimises lifetime FLOPs over a grid of sizes inside the domain", () => {
  const box = withinDomainBox(DOMAIN);
  const context = resolveSolverContext({ box });
  for (const [target, served] of [[2.3, 0], [2.4, 1e12], [2.2, 1e13]] as const) {
    const answer = lifetimeWithinDomain({ targetLoss: target }, served, lifetimeStrategies(), DOMAIN);
    for (const row of answer.rows) {
      const where = `${row.id} L*=${target} T=${served}`;
      const sizes = row.strategy === "supervised" ? box.supervised.studentParameters! : box.distillation.studentParameters!;
      let brute = Infinity;
      for (const N of logGrid(sizes.min, sizes.max, 60)) {
        const at = lifetimeAt(context, N, target, served, row.strategy);
        if (at) brute = Math.min(brute, at.lifetime.total);
      }
      if (row.inside.status !== "optimal") {
        assert.equal(brute, Infinity, `${where}: unreachable inside, but the grid reaches it`);
        continue;
      }
      assert.ok(within(row.inside.studentParameters, sizes, EDGE_TOLERANCE), where);
      assert.ok(row.inside.lifetime.total <= brute * (1 + 1e-6), `${where}: ${row.inside.lifetime.total} above the grid's ${brute}`);
      assert.ok(row.cost === null || row.cost >= 1 - 1e-6, `${where}: ratio ${row.cost}`);
      // The allocation at the chosen size is itself the brute-force target-loss answer there.
      const grid = bruteTarget(row.inside.studentParameters, target, row.strategy, box, 80);
      const { compute } = row.inside.allocation as TargetLossReached;
      assert.ok(compute <= grid * (1 + 1e-9) && compute >= grid * (1 - 1e-2), `${where}: ${compute} against the grid's ${grid}`);
    }
  }
});

test("within-domain lifetime: a target no student inside reaches gives the lowest target that one does", () => {
  const box = withinDomainBox(DOMAIN);
  const question = { targetLoss: 2.0 };
  const answer = lifetimeWithinDomain(question, 0, lifetimeStrategies(), DOMAIN);
  const unreachable = answer.rows.filter((r) => r.inside.status === "unreachable");
  assert.ok(unreachable.length >= 1);
  for (const row of unreachable) {
    assert.ok(row.targetFloor !== null && row.targetFloor > question.targetLoss, row.id);
    // Brute force: the least L_S over a grid of student sizes inside, each at its most tokens inside, and of the teachers inside.
    const b = box.distillation;
    const { deltaLogits: dl, deltaPretraining: dp } = strategyWeights(row.strategy);
    const losses = dl === 0 && dp === 0 ? [] : teacherGrid(b, 60).map((t) => t.LT);
    let brute = Infinity;
    for (const NS of logGrid(b.studentParameters!.min, b.studentParameters!.max, 60)) {
      const DS = studentTokenRange(NS, b)[1];
      for (const LT of losses) brute = Math.min(brute, distilledLoss(TABLE6, NS, DS, LT));
    }
    assert.ok(row.targetFloor! <= brute + 1e-9 && row.targetFloor! >= brute - GRID_NATS, `${row.id}: floor ${row.targetFloor} against the grid's ${brute}`);
    // Just above the floor a student inside reaches the target.
    const above = lifetimeWithinDomain({ targetLoss: row.targetFloor! + 2e-3 }, 0, [lifetimeStrategies().find((s) => s.id === row.id)!], DOMAIN);
    assert.equal(above.rows[0].inside.status, "optimal", row.id);
  }
});

test("within-domain lifetime budget: the lowest loss over a grid of student sizes inside the domain", () => {
  const box = withinDomainBox(DOMAIN);
  const budget = 3e21, served = 1e12;
  const answer = lifetimeWithinDomain({ budget }, served, lifetimeStrategies(), DOMAIN);
  for (const row of answer.rows) {
    const sizes = row.strategy === "supervised" ? box.supervised.studentParameters! : box.distillation.studentParameters!;
    let brute = Infinity;
    for (const N of logGrid(sizes.min, sizes.max, 60)) {
      const training = budget - F(N) * served;
      if (!(training > 0)) continue;
      const r = solveStrategy(N, training, row.strategy, { box });
      if (r.status === "optimal" && r.studentTokens >= N * (1 - 1e-9)) brute = Math.min(brute, r.studentLoss);
    }
    assert.equal(row.inside.status, "optimal", row.id);
    if (row.inside.status !== "optimal") continue;
    assert.ok(row.inside.studentLoss <= brute + 1e-9, `${row.id}: ${row.inside.studentLoss} above ${brute}`);
    assert.ok(row.cost !== null && row.cost >= -1e-9, row.id);
  }
});

/**
 * Brute force of the lifetime budgets with an allocation inside a box: over a grid of student sizes
 * (the box's, within EDGE_TOLERANCE) and of teachers, each allocation's lifetime cost F(N) T plus
 * Eq. 9 is linear in D_S, so each (N_S, teacher) spans an interval of budgets from D_S's lower end
 * (raised to the floor of tokens per parameter) to its upper end.
 */
function bruteLifetimeBudgets(served: number, strategy: Strategy, box: ReturnType<typeof withinDomainBox>, floor: number, n = 150) {
  const b = strategy === "supervised" ? box.supervised : box.distillation;
  const { deltaLogits: dl, deltaPretraining: dp } = strategyWeights(strategy);
  const teachers = strategy === "supervised" ? [{ NT: 0, DT: 0 }] : teacherGrid(b, n);
  const sizes = b.studentParameters!;
  const students = logGrid(sizes.min * (1 - EDGE_TOLERANCE), sizes.max * (1 + EDGE_TOLERANCE), 40);
  /** Calls `visit` with every (N_S, teacher)'s interval of lifetime budgets. */
  const eachSpan = (visit: (least: number, most: number) => void) => {
    for (const NS of students) {
      const [dsLo, dsHi] = studentTokenRange(NS, b);
      const lo = Math.max(dsLo, floor * NS);
      if (!(lo <= dsHi)) continue;
      for (const { NT, DT } of teachers) {
        const perToken = 3 * F(NS) + (strategy === "supervised" ? 0 : dl * F(NT));
        const fixed = F(NS) * served + (strategy === "supervised" ? 0 : 3 * dp * F(NT) * DT);
        visit(fixed + lo * perToken, fixed + dsHi * perToken);
      }
    }
  };
  let least = Infinity, most = 0;
  eachSpan((a, z) => { least = Math.min(least, a); most = Math.max(most, z); });
  return {
    least, most,
    /** Whether some allocation of the grid spends exactly this lifetime budget. */
    spends: (budget: number) => {
      let found = false;
      eachSpan((a, z) => { found ||= budget >= a && budget <= z; });
      return found;
    },
  };
}

test("within-domain lifetime budget: the budgets with an answer inside, both sides of each edge, against the grid's cheapest and dearest", () => {
  const floor = LIFETIME_MIN_TOKENS_PER_PARAMETER;
  for (const factor of [1, 2]) {
    const box = withinDomainBox(DOMAIN, factor);
    for (const served of [0, 1e13]) {
      // A budget far too small for any student inside: every strategy answers with the range instead.
      const none = lifetimeWithinDomain({ budget: 1e16 }, served, lifetimeStrategies(), DOMAIN, { factor });
      for (const row of none.rows) {
        const where = `${row.id} F=${factor} T=${served}`;
        assert.equal(row.inside.status, "unreachable", where);
        const range = row.budgetRange;
        assert.ok(range !== null && 1e16 < range.minimum && range.minimum < range.maximum, where);
        const brute = bruteLifetimeBudgets(served, row.strategy, box, floor);
        // The range contains the grid's allocations and its ends lie within the grid's resolution of the grid's extremes.
        assert.ok(range.minimum <= brute.least * (1 + 1e-9) && brute.least <= range.minimum * (1 + 1e-2), `${where}: least ${brute.least} vs ${range.minimum}`);
        assert.ok(range.maximum >= brute.most * (1 - 1e-9) && brute.most >= range.maximum * (1 - 1e-2), `${where}: most ${brute.most} vs ${range.maximum}`);
        const strategy = [lifetimeStrategies().find((s) => s.id === row.id)!];
        for (const [edge, side] of [[range.minimum, -1], [range.minimum, 1], [range.maximum, -1], [range.maximum, 1]] as const) {
          const budget = edge * (1 + side * 1e-4);
          const insideRange: boolean = budget >= range.minimum && budget <= range.maximum;
          const answer = lifetimeWithinDomain({ budget }, served, strategy, DOMAIN, { factor }).rows[0];
          assert.equal(answer.inside.status, insideRange ? "optimal" : "unreachable", `${where} B=${budget}`);
          if (answer.inside.status === "optimal") {
            // The witness: an allocation inside the box, on or above the floor, spending the lifetime budget.
            const a = answer.inside;
            assert.ok(Math.abs(a.lifetime.total / budget - 1) < 1e-9, `${where} B=${budget}: spends ${a.lifetime.total}`);
            assert.ok(a.allocation.studentTokens >= floor * a.studentParameters * (1 - 1e-9), `${where}: D_S/N_S ${a.tokensPerParameter}`);
            assertInside({ ...(a.allocation as OptimalStrategy), studentParameters: a.studentParameters }, box, `${where} B=${budget}`);
          } else {
            assert.equal(brute.spends(budget), false, `${where} B=${budget}: the grid spends it inside`);
            assert.deepEqual(answer.budgetRange, range, where);
          }
        }
      }
    }
  }
});

test("within-domain lifetime budget with nothing inside: the sentence gives the range of budgets that have an answer", () => {
  const question = { budget: 1e19 };
  const answer = lifetimeWithinDomain(question, 1e12, lifetimeStrategies(), DOMAIN);
  for (const [i, summary] of summariseLifetimeWithinDomain(answer, question).entries()) {
    const range = answer.rows[i].budgetRange!;
    assert.equal(summary.status, "none inside");
    assert.deepEqual(summary.feasible, { minimum: range.minimum, maximum: range.maximum, unit: "FLOPs" });
    assert.match(summary.sentence, new RegExp(`lifetime budget of 1e19 FLOPs \\(too small a budget\\)\\. Budgets from ${formatExponent(range.minimum, 3)} FLOPs to ${formatExponent(range.maximum, 3)} FLOPs have one\\.$`));
  }
  // With an answer inside, no range is given.
  const inside = lifetimeWithinDomain({ budget: 3e21 }, 1e12, lifetimeStrategies(), DOMAIN);
  assert.ok(inside.rows.every((r) => r.inside.status === "optimal" && r.budgetRange === null));
});
