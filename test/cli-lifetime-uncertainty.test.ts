// `npm run plan -- --target-loss L --serve-tokens T --uncertainty` (and --budget C): the bands,
// shares and verdict of the lifetime answer over the file's ensemble, equal to the core's
// in-process computation, in JSON, CSV and the table; without --uncertainty, a line saying how
// to get them. A four-member ensemble keeps the runs short.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { TABLE6 } from "../src/core/laws/laws.js";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import { lifetimeAnswer, lifetimeStrategies, type LifetimeQuestion } from "../src/core/questions/lifetime.js";
import { lifetimeUncertainty } from "../src/core/uncertainty/lifetimeUncertainty.js";
import { runCommand } from "./cli-helpers.js";
import { perturbedTable6 } from "./helpers/testEnsemble.js";

const folder = mkdtempSync(join(tmpdir(), "lifetime-uncertainty-"));
const ensemble = perturbedTable6(4, { seed: 5 });
const file = join(folder, "fit.json");
writeFileSync(file, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation, ensemble, domain: paperDomain() }));
const plan = (...args: string[]) => runCommand("src/cli/plan.ts", args);
// The CLI's lifetime strategies: the named ones, and the shared teacher when asked for.
const named = lifetimeStrategies().filter((s) => s.id !== "shared-teacher");

function expected(question: LifetimeQuestion, strategies = named) {
  const point = lifetimeAnswer(question, 1e12, strategies);
  return lifetimeUncertainty({ question, servedTokens: 1e12, strategies }, point, ensemble, { domain: paperDomain() });
}

test("--target-loss --serve-tokens --uncertainty: JSON carries the core's bands and verdict over the file's ensemble", () => {
  const result = plan("--target-loss", "2.3", "--serve-tokens", "1e12", "--coefficients", file, "--uncertainty", "--format", "json");
  assert.equal(result.status, 0, result.stderr);
  const json = JSON.parse(result.stdout);
  const e = expected({ targetLoss: 2.3 });
  assert.deepEqual(json.uncertainty, JSON.parse(JSON.stringify(e)));
  assert.equal(json.uncertainty.members, 4);
  assert.equal(json.uncertainty.comparison, "ratio");
  assert.ok(json.uncertainty.strategies.every((s: { studentParameters: unknown; lifetimeFlops: unknown }) => s.studentParameters && s.lifetimeFlops));
});

test("--budget --serve-tokens --uncertainty --format csv: one row per strategy with the band columns, shared teacher included", () => {
  const result = plan("--budget", "1e22", "--serve-tokens", "1e12", "--teacher-shared-by", "4", "--coefficients", file, "--uncertainty", "--format", "csv");
  assert.equal(result.status, 0, result.stderr);
  const rows = csvParse(result.stdout.trim());
  const shared = lifetimeStrategies(4).find((s) => s.id === "shared-teacher")!;
  const e = expected({ budget: 1e22 }, [...named, { ...shared, id: "shared-by-4" }]);
  assert.equal(rows.length, 4);
  for (const column of ["N_S_p05", "N_S_median", "N_S_p95", "tokens_per_parameter_p05", "L_S_p05", "L_S_p95", "L_S_minus_supervised_p05",
    "share_beating_supervised", "members_used", "members_unreachable", "members_failed", "members_left_out", "ensemble", "verdict"]) {
    assert.ok(rows.columns.includes(column), column);
  }
  e.strategies.forEach((s, i) => {
    assert.equal(rows[i].strategy, s.id);
    assert.equal(Number(rows[i].N_S_p05), s.studentParameters!.low);
    assert.equal(Number(rows[i].L_S_p95), s.studentLoss!.high);
    assert.equal(rows[i].members_used, "4");
    if (s.versusSupervised) assert.equal(Number(rows[i].L_S_minus_supervised_median), s.versusSupervised.median);
    assert.equal(rows[i].verdict, e.verdict.sentence);
  });
  // The shared teacher replaces the new one in the verdict: it never does worse.
  assert.deepEqual(e.verdict.compared, ["supervised", "existing-teacher", "shared-by-4"]);
  assert.match(rows[0].verdict, /left out: new teacher for this student \(never better than teacher shared by 4 students\)/);
});

test("--uncertainty table: the bands under the answer, the ensemble line and the verdict; without it, a line saying how", () => {
  const result = plan("--target-loss", "2.3", "--serve-tokens", "1e12", "--coefficients", file, "--uncertainty");
  assert.equal(result.status, 0, result.stderr);
  const e = expected({ targetLoss: 2.3 });
  assert.match(result.stdout, /Uncertainty: 90% bands over 4 bootstrap refits; 0 of 4 left out as unusable\./);
  assert.match(result.stdout, /N_S\* 90% band +D_S\/N_S 90% band +lifetime FLOPs 90% band +ratio to supervised 90% band +beats supervised +members/);
  assert.ok(result.stdout.includes(e.verdict.sentence), result.stdout);
  assert.doesNotMatch(result.stdout, /add --uncertainty/);
  const plain = plan("--target-loss", "2.3", "--serve-tokens", "1e12");
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stdout, /for the 90% bands and a verdict across the coefficients' uncertainty, add --uncertainty\.\n$/);
  assert.doesNotMatch(plain.stdout, /Uncertainty:/);
  const csv = csvParse(plan("--target-loss", "2.3", "--serve-tokens", "1e12", "--format", "csv").stdout.trim());
  assert.ok(!csv.columns.includes("N_S_p05"));
});
