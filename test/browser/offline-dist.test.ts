// The built site must load nothing from outside itself (air-gapped clusters). The page tests
// block and record outside requests at run time; this scans the files for URLs that would be
// fetched on paths those tests do not walk.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { test } from "node:test";
import { DIST_DIR, siteSkipReason } from "./harness.js";

const skip = siteSkipReason();

/** Hosts Framework, DuckDB or a theme would load from if the offline set-up broke. */
const FORBIDDEN = /https?:\/\/(cdn\.jsdelivr\.net|fonts\.googleapis\.com|fonts\.gstatic\.com|extensions\.duckdb\.org|registry\.npmjs\.org|unpkg\.com|esm\.sh|ga\.jspm\.io|api\.observablehq\.com)[^"'`\s)]*/g;

/**
 * DuckDB-wasm's bundle keeps getJsDelivrBundles(), which builds CDN URLs when called; Framework's
 * DuckDBClient never calls it (it passes its own local bundles), so that one mention is dead code.
 */
function allowed(file: string, url: string): boolean {
  return /^_npm\/@duckdb\/duckdb-wasm@[^/]+\/[^/]+\.js$/.test(file) && url === "https://cdn.jsdelivr.net/npm/";
}

function* textFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* textFiles(path);
    else if ([".html", ".js", ".css", ".json"].includes(extname(entry.name))) yield path;
  }
}

test("dist/ names no CDN, font host or extension repository", { skip }, () => {
  const found: string[] = [];
  let files = 0;
  for (const path of textFiles(DIST_DIR)) {
    files++;
    const file = relative(DIST_DIR, path).split("\\").join("/");
    for (const [url] of readFileSync(path, "utf-8").matchAll(FORBIDDEN)) {
      if (!allowed(file, url)) found.push(`${file}: ${url}`);
    }
  }
  assert.ok(files > 10, `only ${files} files scanned in ${DIST_DIR}`);
  assert.deepEqual(found, []);
});

test("every page's scripts and stylesheets are local", { skip }, () => {
  const pages = [...textFiles(DIST_DIR)].filter((p) => p.endsWith(".html"));
  assert.ok(pages.length >= 2);
  for (const page of pages) {
    const html = readFileSync(page, "utf-8");
    for (const [, attribute, url] of html.matchAll(/<(?:script|link)\b[^>]*\b(src|href)="([^"]*)"/g)) {
      assert.ok(!/^(https?:)?\/\//.test(url), `${relative(DIST_DIR, page)} loads ${attribute}=${url}`);
    }
  }
});
