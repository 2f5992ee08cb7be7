// The within-domain switch on /planner, /target-loss and /lifetime: toggled, the page shows the
// core's within-domain answer (src/core/domain/withinDomain.ts, checked against brute force in
// test/within-domain.test.ts) beside the unconstrained one, and keeps the switch in the address.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { paperDomain } from "../../src/core/domain/paperDomain.js";
import {
  lifetimeWithinDomain, planWithinDomain, summariseLifetimeWithinDomain, summarisePlanWithinDomain,
  summariseTargetWithinDomain, targetLossWithinDomain, type WithinDomainSummary,
} from "../../src/core/domain/withinDomain.js";
import { STRATEGIES } from "../../src/core/allocation/plan.js";
import { SCENARIOS } from "../../src/core/laws/scenarios.js";
import { lifetimeStrategies } from "../../src/core/questions/lifetime.js";
import { parseStudent } from "../../src/components/state/plannerState.js";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";

const skip = siteSkipReason();

/** A student size as the pages read it (a Table 13 name is that model's exact size). */
function size(text: string): number {
  const parsed = parseStudent(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

/** The rows of a within-domain table as the page wrote them: full-precision numbers from data- attributes. */
async function shownRows(page: Page, id: string, factor: number) {
  await page.locator(`#${id}[data-factor="${factor}"] tbody tr`).first().waitFor();
  return page.locator(`#${id} tbody tr`).evaluateAll((rows) => rows.map((r) => {
    const d = (r as HTMLElement).dataset;
    return { strategy: d.strategy, status: d.status, inside: d.inside, cost: d.cost, feasibleMin: d.feasibleMin };
  }));
}

/** Each shown row equals the core's summary: same status, and the inside value, cost and feasible range to 1e-9. */
function assertSameAsCore(shown: Awaited<ReturnType<typeof shownRows>>, core: readonly WithinDomainSummary[]) {
  assert.equal(shown.length, core.length);
  const close = (text: string | undefined, x: number | null | undefined) =>
    x == null ? text === "" : Math.abs(Number(text) / x - 1) < 1e-9 || Math.abs(Number(text) - x) < 1e-12;
  for (const [i, s] of core.entries()) {
    assert.equal(shown[i].strategy, s.id);
    assert.equal(shown[i].status, s.status, s.id);
    assert.ok(close(shown[i].inside, s.inside), `${s.id}: inside ${shown[i].inside} against ${s.inside}`);
    assert.ok(close(shown[i].cost, s.cost), `${s.id}: cost ${shown[i].cost} against ${s.cost}`);
    assert.ok(close(shown[i].feasibleMin, s.feasible?.minimum), `${s.id}: feasible ${shown[i].feasibleMin} against ${s.feasible?.minimum}`);
  }
}

test("planner: the within-domain switch shows the core's constrained plan and its cost, and stays in the address", { skip }, async () => {
  await withSitePage("/planner?student=143.4M&budget=1e21", async (page, diagnostics) => {
    await page.locator("#allocation-table").waitFor();
    await page.locator('#plan-within-domain[data-status="off"]').waitFor({ state: "attached" });
    await page.getByLabel("Also inside the fitted runs").first().check();
    const strategies = STRATEGIES.map((s) => s.id);
    assertSameAsCore(await shownRows(page, "plan-within-domain", 1),
      summarisePlanWithinDomain(planWithinDomain(size("143.4M"), 1e21, strategies, paperDomain())));
    await page.locator('[data-field="within_factor"] input').fill("2");
    assertSameAsCore(await shownRows(page, "plan-within-domain", 2),
      summarisePlanWithinDomain(planWithinDomain(size("143.4M"), 1e21, strategies, paperDomain(), { factor: 2 })));
    // Some strategy fits inside and some does not at this budget: both kinds of row are shown.
    const statuses = new Set((await shownRows(page, "plan-within-domain", 2)).map((r) => r.status));
    assert.deepEqual([...statuses].sort(), ["inside", "none inside"]);
    await page.waitForFunction(() => location.search.includes("within=on") && location.search.includes("within_factor=2"));
    await page.locator('[data-field="within_factor"] input').fill("0.5");
    await page.waitForFunction(() => document.querySelector('.field-message[data-field="within_factor"]')?.classList.contains("field-error"));
    assertCleanLoad(diagnostics);
  });
  // Reopened from the address, the switch and factor come back.
  await withSitePage("/planner?student=1.82B&budget=1e21&within=on&within_factor=1", async (page, diagnostics) => {
    assertSameAsCore(await shownRows(page, "plan-within-domain", 1),
      summarisePlanWithinDomain(planWithinDomain(size("1.82B"), 1e21, STRATEGIES.map((s) => s.id), paperDomain())));
    assertCleanLoad(diagnostics);
  });
});

test("target loss: the within-domain switch shows the core's least compute inside the fitted runs", { skip }, async () => {
  await withSitePage("/target-loss?target_student=1B&target_loss=2.3", async (page, diagnostics) => {
    await page.locator('#target-within-domain[data-status="off"]').waitFor({ state: "attached" });
    await page.getByLabel("Also inside the fitted runs").first().check();
    const strategies = [{ id: "supervised", label: "Supervised", strategy: "supervised" as const }, ...SCENARIOS.map((s) => ({ id: s.id, label: s.label, strategy: s.id }))];
    assertSameAsCore(await shownRows(page, "target-within-domain", 1),
      summariseTargetWithinDomain(targetLossWithinDomain(size("1B"), 2.3, strategies, paperDomain())));
    // A target below every floor inside: the page gives the lowest target that has an allocation inside.
    await page.locator('[data-field="target_student"] input').fill("143.4M");
    await page.locator('[data-field="target_loss"] input').fill("2.5");
    await page.locator('#target-within-domain tr[data-status="none inside"]').first().waitFor();
    assertSameAsCore(await shownRows(page, "target-within-domain", 1),
      summariseTargetWithinDomain(targetLossWithinDomain(size("143.4M"), 2.5, strategies, paperDomain())));
    assert.match((await page.locator("#target-within-domain").textContent()) ?? "", /Targets from 2\.5127 nats up have one/);
    await page.waitForFunction(() => location.search.includes("within=on"));
    assertCleanLoad(diagnostics);
  });
});

test("lifetime: the within-domain switch shows the core's best students inside the fitted runs", { skip }, async () => {
  await withSitePage("/lifetime?lifetime_target=2.3&lifetime_served=1e12", async (page, diagnostics) => {
    await page.locator("#lifetime-summary").waitFor();
    await page.getByLabel("Also inside the fitted runs").first().check();
    const question = { targetLoss: 2.3 };
    assertSameAsCore(await shownRows(page, "lifetime-within-domain", 1),
      summariseLifetimeWithinDomain(lifetimeWithinDomain(question, 1e12, lifetimeStrategies(4, "per-student"), paperDomain()), question));
    await page.waitForFunction(() => location.search.includes("within=on"));
    assertCleanLoad(diagnostics);
  });
});

test("lifetime budget: with nothing inside, the page gives the core's range of lifetime budgets that have an answer inside", { skip }, async () => {
  const query = new URLSearchParams({ lifetime_question: "lifetime budget", lifetime_budget: "1e24", lifetime_served: "1e12", within: "on" });
  await withSitePage(`/lifetime?${query}`, async (page, diagnostics) => {
    await page.locator("#lifetime-summary").waitFor();
    const question = { budget: 1e24 };
    const core = summariseLifetimeWithinDomain(lifetimeWithinDomain(question, 1e12, lifetimeStrategies(4, "per-student"), paperDomain()), question);
    assert.ok(core.every((s) => s.status === "none inside" && s.feasible !== null && s.feasible.maximum! < 1e24));
    const shown = await shownRows(page, "lifetime-within-domain", 1);
    assertSameAsCore(shown, core);
    const maxima = await page.locator("#lifetime-within-domain tbody tr").evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.feasibleMax)));
    for (const [i, s] of core.entries()) assert.ok(Math.abs(maxima[i] / s.feasible!.maximum! - 1) < 1e-9, `${s.id}: ${maxima[i]}`);
    const notes = (await page.locator("#lifetime-within-domain .within-domain-notes").textContent()) ?? "";
    for (const s of core) assert.ok(notes.includes(s.sentence), `${s.id}: ${s.sentence}`);
    assert.match(notes, /too large a budget\)\. Budgets from [\d.e]+ FLOPs to [\d.e]+ FLOPs have one\./);
    assertCleanLoad(diagnostics);
  });
});
