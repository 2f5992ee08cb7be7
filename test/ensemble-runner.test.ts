// The one ensemble runner (src/core/ensemble/{question,runner}.ts, src/node/questionThreads.ts) and the
// one verdict (src/core/ensemble/verdict.ts): ranges that cover every member once, progress and
// cancellation, the registry's questions equal to the questions' own entry points, worker threads
// equal to one thread, and the verdict rule of docs/spec.md section 10 on hand-made members.

import { test } from "node:test";
import assert from "node:assert/strict";
import { TABLE6 } from "../src/core/laws/laws.js";
import { planAllocations, STRATEGIES } from "../src/core/allocation/plan.js";
import { memberRanges, type EnsembleQuestion } from "../src/core/ensemble/question.js";
import { runQuestion, runQuestionInChunks, solveMembers } from "../src/core/ensemble/runner.js";
import {
  ensembleVerdict, excess, formatFactor, worstExtrapolation, EXTRAPOLATION_LIMIT, LOSS_EXTRAPOLATION_LIMIT, type VerdictRow,
} from "../src/core/ensemble/verdict.js";
import { EDGE_TOLERANCE, planValidityFlags, validityFlags } from "../src/core/domain/validity.js";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import { ENSEMBLE_QUESTIONS, ensembleQuestion, type QuestionName } from "../src/core/uncertainty/questions.js";
import { planUncertainty } from "../src/core/uncertainty/planUncertainty.js";
import { runQuestionInThreads } from "../src/node/questionThreads.js";
import { perturbedTable6 } from "./helpers/testEnsemble.js";

test("memberRanges: contiguous, disjoint, covering every member once, as even as possible", () => {
  for (const total of [0, 1, 7, 203]) {
    for (const parts of [1, 2, 3, 8, 500]) {
      const ranges = memberRanges(total, parts);
      const covered = ranges.flatMap(({ first, count }) => Array.from({ length: count }, (_, i) => first + i));
      assert.deepEqual(covered, Array.from({ length: total }, (_, i) => i), `${total} over ${parts}`);
      if (ranges.length) assert.ok(Math.max(...ranges.map((r) => r.count)) - Math.min(...ranges.map((r) => r.count)) <= 1);
    }
  }
});

// A question whose answer is known: each member's E, summed.
const sumOfE: EnsembleQuestion<{ scale: number }, number, number, number> = {
  name: "sum-of-E",
  prepare: (input) => input.scale,
  solveMember: (member, _input, scale) => scale * member.supervised.E,
  summarise: (outcomes) => outcomes.reduce((a, b) => a + b, 0),
};
const ensemble = perturbedTable6(25, { seed: 11 });
const context = { point: TABLE6, domain: null, ensemble };

test("solveMembers: every member of a range in order, progress after each chunk, cancellation seen before a chunk", () => {
  const progress: number[] = [];
  const outcomes = solveMembers(sumOfE, { scale: 2 }, 2, ensemble.members, { first: 5, count: 12 }, { chunk: 5, onProgress: (done) => progress.push(done) })!;
  assert.deepEqual(outcomes, ensemble.members.slice(5, 17).map((m) => 2 * m.supervised.E));
  assert.deepEqual(progress, [5, 10, 12]);
  let chunks = 0;
  assert.equal(solveMembers(sumOfE, { scale: 1 }, 1, ensemble.members, undefined, { chunk: 4, isCancelled: () => ++chunks > 2 }), null);
  assert.equal(chunks, 3);
  const expected = ensemble.members.reduce((a, m) => a + 3 * m.supervised.E, 0);
  assert.ok(Math.abs(runQuestion(sumOfE, { scale: 3 }, context, ensemble.members) - expected) < 1e-9);
});

test("runQuestionInChunks yields between chunks, so a cancellation set meanwhile abandons the run", async () => {
  let cancelled = false;
  const run = runQuestionInChunks(sumOfE, { scale: 1 }, context, ensemble.members, { chunk: 5, isCancelled: () => cancelled });
  cancelled = true;
  assert.equal(await run, null);
  assert.equal(typeof await runQuestionInChunks(sumOfE, { scale: 1 }, context, ensemble.members, { chunk: 5 }), "number");
});

test("the registry names every question once, and an unknown name is a clear error", () => {
  for (const [name, question] of Object.entries(ENSEMBLE_QUESTIONS)) assert.equal(question.name, name);
  assert.throws(() => ensembleQuestion("sweep" as QuestionName), /unknown ensemble question "sweep": one of plan, target-loss, lifetime, efficiency, figure8/);
});

test("the plan question through runQuestion and through worker threads equals planUncertainty", async () => {
  const inputs = { studentParameters: 1.82e9, budget: 1e22, strategies: STRATEGIES.map((s) => s.id) };
  const small = { ...ensemble, members: ensemble.members.slice(0, 6) };
  const withDomain = { ...context, ensemble: small, domain: paperDomain() };
  const expected = planUncertainty(inputs, planAllocations(inputs), small, { domain: paperDomain() });
  assert.deepEqual(runQuestion(ENSEMBLE_QUESTIONS.plan, inputs, withDomain, small.members), expected);
  assert.deepEqual(await runQuestionInThreads("plan", inputs, withDomain, small.members, { threads: 2 }), expected);
});

// Hand-made verdicts: values[row][member], lower is better.
const phrasing = { best: (name: string) => `${name} wins`, needs: "a winner needs", none: "Nothing." };
const row = (id: string, extra: Partial<VerdictRow> = {}): VerdictRow => ({ id, label: id, name: id, ...extra });
const repeat = (n: number, v: number) => Array.from({ length: n }, () => v);

test("verdict: a winner needs 90% agreement and its deciding rows inside the limits", () => {
  const values = [[...repeat(95, 2), ...repeat(5, 1)], [...repeat(95, 1), ...repeat(5, 2)], repeat(100, 3)];
  const inside = ensembleVerdict([row("supervised"), row("inference"), row("pretraining")], values, phrasing);
  assert.equal(inside.kind, "winner");
  assert.equal(inside.winner, "inference");
  assert.deepEqual(inside.deciding, ["inference", "supervised"]);
  assert.equal(inside.sentence, "Inference wins in 95% of the 100 coefficient samples (supervised in 5%).");
  // The winner at 3,624x below the fitted tokens per parameter: no winner, and the sentence says why.
  const far = { variable: "D_S/N_S", factor: 3624, side: "below" as const, limit: EXTRAPOLATION_LIMIT };
  const v = ensembleVerdict([row("supervised"), row("inference", { extrapolation: far }), row("pretraining")], values, phrasing);
  assert.equal(v.kind, "extrapolates");
  assert.equal(v.winner, null);
  assert.deepEqual(v.extrapolation, { ...far, id: "inference" });
  assert.match(v.sentence, /^The laws cannot decide this from the runs: inference wins in 95% of the 100 coefficient samples \(supervised in 5%\), but at the point fit's answer inference extrapolates D_S\/N_S 3,624x below the fitted runs/);
  // Just inside the limit decides; a row that does not decide (the third) may extrapolate freely.
  const near = { ...far, factor: EXTRAPOLATION_LIMIT * 0.99 };
  assert.equal(ensembleVerdict([row("supervised"), row("inference", { extrapolation: near }), row("pretraining", { extrapolation: far })], values, phrasing).kind, "winner");
  // The runner-up decides too: when the winner takes every member, the row with the lowest median.
  const all = [repeat(10, 2), repeat(10, 1), repeat(10, 3)];
  const runnerUp = ensembleVerdict([row("supervised", { extrapolation: far }), row("inference"), row("pretraining")], all, phrasing);
  assert.deepEqual(runnerUp.deciding, ["inference", "supervised"]);
  assert.equal(runnerUp.kind, "extrapolates");
  assert.match(runnerUp.sentence, /supervised extrapolates D_S\/N_S 3,624x below the fitted runs/);
});

test("verdict: a close call is decided by every row with at least 10% of the members", () => {
  const values = [[...repeat(60, 1), ...repeat(40, 2)], [...repeat(60, 2), ...repeat(35, 1), ...repeat(5, 3)], [...repeat(95, 3), ...repeat(5, 1)]];
  const far = { variable: "N_S", factor: 10, side: "above" as const, limit: EXTRAPOLATION_LIMIT };
  const rows = [row("a"), row("b"), row("c", { extrapolation: far })];
  const v = ensembleVerdict(rows, values, phrasing);
  assert.deepEqual(v.deciding, ["a", "b"]);
  assert.equal(v.kind, "too-close");
  assert.match(v.sentence, /^Too close to call for these coefficients: a wins in 60% of the 100 samples, b in 35%, c in 5% \(a winner needs 90% of them\)\.$/);
  const bFar = ensembleVerdict([row("a"), row("b", { extrapolation: far }), row("c")], values, phrasing);
  assert.equal(bFar.kind, "extrapolates");
});

test("verdict: agreement on a row resting on a borrowed law is not agreement", () => {
  const values = [repeat(10, 2), repeat(10, 1)];
  const v = ensembleVerdict([row("supervised"), row("inference", { borrowedLaw: "Table 6" })], values, phrasing);
  assert.equal(v.kind, "borrowed");
  assert.equal(v.winner, null);
  assert.match(v.sentence, /Table 6's distillation law, not fitted to these runs/);
  assert.equal(ensembleVerdict([row("supervised"), row("inference")], [[], []], phrasing).kind, "none");
});

test("extrapolation: the worst variable is the one furthest beyond its own limit; the edges' tolerance is EDGE_TOLERANCE", () => {
  const range = { min: 100, max: 1000 };
  assert.deepEqual(validityFlags([{ variable: "N", value: 100 * (1 - 0.9 * EDGE_TOLERANCE), range, noun: "model" }]), []);
  assert.equal(validityFlags([{ variable: "N", value: 100 * (1 - 2 * EDGE_TOLERANCE), range, noun: "model" }]).length, 1);
  const flags = validityFlags([
    { variable: "D_S", value: 1000 * 3, range, noun: "token count" },
    { variable: "L_T*", value: 1.7, range: { min: 2.0, max: 2.9 }, noun: "fitted teacher", kind: "loss" },
  ]);
  const worst = worstExtrapolation(flags)!;
  // 2/1.7 = 1.18x on a 1.1x limit lies further beyond than 3x on a 2x limit.
  assert.equal(worst.variable, "L_T*");
  assert.equal(worst.limit, LOSS_EXTRAPOLATION_LIMIT);
  assert.ok(excess(worst) > excess({ factor: 3, limit: EXTRAPOLATION_LIMIT }));
  assert.deepEqual([formatFactor(1.04), formatFactor(23.4), formatFactor(645411)], ["1.0x", "23x", "645,411x"]);
});

test("Figure 8's crossovers carry the verdict rule: the rows compared at the crossover budget, checked against the domain", () => {
  const grid = { studentParameters: [5.46e8], strategies: ["supervised", "best-case"] as const, budgets: [1e21] };
  const bands = runQuestion(ENSEMBLE_QUESTIONS.figure8, { grid: { ...grid, strategies: [...grid.strategies] } }, { ...context, domain: paperDomain() }, ensemble.members.slice(0, 2));
  const best = bands.crossovers.find((c) => c.scenario === "best-case")!;
  assert.ok(best.point !== null && best.domain !== null);
  // Independently: both rows at the crossover budget, the best case's undetermined teacher left unchecked.
  const rows = planAllocations({ studentParameters: 5.46e8, budget: best.point!, coefficients: TABLE6 }, ["supervised", "best-case"]);
  const factors = rows.flatMap((row) => planValidityFlags(row, paperDomain())
    .filter((f) => row.teacherDetermined !== false || (f.variable !== "N_T*" && f.variable !== "D_T*"))
    .map((f) => ({ variable: f.variable, excess: Math.log(f.factor) / Math.log(f.variable.startsWith("L_T") ? LOSS_EXTRAPOLATION_LIMIT : EXTRAPOLATION_LIMIT) })));
  const worst = factors.sort((a, b) => b.excess - a.excess)[0];
  assert.equal(best.domain!.extrapolation?.variable, worst.variable);
  assert.equal(best.domain!.decidedByRuns, worst.excess <= 1);
  assert.equal(runQuestion(ENSEMBLE_QUESTIONS.figure8, { grid: { ...grid, strategies: [...grid.strategies] } }, context, ensemble.members.slice(0, 2)).crossovers[0].domain, null);
});
