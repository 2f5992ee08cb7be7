// Your runs are never silently ignored: after a change under src/data/runs/ the next build refits
// (scripts/fits-cache.ts), even with the old fits in Framework's cache. On a copy of the tree
// whose cache holds this build's fits, the runs are replaced by one small new data set; the
// rebuilt site must show that data set on the fits page and no longer the old one.
//
// Costs one site build and one supervised fit (DP_BOOTSTRAP_RESAMPLES=4): a browser-test-phase
// test, skipped without a build to copy the cache from.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { chromium } from "playwright-core";
import { CHROMIUM_PATH, siteSkipReason } from "./harness.js";
import { startStaticServer } from "./server.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cachedFits = join(root, "src", ".observablehq", "cache", "data", "fits.zip");
const skip = siteSkipReason() ?? (existsSync(cachedFits) ? undefined : "no cached fits to start from: run `npm run build` first");

test("a data set added under src/data/runs/ is fitted by the next build and shown on the fits page", { skip, timeout: 900_000 }, async () => {
  const copy = mkdtempSync(join(tmpdir(), "fits-cache-"));
  try {
    for (const entry of ["src", "scripts", "observablehq.config.ts", "package.json", "tsconfig.json"]) {
      if (existsSync(join(root, entry))) cpSync(join(root, entry), join(copy, entry), { recursive: true });
    }
    symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir");
    assert.ok(existsSync(join(copy, "src", ".observablehq", "cache", "data", "fits.zip")), "the copy starts with cached fits");

    // The old data sets go; one new, small one (supervised runs only) comes.
    const runs = join(copy, "src", "data", "runs");
    for (const folder of readdirSync(runs)) rmSync(join(runs, folder), { recursive: true });
    mkdirSync(join(runs, "cache-check"));
    cpSync(join(root, "src", "data", "runs", "paper-synthetic", "supervised.csv"), join(runs, "cache-check", "supervised.csv"));
    writeFileSync(join(runs, "cache-check", "dataset.json"), JSON.stringify({ label: "Cache check runs", synthetic: true }));

    const build = spawnSync("npm", ["run", "build"], {
      cwd: copy, encoding: "utf8", env: { ...process.env, DP_BOOTSTRAP_RESAMPLES: "4" }, timeout: 840_000,
    });
    // Under CI=true Framework colours its log: the escapes would sit between "load" and the path.
    const log = stripVTControlCharacters(`${build.stdout}\n${build.stderr}`);
    assert.equal(build.status, 0, log.slice(-3000));
    assert.match(log, /\[fits-cache\] .*refitted/);
    // The first load of the archive finds no cached fits (later loads in the same build reuse the
    // new archive and say [fresh]).
    assert.match(log, /load \/data\/fits\.zip → (?:\S+ )?\[missing\]/);
    assert.ok(log.indexOf("[missing]", log.indexOf("load /data/fits.zip")) - log.indexOf("load /data/fits.zip") < 40, "the cached fits were served");

    const fitsFolder = join(copy, "dist", "_file", "data", "fits");
    const fitsJson = readdirSync(fitsFolder).find((name) => /^fits\.[\w-]+\.json$/.test(name));
    assert.ok(fitsJson, "no fits.json in the build");
    const fits = JSON.parse(readFileSync(join(fitsFolder, fitsJson), "utf8"));
    assert.deepEqual(fits.datasets.map((d: { id: string }) => d.id), ["cache-check"]);

    const server = await startStaticServer(join(copy, "dist"));
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ["--headless", "--no-sandbox", "--disable-gpu"], headless: true });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/fits`, { waitUntil: "networkidle" });
      const options = await page.locator("select").first().locator("option").allTextContents();
      assert.ok(options.some((label) => label.includes("Cache check runs")), options.join(" | "));
      assert.ok(!options.some((label) => /reconstructed from the paper/.test(label)), "the removed data set is still shown");
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
