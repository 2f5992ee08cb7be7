// Spreading an ensemble over slices or worker threads must not change a single number.

import { test } from "node:test";
import assert from "node:assert/strict";
import { bootstrapEnsemble, mergeEnsembles } from "../src/core/ensemble/bootstrap.js";
import { FitError } from "../src/core/fitting/fitObjective.js";
import { fitSupervised } from "../src/core/fitting/fitSearch.js";
import { TABLE6 } from "../src/core/laws/laws.js";
import { inThreadBootstrap, type BootstrapJob } from "../src/core/fitting/analysis.js";
import { workerBootstrap } from "../src/node/bootstrapWorkers.js";
import { TABLE13_SIZES, syntheticSupervisedRuns } from "./fixtures/synthetic-runs.js";

const runs = syntheticSupervisedRuns({ noise: 0.004, seed: 5, sizes: TABLE13_SIZES.filter((_, i) => i % 3 === 0) });
const fit = fitSupervised(runs, {
  startGrid: { logA: [5, 10], logB: [5, 10], logE: [0, 0.5], alpha: [0.5], beta: [0.5], gamma: [0.5] },
});
const options = { supervisedFit: fit, distillationFit: null, distillationCoefficients: TABLE6.distillation };

test("slices of an ensemble joined in any order give the ensemble built in one go", () => {
  const whole = bootstrapEnsemble(runs, [], { ...options, resamples: 30, seed: 9 });
  const slices = [
    bootstrapEnsemble(runs, [], { ...options, resamples: 30, seed: 9, slice: { first: 20 } }),
    bootstrapEnsemble(runs, [], { ...options, resamples: 30, seed: 9, slice: { first: 0, count: 7 } }),
    bootstrapEnsemble(runs, [], { ...options, resamples: 30, seed: 9, slice: { first: 7, count: 13 } }),
  ];
  assert.deepEqual(mergeEnsembles(slices, 30), whole);
  assert.equal(whole.members.length + whole.leftOut, 30);
});

test("slices that miss or repeat resamples are refused", () => {
  const head = bootstrapEnsemble(runs, [], { ...options, resamples: 10, seed: 9, slice: { first: 0, count: 5 } });
  assert.throws(() => mergeEnsembles([head], 10), FitError);
  assert.throws(() => mergeEnsembles([head, head], 10), FitError);
  assert.throws(() => bootstrapEnsemble(runs, [], { ...options, resamples: 10, seed: 9, slice: { first: 8, count: 5 } }), FitError);
});

test("worker threads give the same ensemble as one thread", async () => {
  const job: BootstrapJob = {
    kind: "bootstrap", supervisedRuns: runs, distillationRuns: [], supervisedFit: fit, distillationFit: null,
    distillationCoefficients: TABLE6.distillation, resamples: 24, seed: 3,
  };
  const progress: number[] = [];
  const inThread = await inThreadBootstrap(job);
  const inWorkers = await workerBootstrap(2)(job, (done) => progress.push(done));
  assert.deepEqual(inWorkers, inThread);
  assert.equal(progress.at(-1), 24);
});
