import { test } from "node:test";
import assert from "node:assert/strict";
import {
  TABLE6, distilledLossFromSupervised, distillationToVector, logDistilledLoss, logSupervisedLoss, supervisedLoss, supervisedToVector,
  type DistillationCoefficients, type SupervisedCoefficients,
} from "../src/core/laws/laws.js";
import { DistillationData, FitError, SupervisedData } from "../src/core/fitting/fitObjective.js";
import { fitDistillation, fitSupervised, type LawFit } from "../src/core/fitting/fitSearch.js";
import { bootstrapDistillation, bootstrapSupervised } from "../src/core/ensemble/bootstrap.js";
import { randomLcg, randomNormal } from "d3-random";
import { TABLE13_SIZES, syntheticDistillationRuns, syntheticSupervisedRuns } from "./fixtures/synthetic-runs.js";

// Reduced start grids keep the suite fast where a test is not about the grid itself; they
// still contain zeros so the projected-start path is exercised.
const SMALL_SUPERVISED_GRID = {
  logA: [5, 10], logB: [5, 10], logE: [0, 0.5], alpha: [0, 0.5], beta: [0.5], gamma: [0.5, 1],
};
const SMALL_DISTILLATION_GRID = {
  logA: [5, 10], logB: [5, 10], alpha: [0.5], beta: [0.5], gamma: [0.5, 1],
  c0: [0, 1.5], c1: [0.5, 1.5], f1: [0, 0.5], logd1: [0, 0.5],
};

function huber(r: number, delta: number): number {
  return Math.abs(r) <= delta ? 0.5 * r * r : delta * (Math.abs(r) - 0.5 * delta);
}

function huberSlope(r: number, delta: number): number {
  return Math.abs(r) <= delta ? r : Math.sign(r) * delta;
}

/**
 * Checks a specialised objective's value and gradient against the sum over runs of the Huber loss
 * of `residual`, which writes the residual's gradient into its last argument.
 */
function assertMatchesHuberSum<Run>(
  objective: (theta: Float64Array, delta: number, grad: Float64Array) => number,
  theta: number[], delta: number, runs: readonly Run[],
  residual: (run: Run, gradient: Float64Array) => number, name: string,
): void {
  const grad = new Float64Array(theta.length);
  const value = objective(Float64Array.from(theta), delta, grad);
  let expected = 0;
  const expectedGrad = new Float64Array(theta.length);
  const g = new Float64Array(theta.length);
  for (const run of runs) {
    const r = residual(run, g);
    expected += huber(r, delta);
    for (let k = 0; k < theta.length; k++) expectedGrad[k] += huberSlope(r, delta) * g[k];
  }
  assert.ok(Math.abs(value - expected) <= 1e-12 * Math.max(1, expected), `${value} vs ${expected}`);
  for (let k = 0; k < theta.length; k++) assert.ok(Math.abs(grad[k] - expectedGrad[k]) <= 1e-10 * Math.max(1e-6, Math.abs(expectedGrad[k])), `${name} gradient ${k}`);
}

test("the specialised objective loops agree with logSupervisedLoss / logDistilledLoss, value and gradient", () => {
  const delta = 1e-3;
  const supRuns = syntheticSupervisedRuns({ noise: 0.004, seed: 3 }).slice(0, 60);
  const supData = SupervisedData.from(supRuns);
  for (const theta of [supervisedToVector(TABLE6.supervised), [0, 5, -1, 0, 0.5, 0], [20, 15, 1.5, 1.5, 1, 1.5]]) {
    assertMatchesHuberSum((t, d, grad) => supData.objective(t, d, grad), theta, delta, supRuns,
      (run, g) => logSupervisedLoss(theta, Math.log(run.N), Math.log(run.D), g) - Math.log(run.L), "supervised");
  }

  const disRuns = syntheticDistillationRuns({ noise: 0.004, seed: 4 }).slice(0, 120);
  const disData = DistillationData.from(disRuns, TABLE6.supervised);
  for (const theta of [distillationToVector(TABLE6.distillation), [0, 0, 0, 0, 0, 0, 0, 1e-3, -1], [20, 20, 1, 1, 1, 1.5, 1.5, 1.5, 1]]) {
    assertMatchesHuberSum((t, d, grad) => disData.objective(t, d, grad), theta, delta, disRuns, (run, g) => {
      const tilde = supervisedLoss(TABLE6.supervised, run.NS, run.DS);
      return logDistilledLoss(theta, Math.log(run.NS), Math.log(run.DS), Math.log(run.LT), Math.log(tilde), g) - Math.log(run.LS);
    }, "distillation");
  }
});

test("the factorised F.2 grid objectives equal the direct objective at every grid point, with no NaN", () => {
  const runs = syntheticDistillationRuns({ noise: 0.004, seed: 5 }).slice(0, 40);
  const data = DistillationData.from(runs, TABLE6.supervised);
  const grids = [[0, 20], [5, 15], [0, 1], [0.5], [0, 1], [0, 1.5], [0, 0.5], [1e-3, 1.5], [-1, 1]].map((g) => Float64Array.from(g));
  const values = data.gridObjectives(grids, 1e-4, () => {});
  assert.equal(values.length, 2 * 2 * 2 * 1 * 2 * 2 * 2 * 2 * 2);
  const theta = new Float64Array(9);
  for (let index = 0; index < values.length; index++) {
    // Decode with the documented order: (c0, c1, f1, log d1) major, then (log A, log B, alpha, beta, gamma).
    let rest = index;
    for (const p of [...data.gridOrder].reverse()) {
      theta[p] = grids[p][rest % grids[p].length];
      rest = Math.floor(rest / grids[p].length);
    }
    const direct = data.objective(theta, 1e-4, null);
    assert.ok(Number.isFinite(values[index]));
    assert.ok(Math.abs(values[index] - direct) <= 1e-12 * Math.max(1e-12, direct), `grid point ${index}: ${values[index]} vs ${direct}`);
  }
});

function assertReproduces<C>(fit: LawFit<C>, predicted: (c: C) => number[], observed: number[], tolerance: number): void {
  const p = predicted(fit.coefficients);
  for (let i = 0; i < observed.length; i++) {
    const rel = Math.abs(p[i] - observed[i]) / observed[i];
    assert.ok(rel <= tolerance, `run ${i}: predicted ${p[i]}, observed ${observed[i]} (relative ${rel})`);
  }
}

test("noise-free supervised runs: the fit reproduces every run within 1e-4 relative", () => {
  const runs = syntheticSupervisedRuns({ noise: 0, sizes: TABLE13_SIZES.filter((_, i) => i % 3 === 0) });
  const fit = fitSupervised(runs, { startGrid: SMALL_SUPERVISED_GRID });
  assert.ok(fit.converged, fit.message);
  assert.equal(fit.runs, runs.length);
  assert.deepEqual(fit.freeParameters, ["A", "B", "E", "alpha", "beta", "gamma"]);
  assert.equal(fit.starts, 2 * 2 * 2 * 2 * 1 * 2);
  assertReproduces(fit, (c) => runs.map((r) => supervisedLoss(c, r.N, r.D)), runs.map((r) => r.L), 1e-4);
});

test("noise-free distillation runs: the fit reproduces every run within 1e-4 relative", () => {
  const runs = syntheticDistillationRuns({ noise: 0 });
  const fit = fitDistillation(runs, TABLE6.supervised, { startGrid: SMALL_DISTILLATION_GRID });
  assert.ok(Number.isFinite(fit.objective));
  assertReproduces(
    fit,
    (c) => runs.map((r) => distilledLossFromSupervised(c, r.NS, r.DS, r.LT, supervisedLoss(TABLE6.supervised, r.NS, r.DS))),
    runs.map((r) => r.LS), 1e-4,
  );
});

// Chinchilla's published fit (Hoffmann et al. 2022, Approach 3), which has gamma = 1.
const CHINCHILLA: SupervisedCoefficients = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28, gamma: 1 };

test("fixing gamma = 1 fits the Chinchilla form and recovers Chinchilla-form data", () => {
  const runs = syntheticSupervisedRuns({ coefficients: CHINCHILLA, noise: 0, sizes: TABLE13_SIZES.filter((_, i) => i % 2 === 0) });
  const fit = fitSupervised(runs, { fixed: { gamma: 1 }, startGrid: { logA: [5, 10], logB: [5, 10], logE: [0, 0.5], alpha: [0, 0.5], beta: [0.5] } });
  assert.equal(fit.coefficients.gamma, 1);
  assert.deepEqual(fit.freeParameters, ["A", "B", "E", "alpha", "beta"]);
  assert.deepEqual(fit.fixed, { gamma: 1 });
  assert.equal(fit.starts, 16);
  assertReproduces(fit, (c) => runs.map((r) => supervisedLoss(c, r.N, r.D)), runs.map((r) => r.L), 1e-4);
  for (const key of ["E", "A", "B", "alpha", "beta"] as const) {
    const rel = Math.abs(fit.coefficients[key] - CHINCHILLA[key]) / CHINCHILLA[key];
    assert.ok(rel < 1e-2, `${key}: ${fit.coefficients[key]} vs ${CHINCHILLA[key]}`);
  }
});

test("fixed distillation coefficients stay at their values and leave the free vector", () => {
  const runs = syntheticDistillationRuns({ noise: 0.004, seed: 9 }).filter((_, i) => i % 3 === 0);
  const fit = fitDistillation(runs, TABLE6.supervised, { fixed: { c1: 522.6, d1: 1.3 }, startGrid: SMALL_DISTILLATION_GRID });
  assert.equal(fit.coefficients.c1, 522.6);
  assert.ok(Math.abs(fit.coefficients.d1 - 1.3) < 1e-15);
  assert.deepEqual(fit.freeParameters, ["A", "B", "alpha", "beta", "gamma", "c0", "f1"]);
  assert.equal(fit.starts, 2 * 2 * 1 * 1 * 2 * 2 * 2);
});

test("too few runs for the free coefficients is a FitError", () => {
  const runs = syntheticSupervisedRuns({ sizes: TABLE13_SIZES.slice(0, 5), tokensPerParameter: [20] });
  assert.throws(() => fitSupervised(runs), (e: unknown) => e instanceof FitError && e.code === "too-few-runs");
  // With gamma fixed, five runs determine five coefficients: no error.
  assert.doesNotThrow(() => fitSupervised(runs, { fixed: { gamma: 1 }, startGrid: { logA: [5], logB: [5], logE: [0], alpha: [0.5], beta: [0.5] } }));
  const disRuns = syntheticDistillationRuns().slice(0, 8);
  assert.throws(() => fitDistillation(disRuns, TABLE6.supervised), (e: unknown) => e instanceof FitError && e.code === "too-few-runs");
  assert.throws(() => fitSupervised([{ N: 1e9, D: -1, L: 3 }]), FitError);
  assert.throws(() => fitSupervised(runs, { fixed: { E: -1 } }), FitError);
});

test("zero starts for every exponent and for f1 give finite objectives and fits", () => {
  const supRuns = syntheticSupervisedRuns({ noise: 0.004, seed: 6 });
  const sup = fitSupervised(supRuns, { startGrid: { logA: [0], logB: [0], logE: [-1], alpha: [0], beta: [0], gamma: [0] } });
  assert.ok(Number.isFinite(sup.objective));
  for (const v of Object.values(sup.coefficients)) assert.ok(Number.isFinite(v));

  const disRuns = syntheticDistillationRuns({ noise: 0.004, seed: 6 }).filter((_, i) => i % 2 === 0);
  const zero = { logA: [0], logB: [0], alpha: [0], beta: [0], gamma: [0], c0: [0], c1: [0], f1: [0], logd1: [0] };
  const dis = fitDistillation(disRuns, TABLE6.supervised, { startGrid: zero });
  assert.ok(Number.isFinite(dis.objective));
  for (const v of Object.values(dis.coefficients)) assert.ok(Number.isFinite(v));
  assert.ok(dis.coefficients.f1 >= 1e-3);

  // The whole default F.2 grid (f1 = 0 included) on a few runs: every grid objective is finite.
  const data = DistillationData.from(disRuns.slice(0, 5), TABLE6.supervised);
  const grids = [[0, 5, 10, 15, 20], [0, 5, 10, 15, 20], [0, 0.5, 1], [0, 0.5, 1], [0, 0.5, 1], [0, 0.5, 1, 1.5], [0, 0.5, 1, 1.5], [1e-3, 0.5, 1, 1.5], [-1, -0.5, 0, 0.5, 1]]
    .map((g) => Float64Array.from(g));
  const values = data.gridObjectives(grids, 1e-4, () => {});
  assert.equal(values.length, 216000);
  assert.ok(values.every(Number.isFinite));
});

test("a 4x larger search reaches the same supervised optimum (reduced grid)", () => {
  const runs = syntheticSupervisedRuns({ noise: 0.004, seed: 12 });
  const grid = { logA: [0, 10, 20], logB: [0, 10, 20], logE: [-1, 0, 1], alpha: [0, 1], beta: [0, 1], gamma: [0, 1] };
  const small = fitSupervised(runs, { startGrid: grid, search: { refineStarts: 4 } });
  const large = fitSupervised(runs, { startGrid: grid, search: { refineStarts: 16 } });
  assert.ok(small.converged && large.converged);
  assert.ok(Math.abs(small.objective - large.objective) <= 1e-9 * large.objective, `${small.objective} vs ${large.objective}`);
});

test("screening on a subsample and polishing on every run reaches the full search's optimum (reduced grid)", () => {
  // 3000 runs of Table 6's law with 0.4% noise, screened on 300 of them.
  const random = randomLcg(18);
  const noise = randomNormal.source(random)(0, 0.004);
  const runs = Array.from({ length: 3000 }, () => {
    const N = Math.exp(Math.log(5e7) + random() * Math.log(200));
    const D = N * Math.exp(Math.log(5) + random() * Math.log(100));
    return { N, D, L: supervisedLoss(TABLE6.supervised, N, D) * Math.exp(noise()) };
  });
  const grid = { logA: [0, 10, 20], logB: [0, 10, 20], logE: [-1, 0, 1], alpha: [0, 1], beta: [0, 1], gamma: [0, 1] };
  const phases = new Map<string, number | undefined>();
  const sampled = fitSupervised(runs, { startGrid: grid, search: { screenRuns: 300 }, onProgress: (p) => phases.set(p.phase, p.runs) });
  const full = fitSupervised(runs, { startGrid: grid, search: { screenRuns: Infinity } });
  assert.ok(sampled.converged && full.converged);
  assert.equal(sampled.runs, 3000);
  assert.ok(Math.abs(sampled.objective - full.objective) <= 1e-9 * full.objective, `${sampled.objective} vs ${full.objective}`);
  // The sample ranks starts; every run decides the optimum.
  assert.deepEqual([...phases], [["grid", 300], ["screen", 300], ["refine", 300], ["polish", undefined]]);
  // The same seed draws the same sample: the fit is reproducible.
  assert.deepEqual(fitSupervised(runs, { startGrid: grid, search: { screenRuns: 300 } }).parameters, sampled.parameters);
});

test("same seed, same bootstrap intervals; another seed, other intervals", () => {
  const runs = syntheticSupervisedRuns({ noise: 0.004, seed: 13, sizes: TABLE13_SIZES.filter((_, i) => i % 2 === 0) });
  const fit = fitSupervised(runs, { startGrid: SMALL_SUPERVISED_GRID });
  const a = bootstrapSupervised(runs, fit, { resamples: 50, seed: 42 });
  const b = bootstrapSupervised(runs, fit, { resamples: 50, seed: 42 });
  const c = bootstrapSupervised(runs, fit, { resamples: 50, seed: 43 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.intervals, c.intervals);
  assert.equal(a.resamples, 50);
  for (const v of Object.values(a.intervals)) assert.ok(v.lower <= v.upper);
});

/** How often (out of the seeds) each coefficient falls in its 90% interval. */
function coverage<C extends object>(truth: C, intervals: Record<string, { lower: number; upper: number }>[]): Record<string, number> {
  const hits: Record<string, number> = {};
  for (const key of Object.keys(truth)) {
    hits[key] = intervals.filter((iv) => iv[key].lower <= (truth as Record<string, number>)[key] && (truth as Record<string, number>)[key] <= iv[key].upper).length;
  }
  return hits;
}

test("with 0.4% noise the true supervised coefficients are inside the 90% intervals for at least 4 of 5 seeds", () => {
  const all: Record<string, { lower: number; upper: number }>[] = [];
  for (const seed of [21, 22, 23, 24, 25]) {
    const runs = syntheticSupervisedRuns({ noise: 0.004, seed, sizes: TABLE13_SIZES.filter((_, i) => i % 2 === 0) });
    const fit = fitSupervised(runs, { startGrid: SMALL_SUPERVISED_GRID });
    const boot = bootstrapSupervised(runs, fit, { resamples: 200, seed });
    assert.ok(boot.failed <= 10, `${boot.failed} of 200 resamples failed`);
    all.push(boot.intervals);
  }
  const hits = coverage(TABLE6.supervised, all);
  for (const [key, n] of Object.entries(hits)) assert.ok(n >= 4, `${key} covered for ${n} of 5 seeds: ${JSON.stringify(all.map((iv) => iv[key]))}`);
});

// Why not Table 6 here: with Table 6, B'/D_S^beta' is under 0.5% of A'/N_S^alpha' for every
// run of the protocol, so B' and beta' are not determined, and A', alpha', gamma' only through
// A'^gamma' and alpha' gamma'; likewise c1 and d1 only through c1 f1 d1^(-1/f1) below the switch.
// A percentile interval cannot cover a coefficient the data do not determine (the fits drift to
// A' ~ 1e12). So coverage is tested on a law whose terms all matter in these runs, with c1
// held fixed as the paper's zero-width c1 interval (522.6, 522.6) suggests it effectively was.
const IDENTIFIABLE: DistillationCoefficients = { A: 2243, B: 3000, alpha: 0.321, beta: 0.3, gamma: 0.764, c0: 2.549, c1: 3, f1: 0.3, d1: 1.315 };

test("with 0.4% noise the true distillation coefficients are inside the 90% intervals for at least 4 of 5 seeds", () => {
  const all: Record<string, { lower: number; upper: number }>[] = [];
  for (const seed of [31, 32, 33, 34, 35]) {
    const runs = syntheticDistillationRuns({ distillation: IDENTIFIABLE, noise: 0.004, seed, studentTokensPerParameter: [5, 20, 80, 320] });
    const fit = fitDistillation(runs, TABLE6.supervised, { startGrid: SMALL_DISTILLATION_GRID, fixed: { c1: IDENTIFIABLE.c1 } });
    const boot = bootstrapDistillation(runs, TABLE6.supervised, fit, { resamples: 200, seed });
    assert.ok(boot.failed <= 10, `${boot.failed} of 200 resamples failed`);
    assert.deepEqual(boot.intervals.c1, { lower: IDENTIFIABLE.c1, upper: IDENTIFIABLE.c1 });
    all.push(boot.intervals);
  }
  const hits = coverage(IDENTIFIABLE, all);
  for (const [key, n] of Object.entries(hits)) assert.ok(n >= 4, `${key} covered for ${n} of 5 seeds: ${JSON.stringify(all.map((iv) => iv[key]))}`);
});
