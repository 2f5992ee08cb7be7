// The settings of the target-loss, lifetime, fits, runs and scenarios pages live in the page
// address (components/fieldForm.ts): a link with non-default values reopens the page with them in
// its inputs, and a change to an input is written back to location.search.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";

const skip = siteSkipReason();

const search = (params: Record<string, string>): string => `?${new URLSearchParams(params).toString()}`;

/** Waits until the page's address has `value` for `key`. */
async function addressHas(page: Page, key: string, value: string): Promise<void> {
  await page.waitForFunction(([k, v]) => new URLSearchParams(location.search).get(k) === v, [key, value] as const);
}

/** The text of the selected option of the select inside `selector`. */
async function selectedText(page: Page, selector: string): Promise<string> {
  return page.locator(`${selector} select`).evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent ?? "");
}

test("target-loss page: coefficients, students and the own target come from the address and go back to it", { skip }, async () => {
  const query = search({ coefficients: "refit:paper-synthetic", students: "500M, 10B", target_student: "546M", target_loss: "2.6" });
  await withSitePage(`/target-loss${query}`, async (page, diagnostics) => {
    const timing = page.locator("#target-timing");
    await timing.waitFor();
    assert.match((await timing.getAttribute("data-key")) ?? "", /^refit:paper-synthetic\|/);
    assert.match(await selectedText(page, '[data-field="coefficients"]'), /Fitted to/);
    assert.equal(await page.getByLabel("Student sizes N_S").inputValue(), "500M, 10B");
    assert.equal(await page.locator('[data-field="target_student"] input').inputValue(), "546M");
    assert.equal(await page.locator('[data-field="target_loss"] input').inputValue(), "2.6");
    assert.match((await page.locator('.field-message[data-field="target_student"]').textContent()) ?? "", /parameters/);
    await page.locator('[data-field="target_student"] input').fill("1.82B");
    await addressHas(page, "target_student", "1.82B");
    assert.equal(new URL(page.url()).searchParams.get("students"), "500M, 10B");
    // A field that cannot be read keeps its last good text in the address.
    await page.locator('[data-field="target_loss"] input').fill("0");
    await page.locator('.field-error[data-field="target_loss"]').waitFor();
    assert.equal(new URL(page.url()).searchParams.get("target_loss"), "2.6");
    assertCleanLoad(diagnostics);
  });
});

test("lifetime page: the question and serving form come from the address and go back to it", { skip }, async () => {
  const query = search({
    lifetime_question: "lifetime budget", lifetime_budget: "3e22", lifetime_servedUnit: "tokens per day × days",
    lifetime_perDay: "2e9", lifetime_days: "365", lifetime_k: "8", lifetime_logits: "stored and reused (1/k)",
  });
  await withSitePage(`/lifetime${query}`, async (page, diagnostics) => {
    const summary = page.locator("#lifetime-summary");
    await summary.waitFor();
    assert.equal(await summary.getAttribute("data-answer-key"), `paper|lifetime budget|${3e22}|${2e9 * 365}|8|stored and reused (1/k)`);
    assert.ok(await page.getByLabel("lifetime budget", { exact: true }).isChecked());
    assert.ok(await page.getByLabel("tokens per day × days", { exact: true }).isChecked());
    assert.ok(await page.getByLabel("stored and reused (1/k)", { exact: true }).isChecked());
    assert.equal(await page.locator('[data-field="lifetime_budget"] input').inputValue(), "3e22");
    assert.equal(await page.locator('[data-field="lifetime_days"] input').inputValue(), "365");
    assert.ok(await page.locator('.field[data-field="lifetime_target"]').isHidden());
    assert.ok(await page.locator('.field[data-field="lifetime_served"]').isHidden());
    await page.locator('[data-field="lifetime_k"] input').fill("6");
    await addressHas(page, "lifetime_k", "6");
    assert.equal(new URL(page.url()).searchParams.get("lifetime_question"), "lifetime budget");
    assertCleanLoad(diagnostics);
  });
});

test("fits page: the data set and the residuals' axis come from the address and go back to it", { skip }, async () => {
  await withSitePage(`/fits${search({ dataset: "paper-synthetic", residuals: "tokens" })}`, async (page, diagnostics) => {
    await page.locator("#extrapolation-summary").waitFor();
    assert.match(await selectedText(page, '[data-field="dataset"]'), /paper|synthetic/i);
    assert.ok(await page.getByLabel("tokens (D, D_S)", { exact: true }).isChecked());
    await page.getByLabel("model size (N, N_S)", { exact: true }).check();
    await addressHas(page, "residuals", "size");
    assert.equal(new URL(page.url()).searchParams.get("dataset"), "paper-synthetic");
    assertCleanLoad(diagnostics);
  });
});

test("runs page: the example and the query run come from the address and go back to it", { skip }, async () => {
  const sql = "SELECT 1 AS one, 2 AS two";
  await withSitePage(`/runs${search({ example: "Runs per data set", query: sql })}`, async (page, diagnostics) => {
    const status = page.locator("#sql-status");
    await status.waitFor({ timeout: 60_000 });
    assert.equal(await status.getAttribute("data-rows"), "1");
    assert.equal(await selectedText(page, '[data-field="example"]'), "Runs per data set");
    const box = page.locator('[data-field="query"] textarea');
    assert.equal(await box.inputValue(), sql);
    // An edited query is run by the button and then kept in the address.
    await box.fill("SELECT 1 AS one UNION ALL SELECT 2");
    await page.getByRole("button", { name: "Run query" }).click();
    await addressHas(page, "query", "SELECT 1 AS one UNION ALL SELECT 2");
    await page.waitForFunction(() => document.querySelector("#sql-status")?.getAttribute("data-rows") === "2");
    // Picking an example fills the box with its text, runs it, and both go in the address.
    await page.locator('[data-field="example"] select').selectOption({ label: "Count by protocol" });
    await addressHas(page, "example", "Count by protocol");
    assert.match(await box.inputValue(), /GROUP BY dataset, protocol/);
    assert.match(new URL(page.url()).searchParams.get("query") ?? "", /GROUP BY dataset, protocol/);
    assertCleanLoad(diagnostics);
  });
});

test("scenarios page: the weights come from the address and go back to it, with the planner's inputs", { skip }, async () => {
  await withSitePage(`/scenarios${search({ student: "3B", delta_lgt: "0.5", delta_pre: "0.1" })}`, async (page, diagnostics) => {
    const result = page.locator("#weights-result");
    await result.waitFor();
    assert.equal(await page.locator('[data-field="delta_lgt"] input[type=number]').inputValue(), "0.5");
    assert.equal(await page.locator('[data-field="delta_pre"] input[type=number]').inputValue(), "0.1");
    assert.match((await result.textContent()) ?? "", /one teacher for 10 students/);
    await page.locator('[data-field="delta_pre"] input[type=number]').fill("0.2");
    await addressHas(page, "delta_pre", "0.2");
    await page.waitForFunction(() => /one teacher for 5 students/.test(document.querySelector("#weights-result")?.textContent ?? ""));
    assert.equal(new URL(page.url()).searchParams.get("student"), "3B");
    assert.equal(new URL(page.url()).searchParams.get("delta_lgt"), "0.5");
    assertCleanLoad(diagnostics);
  });
});
