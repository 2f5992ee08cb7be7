// The points of Figures 33 and 34: for each student and scenario, compute-optimal solutions on a
// grid of budgets (solveStrategy), each read as "this compute reaches this loss" (efficiencyCurve).

import { DEFAULT_FLOPS_MODEL, forwardFlopsFunction, type FlopsModel } from "../core/flops.js";
import { supervisedLossInfiniteData } from "../core/laws.js";
import type { LawCoefficients } from "../core/optimizer.js";
import { feasibleBudgetRange } from "../core/feasibility.js";
import { SCENARIOS } from "../core/scenarios.js";
import { solveStrategy } from "../core/strategy.js";
import { efficiencyCurve } from "../core/targetLoss.js";
import type { EfficiencyRow } from "./efficiencyCharts.js";
import type { Student } from "./students.js";

export function efficiencyRows(
  students: readonly Student[],
  { coefficients, flops = DEFAULT_FLOPS_MODEL, perDecade = 6, maxTokensPerParameter = 2000 }:
    { coefficients: LawCoefficients; flops?: FlopsModel; perDecade?: number; maxTokensPerParameter?: number },
): { rows: EfficiencyRow[]; floors: Map<string, number> } {
  const options = { coefficients, flops };
  const F = forwardFlopsFunction(flops);
  const rows: EfficiencyRow[] = [];
  const floors = new Map<string, number>();
  for (const { parameters: NS, name } of students) {
    floors.set(name, supervisedLossInfiniteData(coefficients.supervised, NS));
    // From one token per parameter of supervised compute to the scenario's largest budget; the
    // x axis is cut where supervised training would need more than `maxTokensPerParameter`.
    const low = 3 * F(NS) * NS;
    for (const scenario of SCENARIOS) {
      const { minimum, maximum } = feasibleBudgetRange(NS, scenario.id, options);
      // Budgets past 30x the supervised compute at the x axis's end would only reach losses the
      // axis leaves out unless a ratio exceeded 30 (Table 6's largest on the axis is 3.9).
      const from = Math.log10(Math.max(low, minimum)), to = Math.log10(Math.min(maximum, 30 * low * maxTokensPerParameter));
      const steps = Math.max(2, Math.round((to - from) * perDecade));
      const solutions = [];
      for (let i = 0; i <= steps; i++) {
        const budget = 10 ** (from + ((to - from) * i) / steps);
        const s = solveStrategy(NS, budget, scenario.id, options);
        if (s.status === "optimal") solutions.push(s);
      }
      for (const p of efficiencyCurve(NS, solutions, options)) {
        if (p.supervisedTokens > maxTokensPerParameter * NS || p.supervisedTokens < NS) continue;
        rows.push({ student: name, strategy: scenario.id, label: scenario.label, ...p });
      }
    }
  }
  return { rows, floors };
}
