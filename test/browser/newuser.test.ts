// What a new user stumbled on, checked in Chromium on the built site: the favicon,
// faceted charts at phone width, the settings of every page in its address, the planner on a
// phone and its one field parser, the read-only runs browser, and the printed report.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";
import { figureKey, waitForNewFigure } from "./plot.js";
import { INPUT_LIMITS } from "../../src/core/inputs/inputLimits.js";

const skip = siteSkipReason();
const PHONE = { width: 390, height: 844 };

// Runs in the page (as source text: see plot.ts). For every Plot svg: the boxes of its tick labels
// and facet headings, pairs of them that overlap, and any text cut by the svg's edges.
const TEXT_PROBLEMS = `() => {
  const problems = [];
  const svgs = Array.from(document.querySelectorAll("svg[class^='plot']")).filter((svg) => svg.getBoundingClientRect().width > 100);
  for (const [n, svg] of svgs.entries()) {
    const frame = svg.getBoundingClientRect();
    const labels = [...svg.querySelectorAll("g[aria-label$='tick label'] text, g.facet-heading text")]
      .map((t) => ({text: t.textContent, box: t.getBoundingClientRect()}))
      .filter((d) => d.box.width > 0);
    for (const d of labels) {
      if (d.box.left < frame.left - 1 || d.box.right > frame.right + 1) problems.push("svg " + n + ": '" + d.text + "' is cut by the edge");
    }
    for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i].box, b = labels[j].box;
      const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
      if (overlap) problems.push("svg " + n + ": '" + labels[i].text + "' overlaps '" + labels[j].text + "'");
    }
  }
  return {count: svgs.length, problems};
}`;

async function textProblems(page: Page): Promise<{ count: number; problems: string[] }> {
  return page.evaluate(`(${TEXT_PROBLEMS})()`) as Promise<{ count: number; problems: string[] }>;
}

test("a favicon is linked and served: no request for it fails", { skip }, async () => {
  await withSitePage("/", async (page, diagnostics) => {
    const href = await page.locator('link[rel="icon"]').getAttribute("href");
    assert.ok(href, "no icon link");
    const response = await page.request.get(new URL(href, page.url()).href);
    assert.equal(response.status(), 200);
    assert.match(response.headers()["content-type"] ?? "", /svg/);
    assertCleanLoad(diagnostics);
  });
});

// Every page with a faceted chart, and the facets it must show.
const FACETED: Record<string, { selector: string; facets: number }> = {
  "/figure8": { selector: "g.figure8-supervised", facets: 4 },
  "/allocations": { selector: "g.allocation-line", facets: 3 },
  "/capacity-gap": { selector: "g.capacity-facets-curve", facets: 2 },
  "/contours": { selector: "g.contour-bands", facets: 6 },
  "/report": { selector: "g.figure8-supervised", facets: 4 },
  "/planner": { selector: "g.sweep-lines", facets: 3 },
};

for (const [path, { selector }] of Object.entries(FACETED)) {
  test(`${path} at 390 px: faceted charts wrap, no tick label or heading overlaps or is cut`, { skip }, async () => {
    await withSitePage(path, async (page, diagnostics) => {
      await page.locator(selector).first().waitFor({ timeout: 60_000 });
      const desktop = await textProblems(page);
      assert.deepEqual(desktop.problems, [], "at desktop width");
      await page.setViewportSize(PHONE);
      // resize() redraws on the next frame; the figure key (where a page has one) changes only
      // with the inputs, so wait for the chart's width instead.
      await page.waitForFunction(() => Array.from(document.querySelectorAll("svg[class^='plot']")).every((svg) => svg.getBoundingClientRect().width <= 390));
      await page.waitForTimeout(300);
      const phone = await textProblems(page);
      assert.ok(phone.count > 0);
      assert.deepEqual(phone.problems, [], "at 390 px");
      // The page itself does not scroll sideways because of a chart.
      const overflow = await page.evaluate(() => Array.from(document.querySelectorAll("svg[class^='plot']")).filter((svg) => svg.getBoundingClientRect().right > window.innerWidth + 1).length);
      assert.equal(overflow, 0);
      assertCleanLoad(diagnostics);
    });
  });
}

test("Figure 8 at 390 px: one facet a row, headings apart; the SVG export keeps the desktop layout", { skip }, async () => {
  await withSitePage("/figure8", async (page, diagnostics) => {
    await page.locator("g.figure8-supervised").first().waitFor();
    await page.setViewportSize(PHONE);
    await page.locator("g.facet-heading text").first().waitFor();
    const headings = await page.locator("g.facet-heading text").allTextContents();
    assert.deepEqual(headings, ["N_S = 198M", "N_S = 546M", "N_S = 975M", "N_S = 1.82B"]);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator(".export-buttons-figure").first().getByRole("button", { name: "SVG" }).click(),
    ]);
    const { readFile } = await import("node:fs/promises");
    const svg = await readFile((await download.path())!, "utf8");
    const width = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1]);
    assert.ok(width >= 960, `exported width ${width}`);
    assert.ok(!svg.includes("facet-heading"), "the export is wrapped, not the desktop layout");
    assert.match(svg, /FLOPs: Eq\. 69/);
    assert.match(svg, /Coefficients: Paper \(Table 6\)/);
    assertCleanLoad(diagnostics);
  });
});

test("Figure 8's settings are in the address: a link reopens the view, edits are written back", { skip }, async () => {
  await withSitePage("/figure8?students=546M%2C%203e9&per_decade=5&coefficients=paper", async (page, diagnostics) => {
    await page.locator("#figure8-crossovers tbody tr").first().waitFor();
    assert.equal(await page.getByLabel("Student sizes N_S").inputValue(), "546M, 3e9");
    const students = await page.locator("#figure8-crossovers tbody tr").evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute("data-student-parameters"))));
    // One row per student and crossover scenario (best case, teacher inference).
    assert.deepEqual([...new Set(students)], [0.546e9, 3e9]);
    assert.match(await page.locator("[data-figure-key]").getAttribute("data-figure-key") ?? "", /^paper\|5\|/);
    const key = await figureKey(page);
    await page.getByLabel("Student sizes N_S").fill("1.82B");
    await waitForNewFigure(page, key);
    await page.waitForFunction(() => new URLSearchParams(location.search).get("students") === "1.82B");
    // A size out of range is refused at the field with the range; the address keeps the last good list.
    await page.getByLabel("Student sizes N_S").fill("1.82B, 999T");
    await page.locator('.field-error[data-field="students"]').waitFor();
    assert.match(await page.locator('.field-error[data-field="students"]').textContent() ?? "", /“999T” is too large: a student size is accepted from 1M to 100T parameters/);
    assert.equal(new URL(page.url()).searchParams.get("students"), "1.82B");
    assertCleanLoad(diagnostics);
  });
});

test("the index page states the ranges the planner enforces", { skip }, async () => {
  await withSitePage("/", async (page, diagnostics) => {
    const row = page.locator('#input-limits tr[data-limit="studentParameters"]');
    assert.equal(Number(await row.getAttribute("data-min")), INPUT_LIMITS.studentParameters.min);
    assert.equal(Number(await row.getAttribute("data-max")), INPUT_LIMITS.studentParameters.max);
    assert.match(await row.textContent() ?? "", /1M to 100T parameters/);
    assertCleanLoad(diagnostics);
  });
  await withSitePage("/planner?student=999T", async (page, diagnostics) => {
    const message = page.locator('.field-error[data-field="student"]');
    await message.waitFor();
    assert.match(await message.textContent() ?? "", /“999T” is too large: a student size is accepted from 1M to 100T parameters/);
    assertCleanLoad(diagnostics);
  });
});

test("planner: 1e400 is too large, the sweep refuses 1e40 as the budget field does", { skip }, async () => {
  await withSitePage("/planner?budget=1e400&sweep_budgets=1e21%2C1e40", async (page, diagnostics) => {
    await page.locator("#allocation-table").waitFor();
    assert.match(await page.locator('.field-error[data-field="budget"]').textContent() ?? "", /^⚠?\s*“1e400” is too large/);
    const sweep = await page.locator('.field-error[data-field="sweep_budgets"]').textContent() ?? "";
    await page.getByLabel("Budget C, FLOPs").fill("1e40");
    await page.waitForFunction(() => /1e40/.test(document.querySelector('.field-error[data-field="budget"]')?.textContent ?? ""));
    assert.equal(sweep, await page.locator('.field-error[data-field="budget"]').textContent());
    // No sweep row computes a loss for the refused budget.
    assert.equal(await page.locator("#sweep-table").getByText("1e40").count(), 0);
    assertCleanLoad(diagnostics);
  });
});

test("planner at 390 px: strategy, L_S* and vs supervised in view; hints under stacked labels are not indented", { skip }, async () => {
  await withSitePage("/planner", async (page, diagnostics) => {
    await page.setViewportSize(PHONE);
    await page.locator("#allocation-table").waitFor();
    const right = (field: string) => page.locator(`#allocation-table thead th[data-field="${field}"]`).evaluate((e) => e.getBoundingClientRect().right);
    for (const field of ["L_S", "L_S_minus_supervised"]) assert.ok(await right(field) <= PHONE.width, `${field} is off-screen`);
    const hint = page.locator('.field-message[data-field="student"]');
    const input = page.locator('[data-field="student"] input');
    const [hintLeft, inputLeft] = [await hint.evaluate((e) => e.getBoundingClientRect().left), await input.evaluate((e) => e.getBoundingClientRect().left)];
    assert.ok(Math.abs(hintLeft - inputLeft) < 2, `hint at ${hintLeft}, input at ${inputLeft}`);
    assertCleanLoad(diagnostics);
  });
});

test("planner: a synthetic set is named once in the heading; an overtrained teacher points to the teachers page", { skip }, async () => {
  await withSitePage("/planner?coefficients=refit%3Apaper-synthetic&student=7.75B&budget=1e20", async (page, diagnostics) => {
    const heading = page.locator(".plan-heading");
    await heading.waitFor();
    const text = (await heading.textContent()) ?? "";
    assert.equal(text.match(/synthetic/gi)?.length, 2, text);
    assertCleanLoad(diagnostics);
  });
  // The default plan (1.82B, 1e22) overtrains the teacher-inference teacher to D_T = 1e17.
  await withSitePage("/planner", async (page, diagnostics) => {
    await page.locator("#allocation-table").waitFor();
    const bound = await page.locator('#allocation-table tr[data-strategy="teacher-inference"] td[data-field="D_T"].at-bound').count();
    const link = page.locator("li.teachers-link a");
    assert.equal(bound, 1);
    assert.equal(await link.count(), bound, "the link appears exactly when D_T* sits on its bound");
    {
      await link.click();
      await page.locator("#teacher-table").waitFor();
      assert.match(await page.locator("#teacher-table").textContent() ?? "", /Proposed N_T\*/);
    }
    assertCleanLoad(diagnostics);
  });
});

test("runs browser: writes refused, a failed query clears the last result, y labels not clipped", { skip }, async () => {
  await withSitePage("/runs", async (page, diagnostics) => {
    await page.locator("#sql-status").waitFor({ timeout: 60_000 });
    assert.equal(await page.locator(".export-buttons-table").count() > 0, true);
    const box = page.locator("textarea").first();
    await box.fill("DROP TABLE distillation");
    await page.getByRole("button", { name: "Run query" }).click();
    await page.locator("#sql-error").waitFor();
    assert.match(await page.locator("#sql-error").textContent() ?? "", /read-only: this query changed the tables of its own scratch copy/);
    await page.locator("#sql-no-result").waitFor();
    // The previous result and its CSV button are gone (the grouping section further down has its own).
    const status = await page.locator("#sql-status").count();
    assert.equal(status, 0);
    await box.fill("SELECT count(*) AS n FROM distillation");
    await page.getByRole("button", { name: "Run query" }).click();
    await page.locator("#sql-status").waitFor();
    assert.equal(await page.locator("#sql-status").getAttribute("data-rows"), "1");

    await box.fill("SELECT N_S, relative_residual * 0.1 + 0.002 AS y FROM distillation LIMIT 200");
    await page.getByRole("button", { name: "Run query" }).click();
    await page.locator("g.runs-scatter").waitFor();
    const { problems } = await textProblems(page);
    assert.deepEqual(problems, []);
    assertCleanLoad(diagnostics);
  });
});

/** Pages of a PDF: its page objects (Chromium writes them uncompressed). */
function pdfPages(bytes: Buffer): number {
  return bytes.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
}

test("the printed report leads with the reader's plan, hides inputs, and fits its main content on 4 A4 pages", { skip }, async () => {
  await withSitePage("/report?student=546M&budget=3e21&coefficients=paper", async (page, diagnostics) => {
    await page.locator("g.figure8-supervised").first().waitFor({ timeout: 60_000 });
    await page.locator("g.capacity-facets-curve").first().waitFor({ timeout: 60_000 });
    const heading = page.locator("#report-plan .plan-heading");
    assert.equal(Number(await heading.getAttribute("data-student")), 0.546e9);
    assert.equal(Number(await heading.getAttribute("data-budget")), 3e21);
    assert.match(await page.locator("#report-verdict").textContent() ?? "", /Verdict/);
    // The plan comes first: before any figure.
    const order = await page.evaluate(() => {
      const plan = document.querySelector("#report-plan")!, figure = document.querySelector(".report-figure")!;
      return Boolean(plan.compareDocumentPosition(figure) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(order, "the plan is not ahead of the figures");
    await page.emulateMedia({ media: "print" });
    const hidden = await page.evaluate(() => Array.from(document.querySelectorAll(".report-inputs, .export-buttons")).every((e) => getComputedStyle(e).display === "none"));
    assert.ok(hidden, "inputs or buttons would print");
    const whole = await page.pdf({ format: "A4", printBackground: false });
    // The main content: everything but the coefficients appendix.
    await page.evaluate(() => document.querySelector(".report-appendix")?.remove());
    const main = await page.pdf({ format: "A4", printBackground: false });
    const [wholePages, mainPages] = [pdfPages(whole), pdfPages(main)];
    console.log(`report: ${mainPages} A4 pages of main content, ${wholePages} with the appendix`);
    assert.ok(mainPages >= 2 && mainPages <= 4, `main content on ${mainPages} pages`);
    assert.ok(wholePages <= mainPages + 1);
    // Each figure with its caption stays on one page.
    const breaks = await page.evaluate(() => Array.from(document.querySelectorAll(".report-figure")).map((e) => getComputedStyle(e).breakInside));
    assert.ok(breaks.length >= 5 && breaks.every((d) => d === "avoid"), breaks.join());
    assertCleanLoad(diagnostics);
  });
});

test("teachers: rank labels readable and clear of each other, of the dots, of the L_T* label and of the supervised label", { skip }, async () => {
  await withSitePage("/teachers", async (page, diagnostics) => {
    await page.locator("g.teacher-gap-labels text").first().waitFor();
    const boxes = await page.evaluate(() => Array.from(document.querySelectorAll("g.teacher-gap-labels text, g.teacher-gap-optimum-label text, g.teacher-gap-optimum circle, g.teacher-gap-teachers circle"))
      .map((e) => {
        const r = e.getBoundingClientRect();
        return { text: e.tagName === "text" ? e.textContent ?? "" : "dot", fill: getComputedStyle(e).fill, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }));
    const labels = boxes.filter((b) => b.text !== "dot");
    assert.ok(labels.length >= 5);
    // A halo drawn without a fill leaves the text invisible.
    for (const label of labels) assert.notEqual(label.fill, "none", `'${label.text}' has no fill`);
    for (const a of labels) for (const b of boxes) {
      if (a === b) continue;
      const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
      assert.ok(!overlap, `'${a.text}' overlaps '${b.text}'`);
    }
    assertCleanLoad(diagnostics);
  });
});

test("flops: the size axis says B, as the rest of the site, and the N column header is whole", { skip }, async () => {
  await withSitePage("/flops", async (page, diagnostics) => {
    await page.locator("g.flops-ratio-curve").waitFor({ timeout: 120_000 });
    const ticks = await page.locator("g[aria-label='x-axis tick label'] text").allTextContents();
    assert.ok(ticks.includes("1B") && ticks.includes("10B"), ticks.join(" "));
    assert.ok(!ticks.some((t) => /G$/.test(t)), ticks.join(" "));
    const header = await page.locator("form table thead th").evaluateAll((ths) => ths.map((th) => ({ text: th.textContent, cut: th.scrollWidth > th.clientWidth + 1 })));
    assert.deepEqual(header.filter((h) => h.cut), []);
    assertCleanLoad(diagnostics);
  });
});
