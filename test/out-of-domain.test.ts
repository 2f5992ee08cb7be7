// Out-of-domain error and widening (src/core/domain/outOfDomain.ts, src/core/fitting/outOfDomainCheck.ts)
// and plausible members (src/core/ensemble/plausibleMembers.ts), each against a known truth.

import { test } from "node:test";
import assert from "node:assert/strict";
import { randomLcg, randomNormal } from "d3-random";
import {
  answerFactors, factorBeyond, growthFromErrors, outOfDomainError, type HeldOutError,
} from "../src/core/domain/outOfDomain.js";
import { widenBand } from "../src/core/domain/bandWidening.js";
import { INNER_SHARE, outOfDomainCheck, splitRuns } from "../src/core/fitting/outOfDomainCheck.js";
import { generatePaperSynthetic } from "../src/core/fitting/synth.js";
import { validityDomain } from "../src/core/domain/validity.js";
import { band } from "../src/core/ensemble/bands.js";
import { implausibility, withoutImplausibleMembers } from "../src/core/ensemble/plausibleMembers.js";
import { TABLE6, supervisedLoss } from "../src/core/laws/laws.js";
import { ensembleOf } from "./helpers/testEnsemble.js";

test("growthFromErrors: the least-squares slope recovers a known growth; the envelope bounds every run above the noise", () => {
  const normal = randomNormal.source(randomLcg(3))(0, 0.001);
  const truthSlope = 0.02;
  const heldOut: HeldOutError[] = Array.from({ length: 300 }, (_, i) => {
    const factor = Math.exp(0.01 + (2 * i) / 300);
    return { factor, relativeError: Math.abs(truthSlope * Math.log(factor) + normal()) };
  });
  const inner = Array.from({ length: 100 }, () => normal());
  const g = growthFromErrors("distillation", "teacher-loss", heldOut, inner);
  assert.ok(Math.abs(g.slope - truthSlope) < 0.001, `least squares ${g.slope}`);
  // Brute force: the least-squares slope through the origin.
  const xs = heldOut.map((h) => Math.log(h.factor));
  const expected = xs.reduce((a, x, i) => a + x * heldOut[i].relativeError, 0) / xs.reduce((a, x) => a + x * x, 0);
  assert.ok(Math.abs(g.slope - expected) < 1e-12);
  assert.ok(g.envelopeSlope >= truthSlope, `envelope ${g.envelopeSlope}`);
  for (const h of heldOut.filter((x) => x.factor >= 1.01)) {
    assert.ok(h.relativeError <= g.noise + g.envelopeSlope * Math.log(h.factor) + 1e-12, `run at ${h.factor} above the envelope`);
  }
  // The noise is the 95th percentile of |inner residuals| (brute force).
  const sorted = inner.map(Math.abs).sort((a, b) => a - b);
  assert.equal(g.noise, sorted[Math.floor(0.95 * sorted.length)]);
  assert.ok(g.points.length <= 200 && g.points.length > 0);
  assert.equal(g.maxFactor, Math.max(...heldOut.map((h) => h.factor)));
});

test("factorBeyond: 1 inside and within 1e-3 of an edge; value over the edge beyond", () => {
  const r = { min: 10, max: 100 };
  assert.equal(factorBeyond(50, r), 1);
  assert.equal(factorBeyond(100.05, r), 1);
  assert.equal(factorBeyond(9.995, r), 1);
  assert.equal(factorBeyond(400, r), 4);
  assert.equal(factorBeyond(2.5, r), 4);
});

test("widenBand: inside the domain the band is unchanged; beyond it each side moves by median * sum of slope * ln(factor)", () => {
  const b = band([2.0, 2.01, 2.02, 2.03, 2.04])!;
  const growth = [
    growthFromErrors("distillation", "student-size", [{ factor: 2, relativeError: 0.01 * Math.log(2) }], [0]),
    growthFromErrors("distillation", "teacher-loss", [{ factor: 2, relativeError: 0.03 * Math.log(2) }], [0]),
  ];
  assert.ok(Math.abs(growth[0].slope - 0.01) < 1e-12 && Math.abs(growth[1].slope - 0.03) < 1e-12);
  const inside = widenBand(b, { "student-size": 1, "teacher-loss": 1 }, growth);
  assert.equal(inside.widened, false);
  assert.equal(inside.low, b.low);
  assert.equal(inside.high, b.high);
  const beyond = widenBand(b, { "student-size": 3, "teacher-loss": 1.5 }, growth);
  const expected = b.median * (0.01 * Math.log(3) + 0.03 * Math.log(1.5));
  assert.equal(beyond.widened, true);
  assert.ok(Math.abs(beyond.outOfDomainError - expected) < 1e-12);
  assert.ok(Math.abs(beyond.low - (b.low - expected)) < 1e-12 && Math.abs(beyond.high - (b.high + expected)) < 1e-12);
  assert.equal(beyond.extrapolationFactor, 3);
  assert.ok(Math.abs(outOfDomainError({ "tokens-per-parameter": 10 }, growth)) === 0, "a direction without a growth adds nothing");
});

test("answerFactors: distilled answers against the distillation runs' N_S, D_S/N_S and strongest teacher", () => {
  const domain = validityDomain(
    [{ N: 1e8, D: 2e9, L: 3 }, { N: 1e9, D: 1e11, L: 2.5 }],
    [{ NS: 1e8, DS: 2e9, NT: 1e9, DT: 1e11, LT: 2.5, LS: 2.9 }, { NS: 1e9, DS: 1e11, NT: 1e9, DT: 1e11, LT: 2.4, LS: 2.6 }],
    "test runs",
  );
  const f = answerFactors({ studentParameters: 4e9, studentTokens: 4e9, teacherLoss: 1.2 }, domain);
  assert.equal(f["student-size"], 4);
  assert.equal(f["tokens-per-parameter"], 20);
  assert.equal(f["teacher-loss"], 2);
  // A weaker teacher than the weakest fitted one is not beyond: the student's floor is the teacher.
  assert.equal(answerFactors({ studentParameters: 5e8, studentTokens: 1e10, teacherLoss: 3 }, domain)["teacher-loss"], 1);
  const supervised = answerFactors({ studentParameters: 5e8, studentTokens: 1e12, teacherLoss: null }, domain);
  assert.deepEqual(supervised, { "student-size": 1, "tokens-per-parameter": 2000 / 100 });
});

test("splitRuns: the smallest two thirds are inner, outer factors are over the inner edge", () => {
  const runs = Array.from({ length: 30 }, (_, i) => ({ x: i + 1 }));
  const split = splitRuns(runs, (r) => r.x, 5)!;
  assert.equal(split.inner.length, Math.ceil(INNER_SHARE * 30));
  assert.deepEqual(split.outer.map((o) => o.factor), runs.slice(20).map((r) => r.x / 20));
  assert.equal(splitRuns(runs, (r) => r.x, 25), null, "too few inner runs to fit");
});

test("plausible members: Table 6 is plausible; a member above ln(n_vocab), below E or not finite is left out and counted", () => {
  assert.equal(implausibility(TABLE6), null);
  // beta' = 8 and B' = 1e60 put L_S far above ln(32168) at small D_S (the kind of member the parametric bootstrap makes).
  const steep = { supervised: TABLE6.supervised, distillation: { ...TABLE6.distillation, beta: 8, B: 1e60 } };
  assert.match(implausibility(steep)!, /distilled loss .* above ln\(n_vocab\)/);
  // E above ln(n_vocab): the supervised law is above the ceiling everywhere.
  const high = { supervised: { ...TABLE6.supervised, E: 11 }, distillation: TABLE6.distillation };
  assert.ok(supervisedLoss(high.supervised, 1e17, 1e17) > Math.log(32168));
  assert.match(implausibility(high)!, /supervised loss .* above ln\(n_vocab\)/);
  const broken = { supervised: { ...TABLE6.supervised, A: NaN }, distillation: TABLE6.distillation };
  assert.match(implausibility(broken)!, /not finite/);
  const e = withoutImplausibleMembers({ ...ensembleOf([TABLE6, steep, high, TABLE6]), requested: 5, leftOut: 1 });
  assert.equal(e.members.length, 2);
  assert.equal(e.implausible, 2);
  assert.equal(e.leftOut, 3);
  assert.equal(e.members.length + e.leftOut, e.requested);
});

test("outOfDomainCheck: on runs exactly on the law (no noise), every inner refit predicts the outer runs and every slope is ~0", () => {
  const runs = generatePaperSynthetic({ coefficients: TABLE6, noise: 0 });
  const growth = outOfDomainCheck(runs.supervised, runs.distillation, TABLE6.supervised, {
    warmStart: { supervised: TABLE6.supervised, distillation: TABLE6.distillation },
  });
  assert.equal(growth.supervised.length, 2);
  assert.equal(growth.distillation!.length, 3);
  assert.deepEqual(growth.unmeasured, []);
  for (const g of [...growth.supervised, ...growth.distillation!]) {
    // Losses are written with five decimals: relative errors down to ~1e-5 are rounding.
    assert.ok(g.slope < 1e-4, `${g.law} ${g.direction}: slope ${g.slope}`);
    assert.ok(g.outerRuns > 0 && g.innerRuns >= 2 * g.outerRuns - 2, `${g.innerRuns} inner, ${g.outerRuns} outer`);
    assert.ok(g.maxFactor > 1);
  }
});
