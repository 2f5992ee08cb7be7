// "Your runs" on a first visit: nothing printed as a bare null, a one-click example with the
// bundled runs, templates to download, drop zones that say what they take, and a file of random
// bytes told apart from a table.

import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";

const skip = siteSkipReason();

test("your runs, first visit: no bare nulls, the bundled runs in one click, templates, and 'not a text file' for bytes", { skip }, async () => {
  await withSitePage("/yourruns", async (page, diagnostics) => {
    await page.locator("#first-try").waitFor();
    assert.equal(await page.locator(".observablehq--null").count(), 0, "a cell shows null");
    const templates = await page.locator("#first-try a[download]").evaluateAll(async (as) =>
      Promise.all(as.map(async (a) => [(a as HTMLAnchorElement).download, await (await fetch((a as HTMLAnchorElement).href)).text()])));
    assert.deepEqual(templates, [["supervised-template.csv", "N,D,L\n"], ["distillation-template.csv", "N_S,D_S,N_T,D_T,L_T,L_S\n"]]);
    assert.match(await page.locator("#load-drop").textContent() ?? "", /drop a coefficient set \(the JSON file/);
    assert.match(await page.locator("#supervised-drop").textContent() ?? "", /drop a CSV or TSV file/);

    await page.locator("#try-bundled").click();
    await page.locator("#supervised-ok").waitFor();
    await page.locator("#distillation-ok").waitFor();
    assert.equal(await page.locator("#build-check-supervised, #build-check-distillation").count(), 0, "a stale CLI message beside a valid file");
    assert.equal(await page.locator("#fit-button[disabled]").count(), 0, "the bundled runs cannot be fitted");

    await page.locator("#supervised-drop-input").setInputFiles({ name: "noise.csv", mimeType: "text/csv", buffer: randomBytes(200_000) });
    await page.locator("#supervised-not-text").waitFor();
    assert.match(await page.locator("#supervised-not-text").textContent() ?? "", /^noise\.csv: not a text file/);
    assert.equal(await page.locator("#supervised-preview").count(), 0, "columns read out of bytes");
    assert.equal(await page.locator(".observablehq--null").count(), 0);
    assertCleanLoad(diagnostics);
  });
});
