// The report of a plan, on screen and printed to A4 in Chromium: it carries the verdict, the
// bands and shares, and the validity notes the planner shows for the same address; the PDF has
// no near-empty page and no chart text drawn over another.

import { test } from "node:test";
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import type { Page } from "playwright-core";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";
import { layout, settle } from "./layout.js";

const skip = siteSkipReason();
const PLAN = "?student=546M&budget=3e21&coefficients=paper";

interface Bands { verdict: string; shares: Record<string, string>; validity: string }

/** The verdict sentence, the share per strategy and the validity notes shown in `root`. */
async function shownBands(page: Page, root: string): Promise<Bands> {
  return page.evaluate((root) => {
    const view = document.querySelector(root)!;
    const shares: Record<string, string> = {};
    for (const tr of Array.from(view.querySelectorAll(".uncertainty-table tbody tr"))) {
      shares[(tr as HTMLElement).dataset.strategy!] = tr.querySelector('[data-field="share_beating_supervised"]')?.textContent ?? "—";
    }
    return {
      verdict: view.querySelector(".uncertainty-verdict")?.textContent ?? "",
      shares,
      validity: document.querySelector(".validity-notes")?.textContent ?? "",
    };
  }, root);
}

/**
 * Per page of a PDF Chromium printed: the number of text-showing operators (Tj, TJ) and of path
 * painting operators in its content streams, decompressed.
 */
function pdfPageContents(bytes: Buffer): { text: number; paths: number }[] {
  const source = bytes.toString("latin1");
  const objects = new Map<number, string>();
  for (const m of source.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g)) objects.set(Number(m[1]), m[2]);
  const stream = (body: string): string => {
    const start = body.indexOf("stream") + "stream".length;
    const raw = Buffer.from(body.slice(body[start] === "\r" ? start + 2 : start + 1, body.lastIndexOf("endstream")), "latin1");
    return /FlateDecode/.test(body.slice(0, start)) ? inflateSync(raw).toString("latin1") : raw.toString("latin1");
  };
  const pages: { text: number; paths: number }[] = [];
  for (const body of objects.values()) {
    if (!/\/Type\s*\/Page(?![s\w])/.test(body)) continue;
    const contents = /\/Contents\s*(?:\[([^\]]*)\]|(\d+) 0 R)/.exec(body);
    const refs = contents ? [...(contents[1] ?? contents[2]).matchAll(/(\d+)(?: 0 R)?/g)].map((m) => Number(m[1])) : [];
    let text = 0, paths = 0;
    for (const ref of refs) {
      const content = objects.get(ref);
      if (!content) continue;
      const ops = stream(content);
      text += ops.match(/\b(?:Tj|TJ)\b/g)?.length ?? 0;
      paths += ops.match(/(?:^|\s)(?:f|f\*|S|B|b)(?=\s)/g)?.length ?? 0;
    }
    pages.push({ text, paths });
  }
  return pages;
}

test("the report carries the planner's verdict, shares and validity notes; its A4 PDF has no near-empty page and no text over text", { skip }, async () => {
  const planner = await withSitePage(`/planner${PLAN}`, async (page, diagnostics) => {
    await page.waitForFunction(() => (document.querySelector("#plan-uncertainty") as HTMLElement | null)?.dataset.status === "done", null, { timeout: 180_000 });
    const bands = await shownBands(page, "#plan-uncertainty");
    assertCleanLoad(diagnostics);
    return bands;
  });
  assert.match(planner.verdict, /\S/);
  await withSitePage(`/report${PLAN}`, async (page, diagnostics) => {
    await page.waitForFunction(() => (document.querySelector("#report-bands") as HTMLElement | null)?.dataset.status === "done", null, { timeout: 180_000 });
    const report = await shownBands(page, "#report-bands");
    assert.deepEqual(report, planner);
    // The verdict over the samples leads the plan section, with the shares in the table below it.
    assert.ok((await page.locator("#report-verdict").textContent())!.includes(planner.verdict), "the verdict paragraph lacks the ensemble's verdict");
    assert.ok(Object.values(report.shares).some((s) => /%/.test(s)), JSON.stringify(report.shares));

    await page.emulateMedia({ media: "print" });
    await page.setViewportSize({ width: 794, height: 1123 });
    await settle(page);
    const printed = await layout(page);
    assert.deepEqual(printed.overlaps, [], "charts laid out for print");
    const pages = pdfPageContents(await page.pdf({ format: "A4", printBackground: false }));
    console.log(`report PDF: ${pages.length} A4 pages; text operators per page ${pages.map((p) => p.text).join(", ")}; paths ${pages.map((p) => p.paths).join(", ")}`);
    assert.ok(pages.length >= 2 && pages.length <= 6, `${pages.length} pages`);
    // A near-empty page: a few words or a stray caption, no figure and no table.
    const nearEmpty = pages.map((p, i) => ({ ...p, page: i + 1 })).filter((p) => p.text < 15 && p.paths < 10);
    assert.deepEqual(nearEmpty, []);
    assertCleanLoad(diagnostics);
  });
});
