// Figure 8 with uncertainty: the warm-started member solves and crossover searches against the
// full searches they shortcut, bands against known quantiles, validity flags of figure points,
// and the per-panel zoom.

import assert from "node:assert/strict";
import { test } from "node:test";
import { randomLcg, randomNormal } from "d3-random";
import { TABLE6 } from "../src/core/laws/laws.js";
import { solveStrategy } from "../src/core/allocation/strategy.js";
import { resolveSolverContext } from "../src/core/allocation/optimizer.js";
import { supervisedCrossover } from "../src/core/allocation/crossover.js";
import type { CoefficientEnsemble, EnsembleMember } from "../src/core/ensemble/ensemble.js";
import { crossoverInterval, crossoverNear } from "../src/core/uncertainty/crossoverBands.js";
import { cellIndex, curveBands, memberLosses, pointSolutions, type CurveGrid } from "../src/core/uncertainty/curveBands.js";
import { computeFigure8Bands, figure8Bands, figure8Member, figure8Point } from "../src/core/uncertainty/figure8Bands.js";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import { paperEnsembleFile } from "../src/cli/ensembleFile.js";
import { perturbedTable6 } from "./helpers/testEnsemble.js";
import { EVERYWHERE, expectedError } from "./helpers/outOfDomainExpected.js";
import { plannedPointFlags, type ValidityDomain } from "../src/core/domain/validity.js";
import { zoomDomain } from "../src/components/charts/figure8Chart.js";

/** Seeded members around Table 6 (each coefficient times exp(N(0, spread))): test inputs only. */
function perturbed(count: number, seed: number, spread = 0.01): EnsembleMember[] {
  const normal = randomNormal.source(randomLcg(seed))(0, spread);
  const perturb = <T extends object>(c: T): T => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v * Math.exp(normal())])) as T;
  return Array.from({ length: count }, () => ({ supervised: perturb({ ...TABLE6.supervised }), distillation: perturb({ ...TABLE6.distillation }) }));
}

const GRID: CurveGrid = {
  studentParameters: [1.983e8, 1.821e9, 7.75e9],
  strategies: ["supervised", "best-case", "teacher-inference", "teacher-pretraining", "teacher-pretraining-inference"],
  budgets: [1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27],
};

test("a member's warm-started L_S* equals the full search's (within 1e-9 nats) in every cell", () => {
  const members = perturbed(6, 3, 0.02);
  const point = pointSolutions(TABLE6, GRID);
  for (const member of members) {
    const warm = memberLosses(member, GRID, point, { logTolerance: 1e-9 });
    GRID.studentParameters.forEach((N, s) => GRID.strategies.forEach((strategy, k) => GRID.budgets.forEach((C, b) => {
      const full = solveStrategy(N, C, strategy, { coefficients: member });
      const value = warm[cellIndex(GRID, s, k, b)];
      if (full.status === "infeasible") assert.ok(Number.isNaN(value), `${strategy} ${N} ${C}: infeasible in full, ${value} warm`);
      else assert.ok(Math.abs(value - full.studentLoss) < 1e-9, `${strategy} N=${N} C=${C}: warm ${value}, full ${full.studentLoss}`);
    })));
  }
});

test("a warm start far from the optimum falls back to the whole box", () => {
  // A window around a 1e6-parameter teacher cannot contain the optimum of a 7.75B student at 1e23.
  const full = solveStrategy(7.75e9, 1e23, "teacher-pretraining");
  const warm = solveStrategy(7.75e9, 1e23, "teacher-pretraining", { near: { teacherParameters: 1e6, teacherTokens: 2e7, decades: 0.5 } });
  assert.ok(full.status === "optimal" && warm.status === "optimal");
  assert.ok(Math.abs(warm.studentLoss - full.studentLoss) < 1e-12);
  assert.ok(Math.abs(warm.teacherParameters! / full.teacherParameters! - 1) < 1e-6);
});

test("crossovers searched from the point crossover equal the full scan's (to 0.1%), none included", () => {
  const members = perturbed(8, 11, 0.01);
  for (const scenario of ["best-case", "teacher-inference"] as const) {
    for (const N of [5.46e8, 1.821e9]) {
      const start = supervisedCrossover(N, { coefficients: TABLE6 }, scenario)!.budget;
      for (const member of members) {
        const full = supervisedCrossover(N, { coefficients: member }, scenario)?.budget ?? null;
        const near = crossoverNear(resolveSolverContext({ coefficients: member }), N, scenario, start);
        if (full === null) assert.equal(near, null, `${scenario} N=${N}: full none, near ${near}`);
        else assert.ok(near !== null && Math.abs(near / full - 1) < 1e-3, `${scenario} N=${N}: full ${full}, near ${near}`);
      }
    }
  }
});

test("teacher inference crosses before the best case (Table 6), and both grow with the student", () => {
  const at = (N: number, s: "best-case" | "teacher-inference") => supervisedCrossover(N, { coefficients: TABLE6 }, s)!.budget;
  for (const N of [5.46e8, 1.821e9, 7.75e9]) assert.ok(at(N, "teacher-inference") < at(N, "best-case"));
  assert.ok(at(7.75e9, "teacher-inference") > at(5.46e8, "teacher-inference"));
  assert.equal(supervisedCrossover(1.983e8, { coefficients: TABLE6 }, "teacher-inference"), null);
});

test("crossover intervals: known quantiles; members without a crossover rank beyond the range", () => {
  const values = Array.from({ length: 101 }, (_, i) => 10 ** (20 + i / 50)); // 1e20..1e22, evenly in log
  const i = crossoverInterval(values)!;
  assert.ok(Math.abs(i.low! - values[5]) / values[5] < 1e-12 && Math.abs(i.high! - values[95]) / values[95] < 1e-12);
  assert.equal(i.none, 0);
  const withNone = crossoverInterval([...values.slice(0, 90), ...Array(11).fill(null)])!;
  assert.equal(withNone.none, 11);
  assert.equal(withNone.high, null, "11% of members without a crossover put the 95th percentile beyond the range");
  assert.ok(withNone.low !== null && Math.abs(withNone.low / values[5] - 1) < 1e-12);
  assert.deepEqual(crossoverInterval([null]), { low: null, high: null, median: null, none: 1, members: 1, level: 0.9 });
  assert.equal(crossoverInterval([]), null);
});

test("bands: one member collapses to its value; a known spread gives its quantiles; shares are counted", () => {
  const grid: CurveGrid = { studentParameters: [1e9], strategies: ["supervised", "best-case"], budgets: [1e20] };
  const one = curveBands(grid, [[2.5, 2.4]]);
  assert.deepEqual([one[1].loss!.low, one[1].loss!.high, one[1].shareBeatingSupervised], [2.4, 2.4, 1]);
  // 101 members: supervised at 2.5, best case at 2.45 + k / 1000 (k = 0..100).
  const losses = Array.from({ length: 101 }, (_, k) => [2.5, 2.45 + k / 1000]);
  const [, bestCase] = curveBands(grid, losses);
  assert.ok(Math.abs(bestCase.loss!.low - 2.455) < 1e-12 && Math.abs(bestCase.loss!.high - 2.545) < 1e-12);
  assert.ok(Math.abs(bestCase.difference!.low - -0.045) < 1e-12);
  assert.equal(bestCase.shareBeatingSupervised, 50 / 101); // k < 50 beat 2.5; k = 50 ties (supervised)
});

test("computeFigure8Bands with a one-member ensemble of the point fit collapses onto the point curves and crossovers", () => {
  const grid: CurveGrid = { studentParameters: [1.821e9], strategies: GRID.strategies, budgets: [1e19, 1e21, 1e23] };
  const ensemble: CoefficientEnsemble = { kind: "bootstrap", description: "the point itself", members: [{ supervised: TABLE6.supervised, distillation: TABLE6.distillation }], requested: 1, leftOut: 0, seed: 0 };
  const bands = computeFigure8Bands(TABLE6, ensemble, grid);
  const point = pointSolutions(TABLE6, grid);
  bands.curves.forEach((c, i) => {
    const p = point[i];
    if (p.status === "optimal") assert.ok(Math.abs(c.loss!.low - p.studentLoss) < 1e-9 && c.loss!.high === c.loss!.low);
  });
  for (const c of bands.crossovers) {
    assert.ok(c.point !== null && c.interval!.low !== null && Math.abs(c.interval!.low / c.point - 1) < 1e-3, `${c.scenario}: ${c.interval!.low} vs ${c.point}`);
  }
});

const DOMAIN: ValidityDomain = {
  source: "test runs",
  supervised: { parameters: { min: 1e8, max: 1e10 }, tokens: { min: 1e9, max: 1e12 }, tokensPerParameter: { min: 10, max: 1000 } },
  distillation: {
    studentParameters: { min: 1e8, max: 2e9 }, studentTokens: { min: 1e9, max: 5e11 }, studentTokensPerParameter: { min: 5, max: 500 },
    teacherLoss: { min: 2.0, max: 3.5 }, teacherParameters: { min: 2e8, max: 8e9 }, teacherTokens: { min: 4e9, max: 2e11 },
  },
};

test("figure points: no flag inside the domain; each variable outside flagged with its factor", () => {
  assert.deepEqual(plannedPointFlags({ studentParameters: 1e9, studentTokens: 1e11, teacherLoss: null, teacherParameters: null, teacherTokens: null }, DOMAIN), []);
  assert.deepEqual(plannedPointFlags({ studentParameters: 1e9, studentTokens: 1e11, teacherLoss: 2.5, teacherParameters: 4e9, teacherTokens: 1e11 }, DOMAIN), []);
  const supervised = plannedPointFlags({ studentParameters: 1e9, studentTokens: 4e12, teacherLoss: null, teacherParameters: null, teacherTokens: null }, DOMAIN);
  assert.deepEqual(supervised.map((f) => [f.variable, f.side, f.factor]), [["D", "above", 4], ["D/N", "above", 4]]);
  const distilled = plannedPointFlags({ studentParameters: 1e9, studentTokens: 1e11, teacherLoss: 1.9, teacherParameters: 6.4e10, teacherTokens: 1e11 }, DOMAIN);
  // The order is the plan row's (planValidityFlags): allocation first, then L_T*.
  assert.deepEqual(distilled.map((f) => f.variable), ["N_T*", "L_T*"]);
  const teacher = distilled.find((f) => f.variable === "N_T*")!;
  assert.equal(teacher.factor, 8);
  assert.match(teacher.message, /N_T\* = 64B: 8\.0x the largest fitted teacher/);
  // Best case: the teacher drawn is one of many; only L_T* is a plan quantity.
  const bestCase = plannedPointFlags({ studentParameters: 1e9, studentTokens: 1e11, teacherLoss: 2.5, teacherParameters: 6.4e10, teacherTokens: 1e13, teacherDetermined: false }, DOMAIN);
  assert.deepEqual(bestCase, []);
});

test("zoomDomain spans every value from 100x the smallest budget, and the lowest overall", () => {
  const points = [
    { budget: 1e17, low: 5, high: 5 }, { budget: 1e18, low: 4, high: 4.2 },
    { budget: 1e19, low: 2.8, high: 3.0 }, { budget: 1e23, low: 2.0, high: 2.1 },
  ];
  const [lo, hi] = zoomDomain(points);
  assert.ok(lo < 2.0 && lo > 1.9 && hi > 3.0 && hi < 3.1, `${lo}..${hi}`);
});

test("Figure 8's loss bands: exactly the members' bands inside the domain, widened by median x e at the point optimum beyond it", () => {
  const grid: CurveGrid = { studentParameters: [1.983e8, 7.75e9], strategies: GRID.strategies, budgets: [1e19, 1e21, 1e23, 1e25] };
  const ensemble = perturbedTable6(6, { seed: 5 });
  const point = figure8Point(TABLE6, grid);
  const members = ensemble.members.map((m) => figure8Member(m, grid, point));
  const growth = paperEnsembleFile().outOfDomain!;
  const domain = paperDomain();
  const plain = figure8Bands(grid, point, members, ensemble);
  assert.deepEqual(figure8Bands(grid, point, members, ensemble, 0.9, { domain: EVERYWHERE, growth }), plain);
  const widened = figure8Bands(grid, point, members, ensemble, 0.9, { domain, growth });
  let widenedCells = 0, insideCells = 0;
  grid.studentParameters.forEach((N, s) => grid.strategies.forEach((strategy, k) => grid.budgets.forEach((C, b) => {
    const i = cellIndex(grid, s, k, b);
    const before = plain.curves[i].loss, after = widened.curves[i].loss;
    const solved = solveStrategy(N, C, strategy);
    if (solved.status !== "optimal" || before === null) return;
    const nats = before.median * expectedError(growth, N, solved.studentTokens, solved.teacherLoss, domain);
    const what = `${strategy} N=${N} C=${C}`;
    if (nats === 0) {
      insideCells++;
      assert.deepEqual(after, before, what);
      return;
    }
    widenedCells++;
    assert.ok(after!.widened && !before.widened, what);
    assert.ok(Math.abs(after!.outOfDomainError - nats) <= 1e-9 * nats, `${what}: ${after!.outOfDomainError} vs ${nats}`);
    assert.ok(Math.abs(after!.low - (before.low - nats)) < 1e-12 && Math.abs(after!.high - (before.high + nats)) < 1e-12, what);
    assert.equal(after!.median, before.median, what);
  })));
  assert.ok(widenedCells >= 4 && insideCells >= 4, `${widenedCells} cells widened, ${insideCells} inside`);
  // Differences and shares are the members' own.
  assert.deepEqual(widened.curves.map((c) => [c.difference, c.shareBeatingSupervised]), plain.curves.map((c) => [c.difference, c.shareBeatingSupervised]));
});
