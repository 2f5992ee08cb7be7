import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { planAllocations } from "../src/core/allocation/plan.js";
import { TABLE6 } from "../src/core/laws/laws.js";
import { flopsModel } from "../src/core/laws/flops.js";
import { exportNumber } from "../src/core/export/tableExport.js";
import { EVERY_STRATEGY, assertRejected, plan, planOutput } from "./cli-helpers.js";

test("plan prints every strategy as JSON with the same numbers as the core", () => {
  const output = JSON.parse(planOutput("--student", "1.82B", "--budget", "1e22", "--format", "json"));
  assert.deepEqual(output.rows.map((r: { strategy: string }) => r.strategy), EVERY_STRATEGY);
  const expected = planAllocations({ studentParameters: 1.82e9, budget: 1e22 });
  for (const [i, row] of output.rows.entries()) {
    assert.equal(row.studentLoss, expected[i].studentLoss);
    assert.equal(row.studentTokens, expected[i].studentTokens);
    assert.deepEqual(row.bounds, expected[i].bounds);
    assert.ok(row.flops.total > 0);
  }
  assert.equal(output.rows[2].bounds.teacherTokens, "upper");
  assert.match(output.summary, /nats/);
});

test("plan accepts sizes as 1.82e9 and 1.82B alike, and one scenario", () => {
  const a = plan("--student", "1.82e9", "--budget", "1e21", "--scenario", "teacher-pretraining", "--format", "csv");
  const b = plan("--student", "1.82B", "--budget", "1000e18", "--scenario", "teacher-pretraining", "--format", "csv");
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const rows = csvParse(a.stdout);
  assert.deepEqual(rows.map((r) => r.strategy), ["supervised", "teacher-pretraining"]);
  assert.equal(rows[1].coefficient_set, "Paper (Table 6)");
});

test("plan's CSV writes numbers as the site's exports do: exact, and in exponent form without + past 15 digits", () => {
  const csv = plan("--student", "1.82B", "--budget", "1e22", "--format", "csv");
  const json = plan("--student", "1.82B", "--budget", "1e22", "--format", "json");
  assert.equal(csv.status, 0, csv.stderr);
  assert.doesNotMatch(csv.stdout, /e\+/);
  const rows = csvParse(csv.stdout);
  const expected = JSON.parse(json.stdout).rows;
  for (const [i, row] of rows.entries()) {
    assert.equal(Number(row.L_S), expected[i].studentLoss);
    assert.equal(Number(row.D_S), expected[i].studentTokens);
    assert.equal(row.D_S, exportNumber(expected[i].studentTokens));
  }
});

test("plan honours the FLOPs model options", () => {
  const output = JSON.parse(planOutput("--student", "1B", "--budget", "1e21", "--flops", "2N", "--n-ctx", "8192", "--format", "json"));
  assert.equal(output.inputs.flopsModel.form, "2N");
  const expected = planAllocations({ studentParameters: 1e9, budget: 1e21, flops: flopsModel({ form: "2N", nCtx: 8192 }) });
  assert.equal(output.rows[0].studentTokens, expected[0].studentTokens);
  assert.equal(output.rows[0].studentTokens, 1e21 / 6e9);
});

test("plan prints a readable table by default, infeasible strategies included", () => {
  // 1.02e15 FLOPs: enough for a 100M student's 1e6 tokens, too little to pretrain a teacher too.
  const result = plan("--student", "100M", "--budget", "1.02e15");
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Supervised/);
  assert.match(result.stdout, /Teacher pretraining \+ inference: budget 1\.02e15 FLOPs is too small for teacher-pretraining-inference: feasible budgets are \d(\.\d+)?e\d+ to/);
  assert.doesNotMatch(result.stdout, /NaN/);
  // 1e27 FLOPs would give a 100M student more than 1e17 tokens: supervised training and the best
  // case honour the token bounds as every scenario does, and the summary does not name supervised.
  const beyond = plan("--student", "100M", "--budget", "1e27");
  assert.equal(beyond.status, 0, beyond.stderr);
  assert.match(beyond.stdout, /Best case \(fully amortised teacher\)\s+infeasible/);
  assert.match(beyond.stdout, /Supervised\s+infeasible/);
  assert.match(beyond.stdout, /Supervised: budget 1e27 FLOPs is too large for supervised training: feasible budgets are/);
  assert.doesNotMatch(beyond.stdout, /supervised training gives the lowest loss/);
  // A budget no strategy can spend is refused as the site refuses it.
  assertRejected(plan("--student", "100M", "--budget", "5e14"), /^plan: --budget: 5e14 FLOPs is too small for any allocation: a 100M student needs at least/);
});

test("plan reads coefficients from a fit output file", () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-"));
  const file = join(dir, "fit.json");
  writeFileSync(file, JSON.stringify({
    supervised: { coefficients: { E: 1.3, A: 3000, B: 18000, alpha: 0.4, beta: 0.43, gamma: 0.45 } },
    distillation: { coefficients: { A: 2243, B: 24181, alpha: 0.321, beta: 0.637, gamma: 0.764, c0: 2.549, c1: 522.6, f1: 0.09, d1: 1.315 } },
  }));
  assert.equal(JSON.parse(planOutput("--student", "1B", "--budget", "1e21", "--coefficients", file, "--format", "json")).inputs.coefficients.supervised.E, 1.3);
});

const errorCases: [string, string[], RegExp][] = [
  ["missing --student", ["--budget", "1e21"], /^plan: missing --student$/],
  ["missing --budget", ["--student", "1B"], /^plan: missing --budget$/],
  ["unparseable size", ["--student", "big", "--budget", "1e21"], /--student: “big” is not a number: type a student size, such as 546M, 1\.5B or 3e9\. Accepted forms: /],
  ["negative budget", ["--student", "1B", "--budget=-1e21"], /--budget: “-1e21” is not positive: a budget in FLOPs is accepted from 1T to 1e35 FLOPs\.$/],
  ["negative budget without =", ["--student", "1B", "--budget", "-1e21"], /--budget: “-1e21” is not positive: a budget in FLOPs is accepted from 1T to 1e35 FLOPs\.$/],
  ["zero budget", ["--student", "1B", "--budget", "0"], /--budget: “0” is not positive/],
  ["zero budget written 0.0", ["--student", "1B", "--budget", "0.0"], /--budget: “0\.0” is not positive/],
  ["zero budget written 0e0", ["--student", "1B", "--budget", "0e0"], /--budget: “0e0” is not positive/],
  ["negative student", ["--student", "-1", "--budget", "1e21"], /^plan: --student: “-1” is not positive: a student size is accepted from 1M to 100T parameters\.$/],
  ["student below the site's range", ["--student", "1e5", "--budget", "1e21"], /^plan: --student: “1e5” is too small: a student size is accepted from 1M to 100T parameters\.$/],
  ["student above the site's range", ["--student", "999T", "--budget", "1e21"], /^plan: --student: “999T” is too large: a student size is accepted from 1M to 100T parameters\.$/],
  ["student 1e15", ["--student", "1e15", "--budget", "1e21"], /^plan: --student: “1e15” is too large/],
  ["budget too small for the student", ["--student", "1.82B", "--budget", "1e12"], /^plan: --budget: 1e12 FLOPs is too small for any allocation: a 1\.82B student needs at least/],
  ["budget 1e40", ["--student", "1B", "--budget", "1e40"], /^plan: --budget: “1e40” is too large: a budget in FLOPs is accepted from 1T to 1e35 FLOPs\.$/],
  ["budget 1e400", ["--student", "1B", "--budget", "1e400"], /^plan: --budget: “1e400” is too large: a budget in FLOPs is accepted from 1T to 1e35 FLOPs\.$/],
  ["hexadecimal", ["--student", "1B", "--budget", "0x10"], /^plan: --budget: “0x10” is not accepted: hexadecimal/],
  ["a repeated option", ["--student", "1B", "--budget", "1e21", "--budget", "1e22"], /^plan: --budget: given more than once; give each option once$/],
  ["n-ctx 1e300", ["--student", "1B", "--budget", "1e21", "--n-ctx", "1e300"], /^plan: --n-ctx: “1e300” is too large: a context length is accepted from 1 to 100M tokens\.$/],
  ["a decimal comma", ["--student", "1,82B", "--budget", "1e21"], /^plan: --student: “1,82B” is not accepted: a comma must separate thousands/],
  ["unknown scenario", ["--student", "1B", "--budget", "1e21", "--scenario", "cheap"], /--scenario: expected all or one of best-case/],
  ["unknown flops model", ["--student", "1B", "--budget", "1e21", "--flops", "4N"], /--flops: expected 2N or eq69, got "4N"/],
  ["bad n-ctx", ["--student", "1B", "--budget", "1e21", "--n-ctx", "long"], /--n-ctx: “long” is not a number/],
  ["unknown option", ["--student", "1B", "--budget", "1e21", "--teacher", "7B"], /Unknown option '--teacher'/],
  ["bad format", ["--student", "1B", "--budget", "1e21", "--format", "xml"], /--format: expected table, json or csv/],
  ["missing coefficients file", ["--student", "1B", "--budget", "1e21", "--coefficients", "/nonexistent/fit.json"], /--coefficients \/nonexistent\/fit\.json: cannot read the file \(ENOENT\)/],
];

for (const [name, args, message] of errorCases) {
  test(`plan rejects ${name} with one line on stderr and a non-zero exit`, () => {
    assertRejected(plan(...args), message);
  });
}

test("plan rejects a coefficients file that is not JSON or lacks a coefficient", () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-"));
  const bad = join(dir, "bad.json");
  writeFileSync(bad, "{not json");
  assert.match(plan("--student", "1B", "--budget", "1e21", "--coefficients", bad).stderr, /bad\.json: not valid JSON/);
  const partial = join(dir, "partial.json");
  writeFileSync(partial, JSON.stringify({ supervised: { E: 1.2, A: 3000, B: 1, alpha: 0.4, beta: 0.4 } }));
  const result = plan("--student", "1B", "--budget", "1e21", "--coefficients", partial);
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /partial\.json: supervised\.gamma: expected a finite number >= 0, got undefined/);
});

test("--teacher-shared-by 100 --stored-logits: the logits' storage and Figure 54's truncation cost beside the gain", () => {
  const table = plan("--student", "1.82B", "--budget", "1e22", "--teacher-shared-by", "100", "--stored-logits");
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /Stored logits for D_S = 741B tokens take 47\.7 PB as full distributions in bf16 .* for a gain of 0\.0077 nats over supervised training\. Figure 54 measured \+0\.11 nats for top-128 truncation/);
  const json = JSON.parse(plan("--student", "1.82B", "--budget", "1e22", "--teacher-shared-by", "100", "--stored-logits", "--format", "json").stdout);
  const shared = json.rows.find((r: { label: string }) => r.label.startsWith("Teacher shared by 100"));
  assert.equal(json.storedLogits.fullBytes, shared.studentTokens * json.inputs.flopsModel.nVocab * 2);
  assert.equal(json.storedLogits.truncationExceedsGain, true);
  // Per-student logits store nothing: no storage line.
  assert.doesNotMatch(plan("--student", "1.82B", "--budget", "1e22", "--teacher-shared-by", "100").stdout, /Stored logits/);
});

test("a supervised-only coefficients file plans distillation only with --distillation-law paper, and every distillation row says whose law it is", () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-"));
  const supervisedOnly = join(dir, "supervised-only.json");
  const supervised = { E: 1.69, A: 1500, B: 6000, alpha: 0.35, beta: 0.37, gamma: 0.6 };
  writeFileSync(supervisedOnly, JSON.stringify({ supervised: { coefficients: supervised } }));
  const args = ["--student", "1B", "--budget", "1e21", "--coefficients", supervisedOnly];
  // Without the choice: the supervised row only, and why the others are absent.
  const absent = plan(...args, "--format", "json");
  assert.equal(absent.status, 0, absent.stderr);
  const a = JSON.parse(absent.stdout);
  assert.deepEqual(a.rows.map((r: { strategy: string }) => r.strategy), ["supervised"]);
  assert.equal(a.distillationLaw.source, "absent");
  assert.match(a.distillationLaw.note, /supervised-only\.json has no distillation law .* add --distillation-law paper/);
  const table = plan(...args);
  assert.match(table.stdout, /no distillation row is planned: a distillation law needs distillation runs to fit it\. To plan with Table 6's distillation law, not fitted to these runs, add --distillation-law paper\./);
  assert.doesNotMatch(table.stderr, /distillation/);
  for (const mode of [["--target-loss", "2.9"], ["--serve-tokens", "1e12"]]) {
    const question = mode[0] === "--serve-tokens" ? ["--target-loss", "2.9", ...mode] : ["--student", "1B", ...mode];
    const out = JSON.parse(plan(...question, "--coefficients", supervisedOnly, "--format", "json").stdout);
    assert.deepEqual(out.rows.map((r: { id: string }) => r.id), ["supervised"], mode.join(" "));
    assert.equal(out.distillationLaw.source, "absent");
  }
  // With the choice: Table 6's distillation law, each distillation row labelled, numbers as the core's.
  const borrowed = JSON.parse(plan(...args, "--distillation-law", "paper", "--format", "json").stdout);
  assert.equal(borrowed.distillationLaw.source, "borrowed");
  const expected = planAllocations({ studentParameters: 1e9, budget: 1e21, coefficients: { supervised, distillation: TABLE6.distillation } }, EVERY_STRATEGY);
  borrowed.rows.forEach((row: { strategy: string; label: string; studentLoss: number }, i: number) => {
    assert.equal(row.strategy, expected[i].strategy);
    assert.equal(row.studentLoss, expected[i].studentLoss);
    if (row.strategy === "supervised") assert.equal(row.label, "Supervised");
    else assert.equal(row.label, `${expected[i].label} (Table 6's distillation law, not fitted to these runs)`);
  });
  const csv = csvParse(plan("--target-loss", "2.9", "--serve-tokens", "1e12", "--coefficients", supervisedOnly, "--distillation-law", "paper", "--format", "csv").stdout);
  assert.deepEqual(csv.filter((r) => r.strategy !== "supervised").map((r) => r.label.endsWith("(Table 6's distillation law, not fitted to these runs)")), [true, true]);
  // The choice is for a set without a distillation law only.
  assertRejected(plan("--student", "1B", "--budget", "1e21", "--distillation-law", "paper"), /--distillation-law: only with --coefficients FILE/);
  assertRejected(plan(...args, "--distillation-law", "mine"), /--distillation-law: expected paper .*got "mine"/);
  const both = join(dir, "both.json");
  writeFileSync(both, JSON.stringify({ supervised, distillation: TABLE6.distillation }));
  assertRejected(plan("--student", "1B", "--budget", "1e21", "--coefficients", both, "--distillation-law", "paper"), /both\.json has its own distillation law/);
});
