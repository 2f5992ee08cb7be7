// Bounded scalar minimisation (scan, then Brent): checked against the known minimiser of
// functions the test builds, with minima inside the interval and on either bound.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { brentBounded, minimizeScalar } from "../src/core/numerics/scalar.js";

/** A strictly convex bowl (x - m)^2 + k (x - m)^4 with its minimiser at m, counting calls. */
function bowl(m: number, k: number) {
  const counter = { calls: 0 };
  const f = (x: number) => { counter.calls++; return (x - m) ** 2 + k * (x - m) ** 4; };
  return { f, counter };
}

test("a minimiser inside the interval is found to the x tolerance, and every call is counted", () => {
  fc.assert(fc.property(
    fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true }), fc.integer({ min: 0, max: 24 }),
    (m, k, scanPoints) => {
      const { f, counter } = bowl(m, k);
      const r = minimizeScalar(f, -25, 25, { scanPoints, xatol: 1e-9 });
      assert.ok(r.converged);
      assert.ok(Math.abs(r.x - m) < 1e-6, `x ${r.x} vs ${m}`);
      assert.equal(r.evaluations, counter.calls);
    },
  ));
});

test("a minimiser beyond a bound gives exactly that bound, in few evaluations", () => {
  fc.assert(fc.property(
    fc.double({ min: 0.001, max: 40, noNaN: true }), fc.boolean(), fc.integer({ min: 2, max: 24 }),
    (beyond, right, scanPoints) => {
      const m = right ? 25 + beyond : -25 - beyond;
      const { f, counter } = bowl(m, 0.1);
      const r = minimizeScalar(f, -25, 25, { scanPoints, xatol: 1e-9 });
      assert.equal(r.x, right ? 25 : -25);
      assert.equal(r.fun, f(r.x));
      assert.ok(r.evaluations <= scanPoints + 1, `${r.evaluations} evaluations`);
      assert.equal(r.evaluations, counter.calls - 1);
    },
  ));
});

test("a minimiser just inside a bound is not mistaken for the bound", () => {
  // 1e-3 from the bound: far more than Brent's resolution, far less than a scan cell.
  const { f } = bowl(25 - 1e-3, 0);
  const r = minimizeScalar(f, -25, 25, { scanPoints: 8, xatol: 1e-9 });
  assert.ok(Math.abs(r.x - (25 - 1e-3)) < 1e-7, `${r.x}`);
});

test("with two dips the scan brackets the lower one", () => {
  // Dips at -10 (depth 1) and +12 (depth 2), each a narrow well on a flat floor of 0.
  const f = (x: number) => -Math.exp(-((x + 10) ** 2)) - 2 * Math.exp(-((x - 12) ** 2) / 4);
  const r = minimizeScalar(f, -25, 25, { scanPoints: 24, xatol: 1e-10 });
  assert.ok(Math.abs(r.x - 12) < 1e-5, `${r.x}`);
});

test("Brent's method alone finds the interior minimum of a cubic, not its bound", () => {
  // (x - 2)^2 (x + 1) on [0, 5]: stationary at 0 (a maximum) and 2 (the minimum, value 0).
  const r = brentBounded((x) => (x - 2) ** 2 * (x + 1), 0, 5, 1e-10);
  assert.ok(Math.abs(r.x - 2) < 1e-6, `${r.x}`);
  assert.ok(r.converged && r.fun < 1e-11);
});

test("a plateau is one minimum, found without a search across it", () => {
  // Flat at 1 on [-25, 0] (a clamped variable, say), rising beyond; every scan point there ties.
  let calls = 0;
  const f = (x: number) => { calls++; return x <= 0 ? 1 : 1 + x * x; };
  const r = minimizeScalar(f, -25, 25, { scanPoints: 11, xatol: 1e-9 });
  assert.equal(r.fun, 1);
  assert.ok(r.x <= 0);
  assert.ok(calls <= 12, `${calls} evaluations`);
});

test("two equal scan values around a dip centred between them are refined, not taken as flat", () => {
  // Scan points every 5 from -25; the bowl's minimum at 2.5 lies midway between 0 and 5.
  const r = minimizeScalar((x) => (x - 2.5) ** 2, -25, 25, { scanPoints: 11, xatol: 1e-9 });
  assert.ok(Math.abs(r.x - 2.5) < 1e-6, `${r.x}`);
});
