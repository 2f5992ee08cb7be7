// npm run measure:bands (after npm run build)
// In headless Chromium on the built planner: (1) the time to plan the first 200 members of Table
// 6's shipped ensemble (all five strategies) with the built core modules, the work the planner's
// worker does for one student and budget, target 1 s; (2) on the page itself, the time from a
// budget change to the point table and to the bands shown (with the build's ensemble, whose size
// is printed: a quick build has 20 members).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DIST_DIR, evaluateSource, median, runMain, withBuiltSitePage } from "../built-site-browser.js";

const ensemble = JSON.parse(readFileSync(new URL("../../src/data/paper-ensemble.json", import.meta.url), "utf8")).ensemble;
const members = { ...ensemble, members: ensemble.members.slice(0, 200) };
/** The built module of src/core/FOLDER/NAME.ts (Framework adds a content hash to the name). */
const built = (folder: string, name: string) => {
  const file = readdirSync(join(DIST_DIR, "_import/core", folder)).find((f) => f.startsWith(`${name}.`) && f.endsWith(".js"));
  if (file === undefined) throw new Error(`no built module core/${folder}/${name} in ${DIST_DIR}: run npm run build`);
  return `/_import/core/${folder}/${file}`;
};

const TIME_MEMBERS = `async ([uncertaintyUrl, planUrl, ensemble, NS, C]) => {
  const {planUncertainty} = await import(uncertaintyUrl);
  const {planAllocations, STRATEGIES} = await import(planUrl);
  const inputs = {studentParameters: NS, budget: C, strategies: STRATEGIES.map((s) => s.id)};
  const rows = planAllocations(inputs);
  const times = [];
  for (let i = 0; i < 4; i++) {
    const start = performance.now();
    planUncertainty(inputs, rows, ensemble);
    times.push(performance.now() - start);
  }
  return times.slice(1);
}`;

const TIME_PAGE = `(text) => new Promise((resolve, reject) => {
  const input = document.querySelector('[data-field="budget"] input');
  const expected = Number(text);
  const start = performance.now();
  let table = null;
  const poll = () => {
    if (table === null && Number(document.querySelector("#allocation-table")?.dataset.budget) === expected) table = performance.now() - start;
    const view = document.querySelector("#plan-uncertainty");
    if (table !== null && view?.dataset.status === "done" && Number(view.dataset.budget) === expected) return resolve({table, bands: performance.now() - start});
    if (performance.now() - start > 20000) return reject(new Error("no bands within 20 s for " + text));
    requestAnimationFrame(poll);
  };
  input.value = text;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  requestAnimationFrame(poll);
})`;

runMain(() => withBuiltSitePage({ path: "/planner", builtFile: "planner.html" }, async (page) => {
  await page.waitForSelector("#allocation-table");
  for (const [NS, C] of [[1.821e9, 1e22], [5.46e8, 3e21], [7.747e9, 1e24]]) {
    const times = await evaluateSource<number[]>(page, TIME_MEMBERS, [built("uncertainty", "planUncertainty"), built("allocation", "plan"), members, NS, C]);
    console.log(`bands in Chromium, N_S=${NS.toExponential(3)}, C=${C.toExponential(0)}: 200 members x 5 strategies in median ${median(times).toFixed(0)} ms ` +
      `(${Math.round(200000 / median(times))} members/s; target 1 s)`);
  }
  const size = await page.evaluate(() => Number((document.querySelector(".uncertainty-members") as HTMLElement | null)?.dataset.members));
  const results: { table: number; bands: number }[] = [];
  for (const budget of ["2e21", "5e22", "1e24", "3e22"]) results.push(await evaluateSource(page, TIME_PAGE, budget));
  console.log(`planner page (${size}-member ensemble of this build): input -> point table median ${median(results.map((r) => r.table)).toFixed(0)} ms, ` +
    `-> bands shown median ${median(results.map((r) => r.bands)).toFixed(0)} ms, max ${Math.max(...results.map((r) => r.bands)).toFixed(0)} ms`);
}));
