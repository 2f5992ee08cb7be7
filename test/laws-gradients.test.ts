// The fitter trusts the analytic gradients of the log forms; a wrong component would silently
// stall L-BFGS-B (or make it converge somewhere else), so every component is checked against
// central finite differences, including at the edges of the fitting domain the start grids touch.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { logDistilledLoss, logSupervisedLoss } from "../src/core/laws/laws.js";

type LogForm = (theta: number[], gradient?: Float64Array) => number;

/**
 * Central differences with a relative step; the tolerance is relative to the size of the
 * component, with an absolute floor set by the truncation error of the difference itself.
 */
function checkGradient(f: LogForm, theta: number[], label: string): void {
  const analytic = new Float64Array(theta.length);
  const value = f(theta, analytic);
  assert.ok(Number.isFinite(value), `${label}: value ${value}`);
  for (let k = 0; k < theta.length; k++) {
    assert.ok(Number.isFinite(analytic[k]), `${label}: gradient[${k}] = ${analytic[k]}`);
    const h = 1e-6 * Math.max(1, Math.abs(theta[k]));
    const plus = theta.slice();
    const minus = theta.slice();
    plus[k] += h;
    minus[k] -= h;
    const numeric = (f(plus) - f(minus)) / (2 * h);
    const tolerance = 1e-5 * Math.max(1, Math.abs(numeric), Math.abs(analytic[k]));
    assert.ok(
      Math.abs(numeric - analytic[k]) <= tolerance,
      `${label}: component ${k} analytic ${analytic[k]} vs numeric ${numeric} at theta=${JSON.stringify(theta)}`,
    );
  }
}

const logSize = fc.double({ min: Math.log(1e7), max: Math.log(1e12), noNaN: true });
const logTokens = fc.double({ min: Math.log(1e8), max: Math.log(1e14), noNaN: true });
const logScale = fc.double({ min: -2, max: 22, noNaN: true });
// Exponents are drawn from a set that includes the zero starts of the grids exactly.
const exponent = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1.5, noNaN: true }));

test("d log L / d theta of Eq. 44 matches central differences", () => {
  fc.assert(
    fc.property(
      logScale, logScale, fc.double({ min: -1, max: 1.5, noNaN: true }), exponent, exponent, exponent,
      logSize, logTokens,
      (logA, logB, logE, alpha, beta, gamma, logN, logD) => {
        const f: LogForm = (theta, gradient) => logSupervisedLoss(theta, logN, logD, gradient);
        checkGradient(f, [logA, logB, logE, alpha, beta, gamma], "supervised");
      },
    ),
    { numRuns: 400, seed: 11 },
  );
});

test("d log L / d theta of Eq. 44 at D = infinity", () => {
  const f: LogForm = (theta, gradient) => logSupervisedLoss(theta, Math.log(3e9), Infinity, gradient);
  checkGradient(f, [8.1, 9.8, 0.2, 0.408, 0.431, 0.452], "supervised, D = inf");
  const gradient = new Float64Array(6);
  f([8.1, 9.8, 0.2, 0.408, 0.431, 0.452], gradient);
  assert.equal(gradient[1], 0);
  assert.equal(gradient[4], 0);
});

test("d log L_S / d theta of Eq. 49 matches central differences, including f1 small", () => {
  const f1 = fc.oneof(
    fc.constant(1e-3),
    fc.double({ min: 1e-3, max: 0.05, noNaN: true }),
    fc.double({ min: 0.05, max: 1.5, noNaN: true }),
  );
  fc.assert(
    fc.property(
      fc.tuple(logScale, logScale, exponent, exponent, exponent),
      fc.tuple(fc.double({ min: 0, max: 3, noNaN: true }), fc.oneof(fc.constant(0), fc.double({ min: 0, max: 600, noNaN: true })), f1, fc.double({ min: -1, max: 1, noNaN: true })),
      logSize, logTokens,
      fc.double({ min: Math.log(1.3), max: Math.log(4), noNaN: true }),
      fc.double({ min: Math.log(1.5), max: Math.log(4), noNaN: true }),
      ([logA, logB, alpha, beta, gamma], [c0, c1, f1Value, logd1], logNS, logDS, logLT, logLtilde) => {
        const f: LogForm = (theta, gradient) => logDistilledLoss(theta, logNS, logDS, logLT, logLtilde, gradient);
        // With f1 tiny the switch is a near step in log d1; finite differences are then only
        // meaningful away from the kink, where |x| = |log ratio| / f1 is not within a few steps.
        const x = (logLT - logLtilde - logd1) / f1Value;
        fc.pre(Math.abs(x) > 1e-2 || f1Value > 0.05);
        checkGradient(f, [logA, logB, alpha, beta, gamma, c0, c1, f1Value, logd1], "distillation");
      },
    ),
    { numRuns: 600, seed: 12 },
  );
});

test("d log L_S / d theta of Eq. 49 at the paper's coefficients and at D_S = infinity", () => {
  const theta = [Math.log(2243), Math.log(24181), 0.321, 0.637, 0.764, 2.549, 522.6, 0.09, Math.log(1.315)];
  for (const logDS of [Math.log(2e10), Infinity]) {
    for (const logLT of [Math.log(1.8), Math.log(2.4), Math.log(3.2)]) {
      const f: LogForm = (t, gradient) => logDistilledLoss(t, Math.log(5e8), logDS, logLT, Math.log(2.5), gradient);
      checkGradient(f, theta, `paper point, logDS=${logDS}, logLT=${logLT}`);
    }
  }
});
