// Coefficients at a limit of their search (docs/spec.md section 10): named by the fit, one-sided
// intervals, and bootstrap refits that can leave the point fit's value. Runs are generated from
// known coefficients whose E is 0, so the truth is at the limit.

import { test } from "node:test";
import assert from "node:assert/strict";
import { randomLcg, randomNormal } from "d3-random";
import { SUPERVISED_SEARCH, SUPERVISED_SPEC, coefficientsAtBound, fitSupervised, resolveProblem } from "../src/core/fitting/fitSearch.js";
import { bootstrapSupervised, refitFromStarts, refitResample, refitStarts } from "../src/core/ensemble/bootstrap.js";
import { SupervisedData } from "../src/core/fitting/fitObjective.js";
import { TABLE6, supervisedLoss } from "../src/core/laws/laws.js";
import type { SupervisedRun } from "../src/core/fitting/runs.js";
import { compareCoefficients } from "../src/components/charts/fitsCharts.js";

/** 16 runs of Eq. 1 with E = 0, log-normal noise of relative size `noise`. */
function runsWithoutFloor(noise: number, seed: number): SupervisedRun[] {
  const truth = { ...TABLE6.supervised, E: 0 };
  const normal = randomNormal.source(randomLcg(seed))(0, noise);
  const runs: SupervisedRun[] = [];
  for (const N of [1e8, 3e8, 1e9, 3e9]) for (const tokensPerParameter of [5, 20, 80, 320]) {
    runs.push({ N, D: N * tokensPerParameter, L: supervisedLoss(truth, N, N * tokensPerParameter) * Math.exp(normal()) });
  }
  return runs;
}

const runs = runsWithoutFloor(0.003, 1);
const fit = fitSupervised(runs);

test("a fit with E at its limit 0 names it, and its interval is one-sided from 0", () => {
  assert.ok(fit.coefficients.E < 1e-9, `E = ${fit.coefficients.E}`);
  assert.deepEqual(fit.atBound.map((b) => [b.coefficient, b.side, b.limit]), [["E", "lower", 0]]);
  const boot = bootstrapSupervised(runs, fit, { resamples: 50, seed: 3 });
  assert.equal(boot.intervals.E.atBound, "lower");
  assert.equal(boot.intervals.E.lower, 0);
  // Not a point interval at the fit's 1e-26: the members that left it reach E of a few hundredths.
  assert.ok(boot.intervals.E.upper > 0.01, `upper ${boot.intervals.E.upper}`);
  // The other coefficients are inside their limits: central intervals around the fit.
  assert.equal(boot.intervals.alpha.atBound, undefined);
  // /fits and /yourruns (Table 6 beside the refit) carry the bound to the cell.
  const rows = compareCoefficients({
    id: "generated", label: "generated", runs: { supervised: runs.length, distillation: 0 }, bootstrap: { resamples: 50, seed: 3, level: 0.9 },
    supervised: { fit, bootstrap: boot }, distillation: null, extrapolation: null,
  });
  assert.deepEqual(rows.filter((r) => r.refitAtBound !== null).map((r) => [r.coefficient, r.refitAtBound, r.refitLower]), [["E", "lower", 0]]);
  assert.ok(boot.intervals.alpha.lower < fit.coefficients.alpha && fit.coefficients.alpha < boot.intervals.alpha.upper);
});

test("refits warm-started at E = 0 stay there; the escape starts let resamples that want E > 0 find it", () => {
  const data = SupervisedData.from(runs);
  const base = resolveProblem(SUPERVISED_SPEC, data, {});
  const start = Float64Array.from(base.free, (p) => fit.parameters[p]);
  // The point fit's start plus one per grid value of log E (6).
  assert.equal(refitStarts(base, start).length, 7);
  const rng = randomLcg(3);
  const search = { ...SUPERVISED_SEARCH, maxIterations: 10000 };
  let warmLeft = 0, escapedLeft = 0, lower = 0;
  const resamples = 20;
  for (let b = 0; b < resamples; b++) {
    const counts = new Float64Array(runs.length);
    for (let k = 0; k < runs.length; k++) counts[Math.floor(rng() * runs.length)]++;
    const indices: number[] = [], weights: number[] = [];
    counts.forEach((c, i) => { if (c > 0) { indices.push(i); weights.push(c); } });
    const problem = { ...base, data: data.subset(Int32Array.from(indices), Float64Array.from(weights)) };
    const warm = refitResample(problem, data, start, search);
    const escaped = refitFromStarts(problem, data, start, search);
    assert.ok(escaped.objective <= warm.objective * (1 + 1e-12), `resample ${b}: ${escaped.objective} > ${warm.objective}`);
    if (escaped.objective < warm.objective * (1 - 1e-9)) lower++;
    if (warm.coefficients!.E > 1e-9) warmLeft++;
    if (escaped.coefficients!.E > 1e-9) escapedLeft++;
  }
  assert.equal(warmLeft, 0);
  assert.ok(escapedLeft >= resamples / 4, `${escapedLeft} of ${resamples} left E = 0`);
  assert.equal(lower, escapedLeft);
});

test("an interior fit names nothing; an exponent at 0 is named at its lower limit", () => {
  const noisy = runsWithoutFloor(0.01, 7);
  const interior = fitSupervised(noisy);
  assert.ok(interior.coefficients.E > 0.01);
  assert.deepEqual(interior.atBound, []);
  const problem = resolveProblem(SUPERVISED_SPEC, SupervisedData.from(noisy), {});
  const theta = interior.parameters.slice();
  theta[SUPERVISED_SPEC.coefficients.indexOf("beta")] = 5e-7;
  assert.deepEqual(coefficientsAtBound(problem, theta).map((b) => [b.coefficient, b.side]), [["beta", "lower"]]);
  theta[SUPERVISED_SPEC.coefficients.indexOf("beta")] = 2e-6;
  assert.deepEqual(coefficientsAtBound(problem, theta), []);
});
