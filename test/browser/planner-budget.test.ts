// The planner's budget, typed in FLOPs or in GPU-hours: the field not in use shows the other's
// value converted at the throughput given (an H100 at the default 40% delivers 395.6 TFLOP/s).

import { test } from "node:test";
import assert from "node:assert/strict";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";

const skip = siteSkipReason();
const DELIVERED = 989e12 * 0.4;

test("planner: the greyed budget field shows the budget in use converted, and switching carries it over", { skip }, async () => {
  await withSitePage("/planner", async (page, diagnostics) => {
    await page.locator("#allocation-table").waitFor();
    const hours = page.getByLabel("Budget, GPU-hours");
    const flops = page.getByLabel("Budget C, FLOPs");
    // Opening: 1e22 FLOPs typed; the hours field reads 1e22 / (395.6e12 x 3600) = 7,022 hours.
    assert.ok(await hours.isDisabled());
    assert.equal(await hours.inputValue(), `${Number((1e22 / DELIVERED / 3600 / 1e3).toPrecision(4))}k`);
    assert.doesNotMatch(await page.locator('.field-message[data-field="gpu_hours"]').textContent() ?? "", /= 1e22 FLOPs/);
    // Switch to GPU-hours and type 50000: the FLOPs field reads 50000 x 3600 x 395.6e12 = 7.121e22.
    await page.getByRole("radio", { name: "GPU-hours" }).check();
    await hours.fill("50000");
    await page.waitForFunction(() => Number((document.querySelector("#allocation-table") as HTMLElement | null)?.dataset.budget) > 7e22);
    assert.ok(await flops.isDisabled());
    assert.equal(await flops.inputValue(), "7.121e22");
    assert.equal(Number(await page.locator("#allocation-table").getAttribute("data-budget")), 50000 * 3600 * DELIVERED);
    // A budget that cannot be read: the other field is empty rather than stale.
    await hours.fill("lots");
    await page.locator('.field-error[data-field="gpu_hours"]').waitFor();
    assert.equal(await flops.inputValue(), "");
    assertCleanLoad(diagnostics);
  });
});
