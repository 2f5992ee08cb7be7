// The core of the "Your runs" page in Node: the build's checks as a list (checkRunTable), column
// guesses and units, and the page's fit job printing exactly what `npm run fit` prints.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { csvParseRows, tsvParseRows } from "d3";
import {
  checkRunTable, parseDistillationCsv, parsePositiveNumber, parseSupervisedCsv, RunDataError,
  type ParsedSupervisedRun,
} from "../src/core/fitting/runs.js";
import { guessMapping } from "../src/core/fitting/columnGuess.js";
import { parseDelimitedRows } from "../src/core/fitting/delimited.js";
import { parseFixList, FixError } from "../src/core/fitting/fixes.js";
import { runFitJob } from "../src/workers/fitJob.js";
import { fitOutput } from "../src/core/fitting/fitOutput.js";
import { findDuplicateRuns } from "../src/core/fitting/runs.js";
import { runCommand } from "./cli-helpers.js";

const BAD = fileURLToPath(new URL("./fixtures/bad/", import.meta.url));
const SYNTHETIC = fileURLToPath(new URL("../src/data/runs/paper-synthetic/", import.meta.url));
const SUPERVISED_TEXT = readFileSync(join(SYNTHETIC, "supervised.csv"), "utf8");

test("checkRunTable: on every bad fixture, its first problem is exactly what the build throws", () => {
  for (const name of readdirSync(BAD)) {
    const path = join(BAD, name);
    if (statSync(path).isDirectory()) continue;
    const text = readFileSync(path, "utf8");
    for (const kind of ["supervised", "distillation"] as const) {
      let thrown: RunDataError | null = null;
      try {
        (kind === "supervised" ? parseSupervisedCsv : parseDistillationCsv)(text, name);
      } catch (error) {
        assert.ok(error instanceof RunDataError);
        thrown = error;
      }
      const check = checkRunTable(csvParseRows(text), name, kind);
      if (thrown === null) assert.equal(check.problems.length, 0, name);
      else assert.equal(check.problems[0].message, thrown.message, `${name} as ${kind}`);
    }
  }
});

test("checkRunTable: lists every bad row, reads the good ones, and drops none silently", () => {
  const lines = SUPERVISED_TEXT.trimEnd().split("\n");
  lines[3] = lines[3].replace(/^[^,]+/, "abc");
  lines[10] = lines[10].replace(/,[^,]+,/, ",-5,");
  lines[12] = `${lines[12]},extra`;
  lines.splice(20, 0, "");
  const check = checkRunTable<ParsedSupervisedRun>(csvParseRows(lines.join("\n")), "f.csv", "supervised");
  assert.deepEqual(check.badLines, [4, 11, 13, 21]);
  assert.equal(check.rows, 75);
  assert.equal(check.runs.length + check.badLines.length, check.rows, "every row is either read or listed");
  assert.deepEqual(check.problems.map((p) => [p.line, p.column ?? null]), [[13, null], [21, null], [4, "N"], [11, "D"]]);
  assert.ok(check.runs.every((run) => ![4, 11, 13, 21].includes(run.line)));
});

test("units: a cell in billions is the exact number its decimal text in tokens is", () => {
  for (const [text, exponent, expected] of [["2.868", 9, 2.868e9], ["0.1", 9, 1e8], ["1.3e-2", 12, 1.3e10], ["7", 6, 7e6], ["1.2345678901234567", 9, 1.2345678901234567e9]] as const) {
    assert.equal(parsePositiveNumber(text, "f", 2, "D", exponent), expected, text);
  }
  // Multiplying after parsing rounds twice and can miss by an ulp; the decimal shift cannot.
  let misses = 0;
  for (let k = 1; k < 2000; k++) {
    const text = (k / 997).toPrecision(6);
    const shifted = parsePositiveNumber(text, "f", 2, "D", 9);
    assert.equal(shifted, Number(`${text}e9`));
    if (Number(text) * 1e9 !== shifted) misses++;
  }
  assert.ok(misses > 0, "the naive product differs for some inputs, which is why the shift is decimal");
});

test("a tracker export (renamed and extra columns, billions of tokens, TSV) reads as the same runs as the plain file", () => {
  const runs = parseSupervisedCsv(SUPERVISED_TEXT, "supervised.csv");
  const billions = (d: number) => {
    const [mantissa, exponent] = d.toExponential().split("e");
    return `${mantissa}e${Number(exponent) - 9}`;
  };
  const tracker = ["run_id\tn_params\ttrain_tokens_B\tlr\teval/loss",
    ...runs.map((r, i) => `run-${i}\t${r.N}\t${billions(r.D)}\t3e-4\t${r.L}`)].join("\n");
  const table = tsvParseRows(tracker);
  const mapping = guessMapping(table[0], "supervised", table.slice(1));
  assert.deepEqual(mapping.columns, { N: "n_params", D: "train_tokens_B", L: "eval/loss" });
  assert.deepEqual(mapping.decimalExponents, { N: 0, D: 9, L: 0 });
  const check = checkRunTable<ParsedSupervisedRun>(table, "export.tsv", "supervised", mapping);
  assert.deepEqual(check.problems, []);
  assert.deepEqual(check.runs.map(({ N, D, L, line }) => ({ N, D, L, line })), runs.map(({ N, D, L, line }) => ({ N, D, L, line })));
  assert.deepEqual(check.runs[0].labels, { run_id: "run-0", lr: "3e-4" });
});

test("parseDelimitedRows: CSV or TSV from the first line, quoted line breaks, a byte-order mark, blank lines kept", () => {
  assert.deepEqual(parseDelimitedRows('\uFEFFN,D,L\n"a\nb",2,"3,5"\n\n4,5,6\n'),
    [["N", "D", "L"], ["a\nb", "2", "3,5"], [""], ["4", "5", "6"]]);
  assert.deepEqual(parseDelimitedRows('N\tD\tL\r\n1\t"x\ty"\t3'), [["N", "D", "L"], ["1", "x\ty", "3"]]);
  assert.deepEqual(parseDelimitedRows(SUPERVISED_TEXT), csvParseRows(SUPERVISED_TEXT));
  assert.deepEqual(parseDelimitedRows(" \n"), []);
});

test("guessMapping: common tracker names, unit words and small values", () => {
  const cases: [string[], Record<string, string | null>][] = [
    [["params", "tokens", "loss"], { N: "params", D: "tokens", L: "loss" }],
    [["n_params", "train_tokens", "val_loss"], { N: "n_params", D: "train_tokens", L: "val_loss" }],
    [["model_size", "Tokens (B)", "eval/loss", "step"], { N: "model_size", D: "Tokens (B)", L: "eval/loss" }],
    [["N", "D", "L", "loss"], { N: "N", D: "D", L: "L" }],
    [["name", "lr"], { N: null, D: null, L: null }],
  ];
  for (const [header, columns] of cases) assert.deepEqual(guessMapping(header, "supervised").columns, columns, header.join(","));
  assert.equal(guessMapping(["params_M", "tokens", "loss"], "supervised").decimalExponents.N, 6);
  assert.equal(guessMapping(["params", "tokens", "loss"], "supervised", [["143", "2.9", "2.9"]]).decimalExponents.D, 9);
  assert.equal(guessMapping(["params", "tokens", "loss"], "supervised", [["143", "2.9", "2.9"]]).decimalExponents.N, 6);
  assert.deepEqual(guessMapping(["student_params", "student_tokens", "teacher_params", "teacher_tokens", "teacher_loss", "student_loss"], "distillation").columns, {
    N_S: "student_params", D_S: "student_tokens", N_T: "teacher_params", D_T: "teacher_tokens", L_T: "teacher_loss", L_S: "student_loss",
  });
  // A mapping that sends one column to two variables is a problem, not a silent misread.
  const check = checkRunTable([["a", "b"], ["1", "2"]], "f.csv", "supervised", { columns: { N: "a", D: "a", L: "b" } });
  assert.match(check.problems[0].message, /column "a" is mapped to both N and D/);
});

test("fixes: the page's field reads as --fix does", () => {
  assert.deepEqual(parseFixList(["gamma=1", "gamma'=0.8", "c1=100"]), { fixedSupervised: { gamma: 1 }, fixedDistillation: { gamma: 0.8, c1: 100 } });
  assert.throws(() => parseFixList(["zeta=1"]), FixError);
});

test("the page's fit job prints exactly what npm run fit prints (supervised, bootstrap, extrapolation)", async () => {
  const cli = runCommand("src/cli/fit.ts", ["--supervised", join(SYNTHETIC, "supervised.csv"), "--bootstrap", "3", "--seed", "5", "--extrapolation", "--quiet"]);
  assert.equal(cli.status, 0, cli.stderr);
  const runs = parseSupervisedCsv(SUPERVISED_TEXT, "supervised.csv");
  const result = await runFitJob({ supervised: runs, distillation: [], resamples: 3, seed: 5, extrapolation: true });
  const output = fitOutput(result.analysis, {
    files: { supervised: join(SYNTHETIC, "supervised.csv") },
    duplicates: { supervised: findDuplicateRuns(runs), distillation: [] }, resamples: 3, seed: 5,
  });
  assert.deepEqual(JSON.parse(JSON.stringify(output)), JSON.parse(cli.stdout));
});
