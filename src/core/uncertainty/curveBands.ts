// Bands around Figure 8's curves (docs/spec.md section 9): for each (student, strategy, budget) cell of a
// grid, L_S* of every ensemble member, each member re-optimised on its own, then the 90% band,
// the band of the difference to supervised training and the share of members in which the
// strategy beats it. A member's optimum lies near the point fit's, so its paid-teacher searches
// are warm-started in a window around the point optimum (StrategySearch.near), which falls
// back to the whole box when the optimum sits on the window's edge.

import { band, shareBelow, type Band } from "../ensemble/bands.js";
import type { EnsembleMember } from "../ensemble/ensemble.js";
import type { FlopsModel } from "../laws/flops.js";
import { resolveSolverContext, type LawCoefficients, type SolverContext } from "../allocation/optimizer.js";
import { solveStrategyWith, type StrategyId, type StrategyResult } from "../allocation/strategy.js";

export interface CurveGrid {
  studentParameters: readonly number[];
  strategies: readonly StrategyId[];
  budgets: readonly number[];
}

export interface CurveBandOptions {
  flops?: FlopsModel;
  bounds?: readonly [number, number];
  /** Log tolerance of the members' searches; 1e-6 moves L_S* by far less than a band is wide. */
  logTolerance?: number;
  /** Half-width of the warm-start window, decades (default 1). */
  windowDecades?: number;
}

/** Cells in the order student, strategy, budget (budget fastest). */
export function cellCount(grid: CurveGrid): number {
  return grid.studentParameters.length * grid.strategies.length * grid.budgets.length;
}

export function cellIndex(grid: CurveGrid, student: number, strategy: number, budget: number): number {
  return (student * grid.strategies.length + strategy) * grid.budgets.length + budget;
}

/** The point fit's solution in every cell: the warm start of the members and the curve drawn. */
export function pointSolutions(coefficients: LawCoefficients, grid: CurveGrid, options: CurveBandOptions = {}): StrategyResult[] {
  const context = resolveSolverContext({ coefficients, flops: options.flops, bounds: options.bounds });
  const results: StrategyResult[] = [];
  for (const N of grid.studentParameters) {
    for (const strategy of grid.strategies) {
      for (const C of grid.budgets) results.push(solveStrategyWith(context, N, C, strategy));
    }
  }
  return results;
}

/** One member's L_S* in every cell (NaN where the budget is infeasible), warm-started from `point`. */
export function memberLosses(
  member: EnsembleMember,
  grid: CurveGrid,
  point: readonly StrategyResult[],
  options: CurveBandOptions = {},
): Float64Array {
  return memberLossesWith(resolveSolverContext({ coefficients: member, flops: options.flops, bounds: options.bounds }), grid, point, options);
}

/** memberLosses in the member's resolved context; only `options.logTolerance` and `options.windowDecades` are read. */
export function memberLossesWith(
  context: SolverContext,
  grid: CurveGrid,
  point: readonly StrategyResult[],
  options: Pick<CurveBandOptions, "logTolerance" | "windowDecades"> = {},
): Float64Array {
  const losses = new Float64Array(cellCount(grid));
  const search = { logTolerance: options.logTolerance ?? 1e-6 };
  let i = 0;
  for (const N of grid.studentParameters) {
    for (const strategy of grid.strategies) {
      for (const C of grid.budgets) {
        const p = point[i];
        const near = p?.status === "optimal" && p.teacherDetermined && p.teacherParameters !== null && p.teacherTokens !== null
          ? { teacherParameters: p.teacherParameters, teacherTokens: p.teacherTokens, decades: options.windowDecades ?? 1 }
          : undefined;
        const result = solveStrategyWith(context, N, C, strategy, near ? { ...search, near } : search);
        losses[i++] = result.status === "optimal" ? result.studentLoss : NaN;
      }
    }
  }
  return losses;
}

export interface CurveBand {
  studentIndex: number;
  strategy: StrategyId;
  budget: number;
  /** L_S* across members. */
  loss: Band | null;
  /** L_S* minus the member's own supervised L at the same budget (negative: distillation wins). */
  difference: Band | null;
  /** Fraction of the members feasible here in which the strategy beats supervised training (null: none feasible). */
  shareBeatingSupervised: number | null;
}

/** The bands of every cell from the members' losses (one array per member, as memberLosses returns). */
export function curveBands(grid: CurveGrid, losses: readonly ArrayLike<number>[], level = 0.9): CurveBand[] {
  const supervisedIndex = grid.strategies.indexOf("supervised");
  const bands: CurveBand[] = [];
  grid.studentParameters.forEach((_, s) => {
    grid.strategies.forEach((strategy, k) => {
      grid.budgets.forEach((budget, b) => {
        const cell = cellIndex(grid, s, k, b);
        const values = losses.map((l) => l[cell]);
        let difference: Band | null = null;
        let share: number | null = null;
        if (supervisedIndex >= 0) {
          const reference = losses.map((l) => l[cellIndex(grid, s, supervisedIndex, b)]);
          difference = band(values.map((v, m) => v - reference[m]), level);
          const feasible = values.map((v, m) => [v, reference[m]]).filter(([v]) => Number.isFinite(v));
          share = feasible.length ? shareBelow(feasible.map(([v]) => v), feasible.map(([, r]) => r)) : null;
        }
        bands.push({ studentIndex: s, strategy, budget, loss: band(values, level), difference, shareBeatingSupervised: share });
      });
    });
  });
  return bands;
}
