// The pages' choice of a distillation law for a set without one gives the CLI's rows, labels and
// verdict for the same inputs: a supervised-only fit stored in the browser, read as the pages read
// it (checkStoredSet, resolvePlanner, planUnderLaw), against `npm run plan` on the same fit's JSON.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TABLE6 } from "../src/core/laws/laws.js";
import { DEFAULT_BOUNDS } from "../src/core/allocation/optimizer.js";
import { checkStoredSet } from "../src/components/state/storedSets.js";
import { PLANNER_DEFAULTS, rawFromSearch, resolvePlanner, searchFromRaw } from "../src/components/state/plannerState.js";
import { coefficientOptions, type CoefficientOption } from "../src/components/state/coefficientSets.js";
import { BORROW_DISTILLATION_LABEL, chooseDistillationLaw, chosenSetKey, planUnderLaw } from "../src/components/sections/distillationLaw.js";
import { planUncertainty } from "../src/core/uncertainty/planUncertainty.js";
import { rowsUnderLaw } from "../src/core/ensemble/borrowedLaw.js";
import { SCENARIOS } from "../src/core/laws/scenarios.js";
import { EVERY_STRATEGY, planOutput } from "./cli-helpers.js";

// Plausible over the whole box (8.5 nats at N = D = 1e6, below ln(n_vocab)), as a stored set must be.
const SUPERVISED = { E: 1.69, A: 800, B: 3000, alpha: 0.35, beta: 0.37, gamma: 0.6 };
// Three bootstrap members differing in the supervised law only: a supervised-only fit's members
// all carry Table 6's distillation law, as `npm run fit` writes them.
const FIT = {
  supervised: { coefficients: SUPERVISED },
  ensemble: {
    kind: "bootstrap", description: "three members", requested: 3, leftOut: 0, seed: 1,
    members: [0.99, 1, 1.01].map((scale) => ({ supervised: { ...SUPERVISED, A: SUPERVISED.A * scale }, distillation: { ...TABLE6.distillation } })),
  },
};
const STUDENT = 1e9, BUDGET = 1e21;
const BORROWED = " (Table 6's distillation law, not fitted to these runs)";

function storedOption(fit: object = FIT): CoefficientOption {
  const checked = checkStoredSet({ id: "user:supervised-only", name: "supervised only", created: "2026-01-01T00:00:00Z", fit, domain: null });
  assert.ok(checked.ok);
  return checked.option;
}

function pagePlan(choice: string, option = storedOption()) {
  const raw = { ...PLANNER_DEFAULTS, student: "1B", budget: "1e21", coefficients: option.id, distillation_law: choice };
  const { values, errors } = resolvePlanner(raw, { coefficientSets: coefficientOptions(null, [option]) });
  assert.deepEqual(errors, {});
  return { values, rows: planUnderLaw({ studentParameters: values.studentParameters, budget: values.budget, coefficients: values.coefficients, flops: values.flops }, values.distillationLaw) };
}

const dir = mkdtempSync(join(tmpdir(), "law-choice-"));
const file = join(dir, "supervised-only.json");
writeFileSync(file, JSON.stringify(FIT));
const cli = (...args: string[]) => JSON.parse(planOutput("--student", "1B", "--budget", "1e21", "--coefficients", file, "--format", "json", ...args));

test("without the choice the page plans the supervised row only, as the CLI, and says why with the control's label", () => {
  const page = pagePlan("none");
  const out = cli();
  assert.equal(page.values.distillationLaw.source, "absent");
  assert.deepEqual(page.rows.map((r) => [r.strategy, r.label, r.studentLoss]), out.rows.map((r: { strategy: string; label: string; studentLoss: number }) => [r.strategy, r.label, r.studentLoss]));
  assert.deepEqual(page.rows.map((r) => r.strategy), ["supervised"]);
  assert.match(page.values.distillationLaw.note!, new RegExp(`^This coefficient set has no distillation law \\(it was fitted to supervised runs only\\), so no distillation row is planned: .*choose “${BORROW_DISTILLATION_LABEL}” under the coefficients\\.$`));
  // The CLI's note is the same sentence with its own set name and way of choosing.
  assert.equal(out.distillationLaw.note.replace(file, "This coefficient set").replace("add --distillation-law paper", `choose “${BORROW_DISTILLATION_LABEL}” under the coefficients`), page.values.distillationLaw.note);
  assert.equal(page.values.coefficients.ensemble?.borrowedLaws, undefined);
});

test("with the choice the page's rows, labels and numbers are the CLI's, and its ensemble is marked as borrowing", () => {
  const page = pagePlan("paper");
  const out = cli("--distillation-law", "paper");
  assert.equal(page.values.distillationLaw.source, "borrowed");
  assert.deepEqual(page.rows.map((r) => r.strategy), [...EVERY_STRATEGY]);
  assert.deepEqual(page.rows.map((r) => [r.strategy, r.label, r.studentLoss]), out.rows.map((r: { strategy: string; label: string; studentLoss: number }) => [r.strategy, r.label, r.studentLoss]));
  for (const row of page.rows) assert.equal(row.label.endsWith(BORROWED), row.strategy !== "supervised", row.label);
  assert.deepEqual(page.values.coefficients.ensemble?.borrowedLaws, { distillation: "Table 6" });
  // The stored option itself is left as it is: only the choice marks it.
  assert.equal(storedOption().ensemble?.borrowedLaws, undefined);
  // Inside the summary sentence the row's name starts lower case, and the law's name keeps its capital.
  assert.match(out.summary, /^At the point fit, [a-z][^(]* \(Table 6's distillation law, not fitted to these runs\) gives /);
  assert.doesNotMatch(out.summary, /table 6's/);
});

test("the page's bands under a borrowed law give the CLI's verdict: members sharing one law never agree on it", () => {
  const page = pagePlan("paper");
  const u = planUncertainty({ studentParameters: STUDENT, budget: BUDGET, strategies: [...EVERY_STRATEGY], flops: page.values.flops, bounds: DEFAULT_BOUNDS },
    page.rows, page.values.coefficients.ensemble!);
  const out = cli("--distillation-law", "paper", "--uncertainty");
  assert.equal(u.verdict.kind, "borrowed");
  assert.equal(u.verdict.winner, null);
  assert.equal(u.verdict.sentence, out.uncertainty.verdict.sentence);
  assert.match(u.verdict.sentence, /Table 6's distillation law, not fitted to these runs, so the members' agreement on them measures nothing/);
  assert.deepEqual(u.strategies.map((s) => s.label), page.rows.map((r) => r.label));
  assert.deepEqual(u.strategies.map((s) => s.label), out.uncertainty.strategies.map((s: { label: string }) => s.label));
  // Without the choice the same ensemble has nothing to decide between: no distillation verdict.
  const absent = pagePlan("none");
  const v = planUncertainty({ studentParameters: STUDENT, budget: BUDGET, strategies: ["supervised"], flops: absent.values.flops, bounds: DEFAULT_BOUNDS }, absent.rows, absent.values.coefficients.ensemble!);
  assert.equal(v.verdict.sentence, cli("--uncertainty").uncertainty.verdict.sentence);
  assert.doesNotMatch(v.verdict.sentence, /inference|pretraining|best case/i);
});

test("the target-loss and lifetime strategies under a law carry the CLI's labels", () => {
  const page = (choice: string) => {
    const { law } = chooseDistillationLaw(storedOption(), choice);
    return rowsUnderLaw(law, [{ id: "supervised", label: "Supervised", strategy: "supervised" }, ...SCENARIOS.map((s) => ({ id: s.id, label: s.label, strategy: s.id }))]);
  };
  for (const [choice, args] of [["none", []], ["paper", ["--distillation-law", "paper"]]] as const) {
    const out = JSON.parse(planOutput("--student", "1B", "--target-loss", "2.9", "--coefficients", file, "--format", "json", ...args));
    assert.deepEqual(page(choice).map((s) => [s.id, s.label]), out.rows.map((r: { id: string; label: string }) => [r.id, r.label]), choice);
  }
});

test("a set with its own distillation law ignores the choice: every row, unlabelled, its ensemble unmarked", () => {
  const option = storedOption({ ...FIT, distillation: { coefficients: TABLE6.distillation } });
  assert.equal(option.distillationFitted, true);
  const page = pagePlan("paper", option);
  assert.equal(page.values.distillationLaw.source, "fitted");
  assert.deepEqual(page.rows.map((r) => r.strategy), [...EVERY_STRATEGY]);
  assert.ok(page.rows.every((r) => !r.label.includes("Table 6")));
  assert.equal(page.values.coefficients.ensemble?.borrowedLaws, undefined);
  assert.equal(chosenSetKey(chooseDistillationLaw(option, "paper")), option.id);
  assert.equal(chosenSetKey(chooseDistillationLaw(storedOption(), "paper")), "user:supervised-only+borrowed");
});

test("the choice is kept in the planner's address; an unknown value reads as no distillation rows", () => {
  const raw = { ...PLANNER_DEFAULTS, coefficients: "user:supervised-only", distillation_law: "paper" };
  const search = searchFromRaw(raw);
  assert.match(search, /distillation_law=paper/);
  assert.deepEqual(rawFromSearch(search), raw);
  assert.equal(rawFromSearch("?distillation_law=mine").distillation_law, "none");
  assert.equal(PLANNER_DEFAULTS.distillation_law, "none");
});
