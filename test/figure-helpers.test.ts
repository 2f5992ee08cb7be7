// The pure helpers behind the figure pages: CSV of ragged rows, size lists, budget grids and the
// words written from computed compute shares.

import assert from "node:assert/strict";
import { test } from "node:test";
import { csvParse } from "d3";
import { exportColumnName, exportNumber, rowsToCsv, withExtension } from "../src/components/page/export.js";
import { logGrid, parseSizes, parseStudentList } from "../src/components/state/students.js";
import { describeShares, solutionRows } from "../src/components/state/optimalCurves.js";
import { TABLE6 } from "../src/core/laws/laws.js";

test("rowsToCsv writes the union of keys, nested values as JSON and null as empty", () => {
  const rows = [{ a: 1, b: null }, { b: "x,y", c: { d: 2 } }];
  const parsed = csvParse(rowsToCsv(rows));
  assert.deepEqual(parsed.columns, ["a", "b", "c"]);
  assert.deepEqual({ ...parsed[0] }, { a: "1", b: "", c: "" });
  assert.deepEqual({ ...parsed[1] }, { a: "", b: "x,y", c: '{"d":2}' });
  assert.equal(withExtension("figure", "svg"), "figure.svg");
  assert.equal(withExtension("figure.SVG", "svg"), "figure.SVG");
});

test("exports: one column naming convention, numbers a spreadsheet reads back exactly", () => {
  // Figure 8's rows (camelCase objects) and the planner's records (snake_case) name columns alike.
  assert.deepEqual(["studentTokens", "flopsTeacherLogits", "N_T", "L_S_minus_supervised", "L_T_source", "student_parameters", "C_S"].map(exportColumnName),
    ["student_tokens", "flops_teacher_logits", "N_T", "L_S_minus_supervised", "L_T_source", "student_parameters", "C_S"]);
  const values = [100000000000000100, 1e17, 3e22, 0.00210, 1.821e9, 123456789012345, -2.5e-7, 2.5490000000000004];
  const texts = values.map(exportNumber);
  assert.deepEqual(texts.slice(0, 6), ["1.000000000000001e17", "1e17", "3e22", "0.0021", "1821000000", "123456789012345"]);
  for (const [i, text] of texts.entries()) {
    assert.equal(Number(text), values[i], text);
    assert.ok(!text.includes("+"), text);
    // A spreadsheet keeps 15 significant digits of a plain integer: none is written longer.
    if (!/[e.]/.test(text)) assert.ok(text.replace("-", "").length <= 18 && Number(text).toString().length <= 18);
  }
  const csv = csvParse(rowsToCsv([{ studentTokens: 100000000000000100, teacherLoss: null }]));
  assert.deepEqual(csv.columns, ["student_tokens", "teacher_loss"]);
  assert.equal(Number(csv[0].student_tokens), 100000000000000100);
});

test("parseStudentList uses the planner's parser and messages", () => {
  const parsed = parseStudentList("3e9, 975M");
  assert.ok(parsed.ok);
  if (parsed.ok) assert.deepEqual(parsed.value, [{ parameters: 0.9755e9, name: "975M" }, { parameters: 3e9, name: "3B" }]);
  const bad = parseStudentList("975M, 999T");
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.match(bad.error, /“999T” is too large: a student size is accepted from 1M to 100T parameters/);
});

test("parseSizes reads Table 13 names exactly and rejects what is not a size", () => {
  const parsed = parseSizes("975M, 3e9; 1.5B nonsense 5");
  assert.deepEqual(parsed.sizes, [0.9755e9, 3e9, 1.5e9]);
  assert.deepEqual(parsed.students.map((s) => s.name), ["975M", "3B", "1.5B"]);
  assert.deepEqual(parsed.rejected, ["nonsense", "5"]);
});

test("the Figure 8 grid has 41 budgets and no NaN, infeasible budgets left out", () => {
  const budgets = logGrid(17, 27, 4);
  assert.equal(budgets.length, 41);
  assert.ok(Math.abs(budgets[0] / 1e17 - 1) < 1e-12 && Math.abs(budgets[40] / 1e27 - 1) < 1e-12);
  const rows = solutionRows([{ parameters: 1.98e8, name: "198M" }], budgets, ["supervised", "best-case"], { coefficients: TABLE6 });
  assert.ok(rows.every((row) => Number.isFinite(row.studentLoss)));
  // The best case cannot spend more than 3F(N_S) * 1e17 FLOPs (~1.75e26 for 198M).
  const bestCase = rows.filter((row) => row.strategy === "best-case");
  assert.ok(bestCase.length < 41 && bestCase.every((row) => row.budget <= 1.76e26));
});

test("describeShares says what dominates, from the numbers", () => {
  assert.equal(describeShares({ "Student training": 0.1, "Teacher logits": 0.05, "Teacher pretraining": 0.85 }), "mostly to teacher pretraining (85%)");
  assert.equal(
    describeShares({ "Student training": 0.55, "Teacher logits": 0.44, "Teacher pretraining": 0.01 }),
    "to student training (55%) and teacher logits (44%), much less to teacher pretraining (1%)",
  );
  assert.match(describeShares({ "Student training": 0.3, "Teacher logits": 0.35, "Teacher pretraining": 0.35 }), /alike$/);
});

test("coefficients print in Table 6's style, and in exponent form far outside it", async () => {
  const { formatCoefficient } = await import("../src/components/charts/fitsCharts.js");
  assert.deepEqual(
    [3355, 522.6, 1.22, 0.408, 8.248921394149691e21, 1.2516785407920894e60, 2.5e-5].map(formatCoefficient),
    ["3355", "522.6", "1.220", "0.408", "8.25e21", "1.25e60", "2.5e-5"],
  );
});

test("Figures 33/34 ratio ticks are plain decimals, powers of ten only over wide ranges", async () => {
  const { ratioTick } = await import("../src/components/charts/efficiencyCharts.js");
  assert.deepEqual([0.001, 0.01, 0.1, 1, 10].map((d) => ratioTick(d, true)), ["0.001", "0.01", "0.1", "1", "10"]);
  assert.deepEqual([0.2, 0.30000000000000004, 5].map((d) => ratioTick(d, true)), ["", "", ""]);
  assert.deepEqual([0.2, 0.30000000000000004, 2].map((d) => ratioTick(d)), ["0.2", "0.3", "2"]);
});
