// The planner's bands on the built site: computed in a Web Worker after the point table, equal to
// `npm run plan -- --uncertainty` for the same inputs and the same ensemble (the build's, written
// to a coefficient file), with the verdict, the members used, validity flags per row, bands in
// the sweep chart and in the downloads.

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { csvParse } from "d3-dsv";
import type { Page } from "playwright-core";
import { planAllocations } from "../../src/core/allocation/plan.js";
import { planValidityFlags } from "../../src/core/domain/validity.js";
import type { PlanUncertainty } from "../../src/core/uncertainty/planUncertainty.js";
import { runCommand } from "../cli-helpers.js";
import { DIST_DIR, assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";

const skip = siteSkipReason();

/** The build's fits.json (Table 6's ensemble and domain are in `paper`). */
function builtFits() {
  const folder = join(DIST_DIR, "_file/data/fits");
  const name = readdirSync(folder).find((f) => /^fits\.[0-9a-f]+\.json$/.test(f))!;
  return JSON.parse(readFileSync(join(folder, name), "utf8"));
}

interface ShownBands {
  student: number;
  budget: number;
  verdict: string;
  members: number;
  rows: Record<string, { low: number; high: number; median: number } | number | null>[];
}

async function shownBands(page: Page, student: number, budget: number): Promise<ShownBands> {
  await page.waitForFunction(([N, C]) => {
    const view = document.querySelector("#plan-uncertainty") as HTMLElement | null;
    return view?.dataset.status === "done" && Number(view.dataset.student) === N && Number(view.dataset.budget) === C;
  }, [student, budget], { timeout: 30_000 });
  return page.evaluate(() => {
    const view = document.querySelector("#plan-uncertainty") as HTMLElement;
    const rows = Array.from(view.querySelectorAll(".uncertainty-table tbody tr") as NodeListOf<HTMLElement>).map((tr) => {
      const out: Record<string, unknown> = { strategy: tr.dataset.strategy };
      for (const td of Array.from(tr.querySelectorAll("td[data-field]") as NodeListOf<HTMLElement>)) {
        if (td.dataset.low !== undefined) out[`band:${td.dataset.field}`] = { low: Number(td.dataset.low), high: Number(td.dataset.high), median: Number(td.dataset.median) };
        else if (td.dataset.value !== undefined) out[td.dataset.field!] = Number(td.dataset.value);
      }
      return out;
    });
    return {
      student: Number(view.dataset.student), budget: Number(view.dataset.budget),
      verdict: view.querySelector(".uncertainty-verdict")!.textContent!,
      members: Number((view.querySelector(".uncertainty-members") as HTMLElement).dataset.members),
      rows,
    } as never;
  });
}

// As in planner.test.ts: Chromium and Node round the last bit of pow/exp/log differently, so the
// losses agree to ~1e-12 and argmins (N_T*, D_T*, D_S*) only to ~1e-5 relative.
const close = (a: number, b: number, relative: number) => Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b), 1e-300);

function assertBandsMatch(shown: ShownBands, expected: PlanUncertainty): void {
  assert.equal(shown.verdict, expected.verdict.sentence);
  assert.equal(shown.members, expected.members);
  const fields = [["L_S", "studentLoss", 1e-9], ["L_S_minus_supervised", "differenceToSupervised", 1e-7], ["N_T", "teacherParameters", 1e-4], ["D_T", "teacherTokens", 1e-4], ["D_S", "studentTokens", 1e-4]] as const;
  expected.strategies.forEach((s, i) => {
    const row = shown.rows[i] as Record<string, unknown>;
    assert.equal(row.strategy, s.strategy);
    for (const [field, key, tolerance] of fields) {
      const b = s[key];
      const got = row[`band:${field}`] as { low: number; high: number; median: number } | undefined;
      if (b === null || (key === "differenceToSupervised" && s.strategy === "supervised")) continue;
      assert.ok(got, `${s.strategy} ${field}: no band shown`);
      for (const q of ["low", "high", "median"] as const) {
        // A difference band's ends can be near 0; compare absolutely there.
        const ok = key === "differenceToSupervised" ? Math.abs(got[q] - b[q]) < 1e-9 : close(got[q], b[q], tolerance);
        assert.ok(ok, `${s.strategy} ${field} ${q}: page ${got[q]}, CLI ${b[q]}`);
      }
    }
    if (s.shareBeatingSupervised !== null) assert.equal(row.share_beating_supervised, s.shareBeatingSupervised, `${s.strategy} share`);
    assert.equal(row.members, s.used);
  });
}

test("the planner's bands, shares and verdict equal `npm run plan -- --uncertainty` for the same inputs and ensemble", { skip }, async () => {
  const fits = builtFits();
  assert.ok(fits.paper?.ensemble?.members?.length > 0, "the build carries Table 6's ensemble");
  const folder = mkdtempSync(join(tmpdir(), "planner-bands-"));
  const file = join(folder, "paper.json");
  writeFileSync(file, JSON.stringify({ supervised: fits.paper.supervised, distillation: fits.paper.distillation, ensemble: fits.paper.ensemble, domain: fits.paper.domain, outOfDomain: fits.paper.outOfDomain }));
  const cli = (student: string, budget: string) => {
    const result = runCommand("src/cli/plan.ts", ["--student", student, "--budget", budget, "--coefficients", file, "--uncertainty", "--format", "json"]);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout).uncertainty as PlanUncertainty;
  };
  await withSitePage("/planner", async (page, diagnostics) => {
    const first = await shownBands(page, 1.821e9, 1e22);
    assertBandsMatch(first, cli("1.821e9", "1e22"));
    // A new budget supersedes the bands; the new ones are again the CLI's.
    await page.getByLabel("Budget C, FLOPs", { exact: true }).fill("3e21");
    await page.getByLabel("Budget C, FLOPs", { exact: true }).fill("1e24");
    const second = await shownBands(page, 1.821e9, 1e24);
    assertBandsMatch(second, cli("1.821e9", "1e24"));
    assertCleanLoad(diagnostics);
  });
});

test("the planner shows validity flags per row, progress then bands, sweep bands and bands in the download", { skip }, async () => {
  const fits = builtFits();
  await withSitePage("/planner?student=7.75B&budget=1e24", async (page, diagnostics) => {
    await page.waitForFunction(() => (document.querySelector("#plan") as HTMLElement | null)?.dataset.budget === "1e+24");
    // The flags are the core's for the point rows and the paper's design ("7.75B" is Table 13's 7.747e9).
    const student = Number(await page.locator("#plan").getAttribute("data-student"));
    const rows = planAllocations({ studentParameters: student, budget: 1e24 });
    const shown = await page.locator(".validity-notes li").evaluateAll((lis) => lis.map((li) => ({
      strategy: (li as HTMLElement).dataset.strategy!,
      flags: Array.from(li.querySelectorAll(".validity-flag") as NodeListOf<HTMLElement>).map((f) => ({ variable: f.dataset.variable!, factor: Number(f.dataset.factor), message: f.textContent! })),
    })));
    const expected = rows.map((row) => ({ strategy: row.strategy, flags: planValidityFlags(row, fits.paper.domain) })).filter((r) => r.flags.length);
    assert.deepEqual(shown.map((r) => [r.strategy, r.flags.map((f) => f.variable)]), expected.map((r) => [r.strategy, r.flags.map((f) => f.variable)]));
    // The factors follow the argmins, which Chromium and Node find to ~1e-5 relative.
    shown.forEach((r, i) => r.flags.forEach((f, k) => assert.ok(close(f.factor, expected[i].flags[k].factor, 1e-4), `${r.strategy} ${f.variable}: ${f.factor}`)));
    assert.ok(shown.some((r) => r.flags.some((f) => /^N_T\* = 105B: \d+x the largest fitted teacher$/.test(f.message))), JSON.stringify(shown));
    // Sweep cells carry the same flags as the core gives their plan rows.
    const cells = await page.locator("#sweep-table tbody td[data-strategy][data-value]").evaluateAll((tds) => tds.map((td) => ({
      student: Number((td.parentElement as HTMLElement).dataset.student), budget: Number((td.parentElement as HTMLElement).dataset.budget),
      strategy: (td as HTMLElement).dataset.strategy!, flags: (td as HTMLElement).dataset.flags ?? "",
    })));
    assert.ok(cells.length > 0 && cells.some((c) => c.flags !== ""), "some sweep cells are flagged");
    for (const c of cells) {
      const row = planAllocations({ studentParameters: c.student, budget: c.budget }).find((r) => r.strategy === c.strategy)!;
      assert.equal(c.flags, planValidityFlags(row, fits.paper.domain).map((f) => f.variable).join(","), `${c.student} ${c.budget} ${c.strategy}`);
    }
    const bands = await shownBands(page, student, 1e24);
    assert.match(bands.verdict, /(wins in \d+(\.\d)?% of the \d+ coefficient samples|^Too close to call for these coefficients: .* wins in \d+(\.\d)?% of the \d+ samples)/);
    assert.match(await page.locator(".uncertainty-members").textContent() ?? "", /90% bands over \d+ parametric-bootstrap samples .*; \d+ of \d+ left out as unusable/);
    // The sweep chart draws a band per strategy once its bands are in.
    await page.waitForFunction(() => (document.querySelector("#sweep-bands-status") as HTMLElement | null)?.dataset.status === "done", undefined, { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll("g.sweep-bands path").length >= 5);
    // The plan download carries validity, bands, shares and the verdict.
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#plan-uncertainty ~ * button, #plan-uncertainty + * button").first().click()]);
    const csv = csvParse(await readFile((await download.path())!, "utf8"));
    for (const column of ["validity", "L_S_p05", "L_S_p95", "share_beating_supervised", "members_used", "verdict"]) assert.ok(csv.columns.includes(column), column);
    assert.equal(csv[0].verdict, bands.verdict);
    assertCleanLoad(diagnostics);
  });
});
