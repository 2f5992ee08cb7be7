// The lifetime answer's bands and verdict over a coefficient ensemble (src/core/uncertainty/lifetimeUncertainty.ts):
// the warm-started member search equals the full search on every member of Table 6's ensemble,
// bands on ensembles whose answer is known, the verdict's 90% rule and what it compares.

import { test } from "node:test";
import assert from "node:assert/strict";
import { quantile } from "d3-array";
import { readCoefficientsFile } from "../src/cli/common.js";
import { PAPER_ENSEMBLE_FILE } from "../src/cli/ensembleFile.js";
import { TABLE6 } from "../src/core/laws/laws.js";
import { lifetimeAnswer, lifetimeStrategies, type LifetimeAnswer, type LifetimeQuestion } from "../src/core/questions/lifetime.js";
import {
  lifetimeBandRecord, lifetimeUncertainty, lifetimeVerdict, solveLifetimeMember, summariseLifetimeUncertainty, verdictCandidates,
  type LifetimeMemberOutcome, type LifetimeMemberStrategy, type LifetimeUncertaintyInputs,
} from "../src/core/uncertainty/lifetimeUncertainty.js";
import { ensembleOf, shiftedE } from "./helpers/testEnsemble.js";

const STRATEGIES = lifetimeStrategies(4);
const paper = readCoefficientsFile(PAPER_ENSEMBLE_FILE).ensemble!;

/** Lifetime FLOPs for a target loss, L_S for a budget. */
const objective = (question: LifetimeQuestion, r: LifetimeAnswer & { status: "optimal" }) => ("targetLoss" in question ? r.lifetime.total : r.studentLoss);

test("warm-started member searches equal the full search within 1e-6 relative on every member of Table 6's ensemble", () => {
  assert.ok(paper.members.length >= 200);
  const questions: [LifetimeQuestion, number][] = [[{ targetLoss: 2.3 }, 1e12], [{ targetLoss: 2.2 }, 0], [{ budget: 1e23 }, 1e14]];
  for (const [question, served] of questions) {
    const point = lifetimeAnswer(question, served, STRATEGIES);
    const hints = Object.fromEntries(point.flatMap((r) => (r.status === "optimal" ? [[r.id, r.studentParameters]] : [])));
    assert.equal(Object.keys(hints).length, STRATEGIES.length);
    let windowed = 0;
    for (const member of paper.members) {
      const full = lifetimeAnswer(question, served, STRATEGIES, { coefficients: member });
      const warm = lifetimeAnswer(question, served, STRATEGIES, { coefficients: member, studentNear: { studentParameters: hints } });
      full.forEach((f, i) => {
        const w = warm[i];
        assert.equal(w.status, f.status, `${f.id} ${JSON.stringify(question)}`);
        if (f.status !== "optimal" || w.status !== "optimal") return;
        const [a, b] = [objective(question, f), objective(question, w)];
        assert.ok(Math.abs(b - a) <= 1e-6 * Math.abs(a), `${f.id} ${JSON.stringify(question)}: warm ${b} vs full ${a}`);
        assert.equal(f.studentWindow, "none");
        if (w.studentWindow === "inside") windowed++;
        // Fewer evaluations is the point of the warm start.
        if (w.studentWindow === "inside") assert.ok(w.evaluations < f.evaluations, `${w.evaluations} >= ${f.evaluations}`);
      });
    }
    // The members' optima lie within half a decade of the point's: the window is what is used.
    assert.equal(windowed, paper.members.length * STRATEGIES.length);
  }
});

test("a hint far from the optimum is left (window edge) and the whole range is searched again: same answer", () => {
  for (const [question, served] of [[{ targetLoss: 2.4 }, 1e13], [{ budget: 1e22 }, 1e12]] as [LifetimeQuestion, number][]) {
    const full = lifetimeAnswer(question, served, STRATEGIES);
    for (const factor of [30, 1 / 30]) {
      const hints = Object.fromEntries(full.flatMap((r) => (r.status === "optimal" ? [[r.id, r.studentParameters * factor]] : [])));
      const warm = lifetimeAnswer(question, served, STRATEGIES, { studentNear: { studentParameters: hints } });
      full.forEach((f, i) => {
        const w = warm[i];
        assert.ok(f.status === "optimal" && w.status === "optimal");
        if (f.status !== "optimal" || w.status !== "optimal") return;
        assert.equal(w.studentWindow, "left", `${f.id} x${factor}`);
        assert.ok(Math.abs(objective(question, w) / objective(question, f) - 1) <= 1e-9);
      });
    }
  }
});

test("identical members collapse every band to the point answer and give the point's winner 100%", () => {
  const ensemble = ensembleOf(Array.from({ length: 5 }, () => ({ supervised: { ...TABLE6.supervised }, distillation: { ...TABLE6.distillation } })));
  for (const question of [{ targetLoss: 2.3 }, { budget: 1e22 }] as LifetimeQuestion[]) {
    const inputs: LifetimeUncertaintyInputs = { question, servedTokens: 1e12, strategies: STRATEGIES };
    const point = lifetimeAnswer(question, 1e12, STRATEGIES);
    const u = lifetimeUncertainty(inputs, point, ensemble);
    assert.equal(u.members, 5);
    const optimal = point.filter((r): r is LifetimeAnswer & { status: "optimal" } => r.status === "optimal");
    const supervised = optimal.find((r) => r.id === "supervised")!;
    for (const s of u.strategies) {
      const p = optimal.find((r) => r.id === s.id)!;
      for (const [b, value] of [[s.studentParameters, p.studentParameters], [s.tokensPerParameter, p.tokensPerParameter],
        ["targetLoss" in question ? s.lifetimeFlops : s.studentLoss, objective(question, p)]] as const) {
        assert.ok(b !== null && b.low === b.high && b.count === 5 && b.missing === 0, `${s.id}: ${JSON.stringify(b)}`);
        // The members search around the point optimum (to 1e-7 in log N_S): the same optimum.
        assert.ok(Math.abs(b.low / value - 1) < 1e-6, `${s.id}: ${b.low} vs ${value}`);
      }
      assert.equal("targetLoss" in question ? s.studentLoss : s.lifetimeFlops, null);
      if (s.id === "supervised") { assert.equal(s.versusSupervised, null); continue; }
      const expected = "targetLoss" in question ? p.lifetime.total / supervised.lifetime.total : p.studentLoss - supervised.studentLoss;
      assert.ok(Math.abs(s.versusSupervised!.low - expected) < 1e-6 * Math.abs(expected));
      assert.ok(Math.abs(s.point!.versusSupervised! - expected) < 1e-12 * Math.abs(expected));
      assert.equal(s.shareBeatingSupervised, objective(question, p) < objective(question, supervised) ? 1 : 0);
    }
    // The winner is the point's best among the compared strategies, in every member.
    const compared = verdictCandidates(STRATEGIES).compared;
    const best = optimal.filter((r) => compared.includes(r.id)).reduce((a, b) => (objective(question, b) < objective(question, a) ? b : a));
    assert.equal(u.verdict.kind, "winner");
    assert.equal(u.verdict.winner, best.id);
    assert.deepEqual(u.verdict.shares.map((s) => [s.id, s.share]), [[best.id, 1]]);
    assert.match(u.verdict.sentence, /in 100% of the 5 coefficient samples\./);
  }
});

test("supervised L_S bands for a budget are the point's plus the quantiles of E's shifts (known truth)", () => {
  // Shifting E moves supervised training's loss by the shift at every allocation: the best size is
  // unchanged and the lowest loss moves by exactly the shift.
  const offsets = Array.from({ length: 21 }, (_, i) => (i - 10) * 0.002);
  const supervisedOnly = STRATEGIES.filter((s) => s.id === "supervised");
  const question = { budget: 1e22 };
  const point = lifetimeAnswer(question, 1e12, supervisedOnly);
  const u = lifetimeUncertainty({ question, servedTokens: 1e12, strategies: supervisedOnly }, point, shiftedE(offsets));
  const p = point[0];
  assert.ok(p.status === "optimal");
  if (p.status !== "optimal") return;
  const band = u.strategies[0].studentLoss!;
  assert.ok(Math.abs(band.low - (p.studentLoss + quantile(offsets, 0.05)!)) < 1e-9);
  assert.ok(Math.abs(band.high - (p.studentLoss + quantile(offsets, 0.95)!)) < 1e-9);
  assert.ok(Math.abs(band.median - p.studentLoss) < 1e-9);
  const sizes = u.strategies[0].studentParameters!;
  assert.ok(Math.abs(sizes.low / p.studentParameters - 1) < 1e-5 && Math.abs(sizes.high / p.studentParameters - 1) < 1e-5);
});

// Hand-made outcomes: the verdict and the shares from known member answers.
const reached = (lifetimeFlops: number, studentLoss = 2.3): LifetimeMemberStrategy => ({ studentParameters: 1e9, tokensPerParameter: 20, lifetimeFlops, studentLoss });
const TARGET: LifetimeUncertaintyInputs = { question: { targetLoss: 2.3 }, servedTokens: 1e12, strategies: STRATEGIES };
/** n members in which the existing teacher is cheapest, m in which supervised training is. */
const outcomes = (n: number, m: number): LifetimeMemberOutcome[] => [
  ...Array.from({ length: n }, () => [reached(2), reached(1), reached(4), reached(3)]),
  ...Array.from({ length: m }, () => [reached(1), reached(2), reached(4), reached(3)]),
];

test("the verdict names a winner at 90% of the samples and not below", () => {
  const at = lifetimeVerdict(TARGET, outcomes(9, 1));
  assert.equal(at.kind, "winner");
  assert.equal(at.winner, "existing-teacher");
  assert.equal(at.sentence.split(". Compared")[0], "Existing teacher has the least lifetime FLOPs in 90% of the 10 coefficient samples (supervised training in 10%)");
  const below = lifetimeVerdict(TARGET, outcomes(89, 11));
  assert.equal(below.kind, "too-close");
  assert.equal(below.winner, null);
  assert.match(below.sentence, /^Too close to call for these coefficients: the least lifetime FLOPs with existing teacher in 89% of the 100 samples, supervised training in 11% \(a winner needs 90% of them\)\./);
  assert.deepEqual(below.shares.map((s) => s.share), [0.89, 0.11]);
  // The budget question says "lowest loss" and compares losses.
  const budget = lifetimeVerdict({ ...TARGET, question: { budget: 1e22 } }, [[reached(1, 2.1), reached(1, 2.0), reached(1, 2.2), reached(1, 2.3)]]);
  assert.match(budget.sentence, /^Existing teacher has the lowest loss in 100% of the 1 coefficient samples\./);
});

test("the verdict compares the shared teacher in place of the new one it never loses to; ties go to supervised", () => {
  // The new teacher cheapest in a member (impossible with real laws) still does not count: it is left out.
  const v = lifetimeVerdict(TARGET, [[reached(2), reached(3), reached(1), reached(2.5)], [reached(2), reached(2), reached(4), reached(3)]]);
  assert.deepEqual(v.compared, ["supervised", "existing-teacher", "shared-teacher"]);
  assert.deepEqual(v.excluded, [{ id: "new-teacher", dominatedBy: "shared-teacher" }]);
  assert.deepEqual(v.shares.map((s) => [s.id, s.share]), [["supervised", 1]]);
  assert.match(v.sentence, /Compared: supervised training, existing teacher and teacher shared by 4 students; left out: new teacher for this student \(never cheaper than teacher shared by 4 students\)\.$/);
  // k = 1: the shared teacher is the new teacher; the one listed first is compared.
  assert.deepEqual(verdictCandidates(lifetimeStrategies(1)).excluded, [{ id: "shared-teacher", dominatedBy: "new-teacher" }]);
  // Stored logits (1/k, 1/k) also dominate the new teacher; an existing teacher is never left out.
  assert.deepEqual(verdictCandidates(lifetimeStrategies(4, "stored")).compared, ["supervised", "existing-teacher", "shared-teacher"]);
  assert.deepEqual(verdictCandidates(STRATEGIES.slice(0, 3)).compared, ["supervised", "existing-teacher", "new-teacher"]);
});

test("summaries count unreachable and failed members apart; reaching what supervised cannot counts as beating it", () => {
  const failed: LifetimeMemberStrategy = { failure: "boom", studentParameters: NaN, tokensPerParameter: NaN, lifetimeFlops: NaN, studentLoss: NaN };
  const members: LifetimeMemberOutcome[] = [
    [reached(2), reached(1), reached(4), reached(3)],
    [null, reached(1), reached(4), failed],
    [reached(2), null, reached(4), reached(3)],
    [reached(2), reached(3), reached(4), reached(1)],
  ];
  const point = lifetimeAnswer(TARGET.question, 1e12, STRATEGIES);
  const u = summariseLifetimeUncertainty(TARGET, point, members, { kind: "bootstrap", description: "hand-made", leftOut: 2, requested: 6 });
  const [supervised, existing, , shared] = u.strategies;
  assert.deepEqual([supervised.members, supervised.unreachable, supervised.failed], [3, 1, 0]);
  assert.deepEqual([existing.members, existing.unreachable, existing.failed], [3, 1, 0]);
  assert.deepEqual([shared.members, shared.unreachable, shared.failed, shared.failure], [3, 0, 1, "boom"]);
  // Existing teacher: below supervised in member 1, reaches where supervised does not in member 2.
  assert.equal(existing.shareBeatingSupervised, 2 / 4);
  assert.equal(shared.shareBeatingSupervised, 1 / 4);
  // Paired ratios only where both reach: 1/2 and 3/2.
  assert.equal(existing.versusSupervised!.count, 2);
  assert.equal(existing.versusSupervised!.missing, 2);
  assert.deepEqual(u.verdict.shares.map((s) => [s.id, s.share]), [["existing-teacher", 0.5], ["supervised", 0.25], ["shared-teacher", 0.25]]);
  const record = lifetimeBandRecord(u, "existing-teacher");
  assert.equal(record.flops_lifetime_ratio_to_supervised_p05, existing.versusSupervised!.low);
  assert.equal(record.members_unreachable, 1);
  assert.equal(record.members_left_out, 2);
  assert.equal(record.verdict, u.verdict.sentence);
  assert.match(String(record.ensemble), /90% bands over 4 bootstrap refits; 2 of 6 left out/);
});

test("a member whose irreducible loss is at the target reaches it with no strategy", () => {
  const member = { supervised: { ...TABLE6.supervised, E: 2.31 }, distillation: TABLE6.distillation };
  const solved = solveLifetimeMember(TARGET, lifetimeAnswer(TARGET.question, 1e12, STRATEGIES), member);
  assert.deepEqual(solved.outcome, [null, null, null, null]);
  assert.throws(() => lifetimeVerdict({ ...TARGET, strategies: STRATEGIES.slice(1) }, []), /must include supervised/);
});
