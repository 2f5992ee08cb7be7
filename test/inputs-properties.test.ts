// Property-based tests (fast-check) of what the site and the CLI accept: the number reader against
// formatQuantity and an independent reading, the limits, and that no accepted input gives a
// non-finite answer or a size outside the accepted ones.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { formatQuantity, parseQuantity, readQuantity } from "../src/core/inputs/units.js";
import { parseLimited, parseList, parseStudent, describeLimit } from "../src/core/inputs/fieldParsers.js";
import { INPUT_LIMITS, type InputLimitName } from "../src/core/inputs/inputLimits.js";
import { planAllocations } from "../src/core/allocation/plan.js";
import { budgetProblem, feasibleBudgetRange } from "../src/core/allocation/feasibility.js";
import { lifetimeAnswer } from "../src/core/questions/lifetime.js";
import { targetLossCompute } from "../src/core/questions/targetLoss.js";
import { nonFiniteField } from "../src/core/export/finiteOutput.js";
import { TABLE6 } from "../src/core/laws/laws.js";
import { SCENARIO_IDS } from "../src/core/laws/scenarios.js";

const SEED = 20251206;
const RUNS = { seed: SEED, numRuns: 300 };
const logUniform = (lo: number, hi: number) => fc.double({ min: Math.log10(lo), max: Math.log10(hi), noNaN: true }).map((e) => 10 ** e);

test("formatQuantity's output reads back to the value it rounds, and prints the same again", () => {
  fc.assert(fc.property(logUniform(1e-2, 1e20), fc.boolean(), (value, negative) => {
    const x = negative ? -value : value;
    const shown = formatQuantity(x);
    const read = parseQuantity(shown);
    assert.notEqual(read, null, shown);
    assert.ok(Math.abs(read! - x) <= 5e-3 * Math.abs(x), `${x} -> ${shown} -> ${read}`);
    assert.equal(formatQuantity(read!), shown);
    // The scale is chosen after rounding: never 1000k, 1000M, 1000B.
    assert.doesNotMatch(shown, /^-?1000[kMBT]$/);
  }), RUNS);
});

test("suffixes read alike in either case, and as the multiplication they stand for", () => {
  const suffixes: [string, number][] = [["k", 1e3], ["m", 1e6], ["b", 1e9], ["g", 1e9], ["t", 1e12], ["p", 1e15]];
  fc.assert(fc.property(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom(...suffixes), (whole, cents, [suffix, scale]) => {
    const text = `${whole}.${String(cents).padStart(2, "0")}`;
    const lower = parseQuantity(`${text}${suffix}`);
    assert.equal(lower, parseQuantity(`${text}${suffix.toUpperCase()}`));
    assert.equal(lower, Number(`${text}`) * scale);
  }), RUNS);
});

test("thousands separators: the en-US grouping of any number reads as the number; a misplaced comma is refused", () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
    assert.equal(parseQuantity(n.toLocaleString("en-US")), n);
    assert.equal(parseQuantity(`${n.toLocaleString("en-US")}M`), n * 1e6);
  }), RUNS);
  for (const bad of ["1,5", "1,82B", "12,3456", "1,,000", ",100", "100,"]) {
    const reading = readQuantity(bad);
    assert.equal(reading.kind, "invalid", bad);
  }
});

test("hexadecimal, octal and binary forms are refused everywhere, with the accepted forms", () => {
  fc.assert(fc.property(fc.constantFrom("0x", "0X", "0o", "0b"), fc.integer({ min: 1, max: 0xffffff }), (prefix, n) => {
    const text = `${prefix}${n.toString(prefix[1].toLowerCase() === "x" ? 16 : prefix[1].toLowerCase() === "o" ? 8 : 2)}`;
    assert.equal(parseQuantity(text), null, text);
    for (const limit of Object.values(INPUT_LIMITS)) {
      const parsed = parseLimited(text, limit);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, /not accepted: hexadecimal, octal and binary forms are not accepted; .* Accepted forms: /);
    }
  }), RUNS);
});

test("every limit: a value inside is accepted as typed, one outside is refused with the range", () => {
  const names = Object.keys(INPUT_LIMITS) as InputLimitName[];
  fc.assert(fc.property(fc.constantFrom(...names), fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (name, outside, where) => {
    const limit = INPUT_LIMITS[name];
    // Inside: a point between the ends, written in exponent form.
    const inside = limit.min + where * (limit.max - limit.min);
    const text = inside.toExponential(6);
    const value = Number(text);
    const parsed = parseLimited(text, limit);
    if (value >= limit.min && value <= limit.max) assert.deepEqual(parsed, { ok: true, value }, `${name} ${text}`);
    // Outside: above the top or below the bottom by a factor.
    const beyond = outside >= 0 ? limit.max * 10 ** (outside + 0.01) : limit.min > 0 ? limit.min / 10 ** (-outside + 0.01) : -1 - Math.abs(outside);
    const refused = parseLimited(beyond.toExponential(6), limit);
    assert.equal(refused.ok, false, `${name} ${beyond}`);
    if (!refused.ok) assert.ok(refused.error.endsWith(`${limit.what} is accepted from ${describeLimit(limit)}.`), refused.error);
  }), RUNS);
});

test("0, 0.0, 0e0 and -0 read alike; 1e400 is too large, not 'not a number'", () => {
  for (const zero of ["0", "0.0", "0e0", "-0", "0.000", "0k"]) assert.deepEqual(parseLimited(zero, INPUT_LIMITS.servedTokens), { ok: true, value: 0 }, zero);
  for (const zero of ["0", "0.0", "0e0"]) {
    const parsed = parseLimited(zero, INPUT_LIMITS.budgetFlops);
    assert.ok(!parsed.ok && parsed.error === `“${zero}” is not positive: a budget in FLOPs is accepted from 1T to 1e35 FLOPs.`);
  }
  const huge = parseLimited("1e400", INPUT_LIMITS.studentParameters);
  assert.ok(!huge.ok && /^“1e400” is too large: a student size is accepted from 1M to 100T parameters\.$/.test(huge.error));
});

test("lists split on separators but keep thousands groups together", () => {
  assert.deepEqual(parseList("546M, 1,820M;7b", parseStudent, "student size", 6), { ok: true, value: [546e6, 1.82e9, 7e9] });
  assert.deepEqual(parseList("1e20,1e21 1e22", (e) => parseLimited(e, INPUT_LIMITS.budgetFlops), "budget", 6), { ok: true, value: [1e20, 1e21, 1e22] });
});

test("no accepted plan input gives a non-finite number, a negative size, or supervised training outside the token bounds", () => {
  fc.assert(fc.property(logUniform(INPUT_LIMITS.studentParameters.min, INPUT_LIMITS.studentParameters.max), logUniform(1e15, 1e30), (student, budget) => {
    fc.pre(budgetProblem(student, budget) === null);
    const rows = planAllocations({ studentParameters: student, budget });
    assert.equal(nonFiniteField(rows), null);
    const supervised = rows[0];
    const range = feasibleBudgetRange(student, { kind: "weights", deltaLogits: 0, deltaPretraining: 0 } as never);
    if (supervised.error === null) {
      assert.ok(supervised.studentTokens! >= 1e6 * (1 - 1e-9) && supervised.studentTokens! <= 1e17 * (1 + 1e-9), `D = ${supervised.studentTokens}`);
    } else {
      assert.ok(budget < range.minimum || budget > range.maximum, `supervised refused inside its range: ${supervised.error}`);
    }
  }), { seed: SEED, numRuns: 150 });
});

test("the lifetime questions answer with students inside the accepted sizes, and finite numbers", () => {
  const students = INPUT_LIMITS.studentParameters;
  fc.assert(fc.property(
    fc.oneof(fc.double({ min: 2.0, max: 4, noNaN: true }).map((targetLoss) => ({ targetLoss })), logUniform(1e18, 1e30).map((budget) => ({ budget }))),
    fc.oneof(fc.constant(0), logUniform(1e6, 1e18)),
    (question, served) => {
      const answers = lifetimeAnswer(question, served);
      assert.equal(nonFiniteField(answers), null);
      for (const answer of answers) {
        if (answer.status === "unreachable") continue;
        const N = answer.studentParameters;
        assert.ok(N >= students.min * (1 - 1e-9) && N <= students.max * (1 + 1e-9), `N_S = ${N} for ${JSON.stringify(question)}, T = ${served}`);
      }
    }), { seed: SEED, numRuns: 25 });
});

test("the target-loss question gives finite answers over accepted students and reachable targets", () => {
  fc.assert(fc.property(logUniform(1e7, 1e12), fc.double({ min: 0.05, max: 2, noNaN: true }), fc.constantFrom("supervised", ...SCENARIO_IDS),
    (student, above, strategy) => {
      const floor = TABLE6.supervised.E + Math.pow(TABLE6.supervised.A / Math.pow(student, TABLE6.supervised.alpha), TABLE6.supervised.gamma);
      const result = targetLossCompute(student, floor + above, strategy as never);
      assert.equal(nonFiniteField(result), null, JSON.stringify(result));
    }), { seed: SEED, numRuns: 60 });
});

test("nonFiniteField finds what it must: Infinity, NaN, a negative size, at their paths", () => {
  assert.equal(nonFiniteField({ rows: [{ studentLoss: 2 }, { studentLoss: Infinity }] }), "rows[1].studentLoss = Infinity");
  assert.equal(nonFiniteField([{ a: { b: NaN } }], "r"), "r[0].a.b = NaN");
  assert.equal(nonFiniteField({ studentTokens: -1 }), "studentTokens = -1 (a negative size)");
  assert.equal(nonFiniteField({ differenceToSupervised: -0.2, teacherLoss: null }), null);
});
