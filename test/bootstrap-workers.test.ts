// Spreading a bootstrap over slices or worker threads must not change a single number.

import { test } from "node:test";
import assert from "node:assert/strict";
import { bootstrapIntervals, bootstrapSupervised, fitSupervised, supervisedBootstrapDraws, FitError } from "../src/core/fitter.js";
import { inThreadBootstrap, type BootstrapJob } from "../src/core/analysis.js";
import { workerBootstrap } from "../src/node/bootstrapWorkers.js";
import { TABLE13_SIZES, syntheticSupervisedRuns } from "./fixtures/synthetic-runs.js";

const runs = syntheticSupervisedRuns({ noise: 0.004, seed: 5, sizes: TABLE13_SIZES.filter((_, i) => i % 3 === 0) });
const fit = fitSupervised(runs, {
  startGrid: { logA: [5, 10], logB: [5, 10], logE: [0, 0.5], alpha: [0.5], beta: [0.5], gamma: [0.5] },
});

test("slices of a bootstrap joined in any order give the intervals of the whole", () => {
  const whole = bootstrapSupervised(runs, fit, { resamples: 30, seed: 9 });
  const options = { resamples: 30, seed: 9 };
  const slices = [
    supervisedBootstrapDraws(runs, fit, options, { first: 20 }),
    supervisedBootstrapDraws(runs, fit, options, { first: 0, count: 7 }),
    supervisedBootstrapDraws(runs, fit, options, { first: 7, count: 13 }),
  ];
  assert.deepEqual(bootstrapIntervals(slices), whole);
});

test("slices that miss or repeat resamples are refused", () => {
  const options = { resamples: 10, seed: 9 };
  const head = supervisedBootstrapDraws(runs, fit, options, { first: 0, count: 5 });
  assert.throws(() => bootstrapIntervals([head]), FitError);
  assert.throws(() => bootstrapIntervals([head, head]), FitError);
  assert.throws(() => supervisedBootstrapDraws(runs, fit, options, { first: 8, count: 5 }), FitError);
});

test("worker threads give the same intervals as one thread", async () => {
  const job: BootstrapJob = { law: "supervised", runs, fit, resamples: 24, seed: 3 };
  const progress: number[] = [];
  const inThread = await inThreadBootstrap(job);
  const inWorkers = await workerBootstrap(2)(job, (done) => progress.push(done));
  assert.deepEqual(inWorkers, inThread);
  assert.equal(progress.at(-1), 24);
});
