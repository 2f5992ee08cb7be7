// The scenarios page: Table 2 is SCENARIOS, and the worked example is Eq. 9 term by term for the
// planner's inputs (from the address, or from what the planner last showed in this browser).

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { SCENARIOS, distillationFlops } from "../../src/core/laws/scenarios.js";
import { flopsModel, type FlopsModel } from "../../src/core/laws/flops.js";
import { planAllocations } from "../../src/core/allocation/plan.js";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";

const skip = siteSkipReason();

async function assertWorkedExample(page: Page, N: number, C: number, flops: FlopsModel): Promise<void> {
  await page.waitForFunction(([n, c]) => {
    const p = document.querySelector("#example-inputs") as HTMLElement | null;
    return p !== null && Number(p.dataset.student) === n && Number(p.dataset.budget) === c;
  }, [N, C]);
  const rows = planAllocations({ studentParameters: N, budget: C, flops });
  for (const scenario of SCENARIOS) {
    const row = rows.find((r) => r.strategy === scenario.id)!;
    const tr = page.locator(`#worked-example tr[data-scenario="${scenario.id}"]`);
    if (row.error) {
      assert.match(await tr.textContent() ?? "", /infeasible: /);
      continue;
    }
    const expected = distillationFlops({ studentParameters: N, studentTokens: row.studentTokens!, teacherParameters: row.teacherParameters!, teacherTokens: row.teacherTokens! }, scenario, flops);
    for (const term of ["studentTraining", "teacherLogits", "teacherPretraining", "total"] as const) {
      const shown = Number(await tr.locator(`td[data-term="${term}"] b`).getAttribute("data-value"));
      // The allocation is the optimiser's argmin, reproduced in Node to ~1e-6 (see planner.test.ts).
      assert.ok(Math.abs(shown - expected[term]) <= 1e-5 * C, `${scenario.id} ${term}: shown ${shown}, core ${expected[term]}`);
    }
    // Every feasible allocation spends exactly the budget.
    assert.ok(Math.abs(Number(await tr.locator('td[data-term="total"] b').getAttribute("data-value")) / C - 1) < 1e-9);
  }
}

test("scenarios page: Table 2 is the optimiser's list of scenarios", { skip }, async () => {
  await withSitePage("/scenarios", async (page, diagnostics) => {
    const rows = await page.locator("#scenario-table tbody tr").evaluateAll((trs) => trs.map((tr) =>
      Array.from(tr.children).map((cell) => cell.textContent?.trim())));
    assert.deepEqual(rows.map((r) => [r[0], Number(r[1]), Number(r[2]), r[4]]),
      SCENARIOS.map((s) => [s.label, s.deltaLogits, s.deltaPretraining, s.meaning]));
    // No planner state in a fresh browser: the planner's defaults.
    await assertWorkedExample(page, 1.821e9, 1e22, flopsModel());
    assertCleanLoad(diagnostics);
  });
});

test("scenarios page: the worked example follows the address, then the planner's last inputs", { skip }, async () => {
  await withSitePage("/scenarios?student=546M&budget=3e21&flops=2N", async (page, diagnostics) => {
    await assertWorkedExample(page, 0.546e9, 3e21, flopsModel({ form: "2N" }));
    // Use the planner, then come back without an address: the page shows the planner's plan.
    await page.goto(new URL("/planner", page.url()).href, { waitUntil: "networkidle" });
    await page.getByLabel("Budget C, FLOPs", { exact: true }).fill("4e21");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("budget") === "4e21");
    await page.goto(new URL("/scenarios", page.url()).href, { waitUntil: "networkidle" });
    await assertWorkedExample(page, 1.821e9, 4e21, flopsModel());
    assertCleanLoad(diagnostics);
  });
});
