// `plan ... --within-domain [FACTOR]`: the CLI prints the core's within-domain answer (checked
// against brute force in within-domain.test.ts) in every format and question.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertRejected, runCommand } from "./cli-helpers.js";
import { csvParse } from "d3-dsv";
import { paperDomain } from "../src/core/domain/paperDomain.js";
import { SCENARIOS } from "../src/core/laws/scenarios.js";
import { TABLE6 } from "../src/core/laws/laws.js";
import { lifetimeWithinDomain, planWithinDomain, targetLossWithinDomain } from "../src/core/domain/withinDomain.js";
import { lifetimeStrategies } from "../src/core/questions/lifetime.js";
import { formatExponent } from "../src/core/inputs/units.js";
import type { Strategy } from "../src/core/allocation/strategy.js";

const plan = (args: string[]) => runCommand("src/cli/plan.ts", args);
const STRATEGIES: Strategy[] = ["supervised", ...SCENARIOS.map((s) => s.id)];

test("budget question: JSON carries the core's within-domain answer beside the unconstrained rows; the factor widens", () => {
  for (const [factorArgs, factor] of [[["--within-domain"], 1], [["--within-domain", "2"], 2], [["--within-domain=3"], 3]] as const) {
    const r = plan(["--student", "143.4M", "--budget", "1e22", "--format", "json", ...factorArgs]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const core = planWithinDomain(1.434e8, 1e22, STRATEGIES, paperDomain(), { factor });
    assert.equal(out.withinDomain.factor, factor);
    assert.equal(out.withinDomain.rows.length, 5);
    for (const [i, row] of core.rows.entries()) {
      const printed = out.withinDomain.rows[i];
      assert.equal(printed.status, row.inside.status === "optimal" ? "inside" : "none inside");
      if (row.inside.status === "optimal") {
        assert.equal(printed.inside, row.inside.studentLoss);
        assert.equal(printed.cost, row.costNats);
      } else {
        assert.equal(printed.feasible.minimum, row.inside.feasibleRange!.minimum);
        assert.equal(printed.feasible.maximum, row.inside.feasibleRange!.maximum);
      }
      // The unconstrained rows are unchanged by the switch.
      assert.equal(out.rows[i].studentLoss, row.free.status === "optimal" ? row.free.studentLoss : null);
    }
  }
});

test("budget question: the table says which strategies fit inside, at what cost, and the budgets that would", () => {
  const r = plan(["--student", "1.82B", "--budget", "1e21", "--within-domain"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Within the validity domain \(every variable a strategy needs inside the paper's design/);
  assert.match(r.stdout, /Teacher inference: Inside the fitted runs: 2\.1825 nats \(\+0\.0260 nats to stay inside\); binds: D_T at its upper edge\./);
  assert.match(r.stdout, /Teacher pretraining: Inside the fitted runs: 2\.2673 nats \(no cost to stay inside\)\./);
  const small = plan(["--student", "500M", "--budget", "1e19", "--within-domain"]);
  assert.match(small.stdout, /Best case \(fully amortised teacher\): Nothing inside the fitted runs: no allocation spends 1e19 FLOPs there \(too small a budget\)\. Budgets from 1\.13e19 FLOPs to 6\.28e20 FLOPs have one\./);
});

test("target-loss and lifetime questions: CSV and JSON carry the within-domain columns", () => {
  const csv = plan(["--student", "1B", "--target-loss", "2.3", "--format", "csv", "--within-domain"]);
  assert.equal(csv.status, 0, csv.stderr);
  const records = csvParse(csv.stdout.trim());
  const strategies = STRATEGIES.map((s) => ({ id: String(s), label: String(s), strategy: s }));
  const core = targetLossWithinDomain(1e9, 2.3, strategies, paperDomain());
  assert.equal(records.length, 5);
  for (const [i, row] of core.rows.entries()) {
    assert.equal(records[i].strategy, row.id);
    assert.equal(Number(records[i].inside_value), row.inside.status === "optimal" ? row.inside.compute : NaN);
    assert.equal(Number(records[i].inside_cost), row.computeRatio);
    assert.equal(records[i].inside_cost_unit, "ratio");
  }
  const json = JSON.parse(plan(["--target-loss", "2.3", "--serve-tokens", "0", "--format", "json", "--within-domain"]).stdout);
  const named = lifetimeStrategies().filter((s) => s.id !== "shared-teacher");
  const lifetime = lifetimeWithinDomain({ targetLoss: 2.3 }, 0, named, paperDomain());
  for (const [i, row] of lifetime.rows.entries()) {
    assert.equal(json.withinDomain.rows[i].id, row.id);
    assert.equal(json.withinDomain.rows[i].cost, row.cost);
    assert.equal(json.withinDomain.rows[i].quantity, "lifetime FLOPs");
  }
  const budget = plan(["--budget", "3e21", "--serve-tokens", "1e12", "--within-domain"]);
  assert.equal(budget.status, 0, budget.stderr);
  assert.match(budget.stdout, /L_S \(nats\) unconstrained/);
});

test("bad --within-domain arguments and a set without a domain are refused with one line", () => {
  assertRejected(plan(["--student", "1B", "--budget", "1e21", "--within-domain", "0.5"]), /--within-domain: expected a widening factor >= 1 .*got "0\.5"/);
  assertRejected(plan(["--student", "1B", "--budget", "1e21", "--within-domain=x"]), /--within-domain: expected a widening factor >= 1/);
  const dir = mkdtempSync(join(tmpdir(), "within-domain-"));
  const file = join(dir, "coefficients.json");
  writeFileSync(file, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation }));
  const r = plan(["--student", "1B", "--budget", "1e21", "--coefficients", file, "--within-domain"]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--within-domain: .*coefficients\.json has no validity domain to stay inside/);
});

test("lifetime budget question with nothing inside: the table, JSON and CSV give the core's range of lifetime budgets that have an answer", () => {
  const args = ["--budget", "1e19", "--serve-tokens", "1e12", "--within-domain", "2"];
  const core = lifetimeWithinDomain({ budget: 1e19 }, 1e12, lifetimeStrategies().filter((s) => s.id !== "shared-teacher"), paperDomain(), { factor: 2 });
  const json = JSON.parse(plan([...args, "--format", "json"]).stdout);
  const csv = csvParse(plan([...args, "--format", "csv"]).stdout.trim());
  const table = plan(args);
  assert.equal(table.status, 0, table.stderr);
  for (const [i, row] of core.rows.entries()) {
    const range = row.budgetRange!;
    assert.ok(range.minimum > 1e19, row.id);
    assert.deepEqual(json.withinDomain.rows[i].feasible, { minimum: range.minimum, maximum: range.maximum, unit: "FLOPs" });
    assert.deepEqual([Number(csv[i].inside_feasible_min), Number(csv[i].inside_feasible_max), csv[i].inside_feasible_unit], [range.minimum, range.maximum, "FLOPs"]);
    assert.ok(table.stdout.includes(`${formatExponent(range.minimum, 3)} .. ${formatExponent(range.maximum, 3)} FLOPs`), row.id);
    assert.ok(table.stdout.includes(`Budgets from ${formatExponent(range.minimum, 3)} FLOPs to ${formatExponent(range.maximum, 3)} FLOPs have one.`), row.id);
  }
});
