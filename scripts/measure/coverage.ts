// The held-out coverage check of docs/uncertainty.md ("Beyond the runs"): runs of the paper's design
// drawn from known coefficients that are not Table 6's, fitted with the full start grids as
// `fit --bootstrap 100` fits them, 9 (student, budget) cases inside the runs x 5 strategies.
// Prints the coverage of the 90% bands before and after the out-of-domain widening.
// `npm run measure:coverage` (DP_COVERAGE_RESAMPLES overrides the 100 resamples).

import { STRATEGIES } from "../../src/core/allocation/plan.js";
import { generatePaperSynthetic } from "../../src/core/fitting/synth.js";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { HELD_OUT_CASES, HELD_OUT_TRUTH, checkHeldOut, coverageFigures, fitHeldOut } from "../../src/core/uncertainty/heldOutCoverage.js";
import { workerBootstrap } from "../../src/node/bootstrapWorkers.js";

const resamples = Number(process.env.DP_COVERAGE_RESAMPLES ?? 100);
const started = Date.now();
// DP_COVERAGE_TRUTH='{"supervised": {...}, "distillation": {...}}' checks other known coefficients.
const truth = process.env.DP_COVERAGE_TRUTH ? JSON.parse(process.env.DP_COVERAGE_TRUTH) : HELD_OUT_TRUTH;
const runs = generatePaperSynthetic({ coefficients: truth, seed: 7 });
// DP_COVERAGE_FIT=FILE keeps the fit, ensemble and growth in FILE (reused when it exists), for
// trying the widening on the same fit.
const cache = process.env.DP_COVERAGE_FIT;
const fit = cache && existsSync(cache) ? JSON.parse(readFileSync(cache, "utf8")) : await fitHeldOut({
  runs, resamples, seed: 11, bootstrapRunner: workerBootstrap(2),
  onProgress: (m) => process.stderr.write(`[coverage] ${m}\n`),
});
if (cache && !existsSync(cache)) writeFileSync(cache, JSON.stringify(fit));
const result = checkHeldOut(fit, { truth, cases: HELD_OUT_CASES, strategies: STRATEGIES.map((s) => s.id) });
const f = coverageFigures(result.cases);
const pct = (n: number) => `${n} of ${f.cases}`;
console.log(`runs: ${runs.supervised.length} supervised, ${runs.distillation.length} distillation; ` +
  `${result.ensemble.members} of ${result.ensemble.requested} members kept (${fit.ensemble.implausible ?? 0} implausible ones left out); ${((Date.now() - started) / 1000).toFixed(0)} s wall`);
for (const g of [...result.growth.supervised, ...(result.growth.distillation ?? [])]) {
  console.log(`growth ${g.law} ${g.direction}: slope ${g.slope.toFixed(4)} per ln(factor) (envelope ${g.envelopeSlope.toFixed(4)}), ` +
    `noise ${(100 * g.noise).toFixed(2)}%, ${g.innerRuns} inner / ${g.outerRuns} outer runs, factors up to ${g.maxFactor.toFixed(2)}`);
}
console.log(`members' bands: truth inside in ${pct(f.inside)}, median width ${f.medianWidth.toFixed(4)} nats`);
console.log(`widened bands:  truth inside in ${pct(f.insideWidened)}, median width ${f.medianWidenedWidth.toFixed(4)} nats; ${f.widened} widened`);
for (const id of STRATEGIES.map((s) => s.id)) {
  const cs = result.cases.filter((c) => c.strategy === id);
  console.log(`  ${id}: ${cs.filter((c) => c.inside).length} / ${cs.filter((c) => c.insideWidened).length} of ${cs.length} inside (before / after), ` +
    `${cs.filter((c) => c.widened).length} widened`);
}
for (const c of result.cases) {
  console.log(`  N_S ${c.student.toExponential(2)} C ${c.budget.toExponential(0)} ${c.strategy}: true ${c.truth.toFixed(4)} ` +
    `band [${c.band.low.toFixed(4)}, ${c.band.high.toFixed(4)}] widened [${c.widenedBand.low.toFixed(4)}, ${c.widenedBand.high.toFixed(4)}] ` +
    `x${c.extrapolationFactor.toFixed(2)}${c.inside ? "" : " MISS"}${c.insideWidened ? "" : " MISS-WIDENED"}`);
}
