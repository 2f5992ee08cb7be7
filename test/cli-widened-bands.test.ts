// The CLI's target-loss and lifetime bands beyond the fitted runs: `plan --student 1B --target-loss 2.3
// --uncertainty` (Table 6, its shipped ensemble and measured growth) and a lifetime question over a
// coefficient file that carries a growth. The table marks widened bands "(widened)" and says what
// that means; JSON and CSV carry `widened` and the added error, equal to the core's computation.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { TABLE6 } from "../src/core/laws/laws.js";
import { SCENARIOS } from "../src/core/laws/scenarios.js";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import { paperEnsembleFile } from "../src/cli/ensembleFile.js";
import { targetLossUncertainty, targetPointAnswers } from "../src/core/uncertainty/targetLossUncertainty.js";
import { lifetimeAnswer, lifetimeStrategies, LIFETIME_MIN_TOKENS_PER_PARAMETER } from "../src/core/questions/lifetime.js";
import { lifetimeUncertainty } from "../src/core/uncertainty/lifetimeUncertainty.js";
import { planOutput } from "./cli-helpers.js";
import { perturbedTable6 } from "./helpers/testEnsemble.js";

const { ensemble: paper, outOfDomain: growth } = paperEnsembleFile();
const domain = paperDomain();
const ARGS = ["--student", "1B", "--target-loss", "2.3", "--uncertainty"];
const STRATEGIES = [{ id: "supervised", label: "Supervised", strategy: "supervised" as const }, ...SCENARIOS.map((s) => ({ id: s.id, label: s.label, strategy: s.id }))];

test("plan --student 1B --target-loss 2.3 --uncertainty: widened bands, equal to the core's, marked and explained", () => {
  assert.ok(growth, "Table 6's ensemble file carries its measured growth");
  const inputs = { studentParameters: 1e9, targetLoss: 2.3, strategies: STRATEGIES, bounds: [1e6, 1e17] as const, outOfDomain: { domain, growth: growth! } };
  const expected = targetLossUncertainty(inputs, paper, { points: targetPointAnswers(inputs, TABLE6), domain, point: TABLE6 });
  const json = JSON.parse(planOutput(...ARGS, "--format", "json")).uncertainty;
  const { ensemble: _line, verdictValidity: _note, ...summary } = json;
  assert.deepEqual(summary, JSON.parse(JSON.stringify(expected)));
  const inference = json.strategies.find((s: { id: string }) => s.id === "teacher-inference");
  assert.equal(inference.compute.widened, true);
  assert.ok(inference.compute.outOfDomainError > 0 && inference.computeRatio.widened && inference.computeRatio.extrapolationFactor > 10);
  assert.equal(json.strategies[0].compute.widened, false, "supervised training at 1B, 2.3 nats lies inside the runs");

  const table = planOutput(...ARGS);
  const row = (label: string) => table.split("\n").find((line) => line.startsWith(`${label} `))!;
  assert.match(row("Teacher inference"), /\(widened\).*\(widened\).*\(widened\)/);
  assert.doesNotMatch(row("Supervised"), /widened/);
  assert.match(table, /Bands marked \(widened\) lie beyond the fitted runs/);
  assert.doesNotMatch(table, /Infinity|NaN/);

  const rows = csvParse(planOutput(...ARGS, "--format", "csv").trim());
  const csv = (id: string) => rows.find((r) => r.strategy === id)!;
  assert.equal(csv("teacher-inference").compute_widened, "true");
  assert.equal(Number(csv("teacher-inference").compute_out_of_domain_error), inference.compute.outOfDomainError);
  assert.equal(Number(csv("teacher-inference").compute_p05), inference.compute.low);
  assert.equal(csv("supervised").compute_widened, "false");
  assert.equal(Number(csv("supervised").compute_out_of_domain_error), 0);
});

test("plan --target-loss 2.3 --serve-tokens 1e14 --uncertainty over a file with a growth: widened lifetime bands", () => {
  const folder = mkdtempSync(join(tmpdir(), "widened-bands-"));
  const file = join(folder, "fit.json");
  const ensemble = perturbedTable6(4, { seed: 5 });
  writeFileSync(file, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation, ensemble, domain, outOfDomain: growth }));
  const strategies = lifetimeStrategies().filter((s) => s.id !== "shared-teacher");
  const question = { targetLoss: 2.3 };
  const point = lifetimeAnswer(question, 1e14, strategies, { minStudentTokensPerParameter: LIFETIME_MIN_TOKENS_PER_PARAMETER });
  const expected = lifetimeUncertainty(
    { question, servedTokens: 1e14, strategies, bounds: [1e6, 1e17], minStudentTokensPerParameter: LIFETIME_MIN_TOKENS_PER_PARAMETER, outOfDomain: { domain, growth: growth! } },
    point, ensemble, { domain, coefficients: TABLE6 },
  );
  const args = ["--target-loss", "2.3", "--serve-tokens", "1e14", "--coefficients", file, "--uncertainty"];
  const json = JSON.parse(planOutput(...args, "--format", "json")).uncertainty;
  assert.deepEqual(json.strategies.map((s: { lifetimeFlops: unknown }) => s.lifetimeFlops), JSON.parse(JSON.stringify(expected.strategies.map((s) => s.lifetimeFlops))));
  assert.ok(json.strategies.every((s: { lifetimeFlops: { widened: boolean } }) => s.lifetimeFlops.widened), "every student here trains on 3,500-7,200 tokens per parameter");
  const table = planOutput(...args);
  assert.match(table, /Bands marked \(widened\) lie beyond the fitted runs/);
  // The bands table (under the point table) marks its rows.
  assert.match(table.split("\n").filter((line) => line.startsWith("Existing teacher ")).at(-1)!, /\(widened\).*\(widened\)/);
});

test("plan --student 143M --budget 1e22 --uncertainty --format csv: the loss bands' columns say they are widened, as the JSON does", () => {
  const args = ["--student", "143M", "--budget", "1e22", "--uncertainty"];
  const json = JSON.parse(planOutput(...args, "--format", "json")).uncertainty;
  const rows = csvParse(planOutput(...args, "--format", "csv").trim());
  assert.equal(rows.length, json.strategies.length);
  for (const [i, s] of json.strategies.entries()) {
    assert.equal(rows[i].L_S_widened, String(s.studentLoss.widened), s.strategy);
    assert.equal(Number(rows[i].L_S_out_of_domain_error), s.studentLoss.outOfDomainError, s.strategy);
    assert.equal(rows[i].L_S_minus_supervised_widened, String(s.differenceToSupervised.widened), s.strategy);
  }
  // D_S/N_S 158x beyond the runs: every loss band widens.
  assert.ok(rows.every((r) => r.L_S_widened === "true"));
});
