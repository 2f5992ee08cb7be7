// Validity flags of plan rows (src/core/domain/validity.ts): every flag appears for a row made to trigger
// it, with the variable and the factor in its message; no flag inside the domain.

import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { readDataset } from "../src/node/datasets.js";
import { planValidityFlags, validityDomain, type PlannedQuantities, type Range } from "../src/core/domain/validity.js";
import { planAllocations } from "../src/core/allocation/plan.js";

const dataset = readDataset(fileURLToPath(new URL("../src/data/runs/paper-synthetic/", import.meta.url)));
const domain = validityDomain(dataset.supervised, dataset.distillation, "the bundled synthetic runs");
const d = domain.distillation!;
const mid = (r: Range) => Math.sqrt(r.min * r.max);

// A distillation row in the middle of every range, its D_S chosen so D_S/N_S is inside too.
const inside: PlannedQuantities = {
  strategy: "teacher-inference",
  studentParameters: mid(d.studentParameters),
  studentTokens: mid(d.studentParameters) * mid(d.studentTokensPerParameter),
  teacherParameters: mid(d.teacherParameters),
  teacherTokens: mid(d.teacherTokens),
  teacherLoss: 0.5 * (d.teacherLoss.min + d.teacherLoss.max),
};

test("no flag inside the domain (distillation and supervised rows)", () => {
  assert.ok(d.studentTokens.min <= inside.studentTokens! && inside.studentTokens! <= d.studentTokens.max, "test row inside D_S");
  assert.deepEqual(planValidityFlags(inside, domain), []);
  const s = domain.supervised;
  const N = mid(s.parameters);
  assert.deepEqual(planValidityFlags({
    strategy: "supervised", studentParameters: N, studentTokens: N * mid(s.tokensPerParameter),
    teacherParameters: null, teacherTokens: null, teacherLoss: null,
  }, domain), []);
  // Every run is inside its own domain.
  for (const run of dataset.distillation.slice(0, 50)) {
    assert.deepEqual(planValidityFlags({ strategy: "teacher-inference", studentParameters: run.NS, studentTokens: run.DS, teacherParameters: run.NT, teacherTokens: run.DT, teacherLoss: run.LT }, domain), []);
  }
  assert.deepEqual(planValidityFlags(inside, null), [], "no domain, no flags");
});

test("every distillation flag appears, above and below, naming the variable and the factor", () => {
  const cases: [keyof PlannedQuantities, string, number][] = [
    ["teacherParameters", "N_T*", d.teacherParameters.max * 8], ["teacherParameters", "N_T*", d.teacherParameters.min / 4],
    ["teacherTokens", "D_T*", d.teacherTokens.max * 20], ["teacherTokens", "D_T*", d.teacherTokens.min / 3],
    ["teacherLoss", "L_T*", d.teacherLoss.min - 0.2], ["teacherLoss", "L_T*", d.teacherLoss.max + 0.3],
  ];
  for (const [field, variable, value] of cases) {
    const flags = planValidityFlags({ ...inside, [field]: value }, domain);
    assert.equal(flags.length, 1, `${variable} = ${value}: ${JSON.stringify(flags)}`);
    assert.equal(flags[0].variable, variable);
    assert.match(flags[0].message, new RegExp(`^${variable.replace("*", "\\*")} = `));
  }
  const big = planValidityFlags({ ...inside, teacherParameters: d.teacherParameters.max * 8 }, domain)[0];
  assert.equal(big.side, "above");
  assert.ok(Math.abs(big.factor - 8) < 1e-9);
  assert.match(big.message, /: 8\.0x the largest fitted teacher$/);
  const strong = planValidityFlags({ ...inside, teacherLoss: d.teacherLoss.min - 0.2 }, domain)[0];
  assert.match(strong.message, /stronger than the strongest fitted teacher/);
  // Student size: N_S and, with D_S fixed, D_S/N_S move together.
  const student = planValidityFlags({ ...inside, studentParameters: d.studentParameters.max * 10, studentTokens: d.studentParameters.max * 10 * mid(d.studentTokensPerParameter) }, domain);
  assert.ok(student.some((f) => f.variable === "N_S" && /10x the largest fitted student$/.test(f.message)));
  const ratio = planValidityFlags({ ...inside, studentTokens: inside.studentParameters * d.studentTokensPerParameter.max * 5 }, domain);
  assert.ok(ratio.some((f) => f.variable === "D_S/N_S" && f.side === "above"));
  const few = planValidityFlags({ ...inside, studentTokens: d.studentTokens.min / 2 }, domain);
  assert.ok(few.some((f) => f.variable === "D_S" && f.side === "below" && /2\.0x below the smallest/.test(f.message)));
});

test("every supervised flag appears: N, D, D/N", () => {
  const s = domain.supervised;
  const row = (N: number, D: number): PlannedQuantities => ({ strategy: "supervised", studentParameters: N, studentTokens: D, teacherParameters: null, teacherTokens: null, teacherLoss: null });
  const N = mid(s.parameters);
  assert.ok(planValidityFlags(row(s.parameters.max * 100, s.parameters.max * 100 * mid(s.tokensPerParameter)), domain).some((f) => f.variable === "N" && f.factor > 99));
  assert.ok(planValidityFlags(row(N, s.tokens.max * 3), domain).some((f) => f.variable === "D" && f.side === "above"));
  assert.ok(planValidityFlags(row(N, N * s.tokensPerParameter.min / 10), domain).some((f) => f.variable === "D/N" && f.side === "below"));
});

test("the issue's example: a 7.75B student at 1e24 FLOPs wants a teacher far beyond the fitted ones", () => {
  const rows = planAllocations({ studentParameters: 7.75e9, budget: 1e24 });
  const inference = rows.find((r) => r.strategy === "teacher-inference")!;
  const flags = planValidityFlags(inference, domain);
  const teacher = flags.find((f) => f.variable === "N_T*");
  assert.ok(teacher, JSON.stringify(flags));
  assert.ok(Math.abs(teacher.factor - inference.teacherParameters! / d.teacherParameters.max) < 1e-9);
  assert.match(teacher.message, /x the largest fitted teacher$/);
  // Infeasible rows have no planned quantities and no flags.
  const infeasible = planAllocations({ studentParameters: 7.75e9, budget: 2e16 }).find((r) => r.error)!;
  assert.deepEqual(planValidityFlags(infeasible, domain), []);
});
