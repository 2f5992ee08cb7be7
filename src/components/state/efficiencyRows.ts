// The points of Figures 33 and 34: for each student and scenario, compute-optimal solutions on a
// grid of budgets (solveStrategy), each read as "this compute reaches this loss" (efficiencyCurve),
// with the validity flags of the allocation behind each point (drawn faded when it extrapolates).

import { DEFAULT_FLOPS_MODEL, forwardFlopsFunction, type FlopsModel } from "../../core/laws/flops.js";
import { supervisedLossInfiniteData } from "../../core/laws/laws.js";
import type { LawCoefficients } from "../../core/allocation/optimizer.js";
import { feasibleBudgetRange } from "../../core/allocation/feasibility.js";
import { SCENARIOS } from "../../core/laws/scenarios.js";
import { solveStrategy, type OptimalStrategy } from "../../core/allocation/strategy.js";
import { efficiencyCurve } from "../../core/questions/targetLoss.js";
import { EFFICIENCY_TOKENS_PER_PARAMETER, type EfficiencyCurveSpan } from "../../core/uncertainty/efficiencyBands.js";
import type { ScenarioId } from "../../core/laws/scenarios.js";
import { plannedPointFlags, type ValidityDomain } from "../../core/domain/validity.js";
import type { EfficiencyRow } from "../charts/efficiencyCharts.js";
import type { Student } from "./students.js";

export function efficiencyRows(
  students: readonly Student[],
  { coefficients, domain = null, flops = DEFAULT_FLOPS_MODEL, perDecade = 6 }:
    { coefficients: LawCoefficients; domain?: ValidityDomain | null; flops?: FlopsModel; perDecade?: number },
): { rows: EfficiencyRow[]; floors: Map<string, number> } {
  const options = { coefficients, flops };
  const F = forwardFlopsFunction(flops);
  const [fewestTokensPerParameter, mostTokensPerParameter] = EFFICIENCY_TOKENS_PER_PARAMETER;
  const rows: EfficiencyRow[] = [];
  const floors = new Map<string, number>();
  for (const { parameters: NS, name } of students) {
    floors.set(name, supervisedLossInfiniteData(coefficients.supervised, NS));
    // From one token per parameter of supervised compute to the scenario's largest budget; the
    // x axis is cut where supervised training would need more than the most tokens per parameter.
    const low = 3 * F(NS) * NS * fewestTokensPerParameter;
    for (const scenario of SCENARIOS) {
      const { minimum, maximum } = feasibleBudgetRange(NS, scenario.id, options);
      // Budgets past 30x the supervised compute at the x axis's end would only reach losses the
      // axis leaves out unless a ratio exceeded 30 (Table 6's largest on the axis is 3.9).
      const from = Math.log10(Math.max(low, minimum)), to = Math.log10(Math.min(maximum, 30 * low * mostTokensPerParameter));
      const steps = Math.max(2, Math.round((to - from) * perDecade));
      const solutions: OptimalStrategy[] = [];
      for (let i = 0; i <= steps; i++) {
        const budget = 10 ** (from + ((to - from) * i) / steps);
        const s = solveStrategy(NS, budget, scenario.id, options);
        if (s.status === "optimal") solutions.push(s);
      }
      for (const p of efficiencyCurve(NS, solutions, options)) {
        if (p.supervisedTokens > mostTokensPerParameter * NS || p.supervisedTokens < fewestTokensPerParameter * NS) continue;
        rows.push({ student: name, strategy: scenario.id, label: scenario.label, ...p, flags: plannedPointFlags(p, domain) });
      }
    }
  }
  return { rows, floors };
}

/** Where each drawn curve runs (its ends in supervised tokens): the bands' grid follows it (efficiencyGrid). */
export function curveSpans(rows: readonly EfficiencyRow[]): EfficiencyCurveSpan[] {
  const spans = new Map<string, EfficiencyCurveSpan>();
  for (const row of rows) {
    const key = `${row.studentParameters}|${row.strategy}`;
    const span = spans.get(key);
    if (!span) spans.set(key, { studentParameters: row.studentParameters, strategy: row.strategy as ScenarioId, fewestTokens: row.supervisedTokens, mostTokens: row.supervisedTokens });
    else {
      span.fewestTokens = Math.min(span.fewestTokens, row.supervisedTokens);
      span.mostTokens = Math.max(span.mostTokens, row.supervisedTokens);
    }
  }
  return [...spans.values()];
}
