// What the pages say is computed from the laws: Figure 8's crossover trend, /contours' catching
// up, /infinite-data's sign. Each statement is checked against an independent computation.

import { test } from "node:test";
import assert from "node:assert/strict";
import { TABLE6, distilledLoss, supervisedLoss } from "../src/core/laws/laws.js";
import { crossoverRows, describeCrossoverTrend } from "../src/components/state/optimalCurves.js";
import { parseStudentList } from "../src/components/state/students.js";
import { FIGURE8_DEFAULTS } from "../src/components/state/figure8Defaults.js";
import { describeStillAhead, distillationAheadAtRightEdge, fixedMTeachers } from "../src/components/charts/contours.js";
import { describeDifferenceSign, infiniteDataRows } from "../src/components/charts/infiniteDataCharts.js";

const students = (text: string) => {
  const parsed = parseStudentList(text, { limit: 10 });
  assert.ok(parsed.ok);
  return parsed.ok ? parsed.value : [];
};
const WIDE = students("143M, 198M, 300M, 546M, 975M, 1.82B, 7.75B, 30B");

test("Figure 8: the crossover trend is what Table 6's crossovers show, not 'grows with the student'", () => {
  const rows = crossoverRows(WIDE, { coefficients: TABLE6 }, ["best-case"]);
  const trend = describeCrossoverTrend(rows, "best-case");
  assert.equal(trend.grows, false);
  assert.match(trend.sentence, /does not grow steadily with the student: 300M at 9\.4e22 FLOPs is above 546M at 2e22\./);
  assert.match(trend.sentence, /143M, 198M, 30B: no crossover within the budgets the bounds allow/);
  // The page's default students do grow (198M has none).
  const defaults = describeCrossoverTrend(crossoverRows(students(FIGURE8_DEFAULTS.students), { coefficients: TABLE6 }, ["best-case"]), "best-case");
  assert.equal(defaults.grows, true);
  assert.match(defaults.sentence, /grows with the student \(546M at 2e22, 975M at 2.2e22, 1.82B at 4.2e22 FLOPs\)\. 198M: no crossover/);
});

test("/infinite-data: the sign of the difference is where the crossovers vanish (an independent check of Figure 8)", () => {
  const sign = describeDifferenceSign(infiniteDataRows(TABLE6));
  assert.match(sign.sentence, /for students of 10M to 215M and 31\.6B to 1T it is negative, .* never catches up .*; for 261M to 26\.1B it is positive/);
  // Where the unlimited-data difference is negative, the crossover search finds no crossover, and where positive it finds one.
  // On a finer grid (96 per decade), so that 30B (the boundary lies near 27B) is resolved.
  const fine = describeDifferenceSign(infiniteDataRows(TABLE6, { from: 8, to: 11, perDecade: 96 }));
  const inside = (N: number) => fine.negative.some(([a, b]) => N >= a && N <= b);
  for (const row of crossoverRows(WIDE, { coefficients: TABLE6 }, ["best-case"])) {
    assert.equal(row.budget === null, inside(row.studentParameters), row.student);
  }
});

test("/contours: supervised training does not always catch up; 143M from the 1.82B teacher is still behind at the right edge and at 1e17 tokens", () => {
  const teachers = fixedMTeachers(TABLE6);
  const ahead = distillationAheadAtRightEdge(TABLE6, teachers, { axis: "tokens" });
  const t182 = teachers.find((t) => t.name === "1.82B")!;
  const range = ahead.find((a) => a.teacher === "1.82B")!.students!;
  assert.ok(range[0] <= 1.434e8 && 1.434e8 <= range[1]);
  for (const D of [1e13, 1e17]) assert.ok(distilledLoss(TABLE6, 1.434e8, D, t182.loss) < supervisedLoss(TABLE6.supervised, 1.434e8, D), `D_S = ${D}`);
  // Just past the range's largest student, supervised training is ahead (brute force on a finer step).
  const past = range[1] * 1.05;
  assert.ok(distilledLoss(TABLE6, past, 1e13, t182.loss) >= supervisedLoss(TABLE6.supervised, past, 1e13));
  assert.match(describeStillAhead(ahead, "tokens"), /^Supervised training does not always catch up within the panels: at 10T student tokens distillation is still ahead .*from the 1\.82B teacher for students of 100M to 228M\.$/);
  // Teachers with no student left behind are not named.
  assert.equal(ahead.find((a) => a.teacher === "198M")!.students, null);
  assert.doesNotMatch(describeStillAhead(ahead, "tokens"), /198M teacher/);
});
