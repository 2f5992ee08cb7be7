// Build-time bands of Figure 8's default view (src/components/figure8Defaults.ts): for every
// member of the paper's coefficient ensemble, each (student, strategy, budget) re-optimised and
// each crossover searched, then the 90% bands (src/core/figure8Bands.ts). The page shows them at
// once and recomputes in Web Workers only when an input changes.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { csvParse, autoType } from "d3-dsv";
import { TABLE6 } from "../core/laws.js";
import { FIGURE8_DEFAULTS, figure8Grid } from "../components/figure8Defaults.js";
import { parseSizes, type ModelName } from "../components/students.js";
import { figure8BandsInWorkers } from "../node/figure8BandWorkers.js";
// TEMPORARY until branch `ensemble` lands the paper's parametric-bootstrap ensemble and domain.
import { temporaryPaperDomain, temporaryTestEnsemble } from "../node/temporaryTestEnsemble.js";

const log = (message: string) => process.stderr.write(`[figure8-bands] ${message}\n`);

try {
  const started = Date.now();
  const models = csvParse(readFileSync(fileURLToPath(new URL("./table13-models.csv", import.meta.url)), "utf-8"), autoType) as unknown as ModelName[];
  const { students } = parseSizes(FIGURE8_DEFAULTS.students, models, { limit: 6 });
  const grid = figure8Grid(students, FIGURE8_DEFAULTS.perDecade);
  const ensemble = temporaryTestEnsemble(Number(process.env.DP_BAND_MEMBERS ?? 200));
  let reported = 0;
  const bands = await figure8BandsInWorkers(TABLE6, ensemble, grid, {}, {
    onProgress: (done, total) => {
      if (done - reported >= 20 || done === total) { reported = done; log(`${done} of ${total} members`); }
    },
  });
  const seconds = (Date.now() - started) / 1000;
  log(`${grid.studentParameters.length * grid.strategies.length * grid.budgets.length} cells x ${ensemble.members.length} members in ${seconds.toFixed(1)} s`);
  process.stdout.write(JSON.stringify({
    coefficients: FIGURE8_DEFAULTS.coefficients,
    ...bands,
    seconds,
    // TEMPORARY: the members and domain travel with the bands until fits.json carries them.
    temporary: { members: ensemble.members, domain: temporaryPaperDomain() },
  }, (_, v) => (typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(8)) : v)));
} catch (error) {
  process.stderr.write(`[figure8-bands] error: ${(error as Error).message}\n`);
  process.exit(1);
}
