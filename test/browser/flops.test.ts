// The FLOPs page exercises the whole offline stack: a CSV FileAttachment queried by DuckDB-wasm,
// arquero, Inputs and Plot, all served from dist/.

import assert from "node:assert/strict";
import { test } from "node:test";
import { forwardFlopsPerToken } from "../../src/core/laws/flops.js";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";
import { plottedPoints } from "./plot.js";

const skip = siteSkipReason();

test("flops page: DuckDB reads Table 13 and the core's F(N) matches the paper", { skip }, async () => {
  await withSitePage("/flops", async (page, diagnostics) => {
    const count = page.locator("#sql-row-count");
    await count.waitFor({ timeout: 30_000 });
    assert.equal((await count.textContent())?.trim(), "33");

    const worst = Number(await page.locator("#worst-relative-difference").getAttribute("data-value"));
    assert.ok(worst > 0 && worst < 0.003, `largest relative difference ${worst}`);

    await page.locator("g.flops-table13-models circle").first().waitFor();
    const dots = await plottedPoints(page, "flops-table13-models");
    assert.equal(dots.length, 33);
    // Each paper model sits on (within 0.3% of) the drawn F(N)/2N of the core.
    for (const { x: N, y: ratio } of dots) {
      assert.ok(Math.abs(ratio / (forwardFlopsPerToken(N) / (2 * N)) - 1) < 0.004, `N = ${N}: paper ratio ${ratio}`);
    }
    const curve = await plottedPoints(page, "flops-ratio-curve");
    for (const { x: N, y: ratio } of curve) {
      assert.ok(Math.abs(ratio - forwardFlopsPerToken(N) / (2 * N)) < 0.01, `curve at N = ${N}: ${ratio}`);
    }
    assert.ok((await page.locator("form table tbody tr").count()) > 0, "the comparison table is empty");
    assertCleanLoad(diagnostics);
  });
});
