// The verdict rule of docs/spec.md section 10 in the CLI, on the examples of Table 6 (the default set,
// its shipped ensemble): a winner the members agree on is not named when the deciding rows lie
// beyond the extrapolation limits, and the verdict sentence, the JSON and the CSV say which
// variable and how far.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { TABLE6 } from "../src/core/laws/laws.js";
import { perturbedTable6 } from "./helpers/testEnsemble.js";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import { planValidityFlags } from "../src/core/domain/validity.js";
import { excess } from "../src/core/ensemble/verdict.js";
import { runCommand } from "./cli-helpers.js";

const plan = (...args: string[]) => runCommand("src/cli/plan.ts", args);

test("plan --student 143M --budget 1e22 --uncertainty: no teacher-pretraining winner; D_S/N_S and its factor in the sentence", () => {
  const result = plan("--student", "143M", "--budget", "1e22", "--uncertainty", "--format", "json");
  assert.equal(result.status, 0, result.stderr);
  const { rows, uncertainty: { verdict } } = JSON.parse(result.stdout);
  assert.equal(verdict.kind, "extrapolates");
  assert.equal(verdict.winner, null);
  assert.equal(verdict.shares[0].id, "teacher-pretraining");
  assert.ok(verdict.shares[0].share >= 0.9, "the members agree: only the runs cannot decide");
  // The winner's own worst variable, computed independently from its point row and the domain.
  const pretraining = rows.find((r: { strategy: string }) => r.strategy === "teacher-pretraining");
  const ratio = planValidityFlags(pretraining, paperDomain()).find((f) => f.variable === "D_S/N_S")!;
  assert.ok(ratio.factor > 100);
  assert.match(verdict.sentence, new RegExp(`teacher pretraining extrapolates D_S/N_S ${Math.round(ratio.factor)}x beyond the fitted runs`));
  assert.ok(excess(verdict.extrapolation) > 1);
  // The plan report's CSV (the page's download has the same records) carries the same verdict in every row.
  const csv = csvParse(plan("--student", "143M", "--budget", "1e22", "--uncertainty", "--format", "csv").stdout);
  for (const r of csv) {
    assert.deepEqual([r.verdict, r.verdict_kind, r.verdict_extrapolation_variable, Number(r.verdict_extrapolation_factor)],
      [verdict.sentence, "extrapolates", verdict.extrapolation.variable, verdict.extrapolation.factor]);
  }
});

test("plan --student 10B --target-loss 2.2 --uncertainty --format csv: every row carries the verdict's kind, worst variable and factor", () => {
  const result = plan("--student", "10B", "--target-loss", "2.2", "--uncertainty", "--format", "csv");
  assert.equal(result.status, 0, result.stderr);
  const rows = csvParse(result.stdout);
  for (const r of rows) {
    assert.equal(r.verdict_kind, "extrapolates");
    assert.match(r.verdict!, /^The laws cannot decide this from the runs: teacher inference needs the least compute in/);
    assert.ok(r.verdict!.includes(`${r.verdict_extrapolation_variable} `), r.verdict);
    assert.ok(Number(r.verdict_extrapolation_factor) > 2);
  }
  // The student tokens per parameter of the teacher-inference answer: 3,624x below the fitted runs (the figure).
  const inference = rows.find((r) => r.strategy === "teacher-inference")!;
  assert.match(inference.validity!, /D_S\/N_S = [^:]+: 362\dx below/);
});

test("plan --student 1B --target-loss 2.3 --uncertainty --format json: no winner named; the worst deciding variable is named with its factor", () => {
  const result = plan("--student", "1B", "--target-loss", "2.3", "--uncertainty", "--format", "json");
  assert.equal(result.status, 0, result.stderr);
  const { uncertainty: { verdict } } = JSON.parse(result.stdout);
  assert.equal(verdict.kind, "extrapolates");
  assert.equal(verdict.winner, null);
  const { variable, factor } = verdict.extrapolation;
  assert.ok(verdict.sentence.includes(`${variable} ${Math.round(factor).toLocaleString("en-US")}x`), verdict.sentence);
});

test("an ensemble whose distillation law is borrowed never yields a distillation verdict: the sentence names the law's source", () => {
  const folder = mkdtempSync(join(tmpdir(), "borrowed-"));
  const file = join(folder, "fit.json");
  const ensemble = { ...perturbedTable6(6, { seed: 2 }), borrowedLaws: { distillation: "Table 6" } };
  writeFileSync(file, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation, ensemble, domain: paperDomain() }));
  const result = plan("--student", "1.82B", "--budget", "1e21", "--coefficients", file, "--uncertainty", "--format", "json");
  assert.equal(result.status, 0, result.stderr);
  const { verdict } = JSON.parse(result.stdout).uncertainty;
  assert.equal(verdict.kind, "borrowed");
  assert.equal(verdict.winner, null);
  assert.equal(verdict.borrowedLaw, "Table 6");
  assert.match(verdict.sentence, /^The runs cannot decide this: .* Table 6's distillation law, not fitted to these runs/);
  writeFileSync(file, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation, ensemble: { ...ensemble, borrowedLaws: "Table 6" } }));
  const rejected = plan("--student", "1.82B", "--budget", "1e21", "--coefficients", file, "--uncertainty");
  assert.notEqual(rejected.status, 0);
  assert.match(rejected.stderr, /ensemble\.borrowedLaws: expected an object, got "Table 6"/);
});
