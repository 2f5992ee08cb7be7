// The built site served by a plain static server that maps an address to a file and nothing more
// (python3 -m http.server: no ".html" added, no rewrites): every sidebar link, and the links the
// pages build themselves, reach a page, and a page loads with no failed request.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chromium } from "playwright-core";
import { CHROMIUM_PATH, DIST_DIR, siteSkipReason } from "./harness.js";

const python = spawnSync("python3", ["--version"]).status === 0;
const skip = siteSkipReason() ?? (python ? undefined : "python3 is not installed");

let server: ChildProcess | undefined;
after(() => { server?.kill(); });

/** Starts `python3 -m http.server` on a free port of 127.0.0.1 and returns its origin. */
async function startPythonServer(): Promise<string> {
  server = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", DIST_DIR], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    server!.stdout!.on("data", (chunk) => {
      output += chunk;
      const port = /port (\d+)/.exec(output)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    server!.on("exit", (code) => reject(new Error(`python3 -m http.server exited (${code}): ${output}`)));
  });
}

test("python3 -m http.server: every sidebar link and the pages' own links reach a page; the planner loads cleanly", { skip }, async () => {
  const origin = await startPythonServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ["--headless", "--no-sandbox", "--disable-gpu"], headless: true });
  try {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on("response", (response) => { if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`); });
    await page.goto(`${origin}/`, { waitUntil: "networkidle" });
    const links = await page.locator("#observablehq-sidebar a[href]").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    assert.ok(links.length >= 16, `${links.length} sidebar links`);
    for (const link of links) {
      const response = await page.request.get(link);
      assert.equal(response.status(), 200, `${link}: ${response.status()}`);
    }
    // A sidebar link followed as a reader would, then the links the planner builds with its address.
    await page.locator("#observablehq-sidebar").getByRole("link", { name: "Planner", exact: true }).click();
    await page.locator("#allocation-table").waitFor({ timeout: 60_000 });
    const report = await page.locator("#plan-report").evaluate((a) => (a as HTMLAnchorElement).href);
    assert.equal((await page.request.get(report)).status(), 200, report);
    await page.goto(report, { waitUntil: "networkidle" });
    const back = await page.locator("#report-plan a[href*='planner']").evaluate((a) => (a as HTMLAnchorElement).href);
    assert.equal((await page.request.get(back)).status(), 200, back);
    assert.deepEqual(failures, []);
  } finally {
    await browser.close();
  }
});
