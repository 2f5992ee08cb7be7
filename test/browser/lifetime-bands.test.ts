// The lifetime page's bands on the built site: every member of Table 6's ensemble answers the
// question in the page's workers after the point answer has painted; the bands, shares, verdict
// and members equal the core's in Node for the same ensemble, for both questions; a newer input
// supersedes a running request; the U-curve draws each minimum's N_S* interval; the download
// carries the band columns; the page loads cleanly and still answers bad input at the field.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { csvParse } from "d3-dsv";
import type { Page } from "playwright-core";
import { TABLE6 } from "../../src/core/laws/laws.js";
import { lifetimeAnswer, lifetimeStrategies, type LifetimeQuestion } from "../../src/core/questions/lifetime.js";
import { lifetimeUncertainty, type LifetimeUncertainty } from "../../src/core/uncertainty/lifetimeUncertainty.js";
import type { CoefficientEnsemble } from "../../src/core/ensemble/ensemble.js";
import type { ValidityDomain } from "../../src/core/domain/validity.js";
import type { OutOfDomainGrowth } from "../../src/core/domain/outOfDomain.js";
import { LIFETIME_MARKS } from "../../src/components/charts/lifetimeCharts.js";
import { DIST_DIR, assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";
import { csvLines } from "./download.js";

const skip = siteSkipReason();

/** Table 6's set as the build ships it (fits.json's `paper`). */
function builtPaperSet(): { ensemble: CoefficientEnsemble; domain: ValidityDomain | null; outOfDomain: OutOfDomainGrowth | null } {
  const folder = join(DIST_DIR, "_file/data/fits");
  const name = readdirSync(folder).find((f) => /^fits\.[0-9a-f]+\.json$/.test(f))!;
  return JSON.parse(readFileSync(join(folder, name), "utf8")).paper;
}

const builtPaperEnsemble = () => builtPaperSet().ensemble;

/**
 * The core's bands (widened beyond the runs by the built set's growth) and extrapolation-aware
 * verdict in Node for the page's default strategies (k = 4, logits per student).
 */
function expectedBands(question: LifetimeQuestion, served: number, ensemble: CoefficientEnsemble): LifetimeUncertainty {
  const strategies = lifetimeStrategies(4);
  const { domain, outOfDomain: growth } = builtPaperSet();
  const point = lifetimeAnswer(question, served, strategies, { coefficients: TABLE6 });
  const outOfDomain = domain && growth ? { domain, growth } : null;
  return lifetimeUncertainty({ question, servedTokens: served, strategies, outOfDomain }, point, ensemble, { domain, coefficients: TABLE6 });
}

interface ShownBands {
  verdict: string;
  share: number;
  members: number;
  leftOut: number;
  rows: Record<string, unknown>[];
}

/** Waits until the bands of the answer with this key are shown, and reads them. */
async function shownBands(page: Page, key: string): Promise<ShownBands> {
  await page.waitForFunction((k) => {
    const status = document.querySelector("#lifetime-verdict") as HTMLElement | null;
    const view = document.querySelector("#lifetime-bands") as HTMLElement | null;
    return status?.dataset.state === "done" && status.dataset.answerKey === k && view?.dataset.status === "done" && view.dataset.answerKey === k;
  }, key, { timeout: 90_000 });
  return page.evaluate(() => {
    const sentence = document.querySelector(".lifetime-verdict-sentence") as HTMLElement;
    const members = document.querySelector(".lifetime-members") as HTMLElement;
    const rows = Array.from(document.querySelectorAll(".lifetime-bands-table tbody tr") as NodeListOf<HTMLElement>).map((tr) => {
      const out: Record<string, unknown> = { id: tr.dataset.strategy };
      for (const td of Array.from(tr.querySelectorAll("td[data-field]") as NodeListOf<HTMLElement>)) {
        if (td.dataset.low !== undefined) {
          out[td.dataset.field!] = {
            low: Number(td.dataset.low), high: Number(td.dataset.high), median: Number(td.dataset.median),
            widened: td.dataset.widened !== undefined, labelled: (td.textContent ?? "").includes("(widened)"),
          };
        }
        else if (td.dataset.value !== undefined) out[td.dataset.field!] = Number(td.dataset.value);
      }
      return out;
    });
    return {
      verdict: sentence.textContent!, share: Number(sentence.dataset.share),
      members: Number(members.dataset.members), leftOut: Number(members.dataset.leftOut), rows,
    } as never;
  });
}

// Chromium and Node round the last bit of pow/exp/log differently: objectives agree to ~1e-12,
// argmins (N_S*) only to ~1e-5 relative.
const close = (a: number, b: number, relative: number) => Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b), 1e-300);

function assertBandsMatch(shown: ShownBands, expected: LifetimeUncertainty, ensemble: CoefficientEnsemble): void {
  assert.equal(shown.members, ensemble.members.length, "every member of the ensemble");
  assert.equal(expected.members, ensemble.members.length);
  assert.equal(shown.leftOut, ensemble.leftOut);
  assert.ok(shown.verdict.includes(expected.verdict.sentence), `${shown.verdict}\nvs\n${expected.verdict.sentence}`);
  const top = expected.verdict.shares[0];
  assert.equal(shown.share, top.share);
  const target = expected.comparison === "ratio";
  const fields: [string, "studentParameters" | "tokensPerParameter" | "lifetimeFlops" | "studentLoss" | "versusSupervised", number][] = [
    ["N_S", "studentParameters", 1e-4], ["tokens_per_parameter", "tokensPerParameter", 1e-4],
    target ? ["flops_lifetime", "lifetimeFlops", 1e-7] : ["L_S", "studentLoss", 1e-9],
    [target ? "flops_lifetime_ratio_to_supervised" : "L_S_minus_supervised", "versusSupervised", 1e-6],
  ];
  expected.strategies.forEach((s, i) => {
    const row = shown.rows[i];
    assert.equal(row.id, s.id);
    for (const [field, key, tolerance] of fields) {
      const b = s[key];
      if (b === null) continue;
      const got = row[field] as { low: number; high: number; median: number; widened: boolean; labelled: boolean } | undefined;
      assert.ok(got, `${s.id} ${field}: no band shown`);
      const widened = (b as { widened?: boolean }).widened === true;
      assert.equal(got.widened, widened, `${s.id} ${field} widened`);
      assert.equal(got.labelled, widened, `${s.id} ${field} labelled (widened)`);
      for (const q of ["low", "high", "median"] as const) {
        const ok = key === "versusSupervised" && !target ? Math.abs(got[q] - b[q]) < 1e-9 : close(got[q], b[q], tolerance);
        assert.ok(ok, `${s.id} ${field} ${q}: page ${got[q]}, Node ${b[q]}`);
      }
    }
    if (s.shareBeatingSupervised !== null) assert.equal(row.share_beating_supervised, s.shareBeatingSupervised, `${s.id} share`);
    assert.equal(row.members, s.used);
  });
}

test("lifetime page: bands and verdict over all of Table 6's ensemble for both questions, equal to the core's", { skip }, async () => {
  const ensemble = builtPaperEnsemble();
  assert.ok(ensemble.members.length >= 200, "the build carries Table 6's ensemble");
  const target = expectedBands({ targetLoss: 2.3 }, 1e12, ensemble);
  const budget = expectedBands({ budget: 1e22 }, 1e12, ensemble);
  await withSitePage("/lifetime", async (page, diagnostics) => {
    // The point answer first, with the progress of the bands beside it.
    await page.locator("#lifetime-summary").waitFor();
    const key = (await page.locator("#lifetime-summary").getAttribute("data-answer-key"))!;
    assertBandsMatch(await shownBands(page, key), target, ensemble);
    assert.match(await page.locator(".lifetime-members").textContent() ?? "", /90% bands over \d+ parametric-bootstrap samples .*; \d+ of \d+ left out as unusable/);
    // Each strategy's minimum on the U-curve carries its N_S* interval.
    await page.waitForFunction((c) => document.querySelectorAll(`g.${c} line`).length === 4, LIFETIME_MARKS.interval);
    // The download carries the band columns, the verdict and the members.
    const lines = await csvLines(page, page.locator(".export-buttons-table").first());
    const csv = csvParse(lines.join("\n"));
    assert.equal(csv.length, 4);
    for (const column of ["N_S_p05", "N_S_p95", "tokens_per_parameter_median", "flops_lifetime_p05", "flops_lifetime_ratio_to_supervised_p95", "share_beating_supervised", "members_used", "members_unreachable", "members_left_out", "verdict"]) {
      assert.ok(csv.columns.includes(column), column);
    }
    assert.equal(csv[0].verdict, target.verdict.sentence);
    assert.ok(close(Number(csv[1].N_S_p05), target.strategies[1].studentParameters!.low, 1e-4));

    // Serving 1e14 tokens trains every student on thousands of tokens per parameter, beyond the runs:
    // the lifetime FLOPs bands widen, are labelled so and explained, and the download says so.
    const far = expectedBands({ targetLoss: 2.3 }, 1e14, ensemble);
    assert.ok(far.strategies.every((s) => s.lifetimeFlops?.widened), "every row beyond the runs");
    await page.locator('[data-field="lifetime_served"] input').fill("1e14");
    await page.waitForFunction(() => document.querySelector("#lifetime-summary")?.getAttribute("data-answer-key")?.includes("|100000000000000|"));
    assertBandsMatch(await shownBands(page, (await page.locator("#lifetime-summary").getAttribute("data-answer-key"))!), far, ensemble);
    assert.match(await page.locator(".lifetime-widened-note").textContent() ?? "", /Bands marked \(widened\) lie beyond the fitted runs/);
    const farCsv = csvParse((await csvLines(page, page.locator(".export-buttons-table").first())).join("\n"));
    assert.ok(farCsv.every((row) => row.flops_lifetime_widened === "true"));
    assert.ok(close(Number(farCsv[0].flops_lifetime_out_of_domain_error), far.strategies[0].lifetimeFlops!.outOfDomainError, 1e-9));
    await page.locator('[data-field="lifetime_served"] input').fill("1e12");

    // The converse; a second budget typed while the first one's bands run supersedes them.
    await page.getByRole("radio", { name: "lifetime budget" }).check();
    await page.locator('[data-field="lifetime_budget"] input').fill("3e22");
    await page.waitForFunction(() => (document.querySelector("#lifetime-verdict") as HTMLElement | null)?.dataset.state === "computing");
    await page.locator('[data-field="lifetime_budget"] input').fill("1e22");
    await page.waitForFunction(() => document.querySelector("#lifetime-summary")?.getAttribute("data-answer-key")?.includes("|lifetime budget|1e+22|"));
    const budgetKey = (await page.locator("#lifetime-summary").getAttribute("data-answer-key"))!;
    assertBandsMatch(await shownBands(page, budgetKey), budget, ensemble);
    const budgetCsv = csvParse((await csvLines(page, page.locator(".export-buttons-table").first())).join("\n"));
    for (const column of ["L_S_p05", "L_S_minus_supervised_p95"]) assert.ok(budgetCsv.columns.includes(column), column);

    // Bad input is still answered at the field, and no bands are pending for it.
    await page.locator('[data-field="lifetime_served"] input').fill("many");
    await page.waitForFunction(() => document.querySelector('.field-message[data-field="lifetime_served"]')?.classList.contains("field-error"));
    assert.match(await page.locator('.field-message[data-field="lifetime_served"]').textContent() ?? "", /Tokens served: “many” is not a number/);
    await page.waitForFunction(() => document.querySelector("#lifetime-verdict") === null && (document.querySelector("#lifetime-bands") as HTMLElement | null)?.dataset.status === "none");
    assertCleanLoad(diagnostics);
  });
});
