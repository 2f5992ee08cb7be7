// The target-loss page's uncertainty: Figures 33/34's 90% ribbons over the whole
// ensemble (prebuilt for the default view, recomputed in Web Workers otherwise) and their faded
// extrapolated parts; "your student and target" with bands over every member, the verdict, and
// band columns in the table and the download. Numbers are checked against the core run here.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { csvParse, type DSVRowArray } from "d3-dsv";
import type { Page } from "playwright-core";
import { band } from "../../src/core/ensemble/bands.js";
import { TABLE6 } from "../../src/core/laws/laws.js";
import { SCENARIOS } from "../../src/core/laws/scenarios.js";
import type { CoefficientEnsemble } from "../../src/core/ensemble/ensemble.js";
import { efficiencyBrackets, efficiencyGrid, efficiencyMember, type EfficiencyBands } from "../../src/core/uncertainty/efficiencyBands.js";
import { widenRatioBand } from "../../src/core/domain/bandWidening.js";
import { targetLossCompute } from "../../src/core/questions/targetLoss.js";
import { targetLossUncertainty, targetPointAnswers, type TargetUncertaintyInputs } from "../../src/core/uncertainty/targetLossUncertainty.js";
import type { ValidityDomain } from "../../src/core/domain/validity.js";
import type { OutOfDomainGrowth } from "../../src/core/domain/outOfDomain.js";
import { pointExtrapolationNote } from "../../src/core/ensemble/pointExtrapolationNote.js";
import { table13Model } from "../../src/core/laws/table13.js";
import { EFFICIENCY_MARKS } from "../../src/components/charts/efficiencyCharts.js";
import { EFFICIENCY_DEFAULTS } from "../../src/components/state/efficiencyDefaults.js";
import { curveSpans, efficiencyRows } from "../../src/components/state/efficiencyRows.js";
import { parseSizes } from "../../src/components/state/students.js";
import { defaultEfficiencyGrid } from "../../src/node/efficiencyDefaultBands.js";
import { DIST_DIR, assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";
import { download } from "./download.js";
import { plottedPoints } from "./plot.js";

const skip = siteSkipReason();

async function builtFile(prefix: string): Promise<unknown> {
  const dir = `${DIST_DIR}/_file/data/fits`;
  const file = readdirSync(dir).find((f) => f.startsWith(`${prefix}.`) && f.endsWith(".json"));
  assert.ok(file, `no ${prefix}.*.json in ${dir}`);
  return JSON.parse(await readFile(`${dir}/${file}`, "utf-8"));
}

/** Table 6's ensemble as the built site carries it. */
async function paperEnsemble(): Promise<CoefficientEnsemble> {
  return ((await builtFile("fits")) as { paper: { ensemble: CoefficientEnsemble } }).paper.ensemble;
}

/** The core's bands (widened beyond the runs by the built set's growth) and extrapolation-aware verdict for the page's own target, with the built set's validity domain. */
async function ownTargetBands(inputs: TargetUncertaintyInputs, ensemble: CoefficientEnsemble) {
  const { domain, outOfDomain: growth } = ((await builtFile("fits")) as { paper: { domain: ValidityDomain | null; outOfDomain: OutOfDomainGrowth | null } }).paper;
  const widened = { ...inputs, outOfDomain: domain && growth ? { domain, growth } : null };
  return targetLossUncertainty(widened, ensemble, { points: targetPointAnswers(widened, TABLE6), domain, point: TABLE6 });
}

async function csvOf(page: Page, row: number): Promise<DSVRowArray<string>> {
  const file = await download(page, page.locator(".export-buttons-table").nth(row).getByRole("button", { name: "CSV" }));
  return csvParse(file.bytes.toString("utf-8"));
}

/** Chromium's Math.pow and Math.exp may differ from Node's in the last bits: numbers agree to 1e-9 relative. */
function assertClose(actual: string | number, expected: number, what: string, tolerance = 1e-9): void {
  assert.ok(Math.abs(Number(actual) / expected - 1) < tolerance, `${what}: ${actual} vs ${expected}`);
}

/**
 * A widened band's sides are the members' times the point fit's answers at the bracketing targets,
 * each the result of a bounded search (tolerance ~1e-11 in log L_T, a flat minimum): 1e-7 there.
 */
const bandTolerance = (b: { widened: boolean }) => (b.widened ? 1e-7 : 1e-9);

const STRATEGIES = [{ id: "supervised", label: "Supervised", strategy: "supervised" as const }, ...SCENARIOS.map((s) => ({ id: s.id, label: s.label, strategy: s.id }))];

test("target loss page: the build's Figure 33/34 bands equal a recomputation (300M, teacher inference, every member)", { skip }, async () => {
  const prebuilt = (await builtFile("efficiency-bands")) as EfficiencyBands & { coefficients: string };
  const ensemble = await paperEnsemble();
  assert.equal(prebuilt.coefficients, EFFICIENCY_DEFAULTS.coefficients);
  assert.equal(prebuilt.ensemble.members, ensemble.members.length);
  assert.equal(prebuilt.grid.studentParameters.length, 8);
  // The grid along the page's curves, as the build makes it; its first student's teacher-inference cells, every member.
  const full = defaultEfficiencyGrid();
  const k = full.strategies.indexOf("teacher-inference");
  const grid = { studentParameters: [full.studentParameters[0]], strategies: ["teacher-inference" as const], targets: [[full.targets[0][k]]] };
  const members = ensemble.members.map((m) => efficiencyMember(m, grid));
  // Beyond the built set's domain the ribbons widen at Table 6's answers, as the target-loss question's ratios.
  const { domain, outOfDomain } = ((await builtFile("fits")) as { paper: { domain: ValidityDomain | null; outOfDomain: OutOfDomainGrowth | null } }).paper;
  assert.ok(domain && outOfDomain);
  const brackets = efficiencyBrackets(TABLE6, { grid, outOfDomain: { domain, growth: outOfDomain } })!;
  grid.targets[0][0].forEach((target, t) => {
    const cell = prebuilt.cells.find((c) => c.studentIndex === 0 && c.strategy === "teacher-inference" && Math.abs(c.targetLoss / target - 1) < 1e-7);
    assert.ok(cell, `no prebuilt cell at ${target}`);
    for (const [metric, values, pick] of [
      ["computeRatio", members.map((m) => m.computeRatios[t]), (v: { compute: number }) => v.compute],
      ["dataRatio", members.map((m) => m.dataRatios[t]), (v: { dataTokens: number }) => v.dataTokens],
    ] as const) {
      const expected = widenRatioBand(band(Array.from(values))!, brackets[t].scenario, brackets[t].supervised, pick);
      assert.equal(cell[metric]!.widened, expected.widened, `${metric} at ${target}`);
      const got: { low: number; median: number; high: number; count: number } = cell[metric]!;
      // An unbounded side is written as null in the JSON; its flag says so.
      assert.equal(cell[metric]!.unbounded, expected.unbounded, `${metric} at ${target}`);
      for (const key of expected.unbounded ? ["low", "median"] as const : ["low", "median", "high"] as const) {
        assert.ok(Math.abs(got[key] / expected[key] - 1) < 1e-6, `${metric} ${key} at ${target}: ${got[key]} vs ${expected[key]}`);
      }
      assert.equal(got.count, expected.count);
    }
  });
});

test("target loss page: Figures 33/34 show the prebuilt ribbons, fade what extrapolates, export flags and bands", { skip }, async () => {
  await withSitePage("/target-loss", async (page, diagnostics) => {
    await page.locator('svg[data-bands="drawn"], figure[data-bands="drawn"]').nth(1).waitFor();
    const status = page.locator(".efficiency-band-status");
    assert.equal(await status.getAttribute("data-state"), "prebuilt");
    const members = (await paperEnsemble()).members.length;
    assert.match((await status.textContent()) ?? "", new RegExp(`90% bands over ${members} ensemble members`));
    // A ribbon per student and scenario in both figures, each through its curve's eight targets, from
    // the curve's lowest target to its highest; faded curves under solid inside parts.
    for (const figure of ["#figure33", "#figure34"]) {
      assert.equal(await page.locator(`${figure} g.${EFFICIENCY_MARKS.band} path`).count(), 8 * 4, figure);
    }
    const ribbon = await plottedPoints(page, EFFICIENCY_MARKS.band, 0);
    assert.equal(ribbon.length, 4 * 2 * EFFICIENCY_DEFAULTS.targetsPerCurve);
    const curve = await plottedPoints(page, EFFICIENCY_MARKS.curve, 0);
    const span = (points: { x: number }[]) => [Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x))];
    const [ribbonLow, ribbonHigh] = span(ribbon), [curveLow, curveHigh] = span(curve);
    assert.ok(Math.abs(ribbonLow - curveLow) < 0.01 && Math.abs(ribbonHigh - curveHigh) < 0.01, `ribbons ${ribbonLow}..${ribbonHigh}, curves ${curveLow}..${curveHigh}`);
    const faded = await page.locator(`g.${EFFICIENCY_MARKS.curve}`).first().getAttribute("stroke-opacity");
    assert.equal(Number(faded), 0.32);
    assert.ok(await page.locator(`g.${EFFICIENCY_MARKS.inside} path`).count() > 0);
    // The point download: every row says whether it extrapolates; the count is the caption's.
    const points = await csvOf(page, 0);
    assert.ok(points.columns.includes("extrapolated") && points.columns.includes("validity"));
    const extrapolated = points.filter((d) => d.extrapolated === "true").length;
    assert.ok(extrapolated > 0 && extrapolated < points.length);
    assert.match((await page.locator("#target-validity").textContent()) ?? "", new RegExp(`^${extrapolated} of ${points.length} points extrapolate`));
    assert.ok(points.filter((d) => d.extrapolated === "true").every((d) => /^Extrapolates beyond/.test(d.validity)));
    // The bands download: one row per student, target and scenario, with both ratios' percentiles.
    const bands = await csvOf(page, 1);
    assert.equal(bands.length, 8 * 4 * EFFICIENCY_DEFAULTS.targetsPerCurve);
    for (const column of ["compute_ratio_p05", "compute_ratio_median", "compute_ratio_p95", "data_ratio_p05", "data_ratio_p95", "members_used", "members_unreachable"]) {
      assert.ok(bands.columns.includes(column), column);
    }
    // Ribbons beyond the fitted runs widen, and say so: the download's column, a dotted edge, the status line's count.
    const widened = bands.filter((d) => d.compute_ratio_widened === "true" || d.data_ratio_widened === "true").length;
    assert.ok(widened > 0 && widened < bands.length, `${widened} of ${bands.length}`);
    assert.ok(await page.locator(`#figure33 g.${EFFICIENCY_MARKS.widenedBand} path`).count() > 0);
    assert.match((await status.textContent()) ?? "", new RegExp(`${widened} of ${bands.length} targets' bands are widened beyond the fitted runs`));
    assertCleanLoad(diagnostics);
  });
});

test("target loss page: another student list recomputes the bands in Web Workers, with progress, as the core does", { skip }, async () => {
  await withSitePage("/target-loss", async (page, diagnostics) => {
    await page.locator('svg[data-bands="drawn"], figure[data-bands="drawn"]').first().waitFor();
    await page.getByLabel("Student sizes N_S").fill("500M, 9e9");
    await page.locator('.efficiency-band-status[data-state="computing"] progress').waitFor();
    await page.locator('.efficiency-band-status[data-state="done"]').waitFor({ timeout: 120_000 });
    await page.locator('svg[data-bands="drawn"][data-figure-key$="|500000000,9000000000"], figure[data-bands="drawn"][data-figure-key$="|500000000,9000000000"]').waitFor();
    assert.equal(await page.locator(`#figure33 g.${EFFICIENCY_MARKS.band} path`).count(), 2 * 4);
    // One cell against each member's own solves: 500M, the fourth target, teacher inference.
    const rows = await csvOf(page, 1);
    assert.equal(rows.length, 2 * 4 * EFFICIENCY_DEFAULTS.targetsPerCurve);
    // The grid along the curves the page draws for these students.
    const { rows: points } = efficiencyRows(parseSizes("500M, 9e9").students, { coefficients: TABLE6 });
    const target = efficiencyGrid([5e8, 9e9], curveSpans(points), TABLE6, EFFICIENCY_DEFAULTS.targetsPerCurve).targets[0][1][3];
    const row = rows.find((d) => d.student === "500M" && d.scenario === "teacher-inference" && Math.abs(Number(d.target_loss) / target - 1) < 1e-9);
    assert.ok(row);
    const ratios = (await paperEnsemble()).members.map((m) => {
      const d = targetLossCompute(5e8, target, "teacher-inference", { coefficients: m }), s = targetLossCompute(5e8, target, "supervised", { coefficients: m });
      return d.status === "optimal" && s.status === "optimal" ? d.compute / s.compute : NaN;
    });
    // Beyond the built set's domain the ribbon widens as the target-loss question's ratios, at the point fit's answers in this cell.
    const { domain, outOfDomain } = ((await builtFile("fits")) as { paper: { domain: ValidityDomain | null; outOfDomain: OutOfDomainGrowth | null } }).paper;
    assert.ok(domain && outOfDomain);
    const brackets = efficiencyBrackets(TABLE6, { grid: { studentParameters: [5e8], strategies: ["teacher-inference"], targets: [[[target]]] }, outOfDomain: { domain, growth: outOfDomain } })![0];
    const expected = widenRatioBand(band(ratios)!, brackets.scenario, brackets.supervised, (v) => v.compute);
    assert.equal(row.compute_ratio_widened, String(expected.widened));
    assertClose(row.compute_ratio_p05, expected.low, "p05", bandTolerance(expected));
    assertClose(row.compute_ratio_median, expected.median, "median");
    assertClose(row.compute_ratio_p95, expected.high, "p95", bandTolerance(expected));
    assertCleanLoad(diagnostics);
  });
});

test("target loss page: your own target gets bands over every member, the core's verdict, band columns; bad input at the field", { skip }, async () => {
  const ensemble = await paperEnsemble();
  await withSitePage("/target-loss", async (page, diagnostics) => {
    const view = page.locator('#target-bands[data-state="done"]');
    await view.waitFor();
    assert.equal(Number(await view.getAttribute("data-members")), ensemble.members.length);
    // The page reads "1.82B" as Table 13's model of that name.
    const expected = await ownTargetBands({ studentParameters: table13Model("1.82B")!.N, targetLoss: 2.4, strategies: STRATEGIES }, ensemble);
    assert.equal(await page.locator(".target-verdict").textContent(), expected.verdict.sentence);
    assert.match((await view.textContent()) ?? "", new RegExp(`90% bands over ${ensemble.members.length} parametric-bootstrap samples`));
    assert.match((await view.textContent()) ?? "", /at the point fit's allocation(: (within the box|extrapolates beyond)| also extrapolates: )/);
    // The line under the verdict is the core's, saying only what the verdict does not.
    const { domain } = ((await builtFile("fits")) as { paper: { domain: ValidityDomain | null } }).paper;
    const answers = STRATEGIES.map((s) => {
      const result = targetLossCompute(table13Model("1.82B")!.N, 2.4, s.strategy);
      return { id: s.id, label: s.label, point: result.status === "optimal" ? result : null };
    });
    assert.equal(await page.locator(".target-point-note").textContent(), pointExtrapolationNote(expected.verdict, answers, domain));
    // Bands beyond the fitted runs are widened, labelled so in the table, explained, and flagged in the download.
    const widenedRows = expected.strategies.filter((s) => s.compute?.widened);
    assert.ok(widenedRows.length > 0 && widenedRows.length < expected.strategies.length, "some bands widened (teacher inference, the best case), not all");
    const bandCells = await page.locator("table").filter({ hasText: "Least compute (FLOPs)" }).locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ""));
    assert.equal(bandCells.length, expected.strategies.length);
    for (const [i, s] of expected.strategies.entries()) {
      const shown = bandCells[i];
      assert.ok(shown.includes(s.label), `${s.label}: ${shown}`);
      assert.equal(shown.includes("(widened)"), s.compute!.widened || s.computeRatio!.widened || s.dataRatio!.widened, `${s.id}: ${shown}`);
    }
    assert.match(await view.textContent() ?? "", /Bands marked \(widened\) lie beyond the fitted runs/);
    const headers = await page.locator("table").filter({ hasText: "Least compute (FLOPs)" }).locator("thead th").allTextContents();
    assert.ok(headers.some((h) => h.includes("vs supervised, 90% band")), headers.join(" | "));
    // The download carries the band columns, equal to the core's.
    const rows = await csvOf(page, 2);
    assert.equal(rows.length, 5);
    for (const [i, s] of expected.strategies.entries()) {
      assertClose(rows[i].compute_p05, s.compute!.low, `${s.id} compute p05`, bandTolerance(s.compute!));
      assertClose(rows[i].compute_ratio_p95, s.computeRatio!.high, `${s.id} ratio p95`, bandTolerance(s.computeRatio!));
      assert.equal(rows[i].compute_widened, String(s.compute!.widened), `${s.id} widened`);
      if (s.compute!.widened) assertClose(rows[i].compute_out_of_domain_error, s.compute!.outOfDomainError, `${s.id} added error`, bandTolerance(s.compute!));
      assert.equal(rows[i].verdict, expected.verdict.sentence);
    }
    // A new target supersedes the old bands; bad input is answered at the field and clears them.
    await page.locator('[data-field="target_student"] input').fill("500M");
    await page.locator('#target-bands[data-state="done"][data-key$="|500000000|2.4"]').waitFor();
    const again = await ownTargetBands({ studentParameters: 5e8, targetLoss: 2.4, strategies: STRATEGIES }, ensemble);
    assert.equal(await page.locator(".target-verdict").textContent(), again.verdict.sentence);
    await page.locator('[data-field="target_loss"] input').fill("two");
    await page.waitForFunction(() => document.querySelector('.field-message[data-field="target_loss"]')?.classList.contains("field-error"));
    await page.locator('#target-bands[data-state="input"]').waitFor({ state: "attached" });
    assert.equal(await page.locator(".target-verdict").count(), 0);
    assertCleanLoad(diagnostics);
  });
});
