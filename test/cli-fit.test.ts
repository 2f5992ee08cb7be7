import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { TABLE6, supervisedLoss } from "../src/core/laws/laws.js";
import { readCoefficientsFile, UsageError } from "../src/cli/common.js";
import { assertRejected, runCommand } from "./cli-helpers.js";

const fit = (...args: string[]) => runCommand("src/cli/fit.ts", [...args, "--quiet"]);
const dir = mkdtempSync(join(tmpdir(), "fit-cli-"));

function supervisedCsv(rows: number, duplicateFirst = false): string {
  const lines = ["N,D,L,protocol"];
  for (let i = 0; i < rows; i++) {
    const N = 1e8 * 1.6 ** (i % 8);
    const D = 2e9 * 2.1 ** Math.floor(i / 8);
    lines.push(`${N},${D},${supervisedLoss(TABLE6.supervised, N, D)},grid`);
  }
  if (duplicateFirst) lines.push(lines[1]);
  return `${lines.join("\n")}\n`;
}

const goodFile = join(dir, "supervised.csv");
writeFileSync(goodFile, supervisedCsv(40, true));

test("fit prints one JSON object with coefficients, objective, run count and duplicate runs", () => {
  const result = fit("--supervised", goodFile);
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout);
  assert.equal(output.supervised.runs, 41);
  assert.deepEqual(output.supervised.duplicateRuns, [[2, 42]]);
  for (const key of ["E", "A", "B", "alpha", "beta", "gamma"]) assert.ok(output.supervised.coefficients[key] > 0, key);
  assert.ok(output.supervised.objective < 1e-6);
  assert.equal(output.distillation, undefined);
});

test("fit --fix gamma=1 holds gamma and --bootstrap adds seeded intervals", () => {
  const a = fit("--supervised", goodFile, "--fix", "gamma=1", "--bootstrap", "20", "--seed", "7");
  const b = fit("--supervised", goodFile, "--fix", "gamma=1", "--bootstrap", "20", "--seed", "7");
  assert.equal(a.status, 0, a.stderr);
  const output = JSON.parse(a.stdout);
  assert.equal(output.supervised.coefficients.gamma, 1);
  assert.deepEqual(output.supervised.fixed, { gamma: 1 });
  assert.ok(output.supervised.intervals.E.lower <= output.supervised.intervals.E.upper);
  assert.deepEqual(output.supervised.intervals, JSON.parse(b.stdout).supervised.intervals);
  assert.deepEqual(output.bootstrap, { resamples: 20, seed: 7, level: 0.9 });
});

test("fit --bootstrap writes the ensemble with its members, and readCoefficientsFile reads it", () => {
  const result = fit("--supervised", goodFile, "--fix", "gamma=1", "--bootstrap", "8", "--seed", "3");
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout);
  assert.equal(output.ensemble.kind, "bootstrap");
  assert.equal(output.ensemble.requested, 8);
  const members = output.ensemble.members;
  assert.equal(members.length + output.ensemble.leftOut, 8);
  assert.ok(members.length >= 1);
  assert.equal(members[0].supervised.gamma, 1);
  // Without distillation runs the members carry Table 6's distillation law, as the point set does.
  assert.deepEqual(members[0].distillation, { ...TABLE6.distillation });
  assert.ok(output.domain.supervised.parameters.min > 0);
  const file = join(dir, "fit-with-samples.json");
  writeFileSync(file, result.stdout);
  const read = readCoefficientsFile(file);
  assert.ok(read.ensemble);
  assert.equal(read.ensemble.members.length, members.length);
  assert.deepEqual(read.ensemble.members[0], members[0]);
  assert.equal(read.ensemble.leftOut, output.ensemble.leftOut);
  // A file without members has no ensemble.
  const plain = join(dir, "plain.json");
  writeFileSync(plain, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation }));
  assert.equal(readCoefficientsFile(plain).ensemble, null);
});

test("fit --samples FILE writes the ensemble there and names it; a bad member is refused by index and field", () => {
  const samples = join(dir, "samples.json");
  const result = fit("--supervised", goodFile, "--fix", "gamma=1", "--bootstrap", "4", "--samples", samples);
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout);
  assert.equal(output.samplesFile, basename(samples));
  assert.equal(output.ensemble, undefined);
  const file = join(dir, "fit-with-samples-file.json");
  writeFileSync(file, result.stdout);
  const read = readCoefficientsFile(file);
  assert.equal(read.ensemble!.requested, 4);
  assert.ok(read.ensemble!.members.length >= 1);

  const bad = join(dir, "bad-samples.json");
  const members = read.ensemble!.members.map((m) => ({ ...m, distillation: { ...m.distillation } }));
  (members[0].distillation as Record<string, unknown>).c1 = "x";
  writeFileSync(bad, JSON.stringify({ ...JSON.parse(result.stdout), samplesFile: undefined, ensemble: { ...read.ensemble, members } }));
  assert.throws(() => readCoefficientsFile(bad), (error: Error) =>
    error instanceof UsageError && /ensemble\.members\[0\]\.distillation\.c1: expected a finite number >= 0, got "x"/.test(error.message));
  assert.match(fit("--supervised", goodFile, "--samples", samples).stderr, /--samples needs --bootstrap N/);
});

const missingColumn = join(dir, "missing-column.csv");
// "lr" names nothing the columns are guessed from, so D has no column.
writeFileSync(missingColumn, "N,lr,L\n1e8,2e9,3.1\n");
const badValue = join(dir, "bad-value.csv");
writeFileSync(badValue, supervisedCsv(10).replace(/\n([^\n]*)\n$/, "\n1e9,abc,2.5,grid\n"));
const tooFew = join(dir, "too-few.csv");
writeFileSync(tooFew, supervisedCsv(4));
const distillation = join(dir, "distillation.csv");
writeFileSync(distillation, "N_S,D_S,N_T,D_T,L_T,L_S\n1e8,2e9,1e9,2e10,2.3,2.9\n");

const errorCases: [string, string[], RegExp][] = [
  ["no --supervised", [], /^fit: missing --supervised FILE$/],
  ["a distillation file without a supervised one", ["--distillation", distillation], /--distillation needs --supervised/],
  ["an unreadable file", ["--supervised", join(dir, "nope.csv")], /--supervised .*nope\.csv: cannot read the file \(ENOENT\)/],
  ["a missing column", ["--supervised", missingColumn], /missing-column\.csv.*D/],
  ["a non-numeric value", ["--supervised", badValue], /bad-value\.csv line 11, column D: expected a positive finite number, got "abc"/],
  ["too few runs", ["--supervised", tooFew], /too-few\.csv: 4 runs cannot determine 6 free coefficients/],
  ["an unknown coefficient in --fix", ["--supervised", goodFile, "--fix", "zeta=1"], /--fix zeta: unknown supervised coefficient/],
  ["a malformed --fix", ["--supervised", goodFile, "--fix", "gamma"], /--fix: expected NAME=VALUE such as gamma=1, got "gamma"/],
  ["a non-numeric --fix value", ["--supervised", goodFile, "--fix", "E=big"], /--fix E: expected a number, got "big"/],
  ["a bad --bootstrap", ["--supervised", goodFile, "--bootstrap", "many"], /--bootstrap: expected a whole number >= 1, got "many"/],
  ["too many --bootstrap resamples", ["--supervised", goodFile, "--bootstrap", "10001"], /^fit: --bootstrap: “10001” is too large: a number of bootstrap resamples is accepted from 1 to 10k resamples\.$/],
  // The largest accepted count passes the argument check: the file is what fails.
  ["an unreadable file at the largest --bootstrap", ["--supervised", join(dir, "nope.csv"), "--bootstrap", "1e4"], /--supervised .*nope\.csv: cannot read the file \(ENOENT\)/],
  ["a bad --huber-delta", ["--supervised", goodFile, "--huber-delta", "-1"], /^fit: --huber-delta: expected a positive number, got "-1"$/],
  ["a hexadecimal --huber-delta", ["--supervised", goodFile, "--huber-delta", "0x10"], /^fit: --huber-delta: expected a positive number, got "0x10"$/],
  ["a repeated --seed", ["--supervised", goodFile, "--seed", "1", "--seed", "2"], /^fit: --seed: given more than once; give each option once$/],
  ["a zero --huber-delta", ["--supervised", goodFile, "--huber-delta=0"], /--huber-delta: expected a positive number, got "0"/],
  ["a bad --seed", ["--supervised", goodFile, "--seed", "1.5"], /--seed: expected a whole number >= 0, got "1\.5"/],
  ["an unknown option", ["--supervised", goodFile, "--plot"], /Unknown option '--plot'/],
];

for (const [name, args, message] of errorCases) {
  test(`fit rejects ${name} with one line on stderr and a non-zero exit`, () => {
    assertRejected(fit(...args), message);
  });
}
