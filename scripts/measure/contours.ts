// Measures how long the Figure 6 page takes to redraw its six contour panels after an input
// changes, in headless Chromium against the built site (run `npm run build` first):
//   npm run measure:contours [-- --repeats 20]
// Each update is timed in the page from the input event to the next animation frame after the new
// figure (a new data-figure-key) is in the document, so it includes the grid, Plot and layout.
// Prints the median and maximum per input; exits non-zero if a median exceeds the 300 ms budget.

import { evaluateSource, median, runMain, withBuiltSitePage } from "../built-site-browser.js";

const BUDGET_MS = 300;
const repeatsIndex = process.argv.indexOf("--repeats");
const REPEATS = repeatsIndex > 0 ? Number(process.argv[repeatsIndex + 1]) : 20;

// Runs in the page (see evaluateSource). Changes the input `selector` to the option at `index`
// and resolves with the milliseconds until the redrawn figure has been laid out and a frame has
// passed.
const TIME_UPDATE = `async ({selector, index}) => {
  const figureKey = () => document.querySelector("[data-figure-key]")?.getAttribute("data-figure-key");
  const before = figureKey();
  const input = document.querySelector(selector);
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      // The old figure leaves the document before the new one arrives: wait for a key, not its absence.
      const key = figureKey();
      if (key && key !== before) {
        observer.disconnect();
        document.querySelector("[data-figure-key]").getBoundingClientRect();
        requestAnimationFrame(() => resolve(performance.now()));
      }
    });
    observer.observe(document.body, {childList: true, subtree: true});
  });
  const started = performance.now();
  if (input.tagName === "SELECT") input.selectedIndex = index;
  else input.form.querySelectorAll("input")[index].checked = true;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  return (await done) - started;
}`;

interface Measured {
  name: string;
  times: number[];
}

async function main(): Promise<void> {
  await withBuiltSitePage({ path: "/contours", builtFile: "contours.html" }, async (page) => {
    await page.locator("[data-figure-key] g.contour-bands path").first().waitFor({ timeout: 30_000 });
    const coefficientOptions = await page.locator("form select").first().locator("option").count();
    const inputs: { name: string; selector: string; options: number }[] = [
      { name: "x axis (Figure 6 <-> Figure 14)", selector: "form input[type=radio]", options: 2 },
    ];
    if (coefficientOptions > 1) inputs.push({ name: "coefficient set", selector: "form select", options: coefficientOptions });
    const results: Measured[] = [];
    for (const input of inputs) {
      const times: number[] = [];
      // One unmeasured change warms up the JIT and Plot's code paths.
      for (let i = 0; i <= REPEATS; i++) {
        const ms = await evaluateSource<number>(page, TIME_UPDATE, { selector: input.selector, index: (i + 1) % input.options });
        if (i > 0) times.push(ms);
      }
      results.push({ name: input.name, times });
    }
    let over = false;
    for (const { name, times } of results) {
      const m = median(times);
      over ||= m > BUDGET_MS;
      console.log(`${name}: median ${m.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms over ${times.length} updates (budget ${BUDGET_MS} ms)`);
    }
    if (over) process.exitCode = 1;
  });
}

runMain(main);
