// The planner's input reading: what each field accepts, what it says when it cannot, and the
// round trip of the state through the address.

import { test } from "node:test";
import assert from "node:assert/strict";
import { PAPER_OPTION, coefficientNote, coefficientOptions } from "../src/components/state/coefficientSets.js";
import {
  PLANNER_DEFAULTS, convertedBudgetText, parseLimited, parsePositive, parseStudent,
  parseThroughput, parseUtilisation, rawFromSearch, resolvePlanner, searchFromRaw,
} from "../src/components/state/plannerState.js";
import {
  parseTeachers, resolveTeachers, teachersRawFromSearch, teachersSearchFromRaw, TEACHERS_DEFAULTS,
} from "../src/components/state/teachersState.js";
import { goodText, readAddress, type AddressSpec } from "../src/components/page/queryState.js";
import { pageMemory, remember } from "../src/components/page/fieldForm.js";
import { INPUT_LIMITS } from "../src/core/inputs/inputLimits.js";
import { rankTeachers } from "../src/core/allocation/teachers.js";
import { budgetProblem, feasibleBudgetRange } from "../src/core/allocation/feasibility.js";

const context = { coefficientSets: [PAPER_OPTION] };

test("quantities: suffixes, exponents, fractions; everything else is a message, not NaN", () => {
  assert.deepEqual(parsePositive("1.5B", "x"), { ok: true, value: 1.5e9 });
  assert.deepEqual(parsePositive("3e22", "x"), { ok: true, value: 3e22 });
  assert.deepEqual(parsePositive("8/3", "x"), { ok: true, value: 8 / 3 });
  for (const bad of ["", "  ", "abc", "1e22x", "-1", "0", "1/0", "1e999"]) {
    const parsed = parsePositive(bad, "a budget");
    assert.equal(parsed.ok, false, bad);
    if (!parsed.ok) assert.match(parsed.error, /budget/);
  }
});

test("students: Table 13 names are exact sizes, and the optimiser's bounds apply", () => {
  assert.deepEqual(parseStudent("1.82B"), { ok: true, value: 1.821e9 });
  assert.deepEqual(parseStudent("1.5e9"), { ok: true, value: 1.5e9 });
  assert.equal(parseStudent("1e18").ok, false);
  assert.equal(parseStudent("1e5").ok, false);
});

test("GPU presets and utilisation", () => {
  assert.deepEqual(parseThroughput("h100"), { ok: true, value: 989e12 });
  assert.deepEqual(parseUtilisation("40%"), { ok: true, value: 0.4 });
  assert.equal(parseUtilisation("140").ok, false);
});

test("a budget outside every scenario's feasible range is a field error; inside, none", () => {
  const { minimum } = feasibleBudgetRange(1.821e9, "best-case");
  assert.match(budgetProblem(1.821e9, minimum / 2)!, /too small for any allocation/);
  assert.match(budgetProblem(1.821e9, 1e45)!, /beyond the optimiser/);
  assert.equal(budgetProblem(1.821e9, 1e22), null);
});

test("a field that cannot be read keeps the last good value and gets a message", () => {
  const good = resolvePlanner({ ...PLANNER_DEFAULTS, budget: "3e22" }, context);
  assert.deepEqual(good.errors, {});
  assert.equal(good.values.budget, 3e22);
  const bad = resolvePlanner({ ...PLANNER_DEFAULTS, budget: "lots", n_ctx: "-4" }, { ...context, fallback: good.values });
  assert.equal(bad.values.budget, 3e22);
  assert.equal(bad.values.flops.nCtx, 4096);
  assert.deepEqual(Object.keys(bad.errors).sort(), ["budget", "n_ctx"]);
  const raw = goodText({ ...PLANNER_DEFAULTS, budget: "lots" }, bad.errors, { ...PLANNER_DEFAULTS, budget: "3e22" });
  assert.equal(raw.budget, "3e22");
});

test("GPU-hours: hours x 3600 x peak x utilisation", () => {
  const { values, errors } = resolvePlanner({ ...PLANNER_DEFAULTS, unit: "gpu-hours", gpu_hours: "1e5", gpu: "A100", mfu: "50" }, context);
  assert.deepEqual(errors, {});
  assert.equal(values.budget, 1e5 * 3600 * (312e12 * 0.5));
});

test("the budget field not in use shows the other's value converted, or nothing", () => {
  // The defaults: 1e22 FLOPs typed; an H100 (989 TFLOP/s dense bf16) at 40% delivers 395.6 TFLOP/s.
  const flops = { ...PLANNER_DEFAULTS, unit: "flops" as const, budget: "1e22", gpu: "H100", mfu: "40" };
  assert.equal(convertedBudgetText(flops, resolvePlanner(flops, context)), `${Number((1e22 / (989e12 * 0.4 * 3600) / 1e3).toPrecision(4))}k`);
  // 10,000 H100-hours are 1.424e22 FLOPs; 50,000 are 7.121e22, whatever the FLOPs field held.
  const hours = { ...flops, unit: "gpu-hours" as const, budget: "1e22", gpu_hours: "10000" };
  assert.equal(convertedBudgetText(hours, resolvePlanner(hours, context)), "1.424e22");
  const more = { ...hours, gpu_hours: "50000" };
  assert.equal(convertedBudgetText(more, resolvePlanner(more, context)), "7.121e22");
  // Read back in the other unit, the text gives the same budget to 0.05%.
  const back = resolvePlanner({ ...more, unit: "flops", budget: convertedBudgetText(more, resolvePlanner(more, context)) }, context);
  assert.ok(Math.abs(back.values.budget / resolvePlanner(more, context).values.budget - 1) < 5e-4);
  // A budget or throughput that cannot be read: nothing, rather than the fallback converted.
  for (const bad of [{ ...more, gpu_hours: "lots" }, { ...flops, budget: "lots" }, { ...flops, mfu: "0" }]) {
    assert.equal(convertedBudgetText(bad, resolvePlanner(bad, context)), "", JSON.stringify(bad));
  }
});

test("the state survives the address, and unknown values fall back", () => {
  const raw = { ...PLANNER_DEFAULTS, student: "546M", budget: "3e21", flops: "2N" as const, rho_ffn: "4" };
  assert.deepEqual(rawFromSearch(searchFromRaw(raw)), raw);
  assert.equal(rawFromSearch("?unit=furlongs").unit, "flops");
  const missing = resolvePlanner(rawFromSearch("?coefficients=refit:nowhere"), context);
  assert.equal(missing.values.coefficients.id, "paper");
  assert.match(missing.errors.coefficients!, /No coefficient set/);
  const teachers = { ...TEACHERS_DEFAULTS, amount: "2e21", kind: "tokens" as const };
  assert.deepEqual(teachersRawFromSearch(teachersSearchFromRaw(teachers)), teachers);
});

test("refits without a distillation law are not offered; synthetic ones say so", () => {
  const supervised = { E: 1.2, A: 3000, B: 18000, alpha: 0.4, beta: 0.43, gamma: 0.45 };
  const distillation = { A: 2243, B: 24181, alpha: 0.321, beta: 0.637, gamma: 0.764, c0: 2.549, c1: 522.6, f1: 0.09, d1: 1.315 };
  const options = coefficientOptions({ datasets: [
    { id: "a", label: "A", synthetic: true, supervised: { fit: { coefficients: supervised } }, distillation: { fit: { coefficients: distillation } } },
    { id: "b", label: "B", supervised: { fit: { coefficients: supervised } }, distillation: null },
  ] });
  assert.deepEqual(options.map((o) => o.id), ["paper", "refit:a"]);
  assert.match(options[1].label, /^SYNTHETIC/);
  // The figure pages' exports name the set from the same list.
  assert.match(coefficientNote(options[1]), /^Coefficients: SYNTHETIC: Fitted to A\. Synthetic data/);
  assert.equal(coefficientNote(options[0]), "Coefficients: Paper (Table 6). Busbridge et al. (2025), Distillation Scaling Laws.");
});

test("teacher lists: loss or tokens per line, every bad line named", () => {
  const parsed = parseTeachers(TEACHERS_DEFAULTS.teachers);
  assert.ok(parsed.ok);
  if (parsed.ok) assert.equal(parsed.value[0].parameters, 1.821e9);
  const bad = parseTeachers("a, 7B\nb, x, 2.1,\na, 1B, 2.0,");
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.match(bad.error, /Line 1: give the teacher’s loss or the tokens/);
    assert.match(bad.error, /Line 2: size: “x” is not a number/);
  }
});

test("one parser for every numeric field: too large, too small and not a number are told apart", () => {
  const student = INPUT_LIMITS.studentParameters;
  const tooLarge = parseStudent("999T");
  assert.equal(tooLarge.ok, false);
  if (!tooLarge.ok) assert.equal(tooLarge.error, "“999T” is too large: a student size is accepted from 1M to 100T parameters.");
  assert.deepEqual(parseStudent("100T"), { ok: true, value: student.max });
  assert.deepEqual(parseStudent("1M"), { ok: true, value: student.min });
  const overflow = parseLimited("1e400", INPUT_LIMITS.budgetFlops);
  assert.equal(overflow.ok, false);
  if (!overflow.ok) assert.match(overflow.error, /^“1e400” is too large: a budget in FLOPs is accepted from/);
  const word = parseLimited("lots", INPUT_LIMITS.budgetFlops);
  if (!word.ok) assert.match(word.error, /is not a number: type a budget in FLOPs, such as 3e22/);
  assert.equal(parsePositive("1e400", "x").ok, false);
  const small = parseLimited("0.5", INPUT_LIMITS.contextLength);
  if (!small.ok) assert.match(small.error, /too small: a context length is accepted from 1 to 100M tokens/);
});

test("the sweep's budgets get the main budget field's checks and messages", () => {
  const main = resolvePlanner({ ...PLANNER_DEFAULTS, budget: "1e40" }, context);
  const sweep = resolvePlanner({ ...PLANNER_DEFAULTS, sweep_budgets: "1e21, 1e40" }, context);
  assert.ok(main.errors.budget && sweep.errors.sweep_budgets);
  assert.equal(main.errors.budget, sweep.errors.sweep_budgets);
  assert.deepEqual(sweep.values.sweepBudgets, resolvePlanner(PLANNER_DEFAULTS, context).values.sweepBudgets);
  // A budget one student of the sweep can spend and another cannot is refused too, with the
  // message the main field gives for that student.
  assert.equal(budgetProblem(0.546e9, 1e16), null);
  const problem = budgetProblem(1.821e9, 1e16);
  assert.ok(problem);
  const mixed = resolvePlanner({ ...PLANNER_DEFAULTS, sweep_students: "546M 1.82B", sweep_budgets: "1e16" }, context);
  assert.equal(mixed.errors.sweep_budgets, problem);
});

test("resolveTeachers: ranks the typed teachers, keeps the last good reading for a bad field", () => {
  const teachersContext = { coefficientSets: [PAPER_OPTION] };
  const good = resolveTeachers(TEACHERS_DEFAULTS, teachersContext);
  assert.deepEqual(good.errors, {});
  assert.equal(good.values.studentParameters, 0.546e9);
  assert.deepEqual(good.values.budget, { kind: "compute", budget: 1e21, payLogits: true });
  const independent = rankTeachers(good.values.teachers, 0.546e9, good.values.budget, { coefficients: PAPER_OPTION });
  assert.deepEqual(good.ranking, independent);

  const badStudent = resolveTeachers({ ...TEACHERS_DEFAULTS, student: "999T", amount: "2e21" }, { ...teachersContext, fallback: good.values });
  assert.deepEqual(Object.keys(badStudent.errors), ["student"]);
  assert.equal(badStudent.values.studentParameters, 0.546e9);
  assert.deepEqual(badStudent.values.budget, { kind: "compute", budget: 2e21, payLogits: true });

  // A budget too small to give every teacher 1e6 distillation tokens is an error at the budget,
  // and the last good inputs are ranked instead.
  const tiny = resolveTeachers({ ...TEACHERS_DEFAULTS, amount: "1e12" }, { ...teachersContext, fallback: good.values });
  assert.match(tiny.errors.amount!, /distillation tokens for some teacher/);
  assert.deepEqual(tiny.ranking, good.ranking);
  const badLine = resolveTeachers({ ...TEACHERS_DEFAULTS, teachers: "A, 999e18, , 1T" }, teachersContext);
  assert.match(badLine.errors.teachers!, /^Line 1: size: “999e18” is too large: a teacher size is accepted from 1M to 1e17 parameters/);
  assert.equal(resolveTeachers({ ...TEACHERS_DEFAULTS, coefficients: "refit:gone" }, teachersContext).errors.coefficients !== undefined, true);
});

test("page memory: the address keeps the last good text of a field that cannot be read", () => {
  const spec: AddressSpec<{ a: string; b: string }> = { defaults: { a: "1", b: "x" }, choices: { b: ["x", "y"] } };
  assert.deepEqual(readAddress("?a=5&b=z&c=9", spec), { a: "5", b: "x" });
  const memory = pageMemory<{ a: string; b: string }, number>(readAddress("?a=2", spec));
  assert.equal(remember(memory, { a: "3", b: "y" }, {}, 3, spec), "?a=3&b=y");
  assert.equal(remember(memory, { a: "three", b: "x" }, { a: "not a number" }, 3, spec), "?a=3&b=x");
  assert.equal(memory.values, 3);
});
