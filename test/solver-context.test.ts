// One resolved context per question (src/core/allocation/optimizer.ts, SolverContext): every entry
// builds F(N) once however many searches it runs, and the numbers are those of the default model.
// F(N) is counted through a FLOPs model that records each construction: forwardFlopsFunction
// reads `nCtx` once per F(N) it builds (Eq. 69's context term), and no solver reads it otherwise.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_FLOPS_MODEL, forwardFlopsFunction, type FlopsModel } from "../src/core/laws/flops.js";
import { TABLE6 } from "../src/core/laws/laws.js";
import { resolveSolverContext } from "../src/core/allocation/optimizer.js";
import { planAllocations, STRATEGIES } from "../src/core/allocation/plan.js";
import { solveStrategy } from "../src/core/allocation/strategy.js";
import { targetLossCompute } from "../src/core/questions/targetLoss.js";
import { lifetimeAnswer, lifetimeStrategies } from "../src/core/questions/lifetime.js";
import { solveMember } from "../src/core/uncertainty/planUncertainty.js";
import { solveTargetMember } from "../src/core/uncertainty/targetLossUncertainty.js";
import { solveLifetimeMember } from "../src/core/uncertainty/lifetimeUncertainty.js";

/** Table 6's FLOPs model, counting the F(N) built from it. */
function recordingFlops(): { flops: FlopsModel; builds: () => number } {
  let reads = 0;
  const flops = { ...DEFAULT_FLOPS_MODEL, get nCtx() { reads++; return DEFAULT_FLOPS_MODEL.nCtx; } };
  return { flops, builds: () => reads };
}

test("the recording model counts one read per F(N) built and gives the default F(N)", () => {
  const { flops, builds } = recordingFlops();
  const F = forwardFlopsFunction(flops);
  assert.equal(builds(), 1);
  for (const N of [1e6, 1e9, 1e12]) assert.equal(F(N), forwardFlopsFunction(DEFAULT_FLOPS_MODEL)(N));
  assert.equal(builds(), 1);
  resolveSolverContext({ flops });
  assert.equal(builds(), 2);
});

test("a plan of every strategy builds F(N) once, with the default model's numbers", () => {
  for (const [studentParameters, budget] of [[1.821e9, 1e22], [5.46e8, 3e21], [7.747e9, 1e24]]) {
    const { flops, builds } = recordingFlops();
    const rows = planAllocations({ studentParameters, budget, flops });
    assert.equal(builds(), 1, `N_S = ${studentParameters}, C = ${budget}`);
    assert.equal(rows.length, STRATEGIES.length);
    assert.ok(rows.every((row) => row.error === null), "every strategy feasible, so every search ran");
    assert.deepEqual(rows, planAllocations({ studentParameters, budget }));
  }
  // An infeasible budget is answered from the same context.
  const { flops, builds } = recordingFlops();
  const rows = planAllocations({ studentParameters: 1e9, budget: 1e15, flops });
  assert.ok(rows.every((row) => row.error !== null));
  assert.equal(builds(), 1);
});

test("the single-strategy, target-loss and lifetime entries build F(N) once per call", () => {
  const entries: [string, (flops: FlopsModel) => unknown][] = [
    ["solveStrategy", (flops) => solveStrategy(1.821e9, 1e22, "teacher-pretraining-inference", { flops })],
    ["targetLossCompute", (flops) => targetLossCompute(1.821e9, 2.3, "teacher-inference", { flops })],
    ["lifetimeAnswer (target loss)", (flops) => lifetimeAnswer({ targetLoss: 2.3 }, 1e12, lifetimeStrategies(4), { flops })],
    ["lifetimeAnswer (budget)", (flops) => lifetimeAnswer({ budget: 1e23 }, 1e14, lifetimeStrategies(4), { flops })],
  ];
  for (const [name, entry] of entries) {
    const { flops, builds } = recordingFlops();
    assert.deepEqual(entry(flops), entry(DEFAULT_FLOPS_MODEL), name);
    assert.equal(builds(), 1, name);
  }
});

test("an ensemble member's solve builds F(N) once for all its strategies", () => {
  const member = { supervised: { ...TABLE6.supervised, E: TABLE6.supervised.E * 1.01 }, distillation: TABLE6.distillation };
  const plan = recordingFlops();
  solveMember({ studentParameters: 1.821e9, budget: 1e22, strategies: STRATEGIES.map((s) => s.id), flops: plan.flops }, member);
  assert.equal(plan.builds(), 1, "plan");
  const target = recordingFlops();
  const targetStrategies = [{ id: "supervised", label: "Supervised", strategy: "supervised" as const }, { id: "inference", label: "Teacher inference", strategy: "teacher-inference" as const }];
  solveTargetMember({ studentParameters: 1.821e9, targetLoss: 2.3, strategies: targetStrategies, flops: target.flops }, member);
  assert.equal(target.builds(), 1, "target loss");
  const lifetime = recordingFlops();
  const inputs = { question: { targetLoss: 2.3 }, servedTokens: 1e12, strategies: lifetimeStrategies(4), flops: lifetime.flops };
  const point = lifetimeAnswer(inputs.question, inputs.servedTokens, inputs.strategies);
  const solved = solveLifetimeMember(inputs, point, member);
  assert.ok(solved.outcome.every((o) => o !== null && !("failure" in o)), "every strategy searched");
  assert.equal(lifetime.builds(), 1, "lifetime");
});

test("below the entries no solver builds F(N) or defaults the model itself: resolveSolverContext alone does", () => {
  const core = fileURLToPath(new URL("../src/core/", import.meta.url));
  const patterns = [/forwardFlopsFunction\(/g, /\?\? DEFAULT_FLOPS_MODEL/g, /\?\? TABLE6\b/g];
  const found: string[] = [];
  for (const folder of ["allocation", "questions", "uncertainty"]) {
    for (const file of readdirSync(join(core, folder)).filter((f) => f.endsWith(".ts"))) {
      readFileSync(join(core, folder, file), "utf8").split("\n").forEach((line, i) => {
        for (const pattern of patterns) {
          for (const match of line.matchAll(pattern)) found.push(`${folder}/${file}:${i + 1}: ${match[0]}`);
        }
      });
    }
  }
  const start = readFileSync(join(core, "allocation", "optimizer.ts"), "utf8").split("\n").findIndex((line) => line.startsWith("export function resolveSolverContext("));
  assert.ok(start >= 0);
  const inResolver = (entry: string) => {
    const [, file, line] = /^(.*?):(\d+):/.exec(entry)!;
    return file === "allocation/optimizer.ts" && Number(line) > start && Number(line) <= start + 8;
  };
  assert.deepEqual(found.filter((entry) => !inResolver(entry)), []);
  assert.equal(found.length, patterns.length, `one default of each and one F(N) in resolveSolverContext:\n${found.join("\n")}`);
});
