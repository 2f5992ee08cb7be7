// One number format across the site: ratios plain or with a scale suffix (never "9.43e+3"),
// FLOPs ticks in exponent form with "0" at zero (never "0e0") and no two neighbouring ticks alike.

import { test } from "node:test";
import assert from "node:assert/strict";
import { ticks } from "d3";
import { parseQuantity } from "../src/core/inputs/units.js";
import { formatFlopsTick, formatRatio } from "../src/components/tables/numberFormat.js";

test("formatRatio: plain from 0.01 to 1000, a scale suffix above, never JavaScript's e+ form", () => {
  assert.equal(formatRatio(20), "20");
  assert.equal(formatRatio(9.4321), "9.43");
  assert.equal(formatRatio(9432.1), "9.43k");
  assert.equal(formatRatio(2.5e6), "2.5M");
  assert.equal(formatRatio(0), "0");
  for (const x of [0.013, 1, 37.5, 999, 1000, 12345, 9.87e8]) {
    const text = formatRatio(x);
    assert.doesNotMatch(text, /e\+/);
    // What is printed reads back (the planner's parser) to three significant digits.
    assert.ok(Math.abs(parseQuantity(text)! / x - 1) < 5e-3, `${x} -> ${text}`);
  }
});

test("formatFlopsTick: '0' at zero, and the ticks d3 makes on a linear FLOPs axis are all told apart", () => {
  assert.equal(formatFlopsTick(0), "0");
  for (const [lo, hi] of [[0, 1.42e22], [0, 3e24], [1e21, 1.6e22], [0, 7.5e20]]) {
    const labels = ticks(lo, hi, 10).map(formatFlopsTick);
    assert.equal(new Set(labels).size, labels.length, labels.join(" "));
    assert.ok(!labels.includes("0e0"));
    ticks(lo, hi, 10).forEach((t, i) => assert.ok(t === 0 || Math.abs(parseQuantity(labels[i])! / t - 1) < 1e-9, `${t} -> ${labels[i]}`));
  }
});

test("/fits intervals: a measurement prints as one; an interval over more than three decades says the runs leave it open", async () => {
  const { describeInterval } = await import("../src/components/charts/fitsCharts.js");
  assert.equal(describeInterval(0.31, 0.36), " (0.310, 0.360)");
  assert.equal(describeInterval(null, 1), "");
  assert.equal(describeInterval(0.046, 4e66), " (not determined by these runs: the resamples put it anywhere from 0.046 to 4e66)");
  // At the ratio itself, still a measurement.
  assert.match(describeInterval(1, 1000), /^ \(1\.000, 1000\)$/);
});
