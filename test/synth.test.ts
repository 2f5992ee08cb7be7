import { formatExponent } from "../src/core/inputs/units.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readDataset } from "../src/node/datasets.js";
import { forwardFlopsPerToken } from "../src/core/laws/flops.js";
import { distilledLoss, supervisedLoss, TABLE6 } from "../src/core/laws/laws.js";
import { findDuplicateRuns, parseDistillationCsv, parseSupervisedCsv } from "../src/core/fitting/runs.js";
import {
  countByProtocol,
  generatePaperSynthetic,
  PAPER_PROTOCOLS,
  PAPER_SYNTHETIC_OPTIONS,
  supervisedIsoflopOptimum,
  syntheticCsv,
} from "../src/core/fitting/synth.js";
import { TABLE13_MODELS } from "../src/core/laws/table13.js";
import { writePaperSynthetic } from "../scripts/synth.js";

const COMMITTED = fileURLToPath(new URL("../src/data/runs/paper-synthetic/", import.meta.url));
const dataset = generatePaperSynthetic();
const committed = readDataset(COMMITTED);

test("regenerating into a temporary folder gives byte-identical files to the committed ones", () => {
  const folder = mkdtempSync(join(tmpdir(), "synth-"));
  try {
    const written = writePaperSynthetic(folder).map((path) => path.slice(folder.length + 1)).sort();
    assert.deepEqual(written, readdirSync(COMMITTED).sort());
    for (const name of written) {
      assert.equal(readFileSync(join(folder, name), "utf8"), readFileSync(join(COMMITTED, name), "utf8"), name);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("the committed files parse, and parsing returns exactly the generated numbers", () => {
  const strip = <T extends { line?: number; labels?: Record<string, string> }>(runs: T[]) =>
    runs.map(({ line: _line, ...run }) => run);
  assert.deepEqual(strip(committed.supervised), dataset.supervised);
  assert.deepEqual(strip(committed.distillation), dataset.distillation);
  assert.equal(committed.metadata.synthetic, true);
  assert.match(readFileSync(join(COMMITTED, "README.md"), "utf8"), /SYNTHETIC/);
});

test("run counts per protocol", () => {
  assert.deepEqual(Object.fromEntries(countByProtocol(dataset.supervised)), {
    "fixed-M (M=20)": 11,
    "fixed tokens (512B)": 6,
    "IsoFLOP 3e19": 15,
    "IsoFLOP 1e20": 14,
    "IsoFLOP 3e20": 14,
    "IsoFLOP 1e21": 14,
  });
  assert.equal(dataset.supervised.length, 74);
  assert.deepEqual(Object.fromEntries(countByProtocol(dataset.distillation)), {
    "fixed-M teacher / student IsoFLOP 3e19": 54,
    "fixed-M teacher / student IsoFLOP 1e20": 54,
    "fixed-M teacher / student IsoFLOP 3e20": 54,
    "fixed-M teacher / student IsoFLOP 1e21": 54,
    "fixed-M teacher / student IsoFLOP 3e21": 12,
    "teacher IsoFLOP 3e19 / fixed-M student": 60,
    "teacher IsoFLOP 1e20 / fixed-M student": 56,
    "teacher IsoFLOP 3e20 / fixed-M student": 56,
    "teacher IsoFLOP 1e21 / fixed-M student": 56,
    "fixed-M teacher / fixed-M student": 240,
  });
  assert.ok(Math.abs(dataset.distillation.length - 697) <= 10, "about the paper's 697 runs");
});

test("no NaN, no duplicates, all sizes from Table 13 (143M and up)", () => {
  const sizes = new Set(TABLE13_MODELS.filter((m) => m.N >= 1.4e8).map((m) => m.N));
  for (const run of dataset.supervised) {
    assert.ok([run.N, run.D, run.L].every((x) => Number.isFinite(x) && x > 0));
    assert.ok(sizes.has(run.N));
  }
  for (const run of dataset.distillation) {
    assert.ok([run.NS, run.DS, run.NT, run.DT, run.LT, run.LS].every((x) => Number.isFinite(x) && x > 0));
    assert.ok(sizes.has(run.NS) && sizes.has(run.NT));
  }
  assert.deepEqual(findDuplicateRuns(dataset.supervised), []);
  assert.deepEqual(findDuplicateRuns(dataset.distillation), []);
});

test("protocol geometry: fixed M, 512B tokens, IsoFLOP compute, student ratios", () => {
  const F = (N: number) => forwardFlopsPerToken(N);
  for (const run of dataset.supervised) {
    const protocol = run.labels?.protocol ?? "";
    if (protocol.startsWith("fixed-M")) assert.equal(run.D, 20 * run.N);
    else if (protocol.startsWith("fixed tokens")) assert.equal(run.D, 512e9);
    else {
      const budget = Number(protocol.replace("IsoFLOP ", ""));
      assert.ok(Math.abs((3 * F(run.N) * run.D) / budget - 1) < 5e-4, `${protocol} ${run.N}`);
    }
  }
  const fixedMTeacherSizes = new Set<number>();
  const ratiosPerPair = new Map<string, number>();
  for (const run of dataset.distillation) {
    const protocol = run.labels?.protocol ?? "";
    if (protocol.startsWith("fixed-M teacher")) {
      assert.equal(run.DT, 20 * run.NT);
      fixedMTeacherSizes.add(run.NT);
    }
    if (protocol.includes("student IsoFLOP")) {
      const budget = Number(protocol.split("IsoFLOP ")[1]);
      assert.ok(Math.abs((3 * F(run.NS) * run.DS) / budget - 1) < 5e-4);
    }
    if (protocol.startsWith("teacher IsoFLOP")) {
      assert.equal(run.DS, 20 * run.NS);
      const budget = Number(protocol.split(" ")[2]);
      assert.ok(Math.abs((3 * F(run.NT) * run.DT) / budget - 1) < 5e-4);
    }
    if (protocol === "fixed-M teacher / fixed-M student") {
      const key = `${run.NT}/${run.NS}`;
      ratiosPerPair.set(key, (ratiosPerPair.get(key) ?? 0) + 1);
      assert.ok(run.DS <= 512e9);
    }
  }
  assert.equal(ratiosPerPair.size, 10 * 5);
  assert.ok([...ratiosPerPair.values()].every((count) => count >= 4));
  const named = ["198M", "546M", "975M", "1.82B", "4.82B", "7.75B"].map((n) => TABLE13_MODELS.find((m) => m.name === n)!.N);
  for (const N of named) assert.ok(fixedMTeacherSizes.has(N));
});

test("teachers are supervised runs: every (N_T, D_T, L_T) is a row of supervised.csv", () => {
  const supervised = new Set(dataset.supervised.map((r) => `${r.N},${r.D},${r.L}`));
  for (const run of dataset.distillation) assert.ok(supervised.has(`${run.NT},${run.DT},${run.LT}`));
});

test("noise: log residuals against the Table 6 laws are uniform within +-noise, with no bias", () => {
  const residuals = [
    ...dataset.supervised.map((r) => Math.log(r.L / supervisedLoss(TABLE6.supervised, r.N, r.D))),
    // L_S is generated at the observed L_T (see synth.ts), so that is what it is compared with.
    ...dataset.distillation.map((r) => Math.log(r.LS / distilledLoss(TABLE6, r.NS, r.DS, r.LT))),
  ];
  assert.equal(PAPER_SYNTHETIC_OPTIONS.noiseModel, "uniform");
  const w = PAPER_SYNTHETIC_OPTIONS.noise;
  const n = residuals.length;
  const mean = residuals.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(residuals.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const sigma = w / Math.sqrt(3);
  // Bounded: every loss within 0.4% of its law (plus the five-decimal rounding of the written losses).
  assert.ok(residuals.every((r) => Math.abs(r) <= w + 1e-5), `largest ${Math.max(...residuals.map(Math.abs))}`);
  assert.ok(Math.abs(sd / sigma - 1) < 0.1, `sd ${sd}`);
  assert.ok(Math.abs(mean) < (4 * sigma) / Math.sqrt(n), `mean ${mean}`);
  // Flat, not bell-shaped: each quarter of [-w, w] holds about a quarter of the residuals.
  for (let q = 0; q < 4; q++) {
    const lo = -w + (q * w) / 2, hi = lo + w / 2;
    const share = residuals.filter((r) => r >= lo && r < hi).length / n;
    assert.ok(Math.abs(share - 0.25) < 0.05, `quarter ${q}: ${share}`);
  }
});

test("the lognormal noise model has the stated spread", () => {
  const lognormal = generatePaperSynthetic({ noiseModel: "lognormal", noise: 0.004 });
  const residuals = lognormal.supervised.map((r) => Math.log(r.L / supervisedLoss(TABLE6.supervised, r.N, r.D)))
    .concat(lognormal.distillation.map((r) => Math.log(r.LS / distilledLoss(TABLE6, r.NS, r.DS, r.LT))));
  const sd = Math.sqrt(residuals.reduce((a, b) => a + b * b, 0) / residuals.length);
  assert.ok(Math.abs(sd / 0.004 - 1) < 0.1, `sd ${sd}`);
  assert.ok(residuals.some((r) => Math.abs(r) > 0.004), "unbounded, unlike the uniform model");
});

test("the seed and noise options are honoured", () => {
  const same = generatePaperSynthetic({ seed: PAPER_SYNTHETIC_OPTIONS.seed });
  assert.deepEqual(same, dataset);
  const other = generatePaperSynthetic({ seed: 7 });
  assert.notDeepEqual(other.supervised.map((r) => r.L), dataset.supervised.map((r) => r.L));
  assert.deepEqual(other.supervised.map((r) => [r.N, r.D]), dataset.supervised.map((r) => [r.N, r.D]));
  const noiseless = generatePaperSynthetic({ noise: 0 });
  for (const r of noiseless.supervised) {
    assert.ok(Math.abs(r.L - supervisedLoss(TABLE6.supervised, r.N, r.D)) <= 5e-6);
  }
});

test("IsoFLOP windows are centred on the loss-minimising size", () => {
  for (const budget of PAPER_PROTOCOLS.isoflopBudgets) {
    const optimum = supervisedIsoflopOptimum(budget, TABLE6.supervised, PAPER_SYNTHETIC_OPTIONS.flops);
    const loss = (N: number) => supervisedLoss(TABLE6.supervised, N, budget / (3 * forwardFlopsPerToken(N)));
    assert.ok(loss(optimum) <= loss(optimum * 1.01) && loss(optimum) <= loss(optimum / 1.01));
    const sizes = dataset.supervised.filter((r) => r.labels?.protocol === `IsoFLOP ${formatExponent(budget, 2)}`).map((r) => r.N);
    assert.ok(Math.min(...sizes) < optimum && optimum < Math.max(...sizes));
  }
});

test("formatting: exponent notation is deterministic and read back exactly", () => {
  assert.equal(formatExponent(1.821e9, 6), "1.821e9");
  assert.equal(formatExponent(5.12e11, 6), "5.12e11");
  assert.equal(formatExponent(4.5888e10, 6), "4.5888e10");
  assert.equal(formatExponent(3e19, 2), "3e19");
  const csv = syntheticCsv(dataset);
  assert.equal(parseSupervisedCsv(csv.supervised, "s.csv").length, 74);
  assert.equal(parseDistillationCsv(csv.distillation, "d.csv").length, dataset.distillation.length);
  assert.ok(!/NaN|Infinity|undefined/.test(csv.supervised + csv.distillation));
});

test("L_S follows Eq. 8 at the observed teacher loss, not at the noiseless one", () => {
  const spread = (values: number[]) => Math.sqrt(values.reduce((a, b) => a + b * b, 0) / values.length);
  const atObserved = dataset.distillation.map((r) => Math.log(r.LS / distilledLoss(TABLE6, r.NS, r.DS, r.LT)));
  const atNoiseless = dataset.distillation.map((r) =>
    Math.log(r.LS / distilledLoss(TABLE6, r.NS, r.DS, supervisedLoss(TABLE6.supervised, r.NT, r.DT))));
  assert.ok(spread(atObserved) < 0.95 * spread(atNoiseless), `${spread(atObserved)} vs ${spread(atNoiseless)}`);
});
