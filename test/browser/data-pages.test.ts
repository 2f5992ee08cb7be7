// The data pages: Figure 6/14 contours, laws and fits (Table 6, Figure 5) and the SQL runs browser.
// What they draw is checked against the core and against the build's own fits.json and run CSVs.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { csvParse } from "d3";
import { TABLE6, distilledLoss, supervisedLoss } from "../../src/core/laws/laws.js";
import { TABLE6_INTERVALS, TABLE6_RUNS } from "../../src/core/laws/table6Intervals.js";
import { CONTOUR_MARKS } from "../../src/components/charts/contours.js";
import { FITS_MARKS, formatCoefficient } from "../../src/components/charts/fitsCharts.js";
import { UNDETERMINED_RATIO } from "../../src/components/charts/outOfDomainCharts.js";
import { quantile } from "d3";
import { implausibility } from "../../src/core/ensemble/plausibleMembers.js";
import type { EnsembleMember } from "../../src/core/ensemble/ensemble.js";
import { DIST_DIR, assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";
import { figureKey, plottedPoints, waitForNewFigure } from "./plot.js";

const skip = siteSkipReason();

/** A file the build wrote from the fits.zip loader, e.g. "fits.json" -> dist/_file/data/fits/fits.<hash>.json. */
function builtFitsFile(name: string): string {
  const folder = join(DIST_DIR, "_file", "data", "fits");
  const [stem, extension] = [name.slice(0, name.lastIndexOf(".")), name.slice(name.lastIndexOf(".") + 1)];
  const file = readdirSync(folder).find((f) => f.startsWith(`${stem}.`) && f.endsWith(`.${extension}`));
  if (!file) throw new Error(`the build wrote no ${name} under ${folder}`);
  return readFileSync(join(folder, file), "utf8");
}

const xLabel = (page: Page) => page.locator('[data-figure-key] g[aria-label="x-axis label"] text').first().textContent();
const bandPaths = (page: Page) => page.locator(`[data-figure-key] g.${CONTOUR_MARKS.bands} path`).evaluateAll((paths) => paths.map((p) => p.getAttribute("d")).join("|"));

test("contours page: the zero contour is where Eq. 8 meets Eq. 1, and the figure follows its inputs", { skip }, async () => {
  await withSitePage("/contours", async (page, diagnostics) => {
    await page.locator(`[data-figure-key] g.${CONTOUR_MARKS.bands} path`).first().waitFor({ timeout: 30_000 });
    assert.equal(await figureKey(page), "paper|tokens|paper-synthetic");

    // The first panel is the 198M teacher (Table 13: 1.983e8 parameters, D_T = 20 N_T) with Table 6.
    const NT = 1.983e8;
    const LT = supervisedLoss(TABLE6.supervised, NT, 20 * NT);
    const zero = await plottedPoints(page, CONTOUR_MARKS.zero, 0);
    // Contour rings also run along the panel's edges; only the interior points lie on L_S = L~_S.
    const interior = zero.filter(({ x, y }) => x > 1.2e9 && x < 0.8e13 && y > 1.2e8 && y < 1.6e10);
    assert.ok(interior.length > 20, `the zero contour of the first panel has ${interior.length} interior points`);
    for (const { x: DS, y: NS } of interior) {
      const difference = distilledLoss(TABLE6, NS, DS, LT) - supervisedLoss(TABLE6.supervised, NS, DS);
      assert.ok(Math.abs(difference) < 0.01, `L_S - L~_S = ${difference} at D_S = ${DS}, N_S = ${NS} on the drawn zero contour`);
    }
    // The teacher-size line of the first panel sits at N_T.
    const rule = await plottedPoints(page, CONTOUR_MARKS.teacher, 0);
    assert.ok(Math.abs(rule[0].y / NT - 1) < 0.02, `teacher line at ${rule[0].y}`);

    // Every run listed per teacher is drawn.
    const listed = await page.locator("table").first().locator("tbody tr td:last-child").allTextContents();
    const expectedDots = listed.map(Number).reduce((a, b) => a + b, 0);
    assert.ok(expectedDots > 0, "no runs matched the fixed-M teachers");
    assert.equal(await page.locator(`[data-figure-key] g.${CONTOUR_MARKS.runs} circle`).count(), expectedDots);

    // The SVG export names the coefficients; the teachers' CSV carries the core's L_T.
    const svgDownload = page.waitForEvent("download");
    await page.locator(".card .export-buttons-figure button", { hasText: "SVG" }).first().click();
    const svg = readFileSync(await (await svgDownload).path(), "utf8");
    assert.match(svg, /Coefficients: Paper \(Table 6\)/);
    assert.match(svg, /SYNTHETIC runs of/);
    const csvDownload = page.waitForEvent("download");
    await page.locator(".export-buttons-table button", { hasText: "CSV" }).first().click();
    const teacherRows = csvParse(readFileSync(await (await csvDownload).path(), "utf8"));
    assert.equal(teacherRows.length, 6);
    for (const row of teacherRows) {
      assert.ok(Math.abs(Number(row.L_T) - supervisedLoss(TABLE6.supervised, Number(row.N_T), Number(row.D_T))) < 1e-12, `L_T of ${row.teacher}`);
    }

    // Figure 14: the x axis becomes student compute.
    assert.match((await xLabel(page)) ?? "", /Student tokens D_S/);
    const tokensBands = await bandPaths(page);
    let before = await figureKey(page);
    await page.getByLabel("Student compute 3F(N_S)D_S (Figure 14)").check();
    assert.equal(await waitForNewFigure(page, before), "paper|compute|paper-synthetic");
    assert.match((await xLabel(page)) ?? "", /Student compute 3F\(N_S\)·D_S \(FLOPs\)/);
    assert.match(await page.locator(".card h2").first().textContent() ?? "", /Figure 14/);
    assert.notEqual(await bandPaths(page), tokensBands);

    // Another coefficient set redraws the contours.
    const paperBands = await bandPaths(page);
    before = await figureKey(page);
    await page.locator("form select").first().selectOption({ index: 1 });
    const key = await waitForNewFigure(page, before);
    // The key starts with the set's id, the same "refit:<data set id>" the planner keeps in its URL.
    assert.match(key, /^refit:paper-synthetic\|compute\|/);
    assert.notEqual(await bandPaths(page), paperBands, "switching coefficient set left the contours unchanged");
    assertCleanLoad(diagnostics);
  });
});

test("fits page: Table 6 shows the paper's values and the build's refits, and Figure 5 the extrapolation fit", { skip }, async () => {
  const fits = JSON.parse(builtFitsFile("fits.json"));
  const dataset = fits.datasets[0];
  await withSitePage("/fits", async (page, diagnostics) => {
    const table = page.locator(`#table6-${dataset.id}`);
    await table.waitFor({ timeout: 30_000 });
    const cells = await table.locator("td[data-source]").evaluateAll((tds) => tds.map((td) => ({
      source: td.getAttribute("data-source"), law: td.getAttribute("data-law"), coefficient: td.getAttribute("data-coefficient"),
      value: td.getAttribute("data-value"), outside: td.getAttribute("data-paper-outside"), text: td.textContent ?? "",
    })));
    // 10 rows (A/A' ... d1) with 6 supervised and 9 distillation coefficients, plus the runs row.
    assert.equal(cells.filter((c) => c.source === "paper").length, 6 + 9 + 2);
    for (const c of cells) {
      const law = c.law as "supervised" | "distillation";
      if (c.coefficient === "runs") {
        assert.equal(Number(c.value), c.source === "paper" ? TABLE6_RUNS[law] : dataset.runs[law]);
        continue;
      }
      if (c.source === "paper") {
        const paper = (TABLE6[law] as unknown as Record<string, number>)[c.coefficient!];
        const interval = (TABLE6_INTERVALS[law] as Record<string, { lower: number; upper: number }>)[c.coefficient!];
        assert.equal(Number(c.value), paper, `${law} ${c.coefficient}`);
        assert.ok(c.text.includes(String(interval.lower)) || c.text.includes(interval.lower.toFixed(3)), `${law} ${c.coefficient}: ${c.text} lacks ${interval.lower}`);
      } else {
        const refit = dataset[law].fit.coefficients[c.coefficient!];
        assert.equal(Number(c.value), refit, `${law} ${c.coefficient} refit`);
        const interval = dataset[law].bootstrap?.intervals[c.coefficient!];
        const paper = (TABLE6[law] as unknown as Record<string, number>)[c.coefficient!];
        if (interval) assert.equal(c.outside, String(paper < interval.lower || paper > interval.upper), `${law} ${c.coefficient} flag`);
      }
    }

    // The extrapolation sentence states fits.json's errors.
    const summary = page.locator("#extrapolation-summary");
    assert.equal(Number(await summary.getAttribute("data-supervised-max")), dataset.extrapolation.supervised.maxRelativeError);
    assert.equal(Number(await summary.getAttribute("data-distillation-mean")), dataset.extrapolation.distillation.meanRelativeError);
    assert.match(await summary.textContent() ?? "", new RegExp(`${(100 * dataset.extrapolation.supervised.maxRelativeError).toFixed(2)}%`));

    // Figure 5a: one dot per supervised run, at (observed L, extrapolation fit's L(N, D)).
    const runs = csvParse(builtFitsFile("supervised-runs.csv")).filter((d) => d.dataset === dataset.id);
    await page.locator(`g.${FITS_MARKS.points} path`).first().waitFor();
    const dots = await page.locator(`g.${FITS_MARKS.points}`).first().locator("path").count();
    assert.equal(dots, runs.length);
    const identity = await plottedPoints(page, FITS_MARKS.identity, 0);
    for (const { x, y } of identity) assert.ok(Math.abs(x - y) < 0.01, `y = x line drawn through (${x}, ${y})`);
    const extrapolated = dataset.extrapolation.supervised.coefficients;
    const predictions = runs.map((d) => ({ observed: Number(d.L), predicted: supervisedLoss(extrapolated, Number(d.N), Number(d.D)) }));
    const ys = await plottedPoints(page, FITS_MARKS.points, 0);
    assert.equal(ys.length, runs.length);
    for (const { x, y } of ys) {
      const match = predictions.find((p) => Math.abs(p.observed - x) < 4e-3 && Math.abs(p.predicted - y) < 4e-3);
      assert.ok(match, `no run predicted at (${x}, ${y}) by the extrapolation fit`);
    }
    assertCleanLoad(diagnostics);
  });
});

test("fits page: the out-of-domain growth states fits.json's slopes; the spread table shows each ensemble's percentiles", { skip }, async () => {
  const fits = JSON.parse(builtFitsFile("fits.json"));
  const dataset = fits.datasets[0];
  const growth = [...dataset.outOfDomain.supervised, ...(dataset.outOfDomain.distillation ?? [])];
  assert.ok(growth.length >= 4, `${growth.length} directions measured`);
  assert.ok(fits.paper.outOfDomain, "Table 6 carries the growth of the paper's design");
  await withSitePage("/fits", async (page, diagnostics) => {
    const slopes = page.locator("#out-of-domain-slopes");
    await slopes.waitFor({ timeout: 30_000 });
    const text = await slopes.textContent() ?? "";
    for (const g of growth) assert.ok(text.includes(`${g.law} along ${g.direction}: ${(100 * g.slope).toFixed(2)}%`), `${g.law} ${g.direction} in: ${text}`);
    // Table 6's parametric ensemble: the 5th and 95th percentiles (d3's quantile, as the core's intervals) of beta'.
    const betas = fits.paper.ensemble.members.map((m: { distillation: { beta: number } }) => m.distillation.beta);
    const low = quantile(betas, 0.05)!, high = quantile(betas, 0.95)!;
    const rows = await page.locator("table.spread tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent ?? "")));
    assert.equal(rows.length, 6 + 9);
    const beta = rows.find((r) => r[0] === "beta′")!;
    assert.ok(beta[2].includes(formatCoefficient(low)) && beta[2].includes(formatCoefficient(high)), `beta' spread ${beta[2]} vs ${low}..${high}`);
    assert.equal(beta[2].includes("not determined by the runs"), high / low > UNDETERMINED_RATIO);
    // The implausible members the loader left out, counted with the unusable ones, with the first reason.
    const paperEnsemble = fits.paper.ensemble;
    const body = await page.locator("main").textContent() ?? "";
    assert.ok(body.includes(`${paperEnsemble.implausible} of Table 6’s parametric ${paperEnsemble.requested} resamples (first: ${paperEnsemble.implausibleReason})`), body);
    assert.ok(body.includes(`${dataset.ensemble.implausible} implausible (predicting the impossible where a plan can go`), "the data set's implausible count");
    assertCleanLoad(diagnostics);
  });
});

test("fits.json: the loader left implausible members out of every ensemble and counted them with the unusable ones", { skip }, () => {
  const fits = JSON.parse(builtFitsFile("fits.json"));
  for (const [name, ensemble, domain] of [["paper", fits.paper.ensemble, fits.paper.domain], ...fits.datasets.map((d: { id: string; ensemble: unknown; domain: unknown }) => [d.id, d.ensemble, d.domain])]) {
    assert.equal(typeof ensemble.implausible, "number", `${name}: implausible counted`);
    assert.ok(ensemble.implausible <= ensemble.leftOut, `${name}: ${ensemble.implausible} implausible of ${ensemble.leftOut} left out`);
    assert.equal(ensemble.members.length + ensemble.leftOut, ensemble.requested, name);
    assert.ok(ensemble.members.length >= 200, `${name}: ${ensemble.members.length} members`);
    // Checked again from scratch, every kept member is plausible.
    const again = ensemble.members.filter((m: EnsembleMember) => implausibility(m, { domain }) !== null).length;
    assert.equal(again, 0, `${name}: ${again} kept members implausible`);
  }
});

test("runs page: DuckDB counts the runs, shows its error for a bad query, and arquero groups them", { skip }, async () => {
  const distillationRows = csvParse(builtFitsFile("distillation-runs.csv")).length;
  await withSitePage("/runs", async (page, diagnostics) => {
    // The default example (count by protocol) runs on load.
    await page.locator("#sql-status").waitFor({ timeout: 30_000 });
    const textarea = page.locator("form textarea");
    await textarea.fill("SELECT count(*) AS n FROM distillation");
    await page.getByRole("button", { name: "Run query" }).click();
    await page.waitForFunction(() => document.querySelector("#sql-status")?.getAttribute("data-rows") === "1");
    const n = page.locator("form table tbody tr").first().locator("td").last();
    await page.waitForFunction((expected) => Array.from(document.querySelectorAll("form table tbody td")).some((td) => td.textContent?.replace(/,/g, "").trim() === expected), String(distillationRows));
    assert.equal(Number((await n.textContent())?.replace(/,/g, "")), distillationRows);

    // An example query about one teacher returns that teacher's runs.
    await page.locator("form select").first().selectOption({ label: "Runs of one teacher (1.82B, D_T = 20 N_T)" });
    const teacherRuns = csvParse(builtFitsFile("distillation-runs.csv")).filter((d) => Math.round(Number(d.N_T) / 1e6) === 1821 && Math.round(Number(d.D_T) / Number(d.N_T)) === 20).length;
    await page.waitForFunction((expected) => document.querySelector("#sql-status")?.getAttribute("data-rows") === expected, String(teacherRuns));

    // A bad query shows DuckDB's own message in the page.
    await textarea.fill("SELEC N_S FROM distillation");
    await page.getByRole("button", { name: "Run query" }).click();
    const error = page.locator("#sql-error");
    await error.waitFor();
    assert.match(await error.textContent() ?? "", /Parser Error: syntax error at or near "SELEC"/);
    await textarea.fill("SELECT no_such_column FROM distillation");
    await page.getByRole("button", { name: "Run query" }).click();
    await page.waitForFunction(() => /no_such_column/.test(document.querySelector("#sql-error")?.textContent ?? ""));
    assert.match(await error.textContent() ?? "", /Binder Error/);

    // The arquero summary has one row per protocol of the default data set.
    const protocols = new Set(csvParse(builtFitsFile("distillation-runs.csv")).map((d) => `${d.dataset}|${d.protocol}`)).size;
    const grouped = page.locator("table").filter({ hasText: "Mean |residual|" }).locator("tbody tr");
    assert.equal(await grouped.count(), protocols);
    assertCleanLoad(diagnostics);
  });
});
