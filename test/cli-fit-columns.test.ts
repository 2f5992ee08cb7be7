// `npm run fit` with a tracker's export: the columns guessed from their names as the "Your runs"
// page guesses them, an explicit --columns mapping, and what it says about parameter counts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TABLE6, supervisedLoss } from "../src/core/laws/laws.js";
import { guessMapping, parameterCountNotes } from "../src/core/fitting/columnGuess.js";
import { assertRejected, runCommand } from "./cli-helpers.js";

const fit = (...args: string[]) => runCommand("src/cli/fit.ts", [...args, "--quiet"]);
const dir = mkdtempSync(join(tmpdir(), "fit-columns-"));

/** 40 runs on Table 6's law: N (non-embedding), D, L. */
const runs = Array.from({ length: 40 }, (_, i) => {
  const N = 1e8 * 1.6 ** (i % 8), D = 2e9 * 2.1 ** Math.floor(i / 8);
  return { N, D, L: supervisedLoss(TABLE6.supervised, N, D) };
});

function write(name: string, header: string, row: (r: (typeof runs)[number], i: number) => string): string {
  const file = join(dir, name);
  writeFileSync(file, `${[header, ...runs.map(row)].join("\n")}\n`);
  return file;
}

const plain = write("plain.csv", "N,D,L", (r) => `${r.N},${r.D},${r.L}`);
const reference = JSON.parse(fit("--supervised", plain).stdout).supervised.coefficients;

test("a Weights & Biases export fits with no renaming: columns guessed, the guess and the count's kind said", () => {
  const file = write("wandb.csv", "Name,parameter_count,throughput/total_tokens,eval/paloma/macro_loss,_step",
    (r, i) => `run-${i},${r.N},${r.D},${r.L},${1000 + i}`);
  const result = fit("--supervised", file);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout).supervised.coefficients, reference);
  assert.match(result.stderr, /columns guessed from their names: N = "parameter_count", D = "throughput\/total_tokens", L = "eval\/paloma\/macro_loss"/);
  assert.match(result.stderr, /N reads "parameter_count": the laws take non-embedding parameters/);
});

test("--columns maps names the guess cannot know; units in the names scale the values", () => {
  const file = write("odd.csv", "m,toks_B,metric", (r) => `${r.N},${r.D / 1e9},${r.L}`);
  const result = fit("--supervised", file, "--columns", "N=m,L=metric");
  assert.equal(result.status, 0, result.stderr);
  const coefficients = JSON.parse(result.stdout).supervised.coefficients;
  for (const key of Object.keys(reference)) assert.ok(Math.abs(coefficients[key] / reference[key] - 1) < 1e-6, `${key}: ${coefficients[key]} vs ${reference[key]}`);
  assert.match(result.stderr, /D = "toks_B" \(x 1e9\)/);
});

test("a file with a total and a non-embedding count: the non-embedding one is read, and the other named", () => {
  const file = write("both.csv", "parameter_count,non_embedding_parameter_count,tokens,loss",
    (r) => `${r.N + 2.6e8},${r.N},${r.D},${r.L}`);
  const result = fit("--supervised", file);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout).supervised.coefficients, reference);
  assert.match(result.stderr, /N reads the non-embedding count "non_embedding_parameter_count"; the file also has "parameter_count", not used/);
  // Chosen by hand, the total is read and flagged.
  const total = fit("--supervised", file, "--columns", "N=parameter_count");
  assert.equal(total.status, 0, total.stderr);
  assert.match(total.stderr, /N reads "parameter_count", but the file also has the non-embedding count "non_embedding_parameter_count"/);
  assert.deepEqual(parameterCountNotes(["total_params", "tokens", "loss"], { columns: { N: "total_params" } }).length, 1);
  assert.match(parameterCountNotes(["total_params", "tokens", "loss"], { columns: { N: "total_params" } })[0], /looks like a total count with the embeddings/);
  assert.deepEqual(parameterCountNotes(["N", "D", "L"], { columns: { N: "N" } }), []);
});

test("no column for a variable, or a bad --columns entry: one line naming what is wrong", () => {
  const file = write("none.csv", "name,lr,loss", (r, i) => `run-${i},3e-4,${r.L}`);
  assertRejected(fit("--supervised", file), /none\.csv: no column found for N \(model size \(non-embedding parameters\)\), D \(training tokens\); the header has name, lr, loss; name them with --columns N=COLUMN,D=COLUMN/);
  assertRejected(fit("--supervised", plain, "--columns", "X=foo"), /--columns: unknown variable "X" in "X=foo"/);
  assertRejected(fit("--supervised", plain, "--columns", "N"), /--columns: expected VAR=COLUMN, got "N"/);
  assertRejected(fit("--supervised", plain, "--columns", "N=a,N=b"), /--columns: N is given twice/);
  assertRejected(fit("--supervised", plain, "--columns", "N=params"), /--columns N=params: .*plain\.csv has no column "params"; its header has N, D, L/);
});

test("the page's guess knows the tracker names the CLI does", () => {
  assert.deepEqual(guessMapping(["Name", "parameter_count", "throughput/total_tokens", "eval/paloma/macro_loss"], "supervised").columns,
    { N: "parameter_count", D: "throughput/total_tokens", L: "eval/paloma/macro_loss" });
  assert.equal(guessMapping(["parameter_count", "non_embedding_parameter_count", "tokens", "loss"], "supervised").columns.N, "non_embedding_parameter_count");
  // A teacher's loss is not taken for the student's.
  assert.equal(guessMapping(["a", "b", "teacher/loss"], "supervised").columns.L, null);
});
