import { test } from "node:test";
import assert from "node:assert/strict";
import { csvParse } from "d3-dsv";
import { EVERY_STRATEGY, assertRejected, plan, planOutput } from "./cli-helpers.js";
import { targetLossCompute } from "../src/core/questions/targetLoss.js";
import { lifetimeOptimum, lifetimeStrategies } from "../src/core/questions/lifetime.js";

test("--student --target-loss: one row per strategy with the core's least compute", () => {
  const output = JSON.parse(planOutput("--student", "500M", "--target-loss", "2.4", "--format", "json"));
  assert.deepEqual(output.rows.map((r: { id: string }) => r.id), EVERY_STRATEGY);
  for (const row of output.rows) {
    const expected = targetLossCompute(5e8, 2.4, row.id);
    assert.equal(row.result.status, "optimal");
    if (expected.status === "optimal") assert.equal(row.result.compute, expected.compute);
  }
  const csv = csvParse(plan("--student", "500M", "--target-loss", "2.4", "--format", "csv").stdout);
  assert.equal(csv.length, 5);
  assert.equal(Number(csv[0].compute_ratio), 1);
  const table = plan("--student", "500M", "--target-loss", "2.4").stdout;
  assert.match(table, /Least compute to bring a 500M-parameter student to 2.4 nats/);
});

test("--target-loss below the floor prints unreachable with the floor", () => {
  const rows = csvParse(planOutput("--student", "200M", "--target-loss", "2.2", "--format", "csv"));
  assert.ok(rows.every((r) => r.status === "unreachable" && Number(r.floor) > 2.2));
});

test("--target-loss --serve-tokens: the lifetime optimum per strategy; tokens per day x days is the same T", () => {
  const a = plan("--target-loss", "2.3", "--serve-tokens", "1e12", "--format", "json");
  assert.equal(a.status, 0, a.stderr);
  const rows = JSON.parse(a.stdout).rows;
  const expected = lifetimeOptimum(2.3, 1e12, lifetimeStrategies().filter((s) => s.id !== "shared-teacher"));
  assert.deepEqual(rows.map((r: { id: string }) => r.id), expected.map((r) => r.id));
  for (const [i, row] of rows.entries()) {
    const e = expected[i];
    if (e.status === "optimal") assert.equal(row.studentParameters, e.studentParameters);
  }
  const b = plan("--target-loss", "2.3", "--tokens-per-day", "1e9", "--days", "1000", "--format", "csv");
  const c = plan("--target-loss", "2.3", "--serve-tokens", "1e12", "--format", "csv");
  assert.equal(b.stdout, c.stdout);
});

test("--budget --serve-tokens: the converse", () => {
  const rows = csvParse(planOutput("--budget", "1e22", "--serve-tokens", "1e12", "--scenario", "all", "--format", "csv"));
  assert.ok(rows.length >= 3);
  for (const row of rows.filter((r) => r.status === "optimal")) assert.ok(Math.abs(Number(row.flops_lifetime) / 1e22 - 1) < 1e-9);
});

test("--teacher-shared-by and --delta-* add weights rows with the core's answer", async () => {
  const { planAllocations } = await import("../src/core/allocation/plan.js");
  const rows = csvParse(planOutput("--student", "1.82B", "--budget", "1e22", "--teacher-shared-by", "4", "--stored-logits", "--delta-logits", "0.5", "--delta-pretraining", "0.1", "--format", "csv"));
  assert.equal(rows.length, 7);
  const expected = planAllocations({ studentParameters: 1.82e9, budget: 1e22 }, [{ kind: "weights", deltaLogits: 0.5, deltaPretraining: 0.1 }, { kind: "weights", deltaLogits: 0.25, deltaPretraining: 0.25 }]);
  assert.deepEqual(rows.slice(5).map((r) => [r.strategy, Number(r.delta_logits), Number(r.delta_pretraining), Number(r.L_S)]),
    expected.map((r) => ["weights", r.weights.deltaLogits, r.weights.deltaPretraining, r.studentLoss]));
  const table = plan("--student", "1.82B", "--budget", "1e22", "--teacher-shared-by", "4").stdout;
  assert.match(table, /Teacher shared by 4 students \(pretraining 1\/4 each; logits run by each student, in full\)/);
});

test("bad question arguments end with one line naming the argument", () => {
  assertRejected(plan("--student", "1B", "--target-loss", "x"), /--target-loss: “x” is not a number: type a loss, such as 2\.1/);
  assertRejected(plan("--student", "1B", "--budget", "1e21", "--delta-logits", "2", "--delta-pretraining", "0"), /--delta-logits: “2” is too large: a weight of Eq\. 9 is accepted from 0 to 1\./);
  assertRejected(plan("--student", "1B", "--budget", "1e21", "--delta-logits", "0.5"), /give --delta-logits and --delta-pretraining together/);
  assertRejected(plan("--student", "1B", "--budget", "1e21", "--teacher-shared-by", "2.5"), /--teacher-shared-by: “2\.5” is not a whole number: a number of students sharing a teacher is accepted from 1 to 1M students\./);
  assertRejected(plan("--target-loss", "2.3"), /needs --serve-tokens/);
  assertRejected(plan("--student", "1B", "--target-loss", "2.3", "--serve-tokens", "1e12"), /leave out --student/);
  assertRejected(plan("--target-loss", "2.3", "--budget", "1e22", "--serve-tokens", "1e12"), /either --target-loss L or --budget C/);
  assertRejected(plan("--target-loss", "2.3", "--tokens-per-day", "1e9"), /give --tokens-per-day and --days together/);
  assertRejected(plan("--student", "1B", "--budget", "1e21", "--stored-logits"), /only with --teacher-shared-by/);
  assertRejected(plan("--target-loss", "2.3", "--tokens-per-day", "1e200", "--days", "1e200"), /^plan: --tokens-per-day: “1e200” is too large/);
  assertRejected(plan("--target-loss", "2.3", "--tokens-per-day", "1e14", "--days", "36500"),
    /^plan: --tokens-per-day x --days: tokens per day \(1e14\) x days \(36500\) = 3\.65e18 tokens served is too large: a number of tokens served is accepted from 0 to 1e18 tokens\.$/);
  assertRejected(plan("--target-loss", "0x10", "--serve-tokens", "1e12"), /^plan: --target-loss: “0x10” is not accepted: hexadecimal/);
  assertRejected(plan("--target-loss", "2.3", "--serve-tokens", "-1"), /^plan: --serve-tokens: “-1” is too small: a number of tokens served is accepted from 0 to 1e18 tokens\.$/);
});

test("zero served tokens reads alike as 0, 0.0 and 0e0", () => {
  const outputs = ["0", "0.0", "0e0"].map((zero) => plan("--target-loss", "2.3", "--serve-tokens", zero, "--scenario", "best-case", "--format", "csv"));
  for (const output of outputs) assert.equal(output.status, 0, output.stderr);
  assert.equal(outputs[1].stdout, outputs[0].stdout);
  assert.equal(outputs[2].stdout, outputs[0].stdout);
});

test("question modes name what lies outside the validity domain (Table 6: the paper's design)", () => {
  // A 500M student reaches 2.4 nats with a free teacher on under one token per parameter: far
  // below the fitted students' token counts, and with a teacher stronger than any fitted one.
  const csv = csvParse(plan("--student", "500M", "--target-loss", "2.4", "--format", "csv").stdout);
  const bestCase = csv.find((r) => r.strategy === "best-case")!;
  assert.match(bestCase.validity, /D_S = 401M: 7\.1x below the smallest fitted student token count/);
  assert.match(bestCase.validity, /L_T\* = 1\.729: stronger than the strongest fitted teacher/);
  const table = plan("--student", "500M", "--target-loss", "2.4").stdout;
  assert.match(table, /Best case \(fully amortised teacher\): outside the fitted domain: D_S = 401M/);
  // Inside the domain nothing is flagged: supervised training of 1.82B to a loss its runs cover.
  const inside = csvParse(plan("--student", "1.82B", "--target-loss", "2.3", "--format", "csv").stdout);
  assert.equal(inside.find((r) => r.strategy === "supervised")!.validity, "");
  const lifetime = JSON.parse(plan("--target-loss", "2.3", "--serve-tokens", "1e12", "--format", "json").stdout);
  assert.ok(lifetime.validityDomain?.source);
  const existing = lifetime.rows.find((r: { id: string }) => r.id === "existing-teacher");
  assert.match(existing.validity, /D_T\* = 1e17: \d+x the largest fitted teacher token count/);
});

test("--serve-tokens 0: an answer on the tokens-per-parameter floor (the fitted runs' smallest) names it as a bound", () => {
  const table = plan("--target-loss", "2.2", "--serve-tokens", "0");
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /Least lifetime FLOPs: existing teacher \(logits paid\), a 2\.21B student on 3\.13 tokens per parameter, .* \(on a search limit: D_S\/N_S at the floor 3\.13; D_T at the 1e17 limit\)\./);
  const csv = csvParse(plan("--target-loss", "2.2", "--serve-tokens", "0", "--format", "csv").stdout);
  const existing = csv.find((r) => r.strategy === "existing-teacher")!;
  assert.equal(existing.bounds, "D_S/N_S at the floor 3.13; D_T at the 1e17 limit");
  assert.ok(Math.abs(Number(existing.tokens_per_parameter_floor) - 3.1334) < 1e-4);
  assert.equal(csv.find((r) => r.strategy === "supervised")!.bounds, "");
  const json = JSON.parse(plan("--target-loss", "2.2", "--serve-tokens", "0", "--format", "json").stdout);
  assert.equal(json.rows.find((r: { id: string }) => r.id === "existing-teacher").bounds.tokensPerParameter, "floor");
});

test("--student --target-loss: a teacher on the 1e17 limit of the search is named as such", () => {
  const table = plan("--student", "1B", "--target-loss", "2.3");
  assert.equal(table.status, 0, table.stderr);
  const expected = targetLossCompute(1e9, 2.3, "teacher-inference");
  assert.ok(expected.status === "optimal" && expected.bounds.teacherTokens === "upper");
  assert.match(table.stdout, /Teacher inference: D_T at the 1e17 limit of the search: that part of the answer is the limit's, not an optimum of the laws\./);
  assert.doesNotMatch(table.stdout, /Supervised: .* limit of the search/);
});
