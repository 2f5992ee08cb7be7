import { test } from "node:test";
import assert from "node:assert/strict";
import { logitStorage, formatBytes, FIGURE54_MEASUREMENTS, DISTILLATION_RECIPE, describeStoredLogitsCost, storedLogitsCost } from "../src/core/allocation/logitStorage.js";
import { planAllocations, planWeightsRow } from "../src/core/allocation/plan.js";
import { flatOptimum } from "../src/core/allocation/flatOptimum.js";
import { sharedTeacherWeights } from "../src/core/laws/amortisation.js";
import { TABLE6, distilledLoss, supervisedLoss } from "../src/core/laws/laws.js";
import { DEFAULT_FLOPS_MODEL, forwardFlopsFunction } from "../src/core/laws/flops.js";

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

test("a teacher shared by 100 students with stored logits: 47.7 PB in bf16 and Figure 54's +0.11 nats beside a 0.0077-nat gain", () => {
  const inputs = { studentParameters: 1.82e9, budget: 1e22, coefficients: TABLE6, flops: DEFAULT_FLOPS_MODEL };
  const row = planWeightsRow(inputs, sharedTeacherWeights(100, "stored"), "shared");
  const [supervised] = planAllocations(inputs, ["supervised"]);
  const cost = storedLogitsCost(row.studentTokens!, row.differenceToSupervised!, DEFAULT_FLOPS_MODEL.nVocab);
  // Independent: D_S tokens x 32,168 vocabulary entries x 2 bytes; top-128: 128 x (2-byte value + 2-byte index).
  assert.equal(cost.fullBytes, row.studentTokens! * 32168 * 2);
  assert.equal(cost.top128Bytes, row.studentTokens! * 128 * 4);
  assert.ok(Math.abs(cost.fullBytes / 47.7e15 - 1) < 1e-3, `${cost.fullBytes}`);
  assert.ok(Math.abs(cost.gainOverSupervised - (supervised.studentLoss! - row.studentLoss!)) < 1e-12);
  assert.ok(Math.abs(cost.gainOverSupervised - 0.0077) < 5e-5, `${cost.gainOverSupervised}`);
  assert.equal(cost.top128TruncationNats, 0.11);
  assert.equal(cost.truncationExceedsGain, true);
  const text = describeStoredLogitsCost(cost);
  assert.match(text, /take 47\.7 PB as full distributions in bf16 \(380 TB as top-128 values and indices\), for a gain of 0\.0077 nats/);
  assert.match(text, /\+0\.11 nats for top-128 truncation .*would cost more than sharing gains/);
  // A loss (no gain) is said as such, and truncation is then not weighed against a gain.
  assert.match(describeStoredLogitsCost(storedLogitsCost(1e9, 0.2, 32168)), /no gain over supervised training \(0\.2000 nats worse\)/);
  assert.equal(storedLogitsCost(1e9, -0.5, 32168).truncationExceedsGain, false);
  assert.throws(() => storedLogitsCost(1e9, NaN, 32168), /difference to supervised/);
});
