// Shared set-up for browser tests of the built site: a static server for dist/ and Debian's
// Chromium driven by playwright-core. Use withSitePage(path, async (page, diagnostics) => ...)
// and end with assertCleanLoad(diagnostics).
//
// Without dist/ the tests skip (locally) or fail (CI=true); see siteSkipReason.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { after } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { startStaticServer, type StaticServer } from "./server.js";

export const DIST_DIR = resolve(fileURLToPath(new URL("../../dist", import.meta.url)));
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

const inCI = Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0";

/**
 * Why the browser tests cannot run here, or undefined if they can. Only a missing build is a
 * reason to skip, and only outside CI: under CI a test that cannot run must fail.
 */
export function siteSkipReason(): string | undefined {
  if (existsSync(join(DIST_DIR, "index.html"))) return undefined;
  const message = `dist/ is missing: run \`npm run build\` before the browser tests (${DIST_DIR})`;
  if (inCI) throw new Error(`CI=true and ${message}`);
  return message;
}

export interface Diagnostics {
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests that failed at the network level, e.g. aborted or refused. */
  failedRequests: string[];
  /** Responses with status 400 or more. */
  errorResponses: string[];
  /** Requests to any host other than the local test server; they are blocked. */
  outsideRequests: string[];
  /** Every request the page and its workers made, in order (not a problem in itself). */
  requests: string[];
}

interface Site {
  server: StaticServer;
  browser: Browser;
}

let site: Promise<Site> | undefined;

async function openSite(): Promise<Site> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (.ci/run does)`);
  }
  const server = await startStaticServer(DIST_DIR);
  try {
    // Playwright gives each launched browser a fresh temporary user-data dir.
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    return { server, browser };
  } catch (error) {
    await server.close();
    throw error;
  }
}

export async function closeSite(): Promise<void> {
  if (!site) return;
  const opened = site;
  site = undefined;
  const { server, browser } = await opened.catch(() => ({} as Partial<Site>));
  await browser?.close();
  await server?.close();
}

after(closeSite);

/**
 * Opens `path` of the built site in a fresh browser context, waits for the network to go idle,
 * and runs `body`. Records every console error, page error, failed request, 4xx/5xx response and
 * outside request in `diagnostics` (outside requests are aborted, so an air-gapped user would see
 * the same page).
 */
export async function withSitePage<T>(
  path: string,
  body: (page: Page, diagnostics: Diagnostics) => Promise<T>,
  { allowOrigins = [] }: { /** Other origins the page may reach, e.g. a test's own request counter. */ allowOrigins?: readonly string[] } = {},
): Promise<T> {
  site ??= openSite();
  const { server, browser } = await site;
  const diagnostics: Diagnostics = {
    consoleErrors: [], pageErrors: [], failedRequests: [], errorResponses: [], outsideRequests: [], requests: [],
  };
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  context.setDefaultTimeout(20_000);
  try {
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (new URL(url).origin === server.origin || allowOrigins.includes(new URL(url).origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
      diagnostics.outsideRequests.push(url);
      return route.abort("blockedbyclient");
    });
    const page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") diagnostics.consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => diagnostics.pageErrors.push(String(error)));
    // On the context, not the page, so that requests from workers (DuckDB's) count too.
    context.on("request", (request) => { diagnostics.requests.push(request.url()); });
    context.on("requestfailed", (request) => {
      // Chromium fetches the favicon again after a history.replaceState; a test navigating away
      // at once aborts that fetch, which says nothing about the page.
      if (request.failure()?.errorText === "net::ERR_ABORTED" && /\/favicon\.[0-9a-f]+\.svg$/.test(request.url())) return;
      diagnostics.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`);
    });
    context.on("response", (response) => {
      if (response.status() >= 400) diagnostics.errorResponses.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(server.origin + path, { waitUntil: "networkidle" });
    return await body(page, diagnostics);
  } finally {
    await context.close();
  }
}

/** Fails with every problem the page load recorded. */
export function assertCleanLoad(diagnostics: Diagnostics): void {
  const { requests: _, ...problems } = diagnostics;
  assert.deepEqual(problems, {
    consoleErrors: [], pageErrors: [], failedRequests: [], errorResponses: [], outsideRequests: [],
  });
}
