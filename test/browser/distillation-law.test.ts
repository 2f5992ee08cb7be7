// A coefficient set fitted to supervised runs only, stored in this browser, on /planner (and the
// report it links to), /target-loss and /lifetime: by default the supervised row alone and, where the distillation rows
// would be, why they are absent; with "Borrow Table 6's distillation law" every distillation row
// and the verdict say whose law it is (verdict kind "borrowed", as the CLI's); the choice stays in
// the address. The core's rule and the CLI's agreement are tested in test/distillation-law-choice.test.ts.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";
import { storeRecord } from "./storage.js";
import { TABLE6 } from "../../src/core/laws/laws.js";
import { STRATEGIES } from "../../src/core/allocation/plan.js";
import { SCENARIOS } from "../../src/core/laws/scenarios.js";
import { BORROWED_DISTILLATION_NOTE } from "../../src/core/ensemble/borrowedLaw.js";
import { BORROW_DISTILLATION_LABEL } from "../../src/components/sections/distillationLaw.js";

const skip = siteSkipReason();
const ID = "user:supervised-only";
const SET = `coefficients=${encodeURIComponent(ID)}`;
const RECORD = {
  id: ID, name: "supervised only", created: "2026-01-01T00:00:00Z", domain: null,
  fit: {
    supervised: { coefficients: { ...TABLE6.supervised } },
    // A supervised-only fit's members carry Table 6's distillation law, as `npm run fit` writes them.
    ensemble: {
      kind: "bootstrap", description: "three members", requested: 3, leftOut: 0, seed: 1,
      members: [0.99, 1, 1.01].map((scale) => ({ supervised: { ...TABLE6.supervised, A: TABLE6.supervised.A * scale }, distillation: { ...TABLE6.distillation } })),
    },
  },
};
const ABSENT = new RegExp(`^This coefficient set has no distillation law \\(it was fitted to supervised runs only\\), so no distillation row is planned: .*choose “${BORROW_DISTILLATION_LABEL}” under the coefficients\\.$`);
const BORROWED = `(${BORROWED_DISTILLATION_NOTE})`;
const BORROWED_VERDICT = `the distillation rows use ${BORROWED_DISTILLATION_NOTE}, so the members' agreement on them measures nothing`;

/** Stores the supervised-only set from a page of the site, then returns the site's origin. */
async function storeSet(page: Page): Promise<string> {
  await storeRecord(page, ID, RECORD);
  return new URL(page.url()).origin;
}

const text = async (page: Page, selector: string) => (await page.locator(selector).textContent())?.trim() ?? "";

test("planner: a supervised-only set plans the supervised row and says why; borrowing labels every distillation row and the verdict; the choice is in the address", { skip }, async () => {
  await withSitePage("/yourruns", async (page, diagnostics) => {
    const origin = await storeSet(page);
    await page.goto(`${origin}/planner?${SET}&student=1B&budget=1e21`, { waitUntil: "networkidle" });
    await page.locator("#allocation-table").waitFor();
    assert.deepEqual(await page.locator("#allocation-table tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-strategy"))), ["supervised"]);
    assert.match(await text(page, "#plan-distillation-law"), ABSENT);
    assert.equal(await page.locator("#plan-distillation-law").isVisible(), true);
    assert.match(await text(page, "#sweep-distillation-law"), ABSENT);
    assert.match(await text(page, "#questions-distillation-law"), ABSENT);
    // The bands have the supervised row only: no verdict on distillation.
    await page.locator('#plan-uncertainty[data-status="done"]').waitFor();
    assert.deepEqual(await page.locator("#plan-uncertainty tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-strategy"))), ["supervised"]);
    assert.doesNotMatch(await text(page, "#plan-uncertainty .uncertainty-verdict"), /inference|pretraining|best case|Table 6/i);

    await page.getByLabel(BORROW_DISTILLATION_LABEL).first().check();
    await page.waitForFunction(() => document.querySelectorAll("#allocation-table tbody tr").length === 5);
    const labels = await page.locator("#allocation-table tbody tr th").evaluateAll((ths) => ths.map((th) => th.firstChild?.textContent ?? ""));
    assert.deepEqual(labels, STRATEGIES.map((s) => (s.id === "supervised" ? s.label : `${s.label} ${BORROWED}`)));
    assert.equal(await page.locator("#plan-distillation-law").getAttribute("data-law"), "borrowed");
    await page.locator('#plan-uncertainty[data-status="done"] tbody tr[data-strategy="teacher-inference"]').waitFor();
    const verdict = page.locator("#plan-uncertainty .uncertainty-verdict");
    assert.equal(await verdict.getAttribute("data-kind"), "borrowed");
    assert.equal(await verdict.getAttribute("data-winner"), "");
    assert.ok((await verdict.textContent())!.includes(BORROWED_VERDICT), await verdict.textContent() ?? "");
    const bandLabels = await page.locator("#plan-uncertainty tbody tr th").allTextContents();
    assert.deepEqual(bandLabels, labels);
    assert.match(page.url(), /distillation_law=paper/);

    // The address reopens the choice.
    await page.reload({ waitUntil: "networkidle" });
    await page.waitForFunction(() => document.querySelectorAll("#allocation-table tbody tr").length === 5);
    assert.equal(await page.getByLabel(BORROW_DISTILLATION_LABEL).first().isChecked(), true);
    // The printable report leads with the same plan, choice included.
    await page.click("#plan-report");
    await page.locator('#report-verdict[data-status="done"]').waitFor();
    assert.deepEqual(await page.locator("#report-allocation-table tbody tr th").evaluateAll((ths) => ths.map((th) => th.firstChild?.textContent ?? "")), labels);
    assert.ok((await text(page, "#report-verdict")).includes(BORROWED_VERDICT));
    await page.goto(page.url().replace("distillation_law=paper", "distillation_law=none"), { waitUntil: "networkidle" });
    await page.locator('#report-verdict[data-status="done"]').waitFor();
    assert.deepEqual(await page.locator("#report-allocation-table tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-strategy"))), ["supervised"]);
    assert.match(await text(page, "#report-distillation-law"), ABSENT);
    // Table 6 has its own law: the choice is disabled and changes nothing.
    await page.goto(`${origin}/planner?coefficients=paper&student=1B&budget=1e21&distillation_law=paper`, { waitUntil: "networkidle" });
    await page.waitForFunction(() => document.querySelectorAll("#allocation-table tbody tr").length === 5);
    assert.equal(await page.getByLabel(BORROW_DISTILLATION_LABEL).first().isDisabled(), true);
    assert.doesNotMatch(await text(page, "#allocation-table"), /Table 6's distillation law/);
    assertCleanLoad(diagnostics);
  });
});

test("target loss: the supervised row and why distillation is absent; borrowed, every row and the verdict say whose law; the choice is in the address", { skip }, async () => {
  await withSitePage("/yourruns", async (page, diagnostics) => {
    const origin = await storeSet(page);
    await page.goto(`${origin}/target-loss?${SET}&target_student=1B&target_loss=2.4`, { waitUntil: "networkidle" });
    await page.locator('#target-bands[data-state="done"]').waitFor();
    assert.match(await text(page, "#target-distillation-law"), ABSENT);
    assert.match(await text(page, "#figure33-distillation-law"), ABSENT);
    assert.equal(await page.locator("#figure33 svg").count(), 0);
    assert.notEqual(await page.locator("#target-bands").getAttribute("data-verdict"), "borrowed");
    const main = async () => (await page.textContent("main")) ?? "";
    assert.doesNotMatch(await main(), /Teacher inference/);

    await page.getByLabel(BORROW_DISTILLATION_LABEL).first().check();
    await page.locator('#target-bands[data-state="done"][data-verdict="borrowed"]').waitFor();
    assert.ok((await text(page, "#target-bands .target-verdict")).includes(BORROWED_VERDICT));
    for (const { label } of SCENARIOS) assert.ok((await main()).includes(`${label} ${BORROWED}`), label);
    assert.equal(await page.locator("#target-distillation-law").getAttribute("data-law"), "borrowed");
    assert.match(page.url(), /distillation_law=paper/);
    await page.reload({ waitUntil: "networkidle" });
    await page.locator('#target-bands[data-state="done"][data-verdict="borrowed"]').waitFor();
    assert.equal(await page.getByLabel(BORROW_DISTILLATION_LABEL).first().isChecked(), true);
    assertCleanLoad(diagnostics);
  });
});

test("lifetime: the supervised row and why distillation is absent; borrowed, every row and the verdict say whose law; the choice is in the address", { skip }, async () => {
  await withSitePage("/yourruns", async (page, diagnostics) => {
    const origin = await storeSet(page);
    await page.goto(`${origin}/lifetime?${SET}`, { waitUntil: "networkidle" });
    await page.locator("#lifetime-summary").waitFor();
    assert.match(await text(page, "#lifetime-distillation-law"), ABSENT);
    assert.match(await text(page, "#lifetime-summary"), /supervised/);
    await page.locator('#lifetime-bands[data-status="done"]').waitFor();
    assert.deepEqual(await page.locator("#lifetime-bands tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-strategy"))), ["supervised"]);
    assert.notEqual(await page.locator(".lifetime-verdict-sentence").getAttribute("data-kind"), "borrowed");

    await page.getByLabel(BORROW_DISTILLATION_LABEL).first().check();
    await page.locator('.lifetime-verdict-sentence[data-kind="borrowed"]').waitFor();
    assert.ok((await text(page, ".lifetime-verdict-sentence")).includes(BORROWED_VERDICT));
    await page.locator('#lifetime-bands[data-status="done"] tbody tr[data-strategy="existing-teacher"]').waitFor();
    const labels = await page.locator("#lifetime-bands tbody tr th").allTextContents();
    assert.ok(labels.length > 1);
    for (const label of labels) assert.equal(label.endsWith(BORROWED), label !== "Supervised", label);
    assert.match(page.url(), /distillation_law=paper/);
    await page.reload({ waitUntil: "networkidle" });
    await page.locator('.lifetime-verdict-sentence[data-kind="borrowed"]').waitFor();
    assert.equal(await page.getByLabel(BORROW_DISTILLATION_LABEL).first().isChecked(), true);
    assertCleanLoad(diagnostics);
  });
});
