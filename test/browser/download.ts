// Downloads in the browser tests: click a button, read the file; parse an SVG in the page; read a
// PNG's size.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import type { Locator, Page } from "playwright-core";

export async function download(page: Page, button: Locator, what = "file"): Promise<{ name: string; bytes: Buffer }> {
  // Chromium drops a download started within a few hundred milliseconds of ten others.
  await page.waitForTimeout(300);
  const [event] = await Promise.all([
    page.waitForEvent("download").catch(async (error) => {
      throw new Error(`no download of ${what} (button title: ${await button.getAttribute("title")}): ${error}`);
    }),
    button.click(),
  ]);
  const path = await event.path();
  assert.ok(path, `download of ${event.suggestedFilename()} failed: ${await event.failure()}`);
  return { name: event.suggestedFilename(), bytes: await readFile(path) };
}

export async function parseSvg(page: Page, text: string): Promise<{ error: string | null; text: string; width: number; height: number }> {
  return page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, "image/svg+xml");
    const error = doc.querySelector("parsererror");
    const root = doc.documentElement;
    return {
      error: error ? error.textContent : root.nodeName === "svg" ? null : `root is <${root.nodeName}>`,
      text: root.textContent ?? "",
      width: Number(root.getAttribute("width")),
      height: Number(root.getAttribute("height")),
    };
  }, text);
}

export function pngSize(bytes: Buffer): { width: number; height: number } {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "not a PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Exports the figure of one export-button row as SVG and PNG and checks both. */
export async function assertFigureExports(page: Page, row: Locator, title: string, axis: string): Promise<void> {
  const svgFile = await download(page, row.getByRole("button", { name: "SVG" }), `SVG "${title}"`);
  assert.match(svgFile.name, /\.svg$/);
  const svg = await parseSvg(page, svgFile.bytes.toString("utf-8"));
  assert.equal(svg.error, null);
  assert.ok(svg.text.includes(title), `${svgFile.name} lacks its title "${title}"`);
  assert.ok(svg.text.includes(axis), `${svgFile.name} lacks the axis label "${axis}"`);
  assert.doesNotMatch(svgFile.bytes.toString("utf-8"), /var\(--|currentColor|href="http/);
  const pngFile = await download(page, row.getByRole("button", { name: "PNG" }), `PNG "${title}"`);
  assert.deepEqual(pngSize(pngFile.bytes), { width: Math.round(2 * svg.width), height: Math.round(2 * svg.height) });
}

/** Downloads the CSV of a table-export row and returns its lines. */
export async function csvLines(page: Page, row: Locator): Promise<string[]> {
  const csv = await download(page, row.getByRole("button", { name: "CSV" }));
  return csv.bytes.toString("utf-8").trim().split("\n");
}
