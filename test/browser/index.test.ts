// The capacity-gap page: what it draws must be Eq. 8 with Table 6, for the student typed in.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { TABLE6, distilledLoss, supervisedLoss } from "../../src/core/laws/laws.js";
import { CAPACITY_GAP_MARKS } from "../../src/components/charts/capacityGapChart.js";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";
import { plottedPoints } from "./plot.js";

const skip = siteSkipReason();

interface Summary {
  studentParameters: number;
  studentTokens: number;
  teacherLoss: number;
  studentLoss: number;
  supervisedLoss: number;
}

async function summary(page: Page): Promise<Summary> {
  const element = page.locator("#capacity-gap-summary");
  await element.waitFor();
  const read = async (name: string) => Number(await element.getAttribute(`data-${name}`));
  return {
    studentParameters: await read("student-parameters"),
    studentTokens: await read("student-tokens"),
    teacherLoss: await read("teacher-loss"),
    studentLoss: await read("student-loss"),
    supervisedLoss: await read("supervised-loss"),
  };
}

/** Checks the drawn curve, rule and optimum against the core for the given student. */
async function assertChartMatchesCore(page: Page, NS: number, DS: number): Promise<void> {
  const curve = await plottedPoints(page, CAPACITY_GAP_MARKS.curve);
  assert.ok(curve.length >= 100, `expected a dense curve, got ${curve.length} points`);
  // Half a pixel is a few thousandths of a nat at this chart's scale.
  for (const { x: LT, y: LS } of curve) {
    assert.ok(Math.abs(LS - distilledLoss(TABLE6, NS, DS, LT)) < 3e-3, `L_S(${LT}) drawn ${LS}, core ${distilledLoss(TABLE6, NS, DS, LT)}`);
  }
  const drawnMinimum = Math.min(...curve.map((p) => p.y));
  const [rule] = await plottedPoints(page, CAPACITY_GAP_MARKS.supervised);
  assert.ok(Math.abs(rule.y - supervisedLoss(TABLE6.supervised, NS, DS)) < 3e-3);

  // The marked optimum is the bottom of the U: compare with an independent fine grid search.
  let best = { LT: NaN, LS: Infinity };
  for (let i = 0; i <= 20000; i++) {
    const LT = 1.25 * (8 / 1.25) ** (i / 20000);
    const LS = distilledLoss(TABLE6, NS, DS, LT);
    if (LS < best.LS) best = { LT, LS };
  }
  const [optimum] = await plottedPoints(page, CAPACITY_GAP_MARKS.optimum);
  assert.ok(Math.abs(optimum.x / best.LT - 1) < 0.01, `L_T* drawn at ${optimum.x}, grid minimum at ${best.LT}`);
  assert.ok(Math.abs(optimum.y - best.LS) < 3e-3);
  assert.ok(optimum.y <= drawnMinimum + 3e-3, "the marked optimum is not the lowest point of the curve");
  // Capacity gap: the strongest teacher drawn gives a worse student than the optimal one.
  assert.ok(curve[0].y > best.LS + 0.01, "no capacity gap drawn at the strong-teacher end");

  const numbers = await summary(page);
  assert.ok(Math.abs(numbers.teacherLoss / best.LT - 1) < 1e-3);
  assert.ok(Math.abs(numbers.studentLoss - best.LS) < 1e-6);
}

test("index page draws the capacity gap of Eq. 8 for the default student", { skip }, async () => {
  await withSitePage("/", async (page, diagnostics) => {
    await page.locator(`g.${CAPACITY_GAP_MARKS.curve} path`).waitFor();
    const { studentParameters, studentTokens } = await summary(page);
    // Default: Table 13's 1.82B model (1.821e9 parameters) at 20 tokens per parameter.
    assert.equal(studentParameters, 1.821e9);
    assert.ok(Math.abs(studentTokens / (20 * 1.821e9) - 1) < 1e-9);
    await assertChartMatchesCore(page, studentParameters, studentTokens);
    assert.ok(
      await page.evaluate(async () => (await document.fonts.load('16px "Source Serif 4"')).length > 0),
      "the self-hosted Source Serif 4 font did not load",
    );
    assertCleanLoad(diagnostics);
  });
});

test("changing the student changes the chart, and it still follows the core", { skip }, async () => {
  await withSitePage("/", async (page, diagnostics) => {
    const curveLocator = page.locator(`g.${CAPACITY_GAP_MARKS.curve} path`);
    await curveLocator.waitFor();
    const before = await curveLocator.getAttribute("d");

    await page.getByLabel("Student size N_S").fill("546M");
    await page.waitForFunction(() => document.querySelector("#capacity-gap-summary")?.getAttribute("data-student-parameters") === String(0.546e9));
    assert.notEqual(await curveLocator.getAttribute("d"), before);
    await assertChartMatchesCore(page, 0.546e9, 20 * 0.546e9);

    // Free text that is not a Table 13 name is read as a quantity.
    await page.getByLabel("Student size N_S").fill("3e9");
    await page.waitForFunction(() => document.querySelector("#capacity-gap-summary")?.getAttribute("data-student-parameters") === "3000000000");
    const tokensBox = page.locator('input[type="number"]').first();
    await tokensBox.fill("200");
    await tokensBox.dispatchEvent("input");
    await page.waitForFunction(() => document.querySelector("#capacity-gap-summary")?.getAttribute("data-student-tokens") === String(200 * 3e9));
    await assertChartMatchesCore(page, 3e9, 200 * 3e9);

    // A size that cannot be read is refused at its field; the page keeps the last good student.
    await page.getByLabel("Student size N_S").fill("a lot");
    await page.locator('.field-error[data-field="student"]').waitFor();
    assert.equal(await page.locator("#capacity-gap-summary").getAttribute("data-student-parameters"), "3000000000");
    assertCleanLoad(diagnostics);
  });
});
