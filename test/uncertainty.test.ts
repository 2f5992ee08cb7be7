// Bands, shares and verdicts over coefficient ensembles (src/core/uncertainty/planUncertainty.ts): a one-member
// ensemble collapses to the point plan, an ensemble of known spread gives the known quantiles,
// each member is planned on its own (checked member by member against solveStrategy), and the
// verdict names a winner only at 90% agreement.

import { test } from "node:test";
import assert from "node:assert/strict";
import { quantile } from "d3-array";
import { TABLE6 } from "../src/core/laws/laws.js";
import { planAllocations, STRATEGIES } from "../src/core/allocation/plan.js";
import { solveStrategy, type StrategyId } from "../src/core/allocation/strategy.js";
import {
  planUncertainty, uncertaintyVerdict, type MemberOutcome, type UncertaintyInputs,
} from "../src/core/uncertainty/planUncertainty.js";
import { ensembleOf, perturbedTable6, shiftedE } from "./helpers/testEnsemble.js";

const ALL: StrategyId[] = STRATEGIES.map((s) => s.id);
const close = (a: number, b: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b}`);

for (const [NS, C] of [[1.82e9, 1e22], [5.46e8, 3e21], [7.75e9, 1e24]] as const) {
  test(`a one-member ensemble at the point fit collapses every band to the point plan (N_S=${NS}, C=${C})`, () => {
    const inputs: UncertaintyInputs = { studentParameters: NS, budget: C, strategies: ALL };
    const rows = planAllocations({ studentParameters: NS, budget: C });
    const u = planUncertainty(inputs, rows, ensembleOf([{ supervised: TABLE6.supervised, distillation: TABLE6.distillation }]));
    assert.equal(u.members, 1);
    for (const s of u.strategies) {
      const row = rows.find((r) => r.strategy === s.strategy)!;
      for (const [b, value] of [[s.studentLoss, row.studentLoss], [s.differenceToSupervised, row.differenceToSupervised],
        [s.studentTokens, row.studentTokens], [s.teacherParameters, row.teacherParameters], [s.teacherTokens, row.teacherTokens]] as const) {
        if (value === null) continue;
        assert.ok(b, `${s.strategy}: band missing`);
        assert.equal(b.low, b.high, `${s.strategy}: zero width`);
        assert.equal(b.median, value, `${s.strategy}: point value`);
      }
      if (s.strategy !== "supervised") assert.equal(s.shareBeatingSupervised, row.differenceToSupervised! < 0 ? 1 : 0);
    }
    const pointWinner = rows.filter((r) => r.strategy !== "best-case").reduce((a, b) => (b.studentLoss! < a.studentLoss! ? b : a));
    assert.equal(u.verdict.kind, "winner");
    assert.equal(u.verdict.winner, pointWinner.strategy);
    assert.match(u.verdict.sentence, /wins in 100% of the 1 coefficient samples/);
  });
}

test("an ensemble of known spread gives the known quantiles (supervised E shifted by 0, 1, ..., 100 mnats)", () => {
  // 101 evenly spaced offsets, shuffled: the 5th, 50th and 95th percentiles are offsets 5, 50, 95 exactly.
  const offsets = Array.from({ length: 101 }, (_, k) => k * 1e-3);
  for (let i = offsets.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [offsets[i], offsets[j]] = [offsets[j], offsets[i]];
  }
  const NS = 1.82e9, C = 1e22;
  const rows = planAllocations({ studentParameters: NS, budget: C });
  const u = planUncertainty({ studentParameters: NS, budget: C, strategies: ALL }, rows, shiftedE(offsets));
  const supervised = u.strategies.find((s) => s.strategy === "supervised")!;
  const L0 = rows[0].studentLoss!;
  close(supervised.studentLoss!.low, L0 + 0.005, 1e-12, "5th percentile");
  close(supervised.studentLoss!.median, L0 + 0.050, 1e-12, "median");
  close(supervised.studentLoss!.high, L0 + 0.095, 1e-12, "95th percentile");
  // E does not move the supervised allocation: D is fixed by the budget.
  assert.equal(supervised.studentTokens!.low, supervised.studentTokens!.high);
  assert.equal(supervised.studentLoss!.count, 101);
});

test("bands and shares are those of each member planned on its own (member-by-member solveStrategy)", () => {
  const NS = 5.46e8, C = 3e21;
  const ensemble = perturbedTable6(40, { seed: 7 });
  const rows = planAllocations({ studentParameters: NS, budget: C });
  const u = planUncertainty({ studentParameters: NS, budget: C, strategies: ALL }, rows, ensemble);
  const solved = ensemble.members.map((m) => ALL.map((s) => solveStrategy(NS, C, s, { coefficients: m })));
  const loss = (r: ReturnType<typeof solveStrategy>) => (r.status === "optimal" ? r.studentLoss : NaN);
  ALL.forEach((id, i) => {
    const s = u.strategies[i];
    assert.equal(s.strategy, id);
    const losses = solved.map((m) => loss(m[i]));
    const differences = solved.map((m) => loss(m[i]) - loss(m[0]));
    close(s.studentLoss!.low, quantile(losses, 0.05)!, 1e-15, `${id} L_S* low`);
    close(s.studentLoss!.high, quantile(losses, 0.95)!, 1e-15, `${id} L_S* high`);
    close(s.differenceToSupervised!.low, quantile(differences, 0.05)!, 1e-15, `${id} difference low`);
    close(s.differenceToSupervised!.high, quantile(differences, 0.95)!, 1e-15, `${id} difference high`);
    if (id !== "supervised") {
      const nt = solved.map((m) => (m[i].status === "optimal" ? m[i].teacherParameters! : NaN));
      close(s.teacherParameters!.median, quantile(nt, 0.5)!, 1e-6 * quantile(nt, 0.5)!, `${id} N_T* median`);
      assert.equal(s.shareBeatingSupervised, differences.filter((d) => d < 0).length / differences.length);
    }
    // The point value lies in the band for this mild spread (members centred on the point).
    assert.ok(s.studentLoss!.low <= rows[i].studentLoss! && rows[i].studentLoss! <= s.studentLoss!.high, `${id}: point inside band`);
  });
});

test("infeasible strategies are counted, not banded", () => {
  // 2e16 FLOPs buys a 7.75B student fewer than 1e6 tokens: below every scenario's feasible range,
  // and supervised training's, which honours the same token bounds.
  const NS = 7.75e9, C = 2e16;
  const rows = planAllocations({ studentParameters: NS, budget: C });
  assert.equal(rows.filter((r) => r.error).length, 5);
  const u = planUncertainty({ studentParameters: NS, budget: C, strategies: ALL }, rows, perturbedTable6(5));
  for (const s of u.strategies) {
    const row = rows.find((r) => r.strategy === s.strategy)!;
    if (row.error) {
      assert.equal(s.studentLoss, null);
      assert.equal(s.unreachable, 5);
      assert.equal(s.shareBeatingSupervised, s.strategy === "supervised" ? null : 0);
    } else assert.equal(s.used, 5);
  }
});

// Verdicts from made-up outcomes: loss per strategy in the order of ALL.
const outcome = (losses: Partial<Record<StrategyId, number | null>>): MemberOutcome =>
  ALL.map((id) => (losses[id] == null ? null : { studentLoss: losses[id]!, studentTokens: 1, teacherParameters: id === "supervised" ? null : 1, teacherTokens: id === "supervised" ? null : 1 }));
const repeat = (n: number, o: MemberOutcome) => Array.from({ length: n }, () => o);

test("verdict: a winner at 90% agreement or more, too close below, with the shares", () => {
  const supervisedWins = outcome({ supervised: 2.0, "best-case": 1.9, "teacher-inference": 2.1, "teacher-pretraining": 2.2, "teacher-pretraining-inference": 2.3 });
  const inferenceWins = outcome({ supervised: 2.0, "best-case": 1.9, "teacher-inference": 1.95, "teacher-pretraining": 2.2, "teacher-pretraining-inference": 2.3 });
  const clear = uncertaintyVerdict(ALL, [...repeat(90, supervisedWins), ...repeat(10, inferenceWins)]);
  assert.equal(clear.kind, "winner");
  assert.equal(clear.winner, "supervised");
  assert.equal(clear.sentence, "Supervised training wins in 90% of the 100 coefficient samples (teacher inference in 10%).");
  const close61 = uncertaintyVerdict(ALL, [...repeat(61, supervisedWins), ...repeat(39, inferenceWins)]);
  assert.equal(close61.kind, "too-close");
  assert.equal(close61.winner, null);
  assert.deepEqual(close61.shares.map((s) => [s.id, s.share]), [["supervised", 0.61], ["teacher-inference", 0.39]]);
  assert.match(close61.sentence, /^Too close to call for these coefficients: supervised training wins in 61% of the 100 samples, teacher inference in 39%/);
  const justBelow = uncertaintyVerdict(ALL, [...repeat(89, inferenceWins), ...repeat(11, supervisedWins)]);
  assert.equal(justBelow.kind, "too-close");
});

test("verdict: ties go to supervised, the best case never wins, infeasible strategies are skipped", () => {
  const tie = outcome({ supervised: 2.0, "best-case": 1.0, "teacher-inference": 2.0, "teacher-pretraining": null });
  const v = uncertaintyVerdict(ALL, repeat(10, tie));
  assert.equal(v.winner, "supervised");
  assert.equal(v.shares.length, 1);
  const onlyPaid = outcome({ supervised: 2.0, "teacher-pretraining": 1.99 });
  assert.equal(uncertaintyVerdict(ALL, repeat(10, onlyPaid)).winner, "teacher-pretraining");
  assert.equal(uncertaintyVerdict(ALL, []).kind, "none");
});
