// Speed and search-coverage figures of the fitter on synthetic runs generated from Table 6.
// Run standalone: npx tsx bench/fit-bench.ts [--quick]
// The generators are exported for test/fitter.test.ts; nothing runs on import.

import { pathToFileURL } from "node:url";
import { randomLcg, randomNormal } from "d3-random";
import {
  DISTILLATION_PARAMETERS, SUPERVISED_PARAMETERS, TABLE6, distillationToVector, distilledLossGiven, supervisedLoss, supervisedToVector,
  type DistillationCoefficients, type SupervisedCoefficients,
} from "../src/core/laws.js";
import type { DistillationRun, SupervisedRun } from "../src/core/runs.js";
import { TABLE13_MODELS } from "../src/core/synth.js";
import { fitDistillation, fitSupervised, type LawFit } from "../src/core/fitSearch.js";
import { bootstrapDistillation, bootstrapSupervised } from "../src/core/bootstrap.js";

/** Non-embedding sizes of Table 13, smallest first. */
export const TABLE13_SIZES = TABLE13_MODELS.map((m) => m.N);

function noiseSource(seed: number, noise: number): () => number {
  const normal = randomNormal.source(randomLcg(seed))(0, 1);
  return () => (noise === 0 ? 1 : 1 + noise * normal());
}

/** sizes x tokens-per-parameter, L = L(N, D) * (1 + noise * z). */
export function syntheticSupervisedRuns(options: {
  coefficients?: SupervisedCoefficients; sizes?: number[]; tokensPerParameter?: number[]; noise?: number; seed?: number;
} = {}): SupervisedRun[] {
  const c = options.coefficients ?? TABLE6.supervised;
  const factor = noiseSource(options.seed ?? 1, options.noise ?? 0);
  const runs: SupervisedRun[] = [];
  for (const N of options.sizes ?? TABLE13_SIZES) {
    for (const M of options.tokensPerParameter ?? [2.5, 5, 10, 20, 40, 80, 160, 320]) {
      const D = M * N;
      runs.push({ N, D, L: supervisedLoss(c, N, D) * factor() });
    }
  }
  return runs;
}

/**
 * Teachers at D_T = 20 N_T with L_T from the supervised law, distilled into every student size
 * at several tokens-per-parameter. Small teachers with large long-trained students put runs on
 * both sides of the switch L_T = d1 L~_S, which is what makes c1, f1 and d1 identifiable.
 */
export function syntheticDistillationRuns(options: {
  supervised?: SupervisedCoefficients; distillation?: DistillationCoefficients;
  teachers?: number[]; students?: number[]; studentTokensPerParameter?: number[]; noise?: number; seed?: number;
} = {}): DistillationRun[] {
  const s = options.supervised ?? TABLE6.supervised;
  const d = options.distillation ?? TABLE6.distillation;
  const factor = noiseSource(options.seed ?? 2, options.noise ?? 0);
  const pick = (indices: number[]) => indices.map((i) => TABLE13_SIZES[i]);
  const runs: DistillationRun[] = [];
  for (const NT of options.teachers ?? pick([0, 2, 4, 6, 9, 13, 18, 21, 26, 32])) {
    const DT = 20 * NT;
    const LT = supervisedLoss(s, NT, DT);
    for (const NS of options.students ?? pick([0, 2, 4, 6, 9, 13, 18, 21, 26, 32])) {
      for (const M of options.studentTokensPerParameter ?? [5, 10, 20, 40, 80, 160, 320]) {
        const DS = M * NS;
        const LS = distilledLossGiven(d, NS, DS, LT, supervisedLoss(s, NS, DS));
        runs.push({ NS, DS, NT, DT, LT, LS: LS * factor() });
      }
    }
  }
  return runs;
}

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
