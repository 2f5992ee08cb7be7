// `npm run plan -- --uncertainty`: the bands, shares and verdict of the ensemble in the coefficient
// file, equal to the core's in-process computation, in JSON, CSV and the table; validity flags in
// every row; clear errors for files without or with a broken ensemble.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { TABLE6 } from "../src/core/laws/laws.js";
import { planAllocations, STRATEGIES } from "../src/core/allocation/plan.js";
import { planUncertainty } from "../src/core/uncertainty/planUncertainty.js";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import { planValidityFlags } from "../src/core/domain/validity.js";
import { assertRejected, runCommand } from "./cli-helpers.js";
import { perturbedTable6 } from "./helpers/testEnsemble.js";

const folder = mkdtempSync(join(tmpdir(), "plan-uncertainty-"));
const ensemble = perturbedTable6(30, { seed: 3 });
const file = join(folder, "fit.json");
writeFileSync(file, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation, ensemble, domain: paperDomain() }));
const plan = (...args: string[]) => runCommand("src/cli/plan.ts", args);
const inputs = { studentParameters: 1.82e9, budget: 1e22 };
const expected = planUncertainty({ ...inputs, strategies: STRATEGIES.map((s) => s.id) }, planAllocations(inputs), ensemble, { domain: paperDomain() });

test("--uncertainty --format json prints the core's bands, shares and verdict for the file's ensemble", () => {
  const result = plan("--student", "1.82B", "--budget", "1e22", "--coefficients", file, "--uncertainty", "--format", "json");
  assert.equal(result.status, 0, result.stderr);
  const json = JSON.parse(result.stdout);
  assert.deepEqual(json.uncertainty, JSON.parse(JSON.stringify(expected)));
  assert.equal(json.uncertainty.members, 30);
  // Validity flags ride on every row.
  for (const row of json.rows) assert.deepEqual(row.validity, JSON.parse(JSON.stringify(planValidityFlags(row, paperDomain()))));
  assert.ok(json.rows.some((r: { validity: unknown[] }) => r.validity.length > 0));
});

test("--uncertainty --format csv carries bands, shares, members and the verdict in every row", () => {
  const result = plan("--student", "1.82B", "--budget", "1e22", "--coefficients", file, "--uncertainty", "--format", "csv");
  assert.equal(result.status, 0, result.stderr);
  const rows = csvParse(result.stdout.trim());
  for (const column of ["validity", "L_S_p05", "L_S_p95", "L_S_minus_supervised_p05", "N_T_p95", "share_beating_supervised", "members_used", "verdict"]) {
    assert.ok(rows.columns.includes(column), column);
  }
  expected.strategies.forEach((s, i) => {
    assert.equal(rows[i].strategy, s.strategy);
    assert.equal(Number(rows[i].L_S_p05), s.studentLoss!.low);
    assert.equal(Number(rows[i].L_S_p95), s.studentLoss!.high);
    if (s.shareBeatingSupervised !== null) assert.equal(Number(rows[i].share_beating_supervised), s.shareBeatingSupervised);
    assert.equal(rows[i].verdict, expected.verdict.sentence);
  });
});

test("--uncertainty table prints the bands and the verdict sentence; rows name what lies outside the domain", () => {
  const result = plan("--student", "7.75B", "--budget", "1e24", "--coefficients", file, "--uncertainty");
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Uncertainty: 90% bands over 30 bootstrap refits; 0 of 30 left out/);
  assert.match(result.stdout, /L_S\* 90% band/);
  assert.match(result.stdout, /(wins in \d+(\.\d)?% of the 30 coefficient samples|Too close to call for these coefficients)/);
  assert.match(result.stdout, /N_T\* = 105B: 14x the largest fitted teacher/);
});

test("--uncertainty without an ensemble, or with a broken one, says what is missing", () => {
  const plain = join(folder, "plain.json");
  writeFileSync(plain, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation }));
  assertRejected(plan("--student", "1B", "--budget", "1e21", "--coefficients", plain, "--uncertainty"), /--uncertainty: .*plain\.json has no "ensemble"/);
  const broken = join(folder, "broken.json");
  const bad = structuredClone(ensemble);
  (bad.members[4].distillation as unknown as Record<string, unknown>).c1 = "x";
  writeFileSync(broken, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation, ensemble: bad }));
  assertRejected(plan("--student", "1B", "--budget", "1e21", "--coefficients", broken, "--uncertainty"), /ensemble\.members\[4\]\.distillation\.c1: expected a finite number >= 0, got "x"$/);
});

test("without --coefficients, --uncertainty uses the shipped Table 6 parametric-bootstrap ensemble (labelled as such)", () => {
  const shipped = JSON.parse(readFileSync(new URL("../src/data/paper-ensemble.json", import.meta.url), "utf8"));
  assert.equal(shipped.ensemble.kind, "parametric-bootstrap");
  assert.ok(shipped.ensemble.members.length >= 200, `${shipped.ensemble.members.length} members`);
  assert.ok(shipped.ensemble.leftOut <= 0.1 * shipped.ensemble.requested, `${shipped.ensemble.leftOut} left out`);
  assert.deepEqual(shipped.supervised, TABLE6.supervised);
  assert.deepEqual(shipped.distillation, TABLE6.distillation);
  const result = plan("--student", "546M", "--budget", "3e21", "--uncertainty", "--format", "json");
  assert.equal(result.status, 0, result.stderr);
  const json = JSON.parse(result.stdout);
  assert.equal(json.uncertainty.ensembleKind, "parametric-bootstrap");
  assert.equal(json.uncertainty.members, shipped.ensemble.members.length);
  assert.equal(json.uncertainty.leftOut, shipped.ensemble.leftOut);
  assert.match(json.uncertainty.ensembleDescription, /^Parametric bootstrap/);
});

test("--uncertainty over a large ensemble reports progress on stderr at each tenth; a small one stays quiet", () => {
  const large = perturbedTable6(1200, { seed: 4 });
  const largeFile = join(folder, "large.json");
  writeFileSync(largeFile, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation, ensemble: large, domain: paperDomain() }));
  const result = plan("--student", "1.82B", "--budget", "1e22", "--coefficients", largeFile, "--uncertainty", "--format", "json");
  assert.equal(result.status, 0, result.stderr);
  // The other stderr line says which vocabulary Eq. 69 used.
  const lines = result.stderr.trim().split("\n").filter((line) => line.startsWith("plan: uncertainty:"));
  assert.deepEqual(lines.map((line) => line.replace(/ \(\d+ s\)$/, "")),
    Array.from({ length: 10 }, (_, i) => `plan: uncertainty: members solved ${120 * (i + 1)}/1200`));
  assert.equal(JSON.parse(result.stdout).uncertainty.members, large.members.length);
  const small = plan("--student", "1.82B", "--budget", "1e22", "--coefficients", file, "--uncertainty", "--format", "json");
  assert.doesNotMatch(small.stderr, /members solved/);
});
