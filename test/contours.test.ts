// The Figure 6/14 grid and the Table 6 data module behind the data pages.

import assert from "node:assert/strict";
import { test } from "node:test";
import { TABLE6, distilledLoss, supervisedLoss } from "../src/core/laws/laws.js";
import { forwardFlopsPerToken } from "../src/core/laws/flops.js";
import { TABLE6_INTERVALS, TABLE6_ROWS } from "../src/core/laws/table6Intervals.js";
import {
  FIGURE6_TEACHER_NAMES, contourGrid, contourThresholds, fixedMTeachers, runsOfTeacher, type ContourRun,
} from "../src/components/charts/contours.js";

test("fixed-M teachers: Table 13 sizes, D_T = 20 N_T, L_T from the supervised law", () => {
  const teachers = fixedMTeachers(TABLE6);
  assert.deepEqual(teachers.map((d) => d.name), [...FIGURE6_TEACHER_NAMES]);
  assert.equal(teachers[0].parameters, 1.983e8);
  for (const t of teachers) {
    assert.equal(t.tokens, 20 * t.parameters);
    assert.equal(t.loss, supervisedLoss(TABLE6.supervised, t.parameters, t.tokens));
  }
});

test("contour grid: each cell is L_S - L~_S at its centre, on both axes", () => {
  const teachers = fixedMTeachers(TABLE6);
  for (const axis of ["tokens", "compute"] as const) {
    const grid = contourGrid(TABLE6, teachers, { axis, columns: 20, rows: 15 });
    assert.equal(grid.value.length, 20 * 15 * teachers.length);
    for (const k of [0, 7, 299, 300 + 151, grid.value.length - 1]) {
      const teacher = teachers[grid.panel[k]];
      const NS = grid.y[k];
      const DS = axis === "tokens" ? grid.x[k] : grid.x[k] / (3 * forwardFlopsPerToken(NS));
      const expected = distilledLoss(TABLE6, NS, DS, teacher.loss) - supervisedLoss(TABLE6.supervised, NS, DS);
      assert.ok(Math.abs(grid.value[k] - expected) < 1e-12, `${axis} cell ${k}: ${grid.value[k]} vs ${expected}`);
    }
    // Cell centres: the first column sits half a cell (in log x) inside the domain.
    const step = Math.log(grid.xDomain[1] / grid.xDomain[0]) / 20;
    assert.ok(Math.abs(Math.log(grid.x[0] / grid.xDomain[0]) - step / 2) < 1e-12);
    // Distillation wins somewhere and supervised training elsewhere (Figure 6's two colours).
    assert.ok(grid.extent[0] < 0 && grid.extent[1] > 0, `extent ${grid.extent}`);
  }
});

test("contour thresholds include zero and start at or below the minimum", () => {
  for (const extent of [[-0.58, 1.03], [-0.003, 0.2], [0.01, 0.4]] as [number, number][]) {
    const thresholds = contourThresholds(extent);
    assert.ok(thresholds[0] <= extent[0], `${thresholds} for ${extent}`);
    assert.ok(thresholds.at(-1)! < extent[1]);
    if (extent[0] < 0) assert.ok(thresholds.includes(0));
    assert.deepEqual(thresholds, [...thresholds].sort((a, b) => a - b));
  }
});

test("runs of a teacher are matched by N_T and D_T up to CSV rounding", () => {
  const [teacher] = fixedMTeachers(TABLE6);
  const run = (NT: number, DT: number): ContourRun => ({ N_S: 1e8, D_S: 1e9, N_T: NT, D_T: DT, L_T: 2.8, L_S: 2.9, L_S_supervised: 2.95 });
  const runs = [run(1.983e8, 3.966e9), run(1.9831e8, 3.9662e9), run(1.983e8, 1e10), run(5.46e8, 1.092e10)];
  assert.equal(runsOfTeacher(runs, teacher).length, 2);
});

test("Table 6 intervals: one per coefficient of the table, each containing the paper's point estimate", () => {
  for (const law of ["supervised", "distillation"] as const) {
    const coefficients = TABLE6[law] as unknown as Record<string, number>;
    const intervals = TABLE6_INTERVALS[law] as Record<string, { lower: number; upper: number }>;
    assert.deepEqual(Object.keys(intervals).sort(), Object.keys(coefficients).sort());
    for (const [name, value] of Object.entries(coefficients)) {
      assert.ok(intervals[name].lower <= value && value <= intervals[name].upper, `${law} ${name}`);
    }
    const rows = TABLE6_ROWS.map((row) => row[law]).filter((d) => d !== null);
    assert.deepEqual([...rows].sort(), Object.keys(coefficients).sort());
  }
});
