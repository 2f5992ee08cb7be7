// Times how long the Figure 8 page takes to redraw after an input changes, in headless Chromium
// against the built site (run `npm run build` first). Each change swaps the four students for four
// others, so every run is a full recompute: 4 students x 5 strategies x 41 budgets plus the four
// crossovers, then the Plot redraw. Prints each time and the median; the target is 300 ms.
//
//   npm run measure:figures [-- --runs 9 --path /figure8]

import { evaluateSource, median, runMain, withBuiltSitePage } from "../built-site-browser.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const runs = Number(option("runs", "9"));
const path = option("path", "/figure8");
const TARGET_MS = 300;
const STUDENT_LISTS = ["143M, 435M, 810M, 1.59B", "198M, 546M, 975M, 1.82B", "266M, 664M, 1.15B, 2.1B"];

// Runs in the page (see evaluateSource). From the input event to the first frame painted after
// the chart with a new key is in the document.
const CHANGE_AND_TIME = `async ([label, value]) => {
  const input = [...document.querySelectorAll("label")].find((l) => l.textContent.trim() === label)?.control;
  if (!input) throw new Error("no input labelled " + label);
  const before = document.querySelector("[data-figure-key]")?.getAttribute("data-figure-key");
  const start = performance.now();
  input.value = value;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  await new Promise((resolve) => {
    const check = () => {
      const key = document.querySelector("[data-figure-key]")?.getAttribute("data-figure-key");
      if (key && key !== before) { observer.disconnect(); requestAnimationFrame(() => requestAnimationFrame(resolve)); return true; }
      return false;
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-figure-key"]});
    check();
  });
  const elapsed = performance.now() - start;
  const compute = Number(document.querySelector("#figure8-timing")?.getAttribute("data-milliseconds"));
  return {elapsed, compute};
}`;

async function main(): Promise<void> {
  await withBuiltSitePage({ path, builtFile: "index.html" }, async (page) => {
    await page.locator("[data-figure-key]").waitFor();
    const times: number[] = [];
    const computes: number[] = [];
    // One untimed change first: it warms up the JIT as a reader's first edit would not be measured either.
    for (let i = 0; i <= runs; i++) {
      const value = STUDENT_LISTS[i % STUDENT_LISTS.length];
      const { elapsed, compute } = await evaluateSource<{ elapsed: number; compute: number }>(page, CHANGE_AND_TIME, ["Student sizes N_S", value]);
      if (i === 0) continue;
      times.push(elapsed);
      computes.push(compute);
      console.log(`run ${i}: students ${value}: chart updated in ${elapsed.toFixed(0)} ms (optimisation ${compute.toFixed(0)} ms)`);
    }
    const result = median(times);
    console.log(`median over ${runs} changes on ${path}: ${result.toFixed(0)} ms from input to painted chart ` +
      `(optimisation ${median(computes).toFixed(0)} ms); target ${TARGET_MS} ms: ${result <= TARGET_MS ? "met" : "NOT met"}`);
    if (result > TARGET_MS) process.exitCode = 1;
  });
}

runMain(main);
