// The FLOPs page exercises the whole offline stack: a CSV FileAttachment queried by DuckDB-wasm,
// arquero, Inputs and Plot, all served from dist/.

import assert from "node:assert/strict";
import { test } from "node:test";
import { flopsModel, forwardFlopsPerToken } from "../../src/core/laws/flops.js";
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

test("flops page: the architecture comes from the address and goes back to it", { skip }, async () => {
  const query = new URLSearchParams({ n_vocab: "50304", rho_ffn: "4", n_ctx: "8192" });
  await withSitePage(`/flops?${query}`, async (page, diagnostics) => {
    await page.locator("g.flops-ratio-curve").waitFor({ timeout: 120_000 });
    assert.equal(await page.getByLabel("Vocabulary n_vocab").inputValue(), "50304");
    assert.equal(await page.getByLabel("ρ_ffn = d_ff/d_model").inputValue(), "4");
    assert.equal(await page.getByLabel("Context n_ctx").inputValue(), "8192");
    // The curve is drawn with the address's architecture.
    const model = flopsModel({ nVocab: 50304, rhoFfn: 4, nCtx: 8192 });
    for (const { x: N, y: ratio } of await plottedPoints(page, "flops-ratio-curve")) {
      assert.ok(Math.abs(ratio - forwardFlopsPerToken(N, model) / (2 * N)) < 0.01, `curve at N = ${N}: ${ratio}`);
    }
    // A change goes back to the address; every field is written, so the link survives changed defaults.
    await page.getByLabel("GQA group size g_size").fill("8");
    await page.waitForFunction(() => new URLSearchParams(location.search).get("g_size") === "8");
    const written = new URL(page.url()).searchParams;
    assert.deepEqual(
      ["n_ctx", "n_vocab", "rho_model", "g_size", "n_ffn", "rho_ffn"].map((k) => written.get(k)),
      ["8192", "50304", "128", "8", "3", "4"]);
    // A field that cannot be read draws the paper's value, and the address says so.
    await page.getByLabel("Context n_ctx").fill("lots");
    await page.waitForFunction(() => new URLSearchParams(location.search).get("n_ctx") === "4096");
    assert.equal(new URL(page.url()).searchParams.get("n_vocab"), "50304");
    assertCleanLoad(diagnostics);
  });
  // Reopened from the address written, the page shows the same architecture.
  await withSitePage("/flops?n_ctx=4096&n_vocab=50304&rho_model=128&g_size=8&n_ffn=3&rho_ffn=4", async (page, diagnostics) => {
    await page.locator("g.flops-ratio-curve").waitFor({ timeout: 120_000 });
    assert.equal(await page.getByLabel("GQA group size g_size").inputValue(), "8");
    assert.equal(await page.locator("#flops-architecture").getAttribute("data-n-vocab"), "50304");
    assertCleanLoad(diagnostics);
  });
});
