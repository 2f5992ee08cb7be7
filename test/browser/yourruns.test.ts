// The "Your runs" page: upload, mapping, the build's checks, the fit in a worker against
// `npm run fit`, cancel, stored sets across reloads and pages. Supervised-only fits with a small
// bootstrap keep it cheap; one distillation fit at most.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";
import { runCommand } from "../cli-helpers.js";
import { parseCsvRows, parseDistillationCsv, parseSupervisedCsv, RunDataError } from "../../src/core/fitting/runs.js";
import { runFileMapping } from "../../src/core/fitting/columnGuess.js";

const skip = siteSkipReason();
const SYNTHETIC = fileURLToPath(new URL("../../src/data/runs/paper-synthetic/", import.meta.url));
const BAD = fileURLToPath(new URL("../fixtures/bad/", import.meta.url));
const SUPERVISED_TEXT = readFileSync(join(SYNTHETIC, "supervised.csv"), "utf8");

async function upload(page: Page, kind: "supervised" | "distillation" | "load", name: string, text: string): Promise<void> {
  await page.setInputFiles(`#${kind}-drop-input`, { name, mimeType: "text/csv", buffer: Buffer.from(text) });
}

/** Drops a file on a zone as a reader's drag and drop would. */
async function drop(page: Page, zone: string, name: string, text: string): Promise<void> {
  await page.evaluate(([zone, name, text]) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], name, { type: "text/csv" }));
    document.getElementById(zone)!.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [zone, name, text]);
}

async function setOption(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

/** Fits and returns the downloaded JSON. */
async function fitAndDownload(page: Page, timeout = 60_000): Promise<Record<string, any>> {
  await page.waitForSelector("#fit-button:not([disabled])");
  // Changed inputs clear the previous results, so the summary below is this fit's.
  assert.equal(await page.locator("#fit-summary").count(), 0, "no stale results before a fit");
  await page.click("#fit-button");
  await page.waitForSelector("#fit-summary", { timeout });
  await page.waitForSelector("#download-fit");
  return JSON.parse(await page.evaluate(async () => {
    const href = (document.getElementById("download-fit") as HTMLAnchorElement).href;
    return await (await fetch(href)).text();
  }));
}

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

function cliFit(args: string[]): Record<string, any> {
  const result = runCommand("src/cli/fit.ts", [...args, "--quiet"]);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

test("your runs: the bundled supervised CSV fits to npm run fit's coefficients and objective; drop works; bad rows are never fitted silently", { skip }, async () => {
  const cli = cliFit(["--supervised", join(SYNTHETIC, "supervised.csv"), "--extrapolation", "--bootstrap", "4", "--seed", "3"]);
  await withSitePage("/yourruns", async (page, diagnostics) => {
    await drop(page, "supervised-drop", "supervised.csv", SUPERVISED_TEXT);
    await page.waitForSelector("#supervised-ok");
    assert.equal(await page.locator("#supervised-preview tbody tr").count(), 5);
    await setOption(page, "Bootstrap resamples", "4");
    await setOption(page, "Seed", "3");
    const output = await fitAndDownload(page);
    for (const [name, value] of Object.entries(cli.supervised.coefficients as Record<string, number>)) {
      assertClose(output.supervised.coefficients[name], value, 1e-9, `supervised ${name}`);
    }
    assertClose(output.supervised.objective, cli.supervised.objective, 1e-9, "objective");
    // The same seeded bootstrap; Chromium's and Node's exp/log may differ in the last bits, which
    // the many iterations of a refit carry to about 1e-13.
    for (const [name, interval] of Object.entries(cli.supervised.intervals as Record<string, { lower: number; upper: number }>)) {
      assertClose(output.supervised.intervals[name].lower, interval.lower, 1e-9, `interval ${name}`);
      assertClose(output.supervised.intervals[name].upper, interval.upper, 1e-9, `interval ${name}`);
    }
    assert.equal(output.supervised.file, "supervised.csv");
    assert.deepEqual(output.bootstrap, cli.bootstrap);
    assert.ok(output.ensemble.members.length > 0 && output.ensemble.members.length <= 4);
    // The page's ensemble is the CLI's: same members (to the last bits of Chromium's exp/log).
    assert.equal(output.ensemble.members.length, cli.ensemble.members.length);
    cli.ensemble.members.forEach((member: Record<string, Record<string, number>>, b: number) => {
      for (const [name, value] of Object.entries(member.supervised)) assertClose(output.ensemble.members[b].supervised[name], value, 1e-9, `member ${b} ${name}`);
    });
    assert.equal(output.distillation, undefined);
    assertClose(output.extrapolation.supervised.maxRelativeError, cli.extrapolation.supervised.maxRelativeError, 1e-9, "extrapolation");
    assert.match(await page.textContent("#supervised-only-note") ?? "", /paper’s distillation law/);
    assert.ok(await page.locator("#validity-domain").count() === 1);
    assert.ok(await page.locator("table.table6").count() === 1);

    // The same file with three bad rows: the fit waits until the reader says to leave them out.
    const lines = SUPERVISED_TEXT.trimEnd().split("\n");
    lines[3] = lines[3].replace(/^[^,]+/, "abc");
    lines[10] = lines[10].replace(/,[^,]+,/, ",-5,");
    lines.splice(20, 0, "");
    await upload(page, "supervised", "bad.csv", lines.join("\n") + "\n");
    await page.waitForSelector("#problems-supervised");
    const items = await page.locator("#problems-supervised li").allTextContents();
    assert.equal(items.length, 3, items.join("\n"));
    assert.ok(items.some((d) => d === 'bad.csv line 4, column N: expected a positive finite number, got "abc"'), items.join("\n"));
    assert.ok(await page.locator("#fit-button[disabled]").count() === 1, "no fit with bad rows by default");
    assert.match(await page.textContent("#fit-blockers") ?? "", /3 rows with problems/);
    await page.getByLabel("Fit without the rows that have problems").check();
    await page.waitForSelector("#left-out-note");
    assert.match(await page.textContent("#left-out-note") ?? "", /Left out of the supervised fit: 3 of 75 rows \(lines 4, 11, 21\)/);
    const partial = await fitAndDownload(page);
    assert.equal(partial.supervised.runs, 72);
    assert.match(await page.textContent("#fit-summary") ?? "", /Left out of the supervised fit: 3 of 75 rows/);
    assertCleanLoad(diagnostics);
  });
});

test("your runs: a tracker-style file (renamed and extra columns, billions of tokens, TSV) maps and fits to its plain equivalent", { skip }, async () => {
  const runs = parseSupervisedCsv(SUPERVISED_TEXT, "supervised.csv");
  // Tokens in billions written as decimal text: 2.868e9 tokens -> "2.868".
  const billions = (d: number) => {
    const [mantissa, exponent] = d.toExponential().split("e");
    return `${mantissa}e${Number(exponent) - 9}`;
  };
  const tracker = ["run_id\tn_params\ttrain_tokens_B\tlr\teval/loss",
    ...runs.map((r, i) => `run-${i}\t${r.N}\t${billions(r.D)}\t3e-4\t${r.L}`)].join("\n") + "\n";
  await withSitePage("/yourruns", async (page, diagnostics) => {
    await setOption(page, "Bootstrap resamples", "2");
    await page.getByLabel("Extrapolation check (two more fits)").uncheck();
    await upload(page, "supervised", "wandb-export.tsv", tracker);
    await page.waitForSelector("#supervised-ok");
    const mapped = await page.$$eval('#supervised-mapping select[data-role="column"]', (s) => s.map((d) => (d as HTMLSelectElement).value));
    assert.deepEqual(mapped, ["n_params", "train_tokens_B", "eval/loss"]);
    const unit = await page.$eval('#supervised-mapping select[data-variable="D"][data-role="unit"]', (d) => (d as HTMLSelectElement).value);
    assert.equal(unit, "9");
    const trackerFit = await fitAndDownload(page);
    await upload(page, "supervised", "plain.csv", SUPERVISED_TEXT);
    await page.waitForFunction(() => document.querySelector("#fit-status")?.textContent === "");
    const plainFit = await fitAndDownload(page);
    assert.deepEqual(trackerFit.supervised.coefficients, plainFit.supervised.coefficients);
    assert.equal(trackerFit.supervised.objective, plainFit.supervised.objective);

    // Changing the unit back to tokens changes what is read (the preview shows it).
    await page.selectOption('#supervised-mapping select[data-variable="D"][data-role="unit"]', "0");
    assertCleanLoad(diagnostics);
  });
});

test("your runs: every bad-file class of the build's validation shows the build's message", { skip }, async () => {
  const files: { path: string; kind: "supervised" | "distillation" }[] = [];
  for (const name of readdirSync(BAD)) {
    const path = join(BAD, name);
    if (statSync(path).isDirectory()) continue;
    const text = readFileSync(path, "utf8");
    files.push({ path, kind: /^\uFEFF?N_[sS]|^N_S/.test(text) ? "distillation" : "supervised" });
  }
  // Supervised files first: a distillation file, once chosen, stays with the supervised ones after it.
  files.sort((a, b) => a.kind.localeCompare(b.kind) * -1 || a.path.localeCompare(b.path));
  await withSitePage("/yourruns", async (page, diagnostics) => {
    for (const { path, kind } of files) {
      const name = path.split("/").pop()!;
      const text = readFileSync(path, "utf8");
      const parse = kind === "supervised" ? parseSupervisedCsv : parseDistillationCsv;
      let expected: string | null = null;
      // What `npm run fit` says of the file: it guesses the columns as the page does.
      const rows = parseCsvRows(text);
      const mapping = runFileMapping((rows[0] ?? []).map((d) => d.trim()), kind, rows.slice(1, 21));
      try { parse(text, name, mapping); } catch (error) { assert.ok(error instanceof RunDataError); expected = error.message; }
      // Distillation files go with a good supervised file; supervised ones alone.
      if (kind === "distillation") {
        await upload(page, "supervised", "supervised.csv", SUPERVISED_TEXT);
        await upload(page, "distillation", name, text);
      } else {
        await upload(page, "supervised", name, text);
      }
      const kindId = kind;
      if (expected !== null) {
        // Wait for this file's message: the page updates a moment after the upload.
        const selector = `#build-check-${kindId} .build-message`;
        await page.waitForFunction(([selector, expected]) => document.querySelector(selector)?.textContent === expected, [selector, expected] as const)
          .catch(async () => assert.fail(`${name}: expected ${expected}, shown ${await page.textContent(selector).catch(() => null)}`));
      } else {
        // Too few runs: not a file error but a fit blocker, with the build's checkRunCount message;
        // and no note that the CLI stops at the file, since it reads it.
        await page.waitForFunction(() => /\d+ runs? cannot determine \d+ free coefficients/.test(document.querySelector("#fit-blockers")?.textContent ?? ""))
          .catch(async () => assert.fail(`${name}: shown ${await page.textContent("#fit-blockers").catch(() => null)}`));
        assert.equal(await page.locator(`#build-check-${kindId}`).count(), 0, `${name}: a stale CLI message`);
      }
      assert.ok(await page.locator("#fit-button[disabled]").count() === 1, `${name}: no fit`);
    }
    // A distillation file without supervised runs.
    await page.reload({ waitUntil: "networkidle" });
    await upload(page, "distillation", "distillation.csv", readFileSync(join(BAD, "distillation-only", "distillation.csv"), "utf8"));
    await page.waitForSelector("#fit-blockers");
    assert.match(await page.textContent("#fit-blockers") ?? "", /the distillation law needs the supervised fit/);
    assertCleanLoad(diagnostics);
  });
});

test("your runs: cancel stops the worker; a stored set survives a reload, is offered by the choosers, and delete removes it everywhere", { skip }, async () => {
  await withSitePage("/yourruns", async (page, diagnostics) => {
    // Cancel during the distillation grid of the bundled data set.
    await setOption(page, "Bootstrap resamples", "2");
    await upload(page, "supervised", "supervised.csv", SUPERVISED_TEXT);
    await upload(page, "distillation", "distillation.csv", readFileSync(join(SYNTHETIC, "distillation.csv"), "utf8"));
    await page.waitForSelector("#distillation-ok");
    await page.click("#fit-button");
    await page.waitForSelector('progress[data-task="distillation fit"]', { timeout: 30_000 });
    const before = await page.$eval('progress[data-task="distillation fit"]', (d) => (d as HTMLProgressElement).value);
    await page.click("#cancel-button");
    await page.waitForFunction(() => document.querySelector("#fit-status")?.textContent?.startsWith("Cancelled"));
    await page.waitForTimeout(1500);
    const after = await page.$eval('progress[data-task="distillation fit"]', (d) => (d as HTMLProgressElement).value);
    assert.ok(after - before < 0.5 * (await page.$eval('progress[data-task="distillation fit"]', (d) => (d as HTMLProgressElement).max)), "no progress after cancel");
    const progressed = await page.evaluate(() => new Promise<boolean>((resolve) => {
      const worker = (globalThis as { __yourRunsWorker?: Worker }).__yourRunsWorker!;
      let heard = false;
      worker.addEventListener("message", () => { heard = true; });
      setTimeout(() => resolve(heard), 1000);
    }));
    assert.equal(progressed, false, "the terminated worker posts nothing");
    assert.equal(await page.locator("#fit-summary").count(), 0);

    // A supervised-only fit becomes a stored set.
    await page.reload({ waitUntil: "networkidle" });
    await setOption(page, "Bootstrap resamples", "2");
    await page.getByLabel("Extrapolation check (two more fits)").uncheck();
    await upload(page, "supervised", "supervised.csv", SUPERVISED_TEXT);
    const output = await fitAndDownload(page);
    const name = (await page.textContent("#saved-name"))!;
    await page.reload({ waitUntil: "networkidle" });
    await page.waitForSelector("#stored-sets");
    const rows = await page.locator("#stored-sets tbody tr").count();
    assert.equal(rows, 1);
    const id = (await page.getAttribute("#stored-sets tbody tr", "data-id"))!;
    assert.match(id, /^user:/);

    // Rename, then load the downloaded JSON back as a second set.
    await page.fill("#stored-sets input.set-name", "my law");
    await page.click("#stored-sets button.rename");
    await page.waitForFunction(() => (document.querySelector("#stored-sets tbody tr td:nth-child(2)")?.textContent ?? "").includes("my law"));
    await upload(page, "load", "downloaded.json", JSON.stringify(output));
    await page.waitForSelector("#load-result");
    assert.match(await page.textContent("#load-result") ?? "", /Loaded as “downloaded” with 2 ensemble members|Loaded as “downloaded” with \d ensemble members/);
    await page.waitForFunction(() => document.querySelectorAll("#stored-sets tbody tr").length === 2);
    assert.ok(name.length > 0);

    // Offered by the planner's chooser, and a shared address naming a missing set falls back visibly.
    const origin = new URL(page.url()).origin;
    await page.goto(`${origin}/planner?coefficients=${encodeURIComponent(id)}`, { waitUntil: "networkidle" });
    await page.waitForSelector("#allocation-table");
    const plannerLabels = await page.$$eval("select option", (o) => o.map((d) => d.textContent ?? ""));
    assert.ok(plannerLabels.some((d) => d.startsWith("Your runs: my law")), plannerLabels.join(" | "));
    await page.goto(`${origin}/figure8`, { waitUntil: "networkidle" });
    const figureLabels = await page.$$eval("select option", (o) => o.map((d) => d.textContent ?? ""));
    assert.ok(figureLabels.some((d) => d.startsWith("Your runs: my law")), figureLabels.join(" | "));

    // Delete both; no chooser offers them any more, and the old address says the set is missing.
    await page.goto(`${origin}/yourruns`, { waitUntil: "networkidle" });
    for (let i = 0; i < 2; i++) {
      await page.click("#stored-sets tbody tr button.delete");
      await page.waitForFunction((n) => document.querySelectorAll("#stored-sets tbody tr").length === n, 1 - i);
    }
    for (const path of ["/planner", "/figure8", "/teachers", "/allocations"]) {
      await page.goto(`${origin}${path}`, { waitUntil: "networkidle" });
      await page.waitForSelector("select");
      const labels = await page.$$eval("select option", (o) => o.map((d) => d.textContent ?? ""));
      assert.ok(!labels.some((d) => d.startsWith("Your runs")), `${path}: ${labels.join(" | ")}`);
    }
    await page.goto(`${origin}/planner?coefficients=${encodeURIComponent(id)}`, { waitUntil: "networkidle" });
    await page.waitForSelector('.field-message[data-field="coefficients"]');
    await page.waitForFunction(() => (document.querySelector('.field-message[data-field="coefficients"]')?.textContent ?? "").length > 0);
    assert.match(await page.textContent('.field-message[data-field="coefficients"]') ?? "", /not stored in this browser.*Table 6/);
    assertCleanLoad(diagnostics);
  });
});

test("your runs: the bootstrap count is held to the shared limit, with its message, and the fit waits for a good one", { skip }, async () => {
  await withSitePage("/yourruns", async (page, diagnostics) => {
    await upload(page, "supervised", "supervised.csv", SUPERVISED_TEXT);
    await page.waitForSelector("#supervised-ok");
    await page.waitForSelector("#fit-button:not([disabled])");
    for (const [typed, message] of [
      ["10001", "Bootstrap resamples: “10001” is too large: a number of bootstrap resamples is accepted from 1 to 10k resamples."],
      ["2.5", "Bootstrap resamples: “2.5” is not a whole number: a number of bootstrap resamples is accepted from 1 to 10k resamples."],
      ["0", "Bootstrap resamples: “0” is not positive: a number of bootstrap resamples is accepted from 1 to 10k resamples."],
    ] as const) {
      await setOption(page, "Bootstrap resamples", typed);
      await page.locator("#fit-blockers li", { hasText: message }).waitFor();
      assert.equal(await page.locator("#fit-button:not([disabled])").count(), 0, `${typed}: the fit button stays disabled`);
    }
    await setOption(page, "Bootstrap resamples", "10000");
    await page.waitForSelector("#fit-button:not([disabled])");
    await page.locator("#fit-blockers").waitFor({ state: "detached" });
    assertCleanLoad(diagnostics);
  });
});
