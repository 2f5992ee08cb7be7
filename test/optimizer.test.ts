import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { TABLE6, distilledLoss, supervisedLoss } from "../src/core/laws/laws.js";
import { DEFAULT_FLOPS_MODEL, flopsModel, forwardFlopsPerToken } from "../src/core/laws/flops.js";
import { SCENARIO_IDS, distillationFlops, scenarioById, type ScenarioId, type ScenarioWeights } from "../src/core/laws/scenarios.js";
import { DEFAULT_BOUNDS, cheapestTeacher, optimalTeacherLoss, resolveSolverContext, supervisedComputeOptimal, supervisedStudent } from "../src/core/allocation/optimizer.js";
import { feasibleBudgetRange } from "../src/core/allocation/feasibility.js";
import { supervisedCrossover } from "../src/core/allocation/crossover.js";
import {
  solveStrategy, type InfeasibleStrategy, type OptimalStrategy, type Strategy, type StrategyOptions,
} from "../src/core/allocation/strategy.js";

const LO = 1e6, HI = 1e17;
const F = (N: number) => forwardFlopsPerToken(N, DEFAULT_FLOPS_MODEL);

/** Dense search of the same box: every (N_T, D_T) on a log grid, D_S from the FLOPs constraint. */
function bruteForce(NS: number, C: number, scenario: ScenarioId | ScenarioWeights, points = 241): number {
  const { deltaLogits, deltaPretraining } = typeof scenario === "string" ? scenarioById(scenario) : scenario;
  let best = Infinity;
  const grid = Array.from({ length: points }, (_, i) => Math.exp(Math.log(LO) + (i / (points - 1)) * Math.log(HI / LO)));
  for (const NT of grid) {
    for (const DT of grid) {
      const DS = (C - deltaPretraining * 3 * F(NT) * DT) / (3 * F(NS) + deltaLogits * F(NT));
      if (!(DS >= LO && DS <= HI)) continue;
      best = Math.min(best, distilledLoss(TABLE6, NS, DS, supervisedLoss(TABLE6.supervised, NT, DT)));
    }
  }
  return best;
}

const STUDENTS = [1e8, 1e9, 1e10, 1e11];
const BUDGETS = Array.from({ length: 10 }, (_, i) => 10 ** (18 + i));

/** A distillation solution with its teacher filled in (solveStrategy's for a distillation strategy). */
type Distillation = OptimalStrategy & { teacherParameters: number; teacherTokens: number; teacherLoss: number };

/** Solves a distillation strategy and returns the optimum, or the infeasible outcome. */
function distil(NS: number, C: number, strategy: Exclude<Strategy, "supervised">, options: StrategyOptions = {}): Distillation | InfeasibleStrategy {
  const result = solveStrategy(NS, C, strategy, options);
  if (result.status === "optimal") assert.ok(result.teacherParameters !== null && result.teacherTokens !== null && result.teacherLoss !== null);
  return result as Distillation | InfeasibleStrategy;
}

/** Solves a distillation strategy that must be feasible. */
function optimum(NS: number, C: number, strategy: Exclude<Strategy, "supervised">, options: StrategyOptions = {}): Distillation {
  const result = distil(NS, C, strategy, options);
  assert.equal(result.status, "optimal", result.message);
  return result as Distillation;
}

function solveAll(NS: number, C: number): Map<ScenarioId, Distillation | InfeasibleStrategy> {
  return new Map(SCENARIO_IDS.map((scenario) => [scenario, distil(NS, C, scenario)]));
}

test("the optimiser is never worse than a dense brute-force search of the same box", () => {
  for (const NS of STUDENTS) {
    for (const C of BUDGETS) {
      for (const [scenario, solution] of solveAll(NS, C)) {
        const brute = bruteForce(NS, C, scenario);
        if (solution.status === "infeasible") {
          assert.equal(brute, Infinity, `${scenario} N_S=${NS} C=${C}: brute force found a feasible point`);
          continue;
        }
        assert.ok(solution.converged, `${scenario} N_S=${NS} C=${C}: ${solution.message}`);
        assert.ok(Number.isFinite(solution.studentLoss));
        assert.ok(
          solution.studentLoss <= brute + 1e-6,
          `${scenario} N_S=${NS} C=${C}: optimiser ${solution.studentLoss} vs brute force ${brute}`,
        );
      }
    }
  }
});

test("off the decade grid too: random students and budgets, never worse than brute force", () => {
  fc.assert(fc.property(
    fc.double({ min: 8, max: 11, noNaN: true }), fc.double({ min: 18, max: 27, noNaN: true }),
    (logNS, logC) => {
      const NS = 10 ** logNS, C = 10 ** logC;
      for (const [scenario, solution] of solveAll(NS, C)) {
        if (solution.status === "infeasible") continue;
        const brute = bruteForce(NS, C, scenario, 161);
        assert.ok(solution.studentLoss <= brute + 1e-6, `${scenario} N_S=${NS} C=${C}: ${solution.studentLoss} vs ${brute}`);
      }
    },
  ), { numRuns: 24, seed: 20250212 });
});

test("two dips of nearly equal depth in N_T: the deeper one is found (found by the test above)", () => {
  // Teacher inference, N_S ~ 7e10, C ~ 4e23: dips near N_T = 1.5e11 and 4e13, 2.4 decades apart.
  for (const [NS, C] of [[10 ** 10.826636723702855, 10 ** 23.580158713576733], [10 ** 10.85164201594637, 10 ** 23.58015871357676]]) {
    const solution = optimum(NS, C, "teacher-inference");
    const brute = bruteForce(NS, C, "teacher-inference");
    assert.ok(solution.studentLoss <= brute + 1e-6, `N_S=${NS}: ${solution.studentLoss} vs ${brute}`);
    assert.ok(solution.teacherParameters < 1e12, `N_T* = ${solution.teacherParameters}`);
  }
});

test("the FLOPs constraint holds to 1e-9 relative and every variable is in the bounds", () => {
  for (const NS of STUDENTS) {
    for (const C of BUDGETS) {
      for (const [scenario, solution] of solveAll(NS, C)) {
        if (solution.status === "infeasible") continue;
        const recomputed = distillationFlops(solution, scenarioById(scenario));
        assert.ok(Math.abs(recomputed.total / C - 1) < 1e-9, `${scenario} N_S=${NS} C=${C}: ${recomputed.total}`);
        assert.ok(Math.abs(solution.flops.total / C - 1) < 1e-9);
        for (const value of [solution.studentTokens, solution.teacherParameters, solution.teacherTokens]) {
          assert.ok(value >= LO * (1 - 1e-12) && value <= HI * (1 + 1e-12));
        }
        const predicted = distilledLoss(TABLE6, NS, solution.studentTokens, solution.teacherLoss);
        assert.ok(Math.abs(predicted - solution.studentLoss) < 1e-12);
      }
    }
  }
});

test("scenario ordering: best <= inference <= both, and best <= pretraining <= both", () => {
  fc.assert(fc.property(
    fc.double({ min: 8, max: 11, noNaN: true }), fc.double({ min: 19, max: 26, noNaN: true }),
    (logNS, logC) => {
      const solutions = solveAll(10 ** logNS, 10 ** logC);
      const loss = (s: ScenarioId) => {
        const solution = solutions.get(s)!;
        return solution.status === "infeasible" ? Number.NaN : solution.studentLoss;
      };
      // Only feasible pairs compare: near 1e17 tokens the best case (all compute on D_S) can
      // leave the box while a scenario that also pays the teacher stays inside it.
      const noWorse = (a: ScenarioId, b: ScenarioId) => {
        if (Number.isNaN(loss(a)) || Number.isNaN(loss(b))) return;
        assert.ok(loss(a) <= loss(b) + 1e-9, `${a} ${loss(a)} > ${b} ${loss(b)}`);
      };
      noWorse("best-case", "teacher-inference");
      noWorse("teacher-inference", "teacher-pretraining-inference");
      noWorse("best-case", "teacher-pretraining");
      noWorse("teacher-pretraining", "teacher-pretraining-inference");
      // A budget feasible for the worst case is feasible for every scenario.
      if (!Number.isNaN(loss("teacher-pretraining-inference")) && 10 ** logC < 1e24) {
        for (const s of SCENARIO_IDS) assert.ok(!Number.isNaN(loss(s)), s);
      }
    },
  ), { numRuns: 60 });
});

test("best case: D_S = C / 3F(N_S), and the reported teacher is the cheapest one reaching L_T*", () => {
  const solution = optimum(1e9, 1e22, "best-case");
  assert.ok(Math.abs(solution.studentTokens / (1e22 / (3 * F(1e9))) - 1) < 1e-12);
  assert.equal(solution.teacherDetermined, false);
  assert.ok(Math.abs(supervisedLoss(TABLE6.supervised, solution.teacherParameters, solution.teacherTokens) - solution.teacherLoss) < 1e-9);
  // Brute force over N_T along the iso-loss curve.
  const cheapest = cheapestTeacher(resolveSolverContext(), solution.teacherLoss);
  let bruteCost = Infinity;
  for (let logN = Math.log(1e8); logN < Math.log(1e13); logN += 0.001) {
    const N = Math.exp(logN);
    for (let logD = Math.log(1e9); logD < Math.log(1e15); logD += 0.001) {
      const L = supervisedLoss(TABLE6.supervised, N, Math.exp(logD));
      if (L <= solution.teacherLoss) { bruteCost = Math.min(bruteCost, F(N) * Math.exp(logD)); break; }
    }
  }
  assert.ok(cheapest.pretrainingFlops / 3 <= bruteCost * (1 + 1e-6));
  assert.ok(cheapest.pretrainingFlops / 3 >= bruteCost * (1 - 2e-3));
});

test("teacher inference wants an overtrained teacher: D_T* sits on the 1e17 bound and is flagged", () => {
  for (const NS of STUDENTS) {
    for (const C of [1e20, 1e22, 1e24]) {
      const solution = optimum(NS, C, "teacher-inference");
      assert.equal(solution.bounds.teacherTokens, "upper");
      assert.ok(Math.abs(solution.teacherTokens / HI - 1) < 1e-6);
    }
  }
});

test("teacher pretraining: the optimal teacher is supervised compute-optimal (D_T/N_T roughly constant, about 16)", () => {
  const ratios: number[] = [];
  for (const NS of [1e9, 1e10]) {
    for (const C of [1e22, 1e23, 1e24, 1e25]) {
      const solution = optimum(NS, C, "teacher-pretraining");
      const teacherBudget = solution.flops.teacherPretraining;
      const optimal = supervisedComputeOptimal(resolveSolverContext(), teacherBudget);
      // Same teacher as the supervised compute-optimal model for its own pretraining budget.
      assert.ok(Math.abs(Math.log(solution.teacherParameters / optimal.parameters)) < 0.01);
      ratios.push(solution.teacherTokens / solution.teacherParameters);
    }
  }
  for (const ratio of ratios) assert.ok(ratio > 10 && ratio < 25, `D_T/N_T = ${ratio}`);
});

test("supervised compute-optimal (N*, D*) matches a brute-force search along the budget", () => {
  for (const C of [1e19, 1e21, 1e23, 1e25]) {
    const optimum = supervisedComputeOptimal(resolveSolverContext(), C);
    assert.ok(Math.abs(3 * F(optimum.parameters) * optimum.tokens / C - 1) < 1e-12);
    let brute = Infinity;
    for (let logN = Math.log(1e6); logN <= Math.log(1e15); logN += 1e-3) {
      const N = Math.exp(logN);
      brute = Math.min(brute, supervisedLoss(TABLE6.supervised, N, C / (3 * F(N))));
    }
    assert.ok(optimum.loss <= brute + 1e-9);
  }
});

test("budgets outside the feasible range give an infeasible outcome with its reason and range, never NaN", () => {
  const range = feasibleBudgetRange(1e9, "teacher-pretraining-inference");
  for (const budget of [range.minimum * 0.5, range.maximum * 2]) {
    const result = solveStrategy(1e9, budget, "teacher-pretraining-inference");
    assert.equal(result.status, "infeasible");
    assert.ok(result.status === "infeasible" &&
      result.reason === (budget < range.minimum ? "budget-too-small" : "budget-too-large") &&
      /too (small|large) for teacher-pretraining-inference/.test(result.message), result.message);
    assert.deepEqual(result.status === "infeasible" && result.feasibleRange, range);
  }
  // Just inside the range the solver still answers with finite numbers.
  const edge = optimum(1e9, range.minimum * 1.01, "teacher-pretraining-inference");
  assert.ok(Number.isFinite(edge.studentLoss));
  assert.equal(edge.bounds.studentTokens, null === edge.bounds.studentTokens ? null : edge.bounds.studentTokens);
  // Bad arguments still throw.
  assert.throws(() => solveStrategy(-1, 1e20, "best-case"), /student parameters/);
  assert.throws(() => solveStrategy(1e9, Number.NaN, "best-case"), /budget/);
  assert.throws(() => solveStrategy(1e9, 1e20, "no-such-scenario" as Strategy), RangeError);
});

test("supervised catches best-case distillation at large compute, later for larger students", () => {
  const students = [5.46e8, 1.82e9, 7.75e9];
  const crossovers = students.map((NS) => supervisedCrossover(NS));
  for (const [i, crossover] of crossovers.entries()) {
    assert.ok(crossover, `no crossover for N_S = ${students[i]}`);
    const best = optimum(students[i], crossover.budget, "best-case");
    assert.ok(Math.abs(best.studentLoss - crossover.studentLoss) < 1e-7);
    // Below the crossover distillation wins, above it supervised does.
    const before = crossover.budget / 3, after = crossover.budget * 3;
    const bestBefore = optimum(students[i], before, "best-case");
    assert.ok(supervisedStudent(students[i], before).loss > bestBefore.studentLoss);
    const bestAfter = optimum(students[i], after, "best-case");
    assert.ok(supervisedStudent(students[i], after).loss < bestAfter.studentLoss);
    if (i > 0) assert.ok(crossover.budget > crossovers[i - 1]!.budget, "crossover grows with N_S");
  }
  // With Table 6, a ~1e8 student keeps a small distillation advantage even at infinite data
  // (Appendix E.6 agreement is only within 1%), so no crossover exists in the bounds.
  assert.equal(supervisedCrossover(1e8), null);
});

test("a 2N FLOPs model and other bounds are honoured", () => {
  const twoN = flopsModel({ form: "2N" });
  const solution = optimum(1e9, 1e22, "teacher-pretraining-inference", { flops: twoN, bounds: [1e7, 1e15] });
  assert.ok(Math.abs(distillationFlops(solution, scenarioById("teacher-pretraining-inference"), twoN).total / 1e22 - 1) < 1e-9);
  assert.ok(solution.teacherTokens <= 1e15 * (1 + 1e-12) && solution.teacherParameters >= 1e7 * (1 - 1e-12));
});

// Partial amortisation (docs/spec.md section 9): any weights in [0, 1], the named scenarios as corners.

const INTERIOR_WEIGHTS: readonly ScenarioWeights[] = [
  { deltaLogits: 0.5, deltaPretraining: 0 }, { deltaLogits: 0, deltaPretraining: 0.5 },
  { deltaLogits: 0.25, deltaPretraining: 0.75 }, { deltaLogits: 1, deltaPretraining: 0.1 }, { deltaLogits: 0.05, deltaPretraining: 1 },
];

test("weights strictly inside [0, 1]: never worse than a dense brute force of the same box, FLOPs exact", () => {
  for (const NS of [1e8, 1e9, 1e10]) {
    for (const C of [1e19, 1e21, 1e23, 1e25]) {
      for (const weights of INTERIOR_WEIGHTS) {
        const solution = distil(NS, C, { kind: "weights", ...weights });
        const brute = bruteForce(NS, C, weights);
        const where = `${JSON.stringify(weights)} N_S=${NS} C=${C}`;
        if (solution.status === "infeasible") {
          assert.equal(brute, Infinity, `${where}: brute force found a feasible point`);
          continue;
        }
        assert.ok(solution.converged, `${where}: ${solution.message}`);
        assert.ok(solution.studentLoss <= brute + 1e-6, `${where}: optimiser ${solution.studentLoss} vs brute force ${brute}`);
        assert.ok(Math.abs(distillationFlops(solution, weights).total / C - 1) < 1e-9, `${where}: FLOPs ${solution.flops.total}`);
        assert.ok(Math.abs(distilledLoss(TABLE6, NS, solution.studentTokens, solution.teacherLoss) - solution.studentLoss) < 1e-12);
      }
    }
  }
});

test("weights off the grid: random students, budgets and weights, never worse than brute force", () => {
  fc.assert(fc.property(
    fc.double({ min: 8, max: 11, noNaN: true }), fc.double({ min: 19, max: 26, noNaN: true }),
    fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    (logNS, logC, deltaLogits, deltaPretraining) => {
      const NS = 10 ** logNS, C = 10 ** logC;
      const solution = distil(NS, C, { kind: "weights", deltaLogits, deltaPretraining });
      if (solution.status === "infeasible") return;
      const brute = bruteForce(NS, C, { deltaLogits, deltaPretraining }, 161);
      assert.ok(solution.studentLoss <= brute + 1e-6, `N_S=${NS} C=${C} δ=(${deltaLogits}, ${deltaPretraining}): ${solution.studentLoss} vs ${brute}`);
    },
  ), { numRuns: 24, seed: 20250213 });
});

test("the corners of the weights are the named scenarios, to the last bit", () => {
  for (const NS of [1e8, 1e10]) {
    for (const C of [1e18, 1e21, 1e24, 1e27]) {
      for (const scenario of SCENARIO_IDS) {
        const { deltaLogits, deltaPretraining } = scenarioById(scenario);
        const named = solveStrategy(NS, C, scenario);
        const weights = solveStrategy(NS, C, { kind: "weights", deltaLogits, deltaPretraining });
        // Infeasible outcomes name the strategy as given in their message; every number agrees.
        const numbers = (r: typeof named) => (r.status === "infeasible" ? { ...r, strategy: scenario, message: "" } : { ...r, strategy: scenario });
        assert.deepEqual(numbers(weights), numbers(named), `${scenario} N_S=${NS} C=${C}`);
      }
    }
  }
});

test("the loss varies monotonically between the corners: more of the teacher paid, no better a student", () => {
  const steps = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
  for (const NS of [1e8, 1e9, 1e10]) {
    for (const C of [1e20, 1e22, 1e24]) {
      for (const fixed of [0, 0.5, 1]) {
        for (const along of ["deltaLogits", "deltaPretraining"] as const) {
          const losses = steps.map((delta) => {
            const weights = along === "deltaLogits"
              ? { deltaLogits: delta, deltaPretraining: fixed } : { deltaLogits: fixed, deltaPretraining: delta };
            const solution = distil(NS, C, { kind: "weights", ...weights });
            return solution.status === "optimal" ? solution.studentLoss : Infinity;
          });
          for (let i = 1; i < losses.length; i++) {
            assert.ok(losses[i] >= losses[i - 1] - 1e-9, `N_S=${NS} C=${C} ${along} ${steps[i - 1]}->${steps[i]} (other ${fixed}): ${losses[i - 1]} -> ${losses[i]}`);
          }
        }
      }
    }
  }
});

test("weights outside [0, 1] or not numbers throw RangeError naming the field", () => {
  for (const [deltaLogits, deltaPretraining, field] of [[-0.1, 0, "deltaLogits"], [0, 1.5, "deltaPretraining"], [Number.NaN, 0, "deltaLogits"]] as const) {
    assert.throws(() => solveStrategy(1e9, 1e21, { kind: "weights", deltaLogits, deltaPretraining }), (error: unknown) =>
      error instanceof RangeError && error.message.includes(field));
  }
});

test("options have one meaning per routine: the strategy's scan does not reach the best case's searches, and L_T*'s tolerance is honoured", () => {
  const defaults = solveStrategy(1e9, 1e22, "best-case");
  assert.deepEqual(solveStrategy(1e9, 1e22, "best-case", { scanPoints: 5, logTolerance: 1e-3 }), defaults);
  const coarse = solveStrategy(1e9, 1e22, "best-case", { teacherLoss: { logTolerance: 1e-3 } });
  assert.ok(coarse.status === "optimal" && defaults.status === "optimal");
  assert.ok(coarse.evaluations < defaults.evaluations, `${coarse.evaluations} vs ${defaults.evaluations}`);
  assert.ok(Math.abs(coarse.studentLoss - defaults.studentLoss) < 1e-6);
  const fine = optimalTeacherLoss(1e9, 1e11), loose = optimalTeacherLoss(1e9, 1e11, { logTolerance: 1e-4 });
  assert.ok(loose.evaluations < fine.evaluations && Math.abs(Math.log(loose.teacherLoss / fine.teacherLoss)) < 1e-3);
});

test("cheapestTeacher accepts a teacher loss an ulp beyond the reachable range (a log-space search's L_T*) and refuses one beyond rounding", () => {
  const weakest = supervisedLoss(TABLE6.supervised, DEFAULT_BOUNDS[0], DEFAULT_BOUNDS[0]);
  const teacher = cheapestTeacher(resolveSolverContext(), weakest * (1 + 4e-16));
  assert.ok(Math.abs(supervisedLoss(TABLE6.supervised, teacher.parameters, teacher.tokens) / weakest - 1) < 1e-9);
  assert.throws(() => cheapestTeacher(resolveSolverContext(), weakest * (1 + 1e-6)), /outside the losses reachable/);
});
