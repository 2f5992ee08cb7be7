// Plausible members (docs/spec.md section 10, docs/uncertainty.md "Plausible members"): a member that
// predicts the impossible where a plan can go is left out with its reason and counted with the
// unusable ones; one that is impossible only where no plan goes (teachers stronger than its best
// one, sizes and tokens far beyond the runs) is kept.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TABLE6, distilledLoss, supervisedLoss } from "../src/core/laws/laws.js";
import { paperDesignDomain } from "../src/core/ensemble/parametricBootstrap.js";
import { findImplausibility, PLAUSIBILITY_REACH, PLAUSIBILITY_TOLERANCE, withoutImplausibleMembers } from "../src/core/ensemble/plausibleMembers.js";
import { optimalTeacherLoss } from "../src/core/allocation/optimizer.js";
import { runEnsemble } from "../src/core/fitting/analysis.js";
import type { EnsemblePart } from "../src/core/ensemble/bootstrap.js";
import { describeEnsembleUse, ensembleUse } from "../src/core/ensemble/summary.js";
import { readCoefficientsFile } from "../src/cli/common.js";
import { ensembleOf } from "./helpers/testEnsemble.js";

const domain = paperDesignDomain(TABLE6);
const ceiling = Math.log(32168);
const withDistillation = (change: Partial<typeof TABLE6.distillation>) => ({ supervised: TABLE6.supervised, distillation: { ...TABLE6.distillation, ...change } });

test("Table 6's point fit is plausible, within reach of its design's runs and over the whole box", () => {
  assert.equal(findImplausibility(TABLE6, { domain }), null);
  assert.equal(findImplausibility(TABLE6), null);
});

test("a member whose distilled loss rises with D_S inside the region is left out with that reason", () => {
  // A negative data exponent: B' D_S^0.05 grows with the tokens (by ~0.3 nats over the box at the domain's smallest student).
  const rising = withDistillation({ beta: -0.05, B: 1 });
  const found = findImplausibility(rising, { domain });
  assert.equal(found?.check, "rises with D_S", found?.message);
  assert.match(found!.message, /^distilled loss rises with D_S at N_S = .*, D_S = .*, L_T = /);
  // The rise is real: at the domain's smallest student and a teacher of 2.5 nats, more tokens give a higher loss.
  const NS = domain.distillation!.studentParameters.min;
  assert.ok(distilledLoss(rising, NS, 1e8, 2.5) > distilledLoss(rising, NS, 3e6, 2.5) + 1e-3);
});

test("a member above ln(n_vocab) inside the region is left out with that reason", () => {
  // beta' = 8, B' = 1e80 (the kind of member the bootstraps make): B' D_S^-8 is ~2e28 at the fewest
  // tokens judged, 2.9e6, too large for even the weakest teacher's switch term to hide.
  const steep = withDistillation({ beta: 8, B: 1e80 });
  const found = findImplausibility(steep, { domain });
  assert.equal(found?.check, "above ln(n_vocab)", found?.message);
  assert.match(found!.message, /^distilled loss [\d.e+]+ above ln\(n_vocab\) = 10\.38 at /);
  // At those tokens the member's own best teacher does not bring it below the ceiling.
  const best = optimalTeacherLoss(1e8, 3e6, { coefficients: steep });
  assert.ok(best.studentLoss > ceiling, `${best.studentLoss}`);
});

test("a member whose distilled loss falls below the teacher's inside the region is left out with that reason", () => {
  // A negative capacity term (gamma' = 1, A' < 0): L_S = L_T minus a positive amount.
  const below = withDistillation({ A: -50, B: 0, gamma: 1 });
  assert.ok(distilledLoss(below, 5.46e8, 1e10, 2.5) < 2.5 - PLAUSIBILITY_TOLERANCE);
  const found = findImplausibility(below, { domain });
  assert.equal(found?.check, "below the teacher", found?.message);
});

test("rises are judged in nats: a rise below the tolerance per grid step is kept, one above it is not", () => {
  // A negative data exponent with a tiny scale: the loss rises with D, by ~3e-5 nats per grid step at the largest N.
  const flat = { supervised: { ...TABLE6.supervised, B: 1e-3, beta: -1e-3 }, distillation: TABLE6.distillation };
  const Ds = Array.from({ length: 13 }, (_, i) => Math.exp(Math.log(1e6) + (i / 12) * Math.log(1e11)));
  const steps = Ds.slice(1).map((D, i) => supervisedLoss(flat.supervised, 1e17, D) - supervisedLoss(flat.supervised, 1e17, Ds[i]));
  assert.ok(Math.min(...steps) > 0 && Math.max(...steps) < PLAUSIBILITY_TOLERANCE, steps.join(" "));
  assert.equal(findImplausibility(flat), null);
  const rising = { supervised: { ...TABLE6.supervised, B: 0.1, beta: -0.01 }, distillation: TABLE6.distillation };
  assert.equal(findImplausibility(rising)?.check, "rises with D");
});

test("a member above ln(n_vocab) only with teachers stronger than its best one is kept: no plan picks them", () => {
  // Twice Table 6's A': above the ceiling at the box's smallest student with the strongest teacher the box reaches ...
  const member = withDistillation({ A: 2 * 2243 });
  const strongest = supervisedLoss(member.supervised, 1e17, 1e17);
  assert.ok(distilledLoss(member, 1e6, 1e6, strongest) > ceiling);
  // ... but that teacher is far stronger than the one this student does best with.
  assert.ok(optimalTeacherLoss(1e6, 1e6, { coefficients: member }).teacherLoss > 2 * strongest);
  assert.equal(findImplausibility(member), null);
  assert.equal(findImplausibility(member, { domain }), null);
});

test("a member above ln(n_vocab) only far beyond the runs is kept; without a domain the whole box is judged", () => {
  // B' D_S^-20 is ~6 at D_S = 2.9e6 (the runs' fewest tokens / 1000) and ~4e10 at D_S = 1e6.
  const member = withDistillation({ B: 1e130, beta: 20 });
  const fewest = domain.distillation!.studentTokens.min / PLAUSIBILITY_REACH;
  assert.ok(fewest > 1.5e6, `${fewest}`);
  assert.equal(findImplausibility(member, { domain }), null);
  const found = findImplausibility(member);
  assert.equal(found?.check, "above ln(n_vocab)");
  assert.match(found!.message, /D_S = 1\.0e\+6/);
});

test("runEnsemble (the loaders, fit --bootstrap, /yourruns) leaves implausible members out and counts them with the unusable ones", async () => {
  const steep = withDistillation({ beta: 8, B: 1e80 });
  const part: EnsemblePart = {
    ...ensembleOf([TABLE6, steep, TABLE6, steep], "parametric-bootstrap"), requested: 5, leftOut: 1,
    slice: { first: 0, count: 5 }, tally: { supervisedLeftOut: 0, distillationLeftOut: 1, keptUnsettled: 0 },
  };
  const built = await runEnsemble(
    { kind: "parametric-bootstrap", coefficients: TABLE6, resamples: 5, seed: 1 },
    { bootstrapRunner: async () => part }, "parametric bootstrap",
  );
  assert.equal(built.members.length, 2);
  assert.equal(built.implausible, 2);
  assert.equal(built.leftOut, 3);
  assert.equal(built.members.length + built.leftOut, built.requested);
  assert.match(built.implausibleReason!, /^distilled loss .* above ln\(n_vocab\)/);
  const line = describeEnsembleUse({ ...ensembleUse(built, built.members.length), level: 0.9 });
  assert.match(line, /^90% bands over 2 parametric-bootstrap samples .*; 3 of 5 left out as unusable, 2 of them implausible \(first: distilled loss .* above ln\(n_vocab\) = 10\.38 at .*\)\.$/);
  // Checked again, it stays as it is.
  assert.deepEqual(withoutImplausibleMembers(built, { domain }), built);
});

test("a coefficient file's ensemble is checked when read, unless it records its implausible count", () => {
  const folder = mkdtempSync(join(tmpdir(), "plausible-"));
  const steep = withDistillation({ beta: 8, B: 1e80 });
  const file = (name: string, ensemble: object) => {
    const path = join(folder, name);
    writeFileSync(path, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation, ensemble }));
    return path;
  };
  const unchecked = readCoefficientsFile(file("unchecked.json", { members: [TABLE6, steep, TABLE6], requested: 3, leftOut: 0 })).ensemble!;
  assert.equal(unchecked.members.length, 2);
  assert.equal(unchecked.implausible, 1);
  assert.equal(unchecked.leftOut, 1);
  const recorded = readCoefficientsFile(file("recorded.json", { members: [TABLE6, TABLE6], requested: 3, leftOut: 1, implausible: 1, implausibleReason: "built so" })).ensemble!;
  assert.equal(recorded.members.length, 2);
  assert.equal(recorded.implausible, 1);
  assert.equal(recorded.implausibleReason, "built so");
  assert.throws(() => readCoefficientsFile(file("bad.json", { members: [TABLE6], requested: 2, leftOut: 1, implausible: 2 })),
    /ensemble\.implausible: 2 is more than leftOut \(1\)/);
});
