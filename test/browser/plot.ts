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
const READ_POINTS = `(className, index) => {
  const group = document.querySelectorAll("g." + className)[index];
  if (!group) throw new Error("no mark of class " + className);
  const svg = group.ownerSVGElement;
  const sx = svg.scale("x"), sy = svg.scale("y");
  const pixels = [];
  for (const path of group.querySelectorAll("path")) {
    for (const m of (path.getAttribute("d") || "").matchAll(/[ML](-?[\\d.e]+),(-?[\\d.e]+)/g)) pixels.push([+m[1], +m[2]]);
  }
  for (const c of group.querySelectorAll("circle")) pixels.push([+c.getAttribute("cx"), +c.getAttribute("cy")]);
  for (const l of group.querySelectorAll("line")) pixels.push([NaN, +l.getAttribute("y1")]);
  return pixels.map(([px, py]) => ({x: sx && sx.invert ? sx.invert(px) : NaN, y: sy && sy.invert ? sy.invert(py) : NaN}));
}`;

/**
 * The vertices of the path(s), circles or horizontal rules of the `index`-th mark whose group has
 * class `className` (Plot's `className` mark option), mapped through the inverse of the chart's
 * x and y scales. Plot rounds pixel coordinates, so expect errors of a fraction of a pixel.
 */
export async function plottedPoints(page: Page, className: string, index = 0): Promise<DataPoint[]> {
  return page.evaluate(`(${READ_POINTS})(${JSON.stringify(className)}, ${index})`) as Promise<DataPoint[]>;
}
