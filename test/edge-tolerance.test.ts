// One tolerance for every judgement of a domain's edge (EDGE_TOLERANCE, docs/extrapolation.md): a
// size typed to three significant figures at an edge ("143M" for Table 13's 143.4M) is inside for
// the validity flags, the verdicts' extrapolation, the bands' out-of-domain factors and the
// within-domain box alike; 1% beyond an edge is outside for all of them.

import { test } from "node:test";
import assert from "node:assert/strict";
import { EDGE_TOLERANCE, planValidityFlags, validityFlags } from "../src/core/domain/validity.js";
import { answerFactors, factorBeyond } from "../src/core/domain/outOfDomain.js";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import { planWithinDomain, withinDomainBox } from "../src/core/domain/withinDomain.js";
import { resolveBox, resolveSolverContext } from "../src/core/allocation/optimizer.js";
import { plan } from "./cli-helpers.js";

const DOMAIN = paperDomain();
const SMALLEST_STUDENT = DOMAIN.distillation!.studentParameters.min;
const LARGEST_STUDENT = DOMAIN.distillation!.studentParameters.max;

test("the tolerance covers a number given to three significant figures: 143M names Table 13's 143.4M", () => {
  assert.equal(SMALLEST_STUDENT, 1.434e8);
  assert.ok(Math.abs(1.43e8 / SMALLEST_STUDENT - 1) < EDGE_TOLERANCE);
  // Any value rounded to three significant figures lies within half a unit of its third digit: at most 0.5% of it.
  for (const value of [1.005e8, 1.434e8, 5.873e9, 9.995e9]) {
    const rounded = Number(value.toPrecision(3));
    assert.ok(Math.abs(rounded / value - 1) <= EDGE_TOLERANCE * (1 + 1e-12), `${value} -> ${rounded}`);
  }
});

test("just inside the tolerance nothing is beyond; 1% beyond every judgement says so", () => {
  const range = { min: 100, max: 1000 };
  for (const [value, beyond] of [
    [100 * (1 - 0.99 * EDGE_TOLERANCE), false], [1000 * (1 + 0.99 * EDGE_TOLERANCE), false],
    [100 / 1.01, true], [1000 * 1.01, true],
  ] as const) {
    const flags = validityFlags([{ variable: "N", value, range, noun: "model" }]);
    assert.equal(flags.length, beyond ? 1 : 0, `${value}`);
    assert.equal(factorBeyond(value, range) > 1, beyond, `${value}`);
    if (beyond) assert.ok(Math.abs(flags[0].factor - factorBeyond(value, range)) < 1e-12);
  }
  // The teacher loss direction of the bands: a teacher 0.4% stronger than the strongest fitted one is inside, 1% is beyond.
  const strongest = DOMAIN.distillation!.teacherLoss.min;
  const at = (teacherLoss: number) => answerFactors({ studentParameters: 1e9, studentTokens: 3e10, teacherLoss }, DOMAIN)["teacher-loss"];
  assert.equal(at(strongest * (1 - 0.8 * EDGE_TOLERANCE)), 1);
  assert.ok(Math.abs(at(strongest / 1.01)! - 1.01) < 1e-12);
});

test("the within-domain box admits the students the flags leave unflagged, and no other", () => {
  const box = withinDomainBox(DOMAIN);
  for (const [N, inside] of [[1.43e8, true], [SMALLEST_STUDENT / 1.01, false], [5.87e9, true], [LARGEST_STUDENT * 1.01, false]] as const) {
    const flagged = planValidityFlags({ strategy: "teacher-pretraining", studentParameters: N, studentTokens: 30 * N, teacherParameters: 1e9, teacherTokens: 2e10, teacherLoss: 2.5 }, DOMAIN)
      .some((f) => f.variable === "N_S");
    assert.equal(flagged, !inside, `${N}: flags`);
    assert.equal(resolveBox(N, true, resolveSolverContext({ box })).studentInside, inside, `${N}: box`);
    const row = planWithinDomain(N, 1e20, ["teacher-pretraining"], DOMAIN).rows[0];
    assert.equal(row.inside.status === "infeasible" && row.inside.reason === "nothing-inside", !inside, `${N}: within-domain plan`);
  }
});

test("plan --student 143M is not flagged below the smallest fitted model; 142M (1% below) is", () => {
  const rowsOf = (student: string) => {
    const result = plan("--student", student, "--budget", "1e20", "--format", "json");
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout).rows as { strategy: string; validity: { variable: string; message: string }[] }[];
  };
  const sizeFlags = (rows: ReturnType<typeof rowsOf>) => rows.flatMap((r) => r.validity.filter((f) => f.variable === "N" || f.variable === "N_S"));
  assert.deepEqual(sizeFlags(rowsOf("143M")), []);
  const below = sizeFlags(rowsOf("141.9M"));
  assert.equal(below.length, 5, "every strategy's student is 1% below the smallest fitted one");
  assert.ok(below.every((f) => /1\.0x below the smallest fitted/.test(f.message)), JSON.stringify(below));
  const table = plan("--student", "143M", "--budget", "1e20");
  assert.equal(table.status, 0, table.stderr);
  assert.doesNotMatch(table.stdout, /below the smallest fitted (model|student)\b/);
});
