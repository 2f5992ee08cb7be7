// Downloads and inputs a new user missed: the capacity-gap and FLOPs figures export, the FLOPs
// curve follows the architecture typed, and the scenarios' worked example downloads as CSV.

import { test } from "node:test";
import assert from "node:assert/strict";
import { csvParse } from "d3-dsv";
import { flopsModel, forwardFlopsPerToken } from "../../src/core/laws/flops.js";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";
import { assertFigureExports, csvLines } from "./download.js";
import { plottedPoints } from "./plot.js";

const skip = siteSkipReason();

test("/ exports its capacity-gap figure as SVG and PNG", { skip }, async () => {
  await withSitePage("/", async (page, diagnostics) => {
    await page.locator("g.capacity-gap-curve").waitFor();
    await assertFigureExports(page, page.locator(".export-buttons-figure").first(), "Capacity gap: a", "Teacher cross-entropy");
    assertCleanLoad(diagnostics);
  });
});

test("/flops: the curve follows the architecture typed, a bad field is named, and the figure exports", { skip }, async () => {
  await withSitePage("/flops", async (page, diagnostics) => {
    await page.locator("g.flops-ratio-curve").waitFor({ timeout: 120_000 });
    await page.getByLabel("Vocabulary n_vocab").fill("50304");
    await page.waitForFunction(() => (document.querySelector("#flops-architecture") as HTMLElement | null)?.dataset.nVocab === "50304");
    await page.waitForTimeout(500);
    const model = flopsModel({ nVocab: 50304 });
    const curve = await plottedPoints(page, "flops-ratio-curve");
    assert.ok(curve.length > 100);
    for (const { x: N, y: ratio } of curve) {
      assert.ok(Math.abs(ratio - forwardFlopsPerToken(N, model) / (2 * N)) < 0.01, `curve at N = ${N}: ${ratio}`);
    }
    await page.getByLabel("Context n_ctx").fill("lots");
    await page.locator("#flops-architecture .field-error").waitFor();
    assert.match(await page.locator("#flops-architecture").textContent() ?? "", /Context n_ctx: .*lots.*the paper’s value is used/);
    await assertFigureExports(page, page.locator(".export-buttons-figure").first(), "Eq. 69's FLOPs per token against 2N", "F(N) / 2N");
    assertCleanLoad(diagnostics);
  });
});

test("/scenarios downloads the worked example: every feasible scenario spends exactly the budget", { skip }, async () => {
  await withSitePage("/scenarios?student=546M&budget=3e21", async (page, diagnostics) => {
    await page.locator("#worked-example tbody tr").first().waitFor();
    const rows = csvParse((await csvLines(page, page.locator(".export-buttons-table").first())).join("\n"));
    assert.equal(rows.length, await page.locator("#worked-example tbody tr").count());
    const feasible = rows.filter((r) => r.infeasible === "");
    assert.ok(feasible.length >= 2);
    for (const r of feasible) {
      assert.equal(Number(r.student_parameters), 0.546e9);
      const terms = Number(r.student_training_flops) + Number(r.teacher_logits_flops) + Number(r.teacher_pretraining_flops);
      assert.ok(Math.abs(terms / Number(r.total_flops) - 1) < 1e-12, `${r.scenario}: terms ${terms}, total ${r.total_flops}`);
      assert.ok(Math.abs(Number(r.total_flops) / 3e21 - 1) < 1e-6, `${r.scenario}: total ${r.total_flops}`);
    }
    assertCleanLoad(diagnostics);
  });
});

/** Cells of the tables in `root` whose text is cut (wider than the cell shows). */
async function cutCells(page: import("playwright-core").Page, root: string): Promise<string[]> {
  return page.locator(`${root} td, ${root} th`).evaluateAll((cells) => cells
    .filter((c) => (c as HTMLElement).scrollWidth > (c as HTMLElement).clientWidth + 1)
    .map((c) => c.textContent ?? ""));
}

test("/target-loss's D.5 table and /runs' protocol column show their text whole", { skip }, async () => {
  await withSitePage("/target-loss", async (page, diagnostics) => {
    await page.getByText("Student, target").first().waitFor({ timeout: 120_000 });
    const table = page.locator("form:has(th:text('Student, target'))");
    assert.deepEqual(await cutCells(page, "form:has(th:text('Student, target'))"), []);
    assert.ok(await table.locator("tbody tr").count() > 0);
    assertCleanLoad(diagnostics);
  });
  await withSitePage("/runs", async (page, diagnostics) => {
    await page.locator("#sql-status").waitFor({ timeout: 60_000 });
    const box = page.locator("textarea").first();
    await box.fill("SELECT protocol, count(*) AS n FROM supervised GROUP BY protocol ORDER BY protocol");
    await page.getByRole("button", { name: "Run query" }).click();
    await page.waitForFunction(() => Array.from(document.querySelectorAll("td")).some((td) => /fixed-M/.test(td.textContent ?? "")));
    const cut = await cutCells(page, "form");
    assert.deepEqual(cut.filter((t) => /fixed|protocol/.test(t)), []);
    assertCleanLoad(diagnostics);
  });
});
