import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_FLOPS_MODEL, flopsModel, flopsShapeConstants, forwardFlopsPerToken } from "../src/core/laws/flops.js";
import { SCENARIOS, distillationFlops, scenarioById } from "../src/core/laws/scenarios.js";
import { TABLE13_MODELS } from "../src/core/laws/table13.js";

test("F(N) of Eq. 69 reproduces Table 13's C_fwd_2N_sigma within 0.5% for all 33 models", () => {
  assert.equal(TABLE13_MODELS.length, 33);
  for (const row of TABLE13_MODELS) {
    const N = row.N_billion * 1e9;
    const expected = row.C_fwd_2N_sigma_billion * 1e9;
    const relative = Math.abs(forwardFlopsPerToken(N) / expected - 1);
    assert.ok(relative < 0.005, `${row.name}: ${forwardFlopsPerToken(N)} vs ${expected} (${relative})`);
  }
});

test("omega is 12 for the default architecture, and 2N is available", () => {
  assert.ok(Math.abs(flopsShapeConstants(DEFAULT_FLOPS_MODEL).omega - 12) < 1e-12);
  assert.equal(forwardFlopsPerToken(1e9, flopsModel({ form: "2N" })), 2e9);
  // The attention and vocabulary terms matter less as models grow.
  const overhead = (N: number) => forwardFlopsPerToken(N) / (2 * N);
  assert.ok(overhead(1e8) > overhead(1e9) && overhead(1e9) > overhead(1e11) && overhead(1e11) > 1);
});

test("every architecture parameter is settable and invalid ones are rejected", () => {
  const longer = flopsModel({ nCtx: 8192 });
  assert.ok(forwardFlopsPerToken(1e9, longer) > forwardFlopsPerToken(1e9));
  assert.ok(forwardFlopsPerToken(1e9, flopsModel({ nVocab: 128000 })) > forwardFlopsPerToken(1e9));
  assert.ok(flopsShapeConstants(flopsModel({ gSize: 8 })).omega < 12);
  assert.throws(() => flopsModel({ nCtx: -1 }), /nCtx must be a positive finite number/);
  assert.throws(() => flopsModel({ rhoModel: Number.NaN }), /rhoModel/);
});

test("Eq. 9 charges each term according to the scenario's deltas (Table 2)", () => {
  const allocation = { studentParameters: 1e9, studentTokens: 2e10, teacherParameters: 7e9, teacherTokens: 1.4e11 };
  const FS = forwardFlopsPerToken(1e9), FT = forwardFlopsPerToken(7e9);
  assert.deepEqual(SCENARIOS.map((s) => [s.deltaLogits, s.deltaPretraining]), [[0, 0], [1, 0], [0, 1], [1, 1]]);
  const worst = distillationFlops(allocation, scenarioById("teacher-pretraining-inference"));
  assert.ok(Math.abs(worst.studentTraining / (3 * FS * 2e10) - 1) < 1e-12);
  assert.ok(Math.abs(worst.teacherLogits / (FT * 2e10) - 1) < 1e-12);
  assert.ok(Math.abs(worst.teacherPretraining / (3 * FT * 1.4e11) - 1) < 1e-12);
  assert.equal(worst.total, worst.studentTraining + worst.teacherLogits + worst.teacherPretraining);
  const best = distillationFlops(allocation, scenarioById("best-case"));
  assert.equal(best.teacherLogits + best.teacherPretraining, 0);
  assert.throws(() => scenarioById("cheap"), /unknown scenario "cheap"/);
});

test("Table 13: one source; the pages' CSV is written from it and reads back to the same numbers; one lookup by name", async () => {
  const { csvParse } = await import("d3");
  const { table13Csv, table13Model } = await import("../src/core/laws/table13.js");
  const parsed = csvParse(table13Csv());
  assert.equal(parsed.length, 33);
  for (const [i, row] of parsed.entries()) {
    const model = TABLE13_MODELS[i];
    assert.equal(row.name, model.name);
    assert.equal(Number(row.N_billion) * 1e9, model.N_billion * 1e9);
    assert.equal(Number(row.C_fwd_2N_sigma_billion), model.C_fwd_2N_sigma_billion);
  }
  assert.equal(table13Model(" 1.82B ")?.N, 1.821e9);
  assert.equal(table13Model("975M")?.N, 9.755e8);
  assert.equal(table13Model("1.8B"), undefined);
  // Sizes are strictly increasing, as the students' and teachers' lists assume.
  for (let i = 1; i < TABLE13_MODELS.length; i++) assert.ok(TABLE13_MODELS[i].N > TABLE13_MODELS[i - 1].N);
});
