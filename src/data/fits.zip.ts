// Build-time fits of every data set under src/data/runs/ (one folder each), as a zip archive
// the pages read file by file (FileAttachment("data/fits/fits.json") and so on):
//   fits.json                 per data set: coefficients, bootstrap intervals, objective, run
//                             counts, duplicates, the extrapolation check, the paired bootstrap
//                             `ensemble` (the intervals are its percentiles), the validity
//                             `domain` of its runs and the measured `outOfDomain` error growth;
//                             at top level `paper`: Table 6 with its parametric-bootstrap
//                             `ensemble`, the `domain` of the paper's design and the growth
//                             measured on the bundled runs of that design
//   figure8-bands.json        Figure 8's default view with 90% bands over Table 6's ensemble
//   efficiency-bands.json     Figures 33/34's default view with 90% bands over Table 6's ensemble
//   supervised-runs.csv       every supervised run with its prediction and relative residual
//   distillation-runs.csv     every distillation run, likewise
// Bad data stops the build with one message naming the file, line and column.

import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import JSZip from "jszip";
import { csvFormat } from "d3-dsv";
import { readDataset } from "../node/datasets.js";
import { analyseDataset, predictDistillationRuns, predictSupervisedRuns, publishedEnsemble, runEnsemble } from "../core/fitting/analysis.js";
import { DEFAULT_RESAMPLES } from "../core/ensemble/bootstrap.js";
import { paperDesignDomain } from "../core/ensemble/parametricBootstrap.js";
import { TABLE6 } from "../core/laws/laws.js";
import { validateCoefficientSet } from "../core/ensemble/validateCoefficientSet.js";
import type { FitsDataset, FitsFile, FitsPaper } from "../core/fitting/fitsFile.js";
import { workerBootstrap } from "../node/bootstrapWorkers.js";
import { figure8DefaultBands } from "../node/figure8DefaultBands.js";
import { efficiencyDefaultBands } from "../node/efficiencyDefaultBands.js";

// Members of every ensemble (the data sets' bootstraps and Table 6's parametric bootstrap); the
// default is the library's, chosen to keep the build within its time budget (bootstrap.ts).
const RESAMPLES = Number(process.env.DP_BOOTSTRAP_RESAMPLES ?? DEFAULT_RESAMPLES);
const SEED = 20250212;
const runsFolder = fileURLToPath(new URL("./runs/", import.meta.url));
/** The bundled runs of the paper's design (Table 6's own runs are not public). */
const PAPER_DESIGN_DATASET = "paper-synthetic";

const log = (message: string) => process.stderr.write(`[fits] ${message}\n`);

try {
  // Table 6's parametric bootstrap needs no fit, so it starts at once in worker threads and runs
  // while the main thread does the data sets' grid searches, which are single-threaded: measured
  // (2026-12-01) the loader spends about 194 s of CPU, 118 s of it in the two 200-member
  // ensembles, so overlapping keeps both cores busy instead of one during the ~75 s of fits (analyseDataset
  // likewise runs a data set's ensemble beside its extrapolation fits).
  const paperStarted = Date.now();
  const paperEnsemblePromise = runEnsemble(
    { kind: "parametric-bootstrap", coefficients: TABLE6, resamples: RESAMPLES, seed: SEED },
    { bootstrapRunner: workerBootstrap(), onProgress: log, name: "paper (Table 6)" }, "parametric bootstrap");
  // A rejection is reported where it is awaited; this keeps Node from calling it unhandled meanwhile.
  paperEnsemblePromise.catch(() => {});
  const folders = readdirSync(runsFolder).filter((name) => statSync(join(runsFolder, name)).isDirectory()).sort();
  if (folders.length === 0) throw new Error(`no data set folders under ${runsFolder}`);
  const datasets: FitsDataset[] = [];
  const supervisedRows: Record<string, unknown>[] = [];
  const distillationRows: Record<string, unknown>[] = [];
  for (const folder of folders) {
    const started = Date.now();
    const dataset = readDataset(join(runsFolder, folder));
    log(`${dataset.id}: ${dataset.supervised.length} supervised and ${dataset.distillation.length} distillation runs`);
    const analysis = await analyseDataset(dataset.supervised, dataset.distillation, {
      resamples: RESAMPLES, seed: SEED, extrapolation: true, outOfDomain: true, name: dataset.id, onProgress: log,
      bootstrapRunner: workerBootstrap(),
    });
    const supervisedCoefficients = analysis.supervised.fit.coefficients;
    predictSupervisedRuns(dataset.supervised, supervisedCoefficients).forEach((prediction, i) => {
      const run = dataset.supervised[i];
      supervisedRows.push({
        dataset: dataset.id, line: run.line, N: run.N, D: run.D, L: run.L, ...run.labels,
        L_predicted: prediction.predicted, relative_residual: prediction.relativeResidual, split: prediction.split,
      });
    });
    if (analysis.distillation) {
      predictDistillationRuns(dataset.distillation, supervisedCoefficients, analysis.distillation.fit.coefficients).forEach((prediction, i) => {
        const run = dataset.distillation[i];
        distillationRows.push({
          dataset: dataset.id, line: run.line, N_S: run.NS, D_S: run.DS, N_T: run.NT, D_T: run.DT, L_T: run.LT, L_S: run.LS,
          ...run.labels, L_S_predicted: prediction.predicted, L_S_supervised: prediction.supervisedStudentLoss,
          relative_residual: prediction.relativeResidual, split: prediction.split,
        });
      });
    }
    // The set the pages will compute with passes the same check as any set a reader brings.
    const checked = validateCoefficientSet({
      supervised: supervisedCoefficients, distillation: analysis.distillation?.fit.coefficients ?? null,
      ensemble: analysis.ensemble ?? null, domain: analysis.domain ?? null,
    });
    if (!checked.ok) throw new Error(`${dataset.id}: the fitted coefficient set fails its check: ${checked.error}`);
    datasets.push({
      id: dataset.id,
      label: dataset.metadata.label ?? dataset.id,
      description: dataset.metadata.description ?? "",
      synthetic: dataset.metadata.synthetic ?? false,
      runs: { supervised: dataset.supervised.length, distillation: dataset.distillation.length },
      duplicates: dataset.duplicates,
      bootstrap: { resamples: RESAMPLES, seed: SEED, level: 0.9 },
      ...analysis,
    });
    if (analysis.ensemble) log(`${dataset.id}: ${analysis.ensemble.members.length} of ${RESAMPLES} ensemble members kept`);
    log(`${dataset.id}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const paperEnsemble = await paperEnsemblePromise;
  log(`paper (Table 6): parametric bootstrap, ${paperEnsemble.members.length} of ${RESAMPLES} members kept, ` +
    `done ${((Date.now() - paperStarted) / 1000).toFixed(1)} s after the loader started`);
  // Table 6's out-of-domain growth is the one measured on the bundled runs of the paper's design.
  const paperDesignRuns = datasets.find((d) => d.id === PAPER_DESIGN_DATASET);
  const paper: FitsPaper = {
    ...TABLE6, ensemble: publishedEnsemble(paperEnsemble), domain: paperDesignDomain(TABLE6),
    outOfDomain: paperDesignRuns?.outOfDomain ?? null,
  };
  const paperChecked = validateCoefficientSet(paper);
  if (!paperChecked.ok) throw new Error(`paper (Table 6): the coefficient set fails its check: ${paperChecked.error}`);
  // Figure 8's default view with bands over Table 6's ensemble, so the page shows them at once.
  const bandsStarted = Date.now();
  const paperWidening = paper.domain && paper.outOfDomain ? { domain: paper.domain, growth: paper.outOfDomain } : null;
  const figure8Bands = await figure8DefaultBands(paper.ensemble, paperWidening, log);
  log(`Figure 8 default bands: ${paper.ensemble.members.length} members in ${((Date.now() - bandsStarted) / 1000).toFixed(1)} s`);
  // Figures 33/34's default view likewise (the target-loss page).
  const efficiencyStarted = Date.now();
  const efficiencyBands = await efficiencyDefaultBands(paper.ensemble, paperWidening, log);
  log(`Figures 33/34 default bands: ${paper.ensemble.members.length} members in ${((Date.now() - efficiencyStarted) / 1000).toFixed(1)} s`);
  const zip = new JSZip();
  // Fixed dates keep the archive byte-identical across builds of the same data.
  const date = new Date("2025-02-12T00:00:00Z");
  const fits: FitsFile = { paper, datasets };
  zip.file("fits.json", JSON.stringify(fits), { date });
  zip.file("figure8-bands.json", figure8Bands, { date });
  zip.file("efficiency-bands.json", efficiencyBands, { date });
  // csvFormat writes every column of any row, in first-seen order: data sets may carry different text columns.
  zip.file("supervised-runs.csv", csvFormat(supervisedRows), { date });
  zip.file("distillation-runs.csv", csvFormat(distillationRows), { date });
  process.stdout.write(await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" }));
} catch (error) {
  // One line naming what was wrong; a non-zero exit fails the build.
  process.stderr.write(`[fits] error: ${(error as Error).message}\n`);
  process.exit(1);
}
