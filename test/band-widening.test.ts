// Target-loss and lifetime bands beyond the validity domain (src/core/domain/bandWidening.ts, used by
// targetLossUncertainty.ts and lifetimeUncertainty.ts): inside the domain the members' bands
// exactly; beyond it the sides moved to what an independent computation gives: the loss error
// summed here from the growth's slopes and the answer's own factors, the point fit re-solved here
// at the targets L*(1 - e) and L*(1 + e). Widening grows with the slopes; a harder target out of
// reach leaves the band unbounded, never NaN; the exports carry `widened` and the added error.

import { test } from "node:test";
import assert from "node:assert/strict";
import { TABLE6 } from "../src/core/laws/laws.js";
import { SCENARIOS } from "../src/core/laws/scenarios.js";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import { paperEnsembleFile } from "../src/cli/ensembleFile.js";
import type { OutOfDomainGrowth } from "../src/core/domain/outOfDomain.js";
import type { ValidityDomain } from "../src/core/domain/validity.js";
import { unwidened, widenedBandText, type WidenedBand } from "../src/core/domain/bandWidening.js";
import { targetLossCompute } from "../src/core/questions/targetLoss.js";
import { lifetimeAnswer, lifetimeStrategies, LIFETIME_MIN_TOKENS_PER_PARAMETER, type LifetimeQuestion } from "../src/core/questions/lifetime.js";
import {
  solveTargetMember, summariseTargetUncertainty, targetCostBrackets, targetPointAnswers, targetUncertaintyRecord, TARGET_UNCERTAINTY_COLUMNS,
  type NamedStrategy, type TargetUncertaintyInputs,
} from "../src/core/uncertainty/targetLossUncertainty.js";
import {
  lifetimeBandRecord, lifetimeBrackets, solveLifetimeMember, summariseLifetimeUncertainty, type LifetimeUncertaintyInputs,
} from "../src/core/uncertainty/lifetimeUncertainty.js";
import { rowsToCsv } from "../src/core/export/tableExport.js";
import { csvParse } from "d3-dsv";
import { perturbedTable6 } from "./helpers/testEnsemble.js";
import { EVERYWHERE, expectedError } from "./helpers/outOfDomainExpected.js";

const DOMAIN = paperDomain();
const GROWTH = paperEnsembleFile().outOfDomain!;
const ENSEMBLE = perturbedTable6(12, { seed: 7 });
const NAMED: NamedStrategy[] = [
  { id: "supervised", label: "Supervised", strategy: "supervised" },
  ...SCENARIOS.map((s) => ({ id: s.id, label: s.label, strategy: s.id })),
];

/** The growth with every slope multiplied by k. */
function scaled(growth: OutOfDomainGrowth, k: number): OutOfDomainGrowth {
  const times = (list: OutOfDomainGrowth["supervised"]) => list.map((g) => ({ ...g, slope: k * g.slope }));
  return { ...growth, supervised: times(growth.supervised), distillation: growth.distillation && times(growth.distillation) };
}

const close = (a: number, b: number, what: string, tolerance = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b)), `${what}: ${a} vs ${b}`);

function sameBand(a: WidenedBand | null, b: WidenedBand | null, what: string) {
  assert.ok(a && b, what);
  assert.deepEqual([a!.low, a!.median, a!.high, a!.count, a!.missing, a!.widened, a!.outOfDomainError], [b!.low, b!.median, b!.high, b!.count, b!.missing, false, 0], what);
}

// -------------------------------------------------------------------------------------------
// Target loss: 1B student, L* = 2.3 (the example): teacher inference and the best case
// train the student on 0.23 tokens per parameter, far below the runs.

const TARGET: TargetUncertaintyInputs = { studentParameters: 1e9, targetLoss: 2.3, strategies: NAMED };
const targetOutcomes = ENSEMBLE.members.map((m) => solveTargetMember(TARGET, m));
const targetPoints = targetPointAnswers(TARGET, TABLE6);

function targetSummary(growth: OutOfDomainGrowth | null, domain: ValidityDomain = DOMAIN, inputs = TARGET, outcomes = targetOutcomes) {
  const withGrowth = { ...inputs, outOfDomain: growth && { domain, growth } };
  const points = targetPointAnswers(withGrowth, TABLE6);
  return summariseTargetUncertainty(withGrowth, outcomes, ENSEMBLE, 0.9, { points, domain, brackets: targetCostBrackets(withGrowth, points, TABLE6) });
}

test("target loss: inside the domain every band is the members' band exactly", () => {
  const plain = targetSummary(null);
  const everywhere = targetSummary(GROWTH, EVERYWHERE);
  for (const [i, s] of everywhere.strategies.entries()) {
    for (const key of ["compute", "computeRatio", "dataRatio"] as const) sameBand(s[key], plain.strategies[i][key], `${s.id} ${key}`);
  }
  // With the paper's domain, the rows whose point answer lies inside stay as they are too.
  const widened = targetSummary(GROWTH);
  const inside = targetPoints.filter((p) => p.result.status === "optimal" && expectedError(GROWTH, p.result.studentParameters, p.result.studentTokens, p.result.teacherLoss) === 0);
  assert.ok(inside.some((p) => p.id === "supervised"), "supervised training at 1B, 2.3 nats lies inside the runs");
  for (const p of inside) sameBand(widened.strategies.find((s) => s.id === p.id)!.compute, plain.strategies.find((s) => s.id === p.id)!.compute, p.id);
});

test("target loss beyond the domain: each band's sides move to the point fit's answers at L*(1 - e) and L*(1 + e), solved here", () => {
  const plain = targetSummary(null);
  const widened = targetSummary(GROWTH);
  const cost = (id: string, loss: number) => {
    const r = targetLossCompute(TARGET.studentParameters, loss, NAMED.find((s) => s.id === id)!.strategy, { coefficients: TABLE6 });
    return r.status === "optimal" ? r : null;
  };
  const multipliers = (id: string, value: (r: { compute: number; dataTokens: number }) => number): [number, number, number] => {
    const r = targetPoints.find((p) => p.id === id)!.result;
    assert.ok(r.status === "optimal");
    const e = expectedError(GROWTH, r.studentParameters, r.studentTokens, r.teacherLoss);
    if (e === 0) return [1, 1, 0];
    const easier = cost(id, TARGET.targetLoss * (1 + e)), harder = cost(id, TARGET.targetLoss * (1 - e));
    assert.ok(easier && harder, `${id}: both bracketing targets reachable`);
    const ratios = [1, value(easier!) / value(r), value(harder!) / value(r)];
    return [Math.min(...ratios), Math.max(...ratios), TARGET.targetLoss * e];
  };
  let widenedRows = 0;
  const [sLow, sHigh, sNats] = multipliers("supervised", (r) => r.compute);
  const [dsLow, dsHigh] = multipliers("supervised", (r) => r.dataTokens);
  for (const [i, s] of widened.strategies.entries()) {
    const before = plain.strategies[i];
    const [low, high, nats] = multipliers(s.id, (r) => r.compute);
    if (nats > 0) widenedRows++;
    assert.equal(s.compute!.widened, nats > 0, s.id);
    close(s.compute!.low, before.compute!.low * low, `${s.id} compute low`);
    close(s.compute!.high, before.compute!.high * high, `${s.id} compute high`);
    close(s.compute!.outOfDomainError, nats, `${s.id} added error`, 1e-12);
    if (s.id === "supervised") continue;
    // Ratios from the widened numerator and denominator: low over the denominator's high, high over its low.
    close(s.computeRatio!.low, (before.computeRatio!.low * low) / sHigh, `${s.id} compute ratio low`);
    close(s.computeRatio!.high, (before.computeRatio!.high * high) / sLow, `${s.id} compute ratio high`);
    const [tLow, tHigh] = multipliers(s.id, (r) => r.dataTokens);
    close(s.dataRatio!.low, (before.dataRatio!.low * tLow) / dsHigh, `${s.id} data ratio low`);
    close(s.dataRatio!.high, (before.dataRatio!.high * tHigh) / dsLow, `${s.id} data ratio high`);
    close(s.computeRatio!.outOfDomainError, nats + sNats, `${s.id} ratio error`, 1e-12);
  }
  assert.ok(widenedRows >= 2, `${widenedRows} rows widened`);
  const inference = widened.strategies.find((s) => s.id === "teacher-inference")!;
  assert.ok(inference.compute!.widened && inference.compute!.low < plain.strategies[2].compute!.low && inference.compute!.extrapolationFactor > 10);
});

test("target loss: the widening grows with the growth's slopes", () => {
  let previous: { low: number; high: number } | null = null;
  for (const k of [0.25, 0.5, 1, 2]) {
    const s = targetSummary(scaled(GROWTH, k)).strategies.find((r) => r.id === "teacher-inference")!;
    const { low, high } = s.computeRatio!;
    if (previous) assert.ok(low < previous.low && high > previous.high, `slope x${k}: ${low}..${high} inside ${previous.low}..${previous.high}`);
    previous = { low, high };
  }
});

test("target loss: a harder target out of the point fit's reach leaves the band unbounded (never NaN); the exports say so", () => {
  // 1B at 2.095 nats, just above the floors (2.079 supervised, 2.088 distilled, with D_S up to 1e17):
  // 10x the slopes put L*(1 - e) below what the distilled strategies can reach.
  const inputs = { ...TARGET, targetLoss: 2.095 };
  const outcomes = ENSEMBLE.members.map((m) => solveTargetMember(inputs, m));
  const u = targetSummary(scaled(GROWTH, 10), DOMAIN, inputs, outcomes);
  const open = u.strategies.filter((s) => s.compute?.unbounded);
  assert.ok(open.length > 0, "some band is unbounded");
  for (const s of u.strategies) {
    for (const b of [s.compute, s.computeRatio, s.dataRatio]) {
      if (!b) continue;
      assert.ok(!Number.isNaN(b.low) && !Number.isNaN(b.high) && !Number.isNaN(b.median), `${s.id}: no NaN`);
      assert.equal(b.unbounded, b.high === Infinity, s.id);
    }
  }
  const record = targetUncertaintyRecord(u, open[0].id);
  assert.deepEqual(Object.keys(record), [...TARGET_UNCERTAINTY_COLUMNS]);
  assert.equal(record.compute_widened, true);
  assert.equal(record.compute_unbounded, true);
  assert.equal(record.compute_out_of_domain_error, open[0].compute!.outOfDomainError);
  const [row] = csvParse(rowsToCsv([record]));
  assert.equal(row.compute_p95, "", "an unbounded side is an empty cell");
  assert.equal(row.compute_unbounded, "true");
  assert.equal(row.compute_widened, "true");
  const json = JSON.parse(JSON.stringify(u.strategies.find((s) => s.id === open[0].id)));
  assert.equal(json.compute.high, null);
  assert.equal(json.compute.unbounded, true);
});

// -------------------------------------------------------------------------------------------
// Lifetime: the target 2.3 nats serving 1e14 tokens (students on 3,500-7,200 tokens per parameter,
// beyond the runs), and a budget of 1e24 FLOPs serving 1e12 (students of 70B-150B).

const STRATEGIES = lifetimeStrategies(4);
const LIFETIME_ENSEMBLE = perturbedTable6(5, { seed: 3 });

function lifetimeSummaries(question: LifetimeQuestion, served: number, growth: OutOfDomainGrowth) {
  const inputs: LifetimeUncertaintyInputs = { question, servedTokens: served, strategies: STRATEGIES, minStudentTokensPerParameter: LIFETIME_MIN_TOKENS_PER_PARAMETER };
  const options = { coefficients: TABLE6, minStudentTokensPerParameter: LIFETIME_MIN_TOKENS_PER_PARAMETER };
  const point = lifetimeAnswer(question, served, STRATEGIES, options);
  const outcomes = LIFETIME_ENSEMBLE.members.map((m) => solveLifetimeMember(inputs, point, m).outcome);
  const summarise = (g: OutOfDomainGrowth | null, domain = DOMAIN) => {
    const withGrowth = { ...inputs, outOfDomain: g && { domain, growth: g } };
    return summariseLifetimeUncertainty(withGrowth, point, outcomes, LIFETIME_ENSEMBLE, { domain, brackets: lifetimeBrackets(withGrowth, point, TABLE6) });
  };
  return { point, options, plain: summarise(null), widened: summarise(growth), everywhere: summarise(growth, EVERYWHERE) };
}

test("lifetime, target loss: inside the domain the members' bands; beyond it lifetime FLOPs at L*(1 - e) and L*(1 + e), solved here", () => {
  const question = { targetLoss: 2.3 };
  const { point, options, plain, widened, everywhere } = lifetimeSummaries(question, 1e14, GROWTH);
  for (const [i, s] of everywhere.strategies.entries()) {
    sameBand(s.lifetimeFlops, plain.strategies[i].lifetimeFlops, s.id);
    if (s.versusSupervised) sameBand(s.versusSupervised, plain.strategies[i].versusSupervised, s.id);
  }
  const multipliers = (id: string): [number, number, number] => {
    const r = point.find((p) => p.id === id)!;
    assert.ok(r.status === "optimal");
    const a = r.allocation;
    const e = expectedError(GROWTH, a.studentParameters, a.studentTokens, a.teacherLoss);
    if (e === 0) return [1, 1, 0];
    const at = (loss: number) => {
      const [x] = lifetimeAnswer({ targetLoss: loss }, 1e14, [STRATEGIES.find((s) => s.id === id)!], options);
      assert.ok(x.status === "optimal", `${id} reaches ${loss}`);
      return x.status === "optimal" ? x.lifetime.total / r.lifetime.total : NaN;
    };
    const ratios = [1, at(2.3 * (1 + e)), at(2.3 * (1 - e))];
    return [Math.min(...ratios), Math.max(...ratios), 2.3 * e];
  };
  const [sLow, sHigh] = multipliers("supervised");
  let widenedRows = 0;
  for (const [i, s] of widened.strategies.entries()) {
    const before = plain.strategies[i];
    const [low, high, nats] = multipliers(s.id);
    if (nats > 0) widenedRows++;
    assert.equal(s.lifetimeFlops!.widened, nats > 0, s.id);
    close(s.lifetimeFlops!.low, before.lifetimeFlops!.low * low, `${s.id} lifetime FLOPs low`);
    close(s.lifetimeFlops!.high, before.lifetimeFlops!.high * high, `${s.id} lifetime FLOPs high`);
    if (s.versusSupervised) {
      close(s.versusSupervised.low, (before.versusSupervised!.low * low) / sHigh, `${s.id} ratio low`);
      close(s.versusSupervised.high, (before.versusSupervised!.high * high) / sLow, `${s.id} ratio high`);
    }
    // The student's size and tokens per parameter are the members' own: not widened.
    assert.deepEqual(s.studentParameters, before.studentParameters);
  }
  assert.ok(widenedRows >= 1, `${widenedRows} rows widened`);
  const record = lifetimeBandRecord(widened, widened.strategies.find((s) => s.lifetimeFlops?.widened)!.id);
  assert.equal(record.flops_lifetime_widened, true);
  assert.ok((record.flops_lifetime_out_of_domain_error as number) > 0);
  assert.ok("flops_lifetime_ratio_to_supervised_widened" in record);
});

test("lifetime, budget: the loss band widens by median x e at the point answer, the difference by both rows' errors", () => {
  const { point, plain, widened } = lifetimeSummaries({ budget: 1e24 }, 1e12, GROWTH);
  const nats = (i: number) => {
    const r = point[i];
    assert.ok(r.status === "optimal");
    return plain.strategies[i].studentLoss!.median * expectedError(GROWTH, r.allocation.studentParameters, r.allocation.studentTokens, r.allocation.teacherLoss);
  };
  const sup = STRATEGIES.findIndex((s) => s.strategy === "supervised");
  let widenedRows = 0;
  for (const [i, s] of widened.strategies.entries()) {
    const before = plain.strategies[i];
    if (nats(i) > 0) widenedRows++;
    close(s.studentLoss!.low, before.studentLoss!.low - nats(i), `${s.id} L_S low`, 1e-12);
    close(s.studentLoss!.high, before.studentLoss!.high + nats(i), `${s.id} L_S high`, 1e-12);
    if (i === sup) continue;
    const both = nats(i) + nats(sup);
    close(s.versusSupervised!.low, before.versusSupervised!.low - both, `${s.id} difference low`, 1e-9);
    close(s.versusSupervised!.high, before.versusSupervised!.high + both, `${s.id} difference high`, 1e-9);
    assert.equal(s.versusSupervised!.widened, both > 0);
  }
  assert.ok(widenedRows >= 1, `${widenedRows} rows widened`);
});

test("a band as text: both sides, one value when it collapses, unbounded, and (widened) beyond the runs", () => {
  const b = { low: 1.25, median: 1.5, high: 2, count: 3, missing: 0, level: 0.9 };
  const f = (x: number) => x.toFixed(2);
  assert.equal(widenedBandText(unwidened(b), f), "1.25 – 2.00");
  assert.equal(widenedBandText(unwidened({ ...b, low: 2 }), f), "2.00");
  assert.equal(widenedBandText({ ...unwidened(b), widened: true, outOfDomainError: 0.1, high: Infinity, unbounded: true }, f), "1.25 – unbounded (widened)");
  assert.equal(widenedBandText(null, f), "");
  assert.equal(widenedBandText(undefined, f, "—"), "—");
});
