// Reads what Observable Plot drew back into data space, so tests compare the rendered geometry,
// not the page's intermediate arrays, with the core.

import type { Page } from "playwright-core";

export interface DataPoint {
  x: number;
  y: number;
}

// Runs in the page. Kept as source text: tsx compiles test files with esbuild's keepNames, whose
// __name helper does not exist in the page. Scales map data to the coordinates written in the
// elements; a group's own transform (Plot's half-pixel offset) comes after and is not data.
// A chart with a legend (or title) is a <figure> wrapping the <svg>: its scale() method then sits
// on the figure, not on the <svg>. A dot drawn as a symbol other than a circle is a <path> whose
// transform="translate(x,y)" is its position; its d is the symbol's outline about the origin, so
// it is skipped.
const READ_POINTS = `(className, index) => {
  const group = document.querySelectorAll("g." + className)[index];
  if (!group) throw new Error("no mark of class " + className);
  const chart = group.closest("figure") || group.ownerSVGElement;
  const sx = chart.scale("x"), sy = chart.scale("y");
  const pixels = [];
  for (const path of group.querySelectorAll("path")) {
    const t = /translate\\(([-\\d.e]+),([-\\d.e]+)\\)/.exec(path.getAttribute("transform") || "");
    if (t) { pixels.push([+t[1], +t[2]]); continue; }
    for (const m of (path.getAttribute("d") || "").matchAll(/[ML](-?[\\d.e]+),(-?[\\d.e]+)/g)) pixels.push([+m[1], +m[2]]);
  }
  for (const c of group.querySelectorAll("circle")) pixels.push([+c.getAttribute("cx"), +c.getAttribute("cy")]);
  for (const l of group.querySelectorAll("line")) pixels.push([NaN, +l.getAttribute("y1")]);
  return pixels.map(([px, py]) => ({x: sx && sx.invert ? sx.invert(px) : NaN, y: sy && sy.invert ? sy.invert(py) : NaN}));
}`;

/**
 * The data coordinates of the `index`-th mark whose group has class `className` (Plot's
 * `className` mark option), mapped through the inverse of the chart's x and y scales (taken from
 * the enclosing <figure> when Plot wrapped the chart in one, else from the <svg>): the M/L vertices
 * of its paths, the positions of its symbol dots (paths placed by `translate(x,y)`) and circles,
 * and the y of its horizontal rules (x is NaN). A coordinate whose scale has no inverse (e.g. a
 * band scale) is NaN. Plot rounds pixel coordinates, so expect errors of a fraction of a pixel.
 */
export async function plottedPoints(page: Page, className: string, index = 0): Promise<DataPoint[]> {
  return page.evaluate(`(${READ_POINTS})(${JSON.stringify(className)}, ${index})`) as Promise<DataPoint[]>;
}

/** The key of the (first) figure on the page; waits for one to be there. */
export async function figureKey(page: Page): Promise<string | null> {
  return page.locator("[data-figure-key]").first().getAttribute("data-figure-key");
}

/**
 * Waits until the page shows a figure whose key is present and differs from `before` (a figure
 * that is gone while the page redraws does not count), and returns that key.
 */
export async function waitForNewFigure(page: Page, before: string | null): Promise<string> {
  await page.waitForFunction((old) => {
    const key = document.querySelector("[data-figure-key]")?.getAttribute("data-figure-key");
    return key && key !== old;
  }, before);
  return (await figureKey(page))!;
}
