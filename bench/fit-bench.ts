// Speed and search-coverage figures of the fitter on synthetic runs generated from Table 6.
// Run standalone: npx tsx bench/fit-bench.ts [--quick]
// The synthetic runs come from test/fixtures/synthetic-runs.ts, shared with the fitter tests.

import { pathToFileURL } from "node:url";
import {
  DISTILLATION_PARAMETERS, SUPERVISED_PARAMETERS, TABLE6, distillationToVector, supervisedToVector,
} from "../src/core/laws/laws.js";
import { syntheticDistillationRuns, syntheticSupervisedRuns } from "../test/fixtures/synthetic-runs.js";
import { fitDistillation, fitSupervised, type LawFit } from "../src/core/fitting/fitSearch.js";
import { bootstrapDistillation, bootstrapSupervised } from "../src/core/ensemble/bootstrap.js";

function seconds(start: number): string {
  return ((performance.now() - start) / 1000).toFixed(2);
}

function show<C>(label: string, fit: LawFit<C>, elapsed: string): void {
  const coefficients = Object.entries(fit.coefficients as Record<string, number>)
    .map(([k, v]) => `${k}=${v.toPrecision(5)}`).join(" ");
  console.log(`${label}: ${elapsed} s, objective ${fit.objective.toExponential(10)}, ${fit.status}, ` +
    `${fit.starts} grid starts, ${fit.localSearches} local searches, ${fit.evaluations} evaluations`);
  console.log(`  ${coefficients}`);
}

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  console.log(`fit-bench (node ${process.version}${quick ? ", quick" : ""})`);

  const supervisedRuns = syntheticSupervisedRuns({ noise: 0.004, seed: 7 });
  let t = performance.now();
  const sup = fitSupervised(supervisedRuns);
  show(`supervised, ${supervisedRuns.length} runs, full F.1 grid`, sup, seconds(t));
  t = performance.now();
  const sup4 = fitSupervised(supervisedRuns, { search: { refineStarts: 96 } });
  show("supervised, 4x K", sup4, seconds(t));
  console.log(`  relative objective difference vs default search: ${relative(sup.objective, sup4.objective).toExponential(2)}` +
    ` (the larger search ${sup4.objective < sup.objective ? "is better" : "is not better"})`);

  const distillationRuns = syntheticDistillationRuns({ noise: 0.004, seed: 8 });
  t = performance.now();
  const dis = fitDistillation(distillationRuns, sup.coefficients);
  show(`distillation, ${distillationRuns.length} runs, F.2 grid`, dis, seconds(t));
  t = performance.now();
  const dis4 = fitDistillation(distillationRuns, sup.coefficients, { search: { refineStarts: 128 } });
  show("distillation, 4x K", dis4, seconds(t));
  console.log(`  relative objective difference vs default search: ${relative(dis.objective, dis4.objective).toExponential(2)}` +
    ` (the larger search ${dis4.objective < dis.objective ? "is better" : "is not better"})`);

  // A local search started at the coefficients that generated the data: the grid search
  // should do at least as well, else it missed the basin the truth lies in.
  const truthStart = (names: readonly string[], vector: number[]) =>
    Object.fromEntries(names.map((name, i) => [name, [vector[i]]]));
  t = performance.now();
  const supTruth = fitSupervised(supervisedRuns, { startGrid: truthStart(SUPERVISED_PARAMETERS, supervisedToVector(TABLE6.supervised)) });
  console.log(`supervised, single start at the generating coefficients: objective ${supTruth.objective.toExponential(10)} ` +
    `(grid search ${sup.objective <= supTruth.objective * (1 + 1e-9) ? "matches or beats it" : "is WORSE"}), ${seconds(t)} s`);
  t = performance.now();
  const disTruth = fitDistillation(distillationRuns, sup.coefficients, {
    startGrid: truthStart(DISTILLATION_PARAMETERS, distillationToVector(TABLE6.distillation)),
  });
  console.log(`distillation, single start at the generating coefficients: objective ${disTruth.objective.toExponential(10)} ` +
    `(grid search ${dis.objective <= disTruth.objective * (1 + 1e-9) ? "matches or beats it" : "is WORSE"}), ${seconds(t)} s`);

  if (!quick) {
    t = performance.now();
    const bs = bootstrapSupervised(supervisedRuns, sup, { resamples: 1024, seed: 1 });
    console.log(`supervised bootstrap, 1024 resamples: ${seconds(t)} s, ${bs.failed} failed`);
    console.log("  " + Object.entries(bs.intervals).map(([k, v]) => `${k} (${v.lower.toPrecision(5)}, ${v.upper.toPrecision(5)})`).join(" "));
    t = performance.now();
    const bd = bootstrapDistillation(distillationRuns, sup.coefficients, dis, { resamples: 256, seed: 1 });
    console.log(`distillation bootstrap, 256 resamples: ${seconds(t)} s, ${bd.failed} failed`);
    console.log("  " + Object.entries(bd.intervals).map(([k, v]) => `${k} (${v.lower.toPrecision(5)}, ${v.upper.toPrecision(5)})`).join(" "));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
