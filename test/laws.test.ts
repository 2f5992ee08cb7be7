import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  TABLE6, distilledLoss, logDistilledLoss, logSupervisedLoss, supervisedLoss, supervisedLossInfiniteData,
  distillationToVector, supervisedToVector, distilledLossWithSizeFixed, distilledLossWithStudentFixed, supervisedLossWithSizeFixed,
} from "../src/core/laws/laws.js";
import { optimalTeacherLoss } from "../src/core/allocation/optimizer.js";

const { supervised, distillation } = TABLE6;
const size = fc.double({ min: 1e7, max: 1e12, noNaN: true });
const tokens = fc.double({ min: 1e8, max: 1e14, noNaN: true });
const teacherLoss = fc.double({ min: 1.3, max: 4, noNaN: true });

test("the supervised law decreases in N and in D and stays above E", () => {
  fc.assert(fc.property(size, tokens, (N, D) => {
    const L = supervisedLoss(supervised, N, D);
    assert.ok(L > supervised.E);
    assert.ok(supervisedLoss(supervised, N * 2, D) < L);
    assert.ok(supervisedLoss(supervised, N, D * 2) < L);
    assert.ok(supervisedLossInfiniteData(supervised, N) < L);
  }));
});

test("the log forms agree with the direct forms", () => {
  const theta = supervisedToVector(supervised);
  const thetaPrime = distillationToVector(distillation);
  fc.assert(fc.property(size, tokens, teacherLoss, (N, D, LT) => {
    const L = supervisedLoss(supervised, N, D);
    assert.ok(Math.abs(logSupervisedLoss(theta, Math.log(N), Math.log(D)) - Math.log(L)) < 1e-12);
    const LS = distilledLoss(TABLE6, N, D, LT);
    const logLS = logDistilledLoss(thetaPrime, Math.log(N), Math.log(D), Math.log(LT), Math.log(L));
    assert.ok(Math.abs(logLS - Math.log(LS)) < 1e-12, `${logLS} vs ${Math.log(LS)}`);
  }));
  const infinite = logSupervisedLoss(theta, Math.log(1e9), Infinity);
  assert.ok(Math.abs(infinite - Math.log(supervisedLossInfiniteData(supervised, 1e9))) < 1e-12);
});

test("the optimiser's fast closures agree with the direct forms to rounding", () => {
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-13 * Math.abs(b);
  fc.assert(fc.property(size, tokens, teacherLoss, (N, D, LT) => {
    assert.ok(close(supervisedLossWithSizeFixed(supervised, N)(Math.log(D)), supervisedLoss(supervised, N, D)));
    const LS = distilledLoss(TABLE6, N, D, LT);
    assert.ok(close(distilledLossWithSizeFixed(TABLE6, N)(Math.log(D), LT), LS));
    assert.ok(close(distilledLossWithStudentFixed(TABLE6, N, D)(LT), LS));
  }));
  assert.ok(close(distilledLossWithStudentFixed(TABLE6, 1e9, Infinity)(2), distilledLoss(TABLE6, 1e9, Infinity, 2)));
});

test("a distilled student is never better than its teacher", () => {
  fc.assert(fc.property(size, tokens, teacherLoss, (N, D, LT) => {
    assert.ok(distilledLoss(TABLE6, N, D, LT) >= LT);
  }));
});

test("Eq. 8 tends to the teacher loss as N_S and D_S grow without bound", () => {
  for (const LT of [1.6, 2, 2.5, 3]) {
    const gaps = [1e9, 1e12, 1e15, 1e18].map((x) => distilledLoss(TABLE6, x, x * 20, LT) - LT);
    for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] <= gaps[i - 1]);
    assert.ok(gaps[1] < gaps[0]);
    assert.ok(gaps.at(-1)! / LT < 1e-3, `gap ${gaps.at(-1)} at L_T = ${LT}`);
  }
});

test("Eq. 8 tends to the teacher loss as the teacher gets weak (L_T -> inf)", () => {
  for (const [NS, DS] of [[1e8, 2e9], [1e9, 2e10], [1e10, 1e12]]) {
    const relativeGap = (LT: number) => (distilledLoss(TABLE6, NS, DS, LT) - LT) / LT;
    assert.ok(relativeGap(10) < 1e-6);
    assert.ok(relativeGap(20) <= relativeGap(10));
  }
});

test("the capacity gap: at fixed student, L_S against L_T is U-shaped", () => {
  for (const [NS, DS] of [[1.98e8, 4e9], [5.46e8, 1.1e10], [1.82e9, 3.6e10], [7.75e9, 1e12]]) {
    const best = optimalTeacherLoss(NS, DS);
    const LTs = Array.from({ length: 400 }, (_, i) => 1.25 + (i * 3) / 399);
    const LS = LTs.map((LT) => distilledLoss(TABLE6, NS, DS, LT));
    const argmin = LS.indexOf(Math.min(...LS));
    assert.ok(argmin > 0 && argmin < LTs.length - 1, "minimum inside the range");
    for (let i = 1; i <= argmin; i++) assert.ok(LS[i] <= LS[i - 1] + 1e-12, "decreasing left of the minimum");
    for (let i = argmin + 1; i < LS.length; i++) assert.ok(LS[i] >= LS[i - 1] - 1e-12, "increasing right of it");
    // A teacher stronger than optimal makes a worse student.
    assert.ok(distilledLoss(TABLE6, NS, DS, best.teacherLoss - 0.2) > best.studentLoss);
    assert.ok(best.studentLoss <= Math.min(...LS) + 1e-12);
  }
});

test("infinite data (E.6): with the optimal teacher, L_S(N_S, inf) is within 1% of L(N_S, inf)", () => {
  for (let exponent = 8; exponent <= 11; exponent += 0.25) {
    const NS = 10 ** exponent;
    const best = optimalTeacherLoss(NS, Infinity, { teacherLossRange: [supervised.E * 1.0001, 10] });
    const target = supervisedLossInfiniteData(supervised, NS);
    assert.ok(Math.abs(best.studentLoss / target - 1) < 0.01, `N_S = ${NS}: ${best.studentLoss} vs ${target}`);
  }
});
