// What the measure-* scripts share: the built site (dist/) on a local static server, opened in
// Debian's Chromium through playwright-core, timing code run in the page, and the median they
// report. test/browser/harness.ts does the same for the tests, but it registers node:test hooks
// when imported, so the scripts cannot use it.

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "playwright-core";
import { startStaticServer } from "../test/browser/server.js";

export const DIST_DIR = resolve(fileURLToPath(new URL("../dist", import.meta.url)));
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// As in test/browser/harness.ts: no background traffic competing with what is timed.
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/**
 * Serves dist/, opens `path` in a 1200 x 900 page and runs `measure` on it; closes the browser
 * and the server however `measure` ends. Fails early if the build lacks `builtFile`.
 */
export async function withBuiltSitePage(
  { path, builtFile }: { path: string; builtFile: string },
  measure: (page: Page) => Promise<void>,
): Promise<void> {
  if (!existsSync(join(DIST_DIR, builtFile))) throw new Error(`no ${join(DIST_DIR, builtFile)}: run npm run build first`);
  const server = await startStaticServer(DIST_DIR);
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      page.on("crash", () => console.error("the page crashed"));
      await page.goto(server.origin + path, { waitUntil: "networkidle" });
      await measure(page);
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
  }
}

/**
 * Calls, in the page, a function given as source text with one JSON argument. Source text,
 * because tsx compiles functions with keepNames helpers that do not exist in the page.
 */
export async function evaluateSource<T>(page: Page, functionSource: string, argument: unknown): Promise<T> {
  return (await page.evaluate(`(${functionSource})(${JSON.stringify(argument)})`)) as T;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs a script's main function; any error is printed and makes the exit code 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
