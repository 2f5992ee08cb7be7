// The extrapolation check's split from the reader's runs: the strongest fifth (lowest loss) held
// out, ties kept on one side, skipped with a reason when too few runs would remain to fit.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { splitProblem, strongestFractionSplit } from "../src/core/fitting/extrapolationSplit.js";

test("twenty runs above 4.5 nats: the four of lowest loss held out, sixteen fitted", () => {
  const losses = Array.from({ length: 20 }, (_, i) => 4.6 + 0.05 * ((i * 7) % 20));
  const split = strongestFractionSplit(losses, 6)!;
  const sorted = [...losses].sort((a, b) => a - b);
  assert.deepEqual(split, { threshold: sorted[4], fitted: 16, heldOut: 4 });
});

test("every run falls on one side; held out are the strongest; ties are not split", () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 200, max: 600 }).map((x) => x / 100), { minLength: 1, maxLength: 80 }), (losses) => {
    const split = strongestFractionSplit(losses, 6);
    if (split === null) {
      // Only when no cut leaves a held-out run and six fitted.
      const distinct = [...new Set(losses)].sort((a, b) => a - b);
      assert.ok(distinct.slice(1).every((t) => losses.filter((l) => l >= t).length < 6));
      return;
    }
    const heldOut = losses.filter((l) => l < split.threshold), fitted = losses.filter((l) => l >= split.threshold);
    assert.equal(heldOut.length, split.heldOut);
    assert.equal(fitted.length, split.fitted);
    assert.ok(split.heldOut >= 1 && split.fitted >= 6);
    assert.ok(Math.max(...heldOut) < Math.min(...fitted));
    // About a fifth: the nearest cut at or above it that leaves six to fit, else the nearest below.
    const target = Math.max(1, Math.round(losses.length * 0.2));
    const sorted = [...losses].sort((a, b) => a - b);
    const valid = (h: number) => h >= 1 && h < sorted.length && sorted[h] !== sorted[h - 1] && sorted.length - h >= 6;
    const candidates = sorted.map((_, h) => h).filter(valid);
    const above = candidates.filter((h) => h >= target);
    assert.equal(split.heldOut, above.length > 0 ? Math.min(...above) : Math.max(...candidates));
  }));
});

test("too few runs: no split, and a reason naming the counts", () => {
  assert.equal(strongestFractionSplit([3, 3.1, 3.2, 3.3, 3.4, 3.5], 6), null);
  assert.equal(strongestFractionSplit([3, 3, 3, 3, 3, 3, 3, 3], 6), null);
  // A fifth of eight is two, but the only cut that leaves six to fit holds out one.
  assert.deepEqual(strongestFractionSplit([2.06, 2.06, 2.06, 2.06, 2.06, 2.06, 2, 2.06], 6), { threshold: 2.06, fitted: 7, heldOut: 1 });
  assert.match(splitProblem("supervised", 6, 6), /needs at least 6 runs to fit after holding out the strongest 20%.*the file has 6 runs, so the check is skipped/);
});
