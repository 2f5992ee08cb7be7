// npm run measure:yourruns (after npm run build)
// Loads the built "Your runs" page in headless Chromium, uploads the bench's synthetic runs (264
// supervised; 700 distillation, as bench/fit-bench.ts) and fits them with the page's defaults
// (100 bootstrap resamples, extrapolation check on). Prints, from the click on Fit: when the point
// fits ended (the ensemble's first progress), when the whole job ended, the longest gap between
// progress-bar updates, and every main-thread task over 50 ms (PerformanceObserver "longtask").
// Targets: supervised point fit within 5 s, distillation within 90 s, no task over 200 ms.
// `-- --supervised-only` skips the distillation fit.

import type { Page } from "playwright-core";
import { syntheticDistillationRuns, syntheticSupervisedRuns } from "../../test/fixtures/synthetic-runs.js";
import { distillationRunsToCsv, supervisedRunsToCsv } from "../../src/core/fitting/runs.js";
import { runMain, withBuiltSitePage } from "../built-site-browser.js";

const supervisedOnly = process.argv.includes("--supervised-only");

// Installed before the click (source text: see evaluateSource). Collects long tasks and every
// change of a progress bar's value (polled each frame: values are properties, not attributes).
const START = `() => {
  const m = window.__measure = {longTasks: [], updates: [], start: 0};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) m.longTasks.push({start: e.startTime, duration: e.duration});
  }).observe({type: "longtask", buffered: false});
  const poll = () => {
    for (const bar of document.querySelectorAll("#fit-progress progress")) {
      const last = [...m.updates].reverse().find((u) => u.task === bar.dataset.task && u.phase === bar.dataset.phase);
      if (!last || last.value !== bar.value) m.updates.push({t: performance.now(), task: bar.dataset.task, phase: bar.dataset.phase, value: bar.value, max: bar.max});
    }
    if (!document.getElementById("fit-summary")) requestAnimationFrame(poll);
    else m.end = performance.now();
  };
  m.start = performance.now();
  document.getElementById("fit-button").click();
  requestAnimationFrame(poll);
}`;

interface Measure {
  longTasks: { start: number; duration: number }[];
  updates: { t: number; task: string; phase: string; value: number; max: number }[];
  start: number;
  /** When the results appeared: tasks after it draw the results, not the fit. */
  end: number;
}

async function measureFit(page: Page, label: string, timeoutMs: number): Promise<void> {
  await page.waitForSelector("#fit-button:not([disabled])");
  await page.evaluate(`(${START})()`);
  await page.waitForSelector("#fit-summary", { timeout: timeoutMs });
  await page.waitForTimeout(2000);
  const m = await page.evaluate(() => (window as unknown as { __measure: Measure }).__measure);
  const since = (t: number) => (t - m.start) / 1000;
  const firstEnsemble = m.updates.find((u) => u.task === "ensemble");
  const last = m.updates[m.updates.length - 1];
  const times = [m.start, ...m.updates.map((u) => u.t)];
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  // The worker's last progress message ends the fit; what follows draws the results.
  const fitEnd = m.updates.length ? m.updates[m.updates.length - 1].t : m.end;
  const during = m.longTasks.filter((t) => t.start >= m.start && t.start + t.duration <= fitEnd);
  const drawing = m.longTasks.filter((t) => t.start + t.duration > fitEnd);
  const summary = await page.textContent("#fit-summary");
  console.log(`${label}:`);
  console.log(`  click -> point fits done (ensemble starts): ${firstEnsemble ? `${since(firstEnsemble.t).toFixed(1)} s` : "n/a"}`);
  console.log(`  click -> last progress update:              ${since(last.t).toFixed(1)} s`);
  console.log(`  longest gap between progress updates:       ${(Math.max(...gaps) / 1000).toFixed(2)} s (${m.updates.length} updates)`);
  console.log(`  main-thread tasks over 50 ms while fitting: ${during.length}${during.length ? `, longest ${Math.max(...during.map((t) => t.duration)).toFixed(0)} ms` : ""}` +
    `; over 200 ms: ${during.filter((t) => t.duration > 200).length}`);
  console.log(`  tasks over 50 ms drawing the results:       ${drawing.length}${drawing.length ? `, longest ${Math.max(...drawing.map((t) => t.duration)).toFixed(0)} ms` : ""}`);
  console.log(`  page summary: ${summary?.replace(/\s+/g, " ").trim().slice(0, 400)}`);
}

const { loadavg } = await import("node:os");
console.log(`load average before: ${loadavg().map((x) => x.toFixed(1)).join(", ")} (2 cores; figures scale with it)`);
runMain(() => withBuiltSitePage({ path: "/yourruns", builtFile: "yourruns.html" }, async (page) => {
  page.setDefaultTimeout(30_000);
  const supervised = syntheticSupervisedRuns({ noise: 0.004, seed: 7 });
  await page.setInputFiles("#supervised-drop-input", { name: "bench-supervised.csv", mimeType: "text/csv", buffer: Buffer.from(supervisedRunsToCsv(supervised)) });
  await page.waitForSelector("#supervised-ok");
  await measureFit(page, `supervised only, ${supervised.length} runs, full F.1 grid`, 120_000);
  if (supervisedOnly) return;
  const distillation = syntheticDistillationRuns({ noise: 0.004, seed: 8 });
  await page.setInputFiles("#distillation-drop-input", { name: "bench-distillation.csv", mimeType: "text/csv", buffer: Buffer.from(distillationRunsToCsv(distillation)) });
  await page.waitForSelector("#distillation-ok");
  await measureFit(page, `supervised ${supervised.length} + distillation ${distillation.length} runs, F.2 grid`, 900_000);
}));
