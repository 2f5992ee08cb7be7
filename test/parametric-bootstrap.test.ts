// The parametric bootstrap of Table 6: seeded and reproducible, independent of how it is sliced,
// labelled as such, and its members are refits of runs simulated from Table 6 (so they predict
// close to Table 6 over the paper's design).

import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeEnsembles } from "../src/core/ensemble/bootstrap.js";
import { TABLE6, distilledLoss, supervisedLoss } from "../src/core/laws/laws.js";
import { memberSeeds, paperDesignDomain, parametricEnsemble } from "../src/core/ensemble/parametricBootstrap.js";
import { generatePaperSynthetic } from "../src/core/fitting/synth.js";

const whole = parametricEnsemble({ coefficients: TABLE6, members: 4, seed: 5 });

test("same seed, same members; slices joined give the whole", () => {
  const parts = [
    parametricEnsemble({ coefficients: TABLE6, members: 4, seed: 5, slice: { first: 2 } }),
    parametricEnsemble({ coefficients: TABLE6, members: 4, seed: 5, slice: { first: 0, count: 2 } }),
  ];
  assert.deepEqual(mergeEnsembles(parts, 4), whole);
  assert.notDeepEqual(memberSeeds(5, 4), memberSeeds(6, 4));
  assert.equal(new Set(memberSeeds(5, 200)).size, 200);
});

test("it is labelled a parametric bootstrap and counts what it left out", () => {
  assert.equal(whole.kind, "parametric-bootstrap");
  assert.match(whole.description, /^Parametric bootstrap: the paper published no joint samples/);
  assert.match(whole.description, /74 supervised and 696 distillation runs/);
  assert.equal(whole.members.length + whole.leftOut, 4);
  assert.ok(whole.members.length >= 3);
});

test("members predict the paper's design within 1% of Table 6 (they are refits of its simulated runs)", () => {
  const runs = generatePaperSynthetic({ coefficients: TABLE6 });
  for (const member of whole.members) {
    for (const r of runs.supervised) {
      assert.ok(Math.abs(supervisedLoss(member.supervised, r.N, r.D) / supervisedLoss(TABLE6.supervised, r.N, r.D) - 1) < 0.01);
    }
    for (const r of runs.distillation) {
      assert.ok(Math.abs(distilledLoss(member, r.NS, r.DS, r.LT) / distilledLoss(TABLE6, r.NS, r.DS, r.LT) - 1) < 0.01);
    }
  }
});

test("the paper's design domain spans the Table 13 sizes the protocols use", () => {
  const domain = paperDesignDomain(TABLE6);
  assert.equal(domain.source, "the paper's design (Section 4.2, E.2), simulated");
  assert.equal(domain.supervised.parameters.min, 0.1434e9);
  assert.equal(domain.supervised.parameters.max, 12.61e9);
  assert.equal(domain.distillation!.teacherParameters.max, 7.747e9);
  assert.equal(domain.distillation!.studentParameters.min, 0.1434e9);
});
