// Every page at phone width (390x844) and at desktop width (1280x900), in Chromium on the built
// site: no page is wider than the screen (wide tables scroll inside their own box), and no chart
// draws one text over another (tick labels, axis labels, facet headings, legends' and notes' text).

import { test } from "node:test";
import assert from "node:assert/strict";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";
import config from "../../observablehq.config.js";
import { layout, settle } from "./layout.js";

const skip = siteSkipReason();
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

const paths = config.pages.map((d: { path: string }) => d.path);

for (const path of paths) {
  test(`${path}: at 390 px no wider than the screen and no chart text over another; none at 1280 px either`, { skip }, async () => {
    await withSitePage(path, async (page, diagnostics) => {
      await page.setViewportSize(DESKTOP);
      await settle(page);
      const desktop = await layout(page);
      await page.setViewportSize(PHONE);
      await settle(page);
      const phone = await layout(page);
      console.log(`${path}: ${desktop.charts} charts; 1280 px: ${desktop.overlaps.length} overlaps; 390 px: width ${phone.width}, ${phone.overlaps.length} overlaps`);
      assert.deepEqual(desktop.overlaps, [], "at 1280 px");
      assert.deepEqual(phone.overlaps, [], "at 390 px");
      assert.ok(phone.width <= PHONE.width, `the page is ${phone.width} px wide at 390 px: ${phone.wide.join(", ")}`);
      assertCleanLoad(diagnostics);
    });
  });
}
