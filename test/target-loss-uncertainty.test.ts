// Bands over an ensemble for the target-loss question (src/core/uncertainty/targetLossUncertainty.ts) and for
// Figures 33/34 (src/core/uncertainty/efficiencyBands.ts), checked against known truth: identical members,
// hand-made outcomes, and each member's own targetLossCompute.

import { test } from "node:test";
import assert from "node:assert/strict";
import { TABLE6, tokensForLoss } from "../src/core/laws/laws.js";
import { band } from "../src/core/ensemble/bands.js";
import type { CoefficientEnsemble, EnsembleMember } from "../src/core/ensemble/ensemble.js";
import { targetLossCompute } from "../src/core/questions/targetLoss.js";
import { SCENARIOS } from "../src/core/laws/scenarios.js";
import { VERDICT_AGREEMENT } from "../src/core/ensemble/verdict.js";
import {
  summariseTargetUncertainty, targetLossUncertainty, targetLossVerdict, targetUncertaintyRecord, TARGET_UNCERTAINTY_COLUMNS,
  type MemberTargetOutcomes, type NamedStrategy,
} from "../src/core/uncertainty/targetLossUncertainty.js";
import {
  CELL_UNREACHABLE, EFFICIENCY_TOKENS_PER_PARAMETER, computeEfficiencyBands, efficiencyGrid, efficiencyMember, efficiencyTargets, sameEfficiencyGrid,
} from "../src/core/uncertainty/efficiencyBands.js";
import { paperEnsemble } from "../src/cli/ensembleFile.js";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import { unwidened } from "../src/core/domain/bandWidening.js";
import { pointExtrapolationNote } from "../src/core/ensemble/pointExtrapolationNote.js";

const NAMED: NamedStrategy[] = [
  { id: "supervised", label: "Supervised", strategy: "supervised" },
  ...SCENARIOS.map((s) => ({ id: s.id, label: s.label, strategy: s.id })),
];

function ensembleOf(members: EnsembleMember[]): CoefficientEnsemble {
  return { kind: "parametric-bootstrap", description: "Test members.", members, requested: members.length + 1, leftOut: 1, seed: 1 };
}

test("identical members collapse every band to the point answer; shares are 100% or 0%", () => {
  const N = 1.82e9, L = 2.4;
  const u = targetLossUncertainty({ studentParameters: N, targetLoss: L, strategies: NAMED }, ensembleOf(Array(5).fill(TABLE6)));
  const point = NAMED.map((s) => targetLossCompute(N, L, s.strategy));
  const supervised = point[0];
  assert.ok(supervised.status === "optimal");
  for (const [i, row] of u.strategies.entries()) {
    const p = point[i];
    assert.ok(p.status === "optimal" && supervised.status === "optimal");
    if (p.status !== "optimal" || supervised.status !== "optimal") continue;
    for (const b of [row.compute!, row.computeRatio!, row.dataRatio!]) assert.ok(b.low === b.high && b.low === b.median && b.count === 5 && b.missing === 0);
    assert.equal(row.compute!.median, p.compute);
    assert.equal(row.computeRatio!.median, p.compute / supervised.compute);
    assert.equal(row.dataRatio!.median, p.dataTokens / supervised.dataTokens);
    assert.equal(row.shareCheaperThanSupervised, row.id === "supervised" ? null : p.compute < supervised.compute ? 1 : 0);
    assert.deepEqual([row.used, row.unreachable, row.failed], [5, 0, 0]);
  }
  // The verdict's winner is the point fit's cheapest paid strategy (or supervised), in every member.
  const candidates = point.map((p, i) => ({ i, c: p.status === "optimal" ? p.compute : Infinity })).filter(({ i }) => NAMED[i].id !== "best-case");
  const cheapest = candidates.reduce((a, b) => (b.c < a.c ? b : a));
  assert.equal(u.verdict.kind, "winner");
  assert.equal(u.verdict.winner, NAMED[cheapest.i].id);
  assert.match(u.verdict.sentence, /needs the least compute in 100% of the 5 coefficient samples\.$/);
  assert.deepEqual([u.members, u.leftOut, u.requested], [5, 1, 6]);
});

test("hand-made outcomes: paired ratios, unreachable and failed counts, shares, verdict at 90% with the best case left out", () => {
  const strategies = NAMED.slice(0, 3); // supervised, best case, teacher inference
  const at = (compute: number, dataTokens = compute) => ({ compute, dataTokens });
  // Ten members. Supervised costs 10; teacher inference 5 in eight, unreachable in one, fails in one;
  // the best case is always cheapest (1) but is a bound, never the verdict's.
  const outcomes: MemberTargetOutcomes[] = Array.from({ length: 10 }, (_, b) => [
    at(10 + b, 20),
    at(1, 2),
    b === 8 ? null : b === 9 ? { failure: "boom", compute: NaN, dataTokens: NaN } : at(5 + b, 4),
  ]);
  const ensemble = { kind: "bootstrap" as const, description: "Hand-made.", requested: 12, leftOut: 2 };
  const u = summariseTargetUncertainty({ studentParameters: 1e9, targetLoss: 2.5, strategies }, outcomes, ensemble);
  const inference = u.strategies[2];
  assert.deepEqual([inference.used, inference.unreachable, inference.failed, inference.failure], [8, 1, 1, "boom"]);
  assert.deepEqual(inference.computeRatio, unwidened(band(Array.from({ length: 10 }, (_, b) => (b >= 8 ? NaN : (5 + b) / (10 + b))))!));
  assert.equal(inference.dataRatio!.median, 0.2);
  assert.equal(inference.shareCheaperThanSupervised, 0.8);
  assert.equal(u.strategies[1].shareCheaperThanSupervised, 1);
  // 8 of 10 members: too close to call; supervised wins the two others.
  assert.equal(u.verdict.kind, "too-close");
  assert.deepEqual(u.verdict.shares.map((s) => [s.id, s.share]), [["teacher-inference", 0.8], ["supervised", 0.2]]);
  assert.match(u.verdict.sentence, /^Too close to call for these coefficients: teacher inference needs the least compute in 80% of the 10 samples, supervised training in 20% \(a verdict needs 90% of them\)\.$/);
  // At 90%: a winner. Unreachable supervised training counts as infinitely expensive.
  outcomes[8][2] = at(3);
  outcomes[9][0] = null;
  const v = targetLossVerdict(strategies, outcomes, VERDICT_AGREEMENT);
  assert.equal(v.kind, "winner");
  assert.equal(v.winner, "teacher-inference");
  assert.equal(v.shares[0].share, 0.9);
  const again = summariseTargetUncertainty({ studentParameters: 1e9, targetLoss: 2.5, strategies }, outcomes, ensemble);
  assert.equal(again.strategies[2].shareCheaperThanSupervised, 0.9);
  assert.equal(again.strategies[1].shareCheaperThanSupervised, 1);
  // Nothing reaches: no verdict.
  assert.equal(targetLossVerdict(strategies, [[null, null, null]]).kind, "none");
  assert.throws(() => targetLossVerdict(strategies.slice(1), outcomes), /must include supervised/);
  // The export columns carry the bands and the verdict.
  const record = targetUncertaintyRecord(u, "teacher-inference");
  assert.deepEqual(Object.keys(record), [...TARGET_UNCERTAINTY_COLUMNS]);
  assert.equal(record.compute_ratio_median, inference.computeRatio!.median);
  assert.equal(record.members_unreachable, 1);
  assert.equal(record.verdict, u.verdict.sentence);
  assert.match(String(record.ensemble), /^90% bands over 10 bootstrap refits; 2 of 12 left out as unusable\. Hand-made\.$/);
});

test("real members: each band is the quantiles of that member's own targetLossCompute ratios", () => {
  const members = paperEnsemble().members.slice(0, 7);
  const N = 5e8, L = 2.4;
  const u = targetLossUncertainty({ studentParameters: N, targetLoss: L, strategies: NAMED }, ensembleOf(members));
  for (const [i, s] of NAMED.entries()) {
    const ratios = members.map((m) => {
      const d = targetLossCompute(N, L, s.strategy, { coefficients: m }), sup = targetLossCompute(N, L, "supervised", { coefficients: m });
      return d.status === "optimal" && sup.status === "optimal" ? d.compute / sup.compute : NaN;
    });
    assert.deepEqual(u.strategies[i].computeRatio, unwidened(band(ratios)!));
  }
  assert.equal(u.members, 7);
  // The verdict's extrapolation line names the strategy and the domain.
  const points = NAMED.map((s) => ({ id: s.id, label: s.label, result: targetLossCompute(N, L, s.strategy) }));
  const text = pointExtrapolationNote(u.verdict, points.map((p) => ({ ...p, point: p.result.status === "optimal" ? p.result : null })), paperDomain());
  assert.match(text, /at the point fit's allocation: (within the box|extrapolates beyond)/);
});

/** A grid whose every curve spans the whole x axis (1 to 2,000 supervised tokens per parameter). */
function fullGrid(studentParameters: number[], count: number) {
  const [fewest, most] = EFFICIENCY_TOKENS_PER_PARAMETER;
  const spans = studentParameters.flatMap((N) => SCENARIOS.map((s) => ({ studentParameters: N, strategy: s.id, fewestTokens: fewest * N, mostTokens: most * N })));
  return efficiencyGrid(studentParameters, spans, TABLE6, count);
}

test("Figures 33/34 grid: targets along each curve from one end to the other, lowest loss first", async () => {
  const targets = efficiencyTargets(2e9, TABLE6.supervised, 8, [20 * 2e9, 2000 * 2e9]);
  assert.equal(targets.length, 8);
  for (let i = 1; i < targets.length; i++) assert.ok(targets[i] > targets[i - 1]);
  assert.ok(Math.abs(tokensForLoss(TABLE6.supervised, 2e9, targets[0]) / (2000 * 2e9) - 1) < 1e-9);
  assert.ok(Math.abs(tokensForLoss(TABLE6.supervised, 2e9, targets[7]) / (20 * 2e9) - 1) < 1e-9);
  assert.throws(() => efficiencyTargets(2e9, TABLE6.supervised, 1, [1, 2]), /count/);
  // Along the page's curves: each scenario's targets run from its curve's lowest target to its highest.
  const { curveSpans, efficiencyRows } = await import("../src/components/state/efficiencyRows.js");
  const students = [{ name: "500M", parameters: 5e8 }, { name: "10B", parameters: 1e10 }];
  const { rows } = efficiencyRows(students, { coefficients: TABLE6 });
  const grid = efficiencyGrid(students.map((d) => d.parameters), curveSpans(rows), TABLE6, 5);
  grid.studentParameters.forEach((N, s) => grid.strategies.forEach((strategy, k) => {
    const curve = rows.filter((r) => r.studentParameters === N && r.strategy === strategy).map((r) => r.targetLoss);
    const t = grid.targets[s][k];
    assert.equal(t.length, 5);
    assert.ok(Math.abs(t[0] - Math.min(...curve)) < 1e-12 && Math.abs(t[4] - Math.max(...curve)) < 1e-12, `${N} ${strategy}`);
  }));
  assert.deepEqual(efficiencyGrid([5e8], [], TABLE6, 5).targets, [[[], [], [], []]]);
  assert.ok(sameEfficiencyGrid(grid, JSON.parse(JSON.stringify(grid))));
  assert.ok(!sameEfficiencyGrid(grid, efficiencyGrid(students.map((d) => d.parameters), curveSpans(rows), TABLE6, 4)));
});

test("Figures 33/34 bands: a member's values are its own targetLossCompute ratios; identical members collapse to the point", () => {
  const grid = fullGrid([3e8, 1e10], 3);
  const member = paperEnsemble().members[3];
  const result = efficiencyMember(member, grid);
  let cell = 0;
  grid.studentParameters.forEach((N, s) => {
    for (const [k, strategy] of grid.strategies.entries()) {
      for (const L of grid.targets[s][k]) {
        const sup = targetLossCompute(N, L, "supervised", { coefficients: member });
        const d = targetLossCompute(N, L, strategy, { coefficients: member });
        if (d.status === "optimal" && sup.status === "optimal") {
          assert.equal(result.computeRatios[cell], d.compute / sup.compute);
          assert.equal(result.dataRatios[cell], d.dataTokens / sup.dataTokens);
        } else {
          assert.equal(result.status[cell], CELL_UNREACHABLE);
          assert.ok(Number.isNaN(result.computeRatios[cell]));
        }
        cell++;
      }
    }
  });
  assert.equal(cell, result.status.length);
  const bands = computeEfficiencyBands(ensembleOf([TABLE6, TABLE6, TABLE6]), grid);
  assert.equal(bands.cells.length, cell);
  for (const c of bands.cells) {
    const N = grid.studentParameters[c.studentIndex];
    const d = targetLossCompute(N, c.targetLoss, c.strategy), sup = targetLossCompute(N, c.targetLoss, "supervised");
    if (d.status !== "optimal" || sup.status !== "optimal") {
      assert.equal(c.computeRatio, null);
      assert.equal(c.unreachable, 3);
      continue;
    }
    assert.deepEqual([c.computeRatio!.low, c.computeRatio!.high], [d.compute / sup.compute, d.compute / sup.compute]);
    assert.deepEqual([c.dataRatio!.low, c.dataRatio!.high], [d.dataTokens / sup.dataTokens, d.dataTokens / sup.dataTokens]);
  }
});

test("Figures 33/34 fading: each point's flags are plannedPointFlags of the allocation solveStrategy gives at its compute", async () => {
  const { efficiencyRows } = await import("../src/components/state/efficiencyRows.js");
  const { solveStrategy } = await import("../src/core/allocation/strategy.js");
  const { plannedPointFlags } = await import("../src/core/domain/validity.js");
  const domain = paperDomain();
  const { rows } = efficiencyRows([{ name: "500M", parameters: 5e8 }, { name: "10B", parameters: 1e10 }], { coefficients: TABLE6, domain });
  assert.ok(rows.length > 50);
  let flagged = 0;
  for (const row of rows) {
    const s = solveStrategy(row.studentParameters, row.compute, row.strategy as never);
    assert.equal(s.status, "optimal");
    if (s.status !== "optimal") continue;
    assert.ok(Math.abs(s.studentLoss - row.targetLoss) < 1e-12);
    assert.deepEqual(row.flags, plannedPointFlags(s, domain));
    if (row.flags.length) flagged++;
  }
  // Some points inside the paper's design and some outside: the fading marks something, not everything.
  assert.ok(flagged > 0 && flagged < rows.length, `${flagged} of ${rows.length}`);
  // Without a domain nothing is flagged.
  assert.ok(efficiencyRows([{ name: "500M", parameters: 5e8 }], { coefficients: TABLE6 }).rows.every((r) => r.flags.length === 0));
});

test("Figures 33/34 bands over Node worker threads equal the one-thread computation", async () => {
  const { efficiencyBandsInWorkers } = await import("../src/node/efficiencyDefaultBands.js");
  const ensemble = ensembleOf(paperEnsemble().members.slice(10, 15));
  const grid = fullGrid([5e8, 1e10], 3);
  const threaded = await efficiencyBandsInWorkers(ensemble, grid, {}, { threads: 2 });
  assert.deepEqual(threaded, computeEfficiencyBands(ensemble, grid));
});

test("Figures 33/34 ribbons: exactly the members' bands inside the domain, widened beyond it to the point fit's answers at the bracketing targets", async () => {
  const { paperEnsembleFile } = await import("../src/cli/ensembleFile.js");
  const { EVERYWHERE, expectedError } = await import("./helpers/outOfDomainExpected.js");
  const growth = paperEnsembleFile().outOfDomain!;
  const domain = paperDomain();
  const ensemble = ensembleOf(paperEnsemble().members.slice(20, 26));
  const grid = fullGrid([3e8, 1e10], 4);
  const plain = computeEfficiencyBands(ensemble, grid);
  assert.deepEqual(computeEfficiencyBands(ensemble, grid, {}, undefined, { point: TABLE6, outOfDomain: { domain: EVERYWHERE, growth } }), plain);
  const widened = computeEfficiencyBands(ensemble, grid, {}, undefined, { point: TABLE6, outOfDomain: { domain, growth } });
  // Independent: each answer's relative error from its own factors, the point fit re-solved at L*(1 + e) and L*(1 - e).
  const multipliers = (N: number, L: number, strategy: "supervised" | (typeof SCENARIOS)[number]["id"], pick: (r: { compute: number; dataTokens: number }) => number) => {
    const r = targetLossCompute(N, L, strategy);
    assert.equal(r.status, "optimal");
    if (r.status !== "optimal") return { low: 1, high: 1, nats: 0 };
    const e = expectedError(growth, N, r.studentTokens, r.teacherLoss, domain);
    if (e === 0) return { low: 1, high: 1, nats: 0 };
    const easier = targetLossCompute(N, L * (1 + e), strategy), harder = targetLossCompute(N, L * (1 - e), strategy);
    const ratios = [1, ...[easier, harder].flatMap((x) => (x.status === "optimal" ? [pick(x) / pick(r)] : []))];
    return { low: Math.min(...ratios), high: harder.status === "optimal" ? Math.max(...ratios) : Infinity, nats: L * e };
  };
  let widenedCells = 0, insideCells = 0;
  widened.cells.forEach((cell, i) => {
    const before = plain.cells[i];
    const N = grid.studentParameters[cell.studentIndex];
    const what = `${cell.strategy} N=${N} L*=${cell.targetLoss}`;
    if (before.computeRatio === null || targetLossCompute(N, cell.targetLoss, cell.strategy).status !== "optimal") {
      assert.deepEqual(cell, before, what);
      return;
    }
    for (const [name, pick] of [["computeRatio", (r: { compute: number }) => r.compute], ["dataRatio", (r: { dataTokens: number }) => r.dataTokens]] as const) {
      const own = multipliers(N, cell.targetLoss, cell.strategy, pick), sup = multipliers(N, cell.targetLoss, "supervised", pick);
      const a = cell[name]!, b = before[name]!;
      const nats = own.nats + sup.nats;
      if (nats === 0) {
        assert.deepEqual(a, b, `${what} ${name}`);
        if (name === "computeRatio") insideCells++;
        continue;
      }
      if (name === "computeRatio") widenedCells++;
      assert.ok(a.widened && !b.widened, `${what} ${name}`);
      assert.ok(Math.abs(a.outOfDomainError - nats) <= 1e-9 * nats, `${what} ${name}: ${a.outOfDomainError} vs ${nats}`);
      const low = (b.low * own.low) / sup.high, high = (b.high * own.high) / sup.low;
      assert.ok(Math.abs(a.low - low) <= 1e-6 * low, `${what} ${name} low: ${a.low} vs ${low}`);
      if (high === Infinity) assert.ok(a.high === Infinity && a.unbounded, `${what} ${name}`);
      else assert.ok(Math.abs(a.high - high) <= 1e-6 * high && !a.unbounded, `${what} ${name} high: ${a.high} vs ${high}`);
      assert.equal(a.median, b.median);
    }
  });
  assert.ok(widenedCells >= 4 && insideCells >= 2, `${widenedCells} cells widened, ${insideCells} inside`);
  // The same over worker threads (prepared there).
  const { efficiencyBandsInWorkers } = await import("../src/node/efficiencyDefaultBands.js");
  assert.deepEqual(await efficiencyBandsInWorkers(ensemble, grid, {}, { threads: 2 }, { point: TABLE6, outOfDomain: { domain, growth } }), widened);
});
