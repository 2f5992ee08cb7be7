// What a page looks like in the browser, for the layout tests: every text of every chart svg that
// overlaps another, and how wide the page is (phones.test.ts, report-print.test.ts).

import type { Page } from "playwright-core";

// Runs in the page (as source text: see plot.ts). Every text of every chart svg (Plot's and the
// page's own), pairs whose boxes overlap by more than half a pixel each way, and the page's width.
const LAYOUT = `() => {
  const overlaps = [];
  const svgs = Array.from(document.querySelectorAll("#observablehq-main svg")).filter((svg) => !svg.closest("svg svg") && svg.getBoundingClientRect().width > 100);
  for (const [n, svg] of svgs.entries()) {
    const figure = svg.closest("figure");
    const texts = [...svg.querySelectorAll("text")]
      .filter((t) => !t.closest("[aria-label='tip']") && getComputedStyle(t).visibility !== "hidden" && getComputedStyle(t).display !== "none")
      .map((t) => ({text: t.textContent, box: t.getBoundingClientRect()}))
      .filter((d) => d.box.width > 0 && d.text.trim() !== "");
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].box, b = texts[j].box;
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5) {
        overlaps.push("svg " + n + (figure?.id ? " (" + figure.id + ")" : "") + ": '" + texts[i].text + "' overlaps '" + texts[j].text + "'");
      }
    }
  }
  const wide = Array.from(document.querySelectorAll("#observablehq-main *"))
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest("[data-scrolls]") && getComputedStyle(e).position !== "fixed")
    .filter((e) => { for (let p = e.parentElement; p; p = p.parentElement) { const s = getComputedStyle(p); if (s.overflowX === "auto" || s.overflowX === "scroll" || s.overflowX === "hidden") return false; } return true; })
    .slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.split(" ")[0] : "") + " right " + Math.round(e.getBoundingClientRect().right));
  return {charts: svgs.length, overlaps, width: document.documentElement.scrollWidth, wide};
}`;

export interface Layout { charts: number; overlaps: string[]; width: number; wide: string[] }

export async function layout(page: Page): Promise<Layout> {
  return page.evaluate(`(${LAYOUT})()`) as Promise<Layout>;
}

/** Waits until the page's charts stop changing: the same number of svgs and texts for a second. */
export async function settle(page: Page): Promise<void> {
  let last = "";
  for (let i = 0; i < 90; i++) {
    const now = await page.evaluate(() => `${document.querySelectorAll("svg").length}|${document.querySelectorAll("svg text").length}|${document.documentElement.scrollWidth}`);
    if (now === last) return;
    last = now;
    await page.waitForTimeout(1000);
  }
}

