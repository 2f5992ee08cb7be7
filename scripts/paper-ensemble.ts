// npm run paper-ensemble: writes src/data/paper-ensemble.json, Table 6's parametric-bootstrap
// ensemble with the seed and member count of the build (src/data/fits.zip.ts), so that
// `npm run plan -- --uncertainty` has Table 6's ensemble on a fresh clone without building the
// site (the CLI cannot read the build's output). Deterministic: the same code writes the same file.
// Regenerate it when the fitter, the synthetic design or the noise model changes.
// It also carries `outOfDomain`, the error growth measured on the bundled runs of the paper's design
// (src/data/runs/paper-synthetic, as the build measures it for Table 6); `--growth-only` measures
// and writes only that field, keeping the file's members.

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { analyseDataset, publishedEnsemble, runEnsemble } from "../src/core/fitting/analysis.js";
import { readDataset } from "../src/node/datasets.js";
import { DEFAULT_RESAMPLES } from "../src/core/ensemble/bootstrap.js";
import { TABLE6 } from "../src/core/laws/laws.js";
import { paperDesignDomain } from "../src/core/ensemble/parametricBootstrap.js";
import { workerBootstrap } from "../src/node/bootstrapWorkers.js";

/** The build's seed (src/data/fits.zip.ts). */
const SEED = 20250212;
const members = Number(process.env.DP_BOOTSTRAP_RESAMPLES ?? DEFAULT_RESAMPLES);
const file = fileURLToPath(new URL("../src/data/paper-ensemble.json", import.meta.url));
const started = Date.now();
const log = (m: string) => process.stderr.write(`[paper-ensemble] ${m}\n`);
const bundled = readDataset(fileURLToPath(new URL("../src/data/runs/paper-synthetic/", import.meta.url)));
const outOfDomain = (await analyseDataset(bundled.supervised, bundled.distillation, {
  outOfDomain: true, name: bundled.id, onProgress: log,
})).outOfDomain;
if (process.argv.includes("--growth-only")) {
  const current = JSON.parse(readFileSync(file, "utf8"));
  writeFileSync(file, `${JSON.stringify({ ...current, outOfDomain })}\n`);
  log(`out-of-domain growth written, ${((Date.now() - started) / 1000).toFixed(0)} s: ${file}`);
  process.exit(0);
}
const part = await runEnsemble(
  { kind: "parametric-bootstrap", coefficients: TABLE6, resamples: members, seed: SEED },
  { bootstrapRunner: workerBootstrap(), name: "paper (Table 6)", onProgress: (m) => process.stderr.write(`[paper-ensemble] ${m}\n`) },
  "parametric bootstrap",
);
const ensemble = publishedEnsemble(part);
writeFileSync(file, `${JSON.stringify({
  note: "Table 6's parametric-bootstrap ensemble, written by `npm run paper-ensemble` (scripts/paper-ensemble.ts); format: docs/coefficients-format.md",
  supervised: TABLE6.supervised, distillation: TABLE6.distillation,
  ensemble, domain: paperDesignDomain(TABLE6), outOfDomain,
})}\n`);
process.stderr.write(`[paper-ensemble] ${ensemble.members.length} of ${members} members kept, ${ensemble.leftOut} left out, ` +
  `${((Date.now() - started) / 1000).toFixed(0)} s: ${file}\n`);
