// `npm run plan -- --student N --target-loss L --uncertainty`: the bands of the least compute and
// of Figures 33/34's ratios over the file's ensemble, the share of samples in which each strategy
// is cheaper than supervised training, and the verdict, equal to the core's in-process computation
// in JSON, CSV and the table; without --uncertainty, one line saying how to get them.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { TABLE6 } from "../src/core/laws/laws.js";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import { SCENARIOS } from "../src/core/laws/scenarios.js";
import { describeSharedTeacher, sharedTeacherWeights } from "../src/core/laws/amortisation.js";
import { describeEnsembleUse } from "../src/core/ensemble/summary.js";
import { pointExtrapolationNote } from "../src/core/ensemble/pointExtrapolationNote.js";
import { TARGET_UNCERTAINTY_COLUMNS, targetLossUncertainty, targetPointAnswers, type NamedStrategy } from "../src/core/uncertainty/targetLossUncertainty.js";
import { runCommand } from "./cli-helpers.js";
import { perturbedTable6 } from "./helpers/testEnsemble.js";

const folder = mkdtempSync(join(tmpdir(), "target-uncertainty-"));
const ensemble = perturbedTable6(12, { seed: 5 });
const file = join(folder, "fit.json");
writeFileSync(file, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation, ensemble, domain: paperDomain() }));
const plan = (...args: string[]) => runCommand("src/cli/plan.ts", args);

// The rows the CLI asks about: supervised, the four scenarios, and a teacher shared by 4 students.
const strategies: NamedStrategy[] = [
  { id: "supervised", label: "Supervised", strategy: "supervised" },
  ...SCENARIOS.map((s) => ({ id: s.id, label: s.label, strategy: s.id })),
  { id: "shared-by-4", label: describeSharedTeacher(4, "per-student"), strategy: { kind: "weights", ...sharedTeacherWeights(4, "per-student") } },
];
const targetInputs = { studentParameters: 1.82e9, targetLoss: 2.4, strategies };
const expected = targetLossUncertainty(targetInputs, ensemble, { points: targetPointAnswers(targetInputs, TABLE6), domain: paperDomain() });
const args = ["--student", "1.82B", "--target-loss", "2.4", "--teacher-shared-by", "4", "--coefficients", file, "--uncertainty"];

test("--target-loss --uncertainty --format json: the core's bands, shares and verdict", () => {
  const result = plan(...args, "--format", "json");
  assert.equal(result.status, 0, result.stderr);
  const { uncertainty } = JSON.parse(result.stdout);
  const { ensemble: line, verdictValidity, ...summary } = uncertainty;
  assert.deepEqual(summary, JSON.parse(JSON.stringify(expected)));
  assert.equal(summary.members, 12);
  assert.deepEqual(summary.strategies.map((s: { id: string }) => s.id), strategies.map((s) => s.id));
  assert.equal(line, `${describeEnsembleUse(expected)} ${expected.ensembleDescription}`);
  assert.match(verdictValidity, /at the point fit's allocation(: (within the box|extrapolates beyond the paper's design)| also extrapolates: )/);
  // The line under the verdict says only what the sentence does not: the variable the verdict names is not repeated.
  const answers = targetPointAnswers(targetInputs, TABLE6).map((p) => ({ ...p, point: p.result.status === "optimal" ? p.result : null }));
  assert.equal(verdictValidity, pointExtrapolationNote(expected.verdict, answers, paperDomain()));
  if (expected.verdict.kind === "extrapolates") {
    assert.ok(expected.verdict.sentence.includes(`${expected.verdict.extrapolation!.variable} `));
    assert.ok(!verdictValidity.includes(`${expected.verdict.extrapolation!.variable} =`), verdictValidity);
  }
});

test("--target-loss --uncertainty --format csv: band columns in every row", () => {
  const result = plan(...args, "--format", "csv");
  assert.equal(result.status, 0, result.stderr);
  const rows = csvParse(result.stdout.trim());
  for (const column of TARGET_UNCERTAINTY_COLUMNS) assert.ok(rows.columns.includes(column), column);
  assert.equal(rows.length, strategies.length);
  expected.strategies.forEach((s, i) => {
    assert.equal(rows[i].strategy, s.id);
    assert.equal(Number(rows[i].compute_p05), s.compute!.low);
    assert.equal(Number(rows[i].compute_ratio_p95), s.computeRatio!.high);
    assert.equal(Number(rows[i].data_ratio_median), s.dataRatio!.median);
    assert.equal(rows[i].share_cheaper_than_supervised === "" ? null : Number(rows[i].share_cheaper_than_supervised), s.shareCheaperThanSupervised);
    assert.equal(Number(rows[i].members_used), s.used);
    assert.equal(rows[i].verdict, expected.verdict.sentence);
  });
});

test("--target-loss --uncertainty table: band columns, the ensemble, the verdict and its extrapolation; without it, how to get them", () => {
  const result = plan(...args);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /compute 90% band +vs supervised band +data ratio band +cheaper +members/);
  assert.match(result.stdout, /Uncertainty: 90% bands over 12 bootstrap refits; 0 of 12 left out as unusable\./);
  assert.ok(result.stdout.includes(expected.verdict.sentence));
  assert.match(expected.verdict.sentence, /(needs the least compute in \d+(\.\d)?% of the 12 coefficient samples|Too close to call)/);
  assert.match(result.stdout, /at the point fit's allocation(:| also extrapolates:) /);
  const plain = plan("--student", "1.82B", "--target-loss", "2.4", "--coefficients", file);
  assert.equal(plain.status, 0, plain.stderr);
  assert.doesNotMatch(plain.stdout, /compute 90% band|Uncertainty:/);
  assert.match(plain.stdout, /add --uncertainty\.\n$/);
});

test("--target-loss --uncertainty below every floor: no verdict, every member unreachable", () => {
  const result = plan("--student", "200M", "--target-loss", "2.2", "--coefficients", file, "--uncertainty", "--format", "json");
  assert.equal(result.status, 0, result.stderr);
  const { uncertainty } = JSON.parse(result.stdout);
  assert.equal(uncertainty.verdict.kind, "none");
  for (const s of uncertainty.strategies) assert.deepEqual([s.used, s.unreachable, s.compute], [0, 12, null]);
});
