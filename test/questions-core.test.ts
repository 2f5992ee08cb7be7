import { test } from "node:test";
import assert from "node:assert/strict";
import { logitStorage, formatBytes, FIGURE54_MEASUREMENTS, DISTILLATION_RECIPE } from "../src/core/allocation/logitStorage.js";
import { flatOptimum } from "../src/core/allocation/flatOptimum.js";
import { sharedTeacherWeights } from "../src/core/laws/amortisation.js";
import { TABLE6, distilledLoss, supervisedLoss } from "../src/core/laws/laws.js";
import { forwardFlopsFunction } from "../src/core/laws/flops.js";

test("logit storage: full vocabulary and top-k bytes per token", () => {
  const full = logitStorage(1e9, { form: "full", bytesPerValue: 2, vocabularySize: 32168 });
  assert.equal(full.bytesPerToken, 64336);
  assert.equal(full.totalBytes, 64336e9);
  const top = logitStorage(1e9, { form: "top-k", k: 128, bytesPerValue: 2, vocabularySize: 32168 });
  assert.equal(top.indexBytes, 2); // 32167 < 65536
  assert.equal(top.bytesPerToken, 128 * 4);
  assert.equal(logitStorage(1, { form: "top-k", k: 1, bytesPerValue: 2, vocabularySize: 100000 }).indexBytes, 3);
  assert.throws(() => logitStorage(1, { form: "top-k", k: 0, bytesPerValue: 2, vocabularySize: 32168 }), /k must be/);
  assert.equal(formatBytes(64336e9), "64.3 TB");
  assert.equal(FIGURE54_MEASUREMENTS.length, 3);
  assert.ok(DISTILLATION_RECIPE.every((r) => /Figure \d+|Table \d+/.test(r.where)));
});

test("shared teacher weights: pretraining 1/k, logits in full or 1/k", () => {
  assert.deepEqual(sharedTeacherWeights(4), { deltaLogits: 1, deltaPretraining: 0.25 });
  assert.deepEqual(sharedTeacherWeights(4, "stored"), { deltaLogits: 0.25, deltaPretraining: 0.25 });
  assert.deepEqual(sharedTeacherWeights(1), { deltaLogits: 1, deltaPretraining: 1 });
  assert.throws(() => sharedTeacherWeights(0), /whole number/);
});

test("near-optimal region: every point marked within tolerance is, by an independent evaluation; the optimum lies inside the stated ranges", () => {
  const F = forwardFlopsFunction();
  for (const [NS, C, scenario] of [[1.82e9, 1e22, "teacher-pretraining-inference"], [5.46e8, 1e21, "teacher-inference"], [7.75e9, 1e23, "teacher-pretraining"]] as const) {
    const flat = flatOptimum(NS, C, scenario, { tolerance: 0.005, size: 31 });
    assert.ok(flat.ranges, `${scenario}: no point within tolerance`);
    const r = flat.ranges!;
    const inBox = (p: { teacherParameters: number; teacherTokens: number }) =>
      p.teacherParameters >= r.teacherParameters[0] && p.teacherParameters <= r.teacherParameters[1] &&
      p.teacherTokens >= r.teacherTokens[0] && p.teacherTokens <= r.teacherTokens[1];
    const dl = scenario === "teacher-pretraining" ? 0 : 1, dp = scenario === "teacher-inference" ? 0 : 1;
    let marked = 0;
    for (const p of flat.points.filter(inBox)) {
      if (!p.within) continue;
      marked++;
      const DS = (C - dp * 3 * F(p.teacherParameters) * p.teacherTokens) / (3 * F(NS) + dl * F(p.teacherParameters));
      const LS = distilledLoss(TABLE6, NS, DS, supervisedLoss(TABLE6.supervised, p.teacherParameters, p.teacherTokens));
      assert.ok(LS <= flat.optimum.studentLoss + 0.005 + 1e-12, `${scenario}: marked point at ${LS}`);
      assert.ok(DS >= r.studentTokens[0] * (1 - 1e-12) && DS <= r.studentTokens[1] * (1 + 1e-12));
    }
    assert.ok(marked > 0);
    assert.ok(inBox(flat.optimum as { teacherParameters: number; teacherTokens: number }), `${scenario}: optimum outside the ranges`);
    assert.ok(flat.optimum.studentTokens >= r.studentTokens[0] * (1 - 1e-9) && flat.optimum.studentTokens <= r.studentTokens[1] * (1 + 1e-9));
    // Nothing on the grid beats the optimum by more than the optimiser's tolerance.
    assert.ok(flat.points.every((p) => p.excess === null || p.excess > -1e-6));
  }
  assert.throws(() => flatOptimum(1e9, 1e21, "teacher-inference", { tolerance: 0 }), /tolerance/);
});
