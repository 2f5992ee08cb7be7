// How flat is the optimum (Figures 19, 21, 24, 27): at a fixed student, budget and scenario, the
// student loss over the teacher (N_T, D_T) with D_S from the budget constraint, and the region
// within a tolerance of the optimum, stated as ranges of N_T, D_T and D_S.

import { distilledLoss, supervisedLoss } from "../laws/laws.js";
import { resolveSolverContext } from "./optimizer.js";
import { solveStrategyWith, strategyWeights, type OptimalStrategy, type Strategy, type StrategyOptions } from "./strategy.js";

export interface FlatPoint {
  teacherParameters: number;
  teacherTokens: number;
  /** From the constraint; null where the budget cannot pay for this teacher with D_S in the bounds. */
  studentTokens: number | null;
  teacherLoss: number;
  studentLoss: number | null;
  /** studentLoss - optimum. */
  excess: number | null;
  within: boolean;
}

export interface FlatOptimum {
  optimum: OptimalStrategy;
  tolerance: number;
  points: FlatPoint[];
  /** The box spanned by the points within the tolerance (null when none is). */
  ranges: { teacherParameters: [number, number]; teacherTokens: [number, number]; studentTokens: [number, number] } | null;
}

/**
 * Evaluates a `size` x `size` log grid of (N_T, D_T) from N_T* divided by `span` to N_T* times `span`, and
 * the same for D_T (clipped to the bounds). Throws when the strategy is infeasible here.
 */
export function flatOptimum(
  studentParameters: number,
  budget: number,
  strategy: Strategy,
  { tolerance = 0.005, size = 41, span = 100, ...options }: StrategyOptions & { tolerance?: number; size?: number; span?: number } = {},
): FlatOptimum {
  if (!(tolerance > 0)) throw new RangeError(`tolerance must be positive, got ${tolerance}`);
  const context = resolveSolverContext(options);
  const optimum = solveStrategyWith(context, studentParameters, budget, strategy, options);
  if (optimum.status !== "optimal") throw new RangeError(optimum.message);
  if (strategy === "supervised") throw new RangeError("supervised training has no teacher to vary");
  const { coefficients, F, bounds: [lo, hi] } = context;
  const { deltaLogits, deltaPretraining } = strategyWeights(strategy);
  const NT0 = optimum.teacherParameters!, DT0 = optimum.teacherTokens!;
  const axis = (center: number) => {
    const a = Math.log(Math.max(lo, center / span)), b = Math.log(Math.min(hi, center * span));
    return Array.from({ length: size }, (_, i) => Math.exp(a + ((b - a) * i) / (size - 1)));
  };
  const studentCost = 3 * F(studentParameters);
  const points: FlatPoint[] = [];
  for (const NT of axis(NT0)) {
    for (const DT of axis(DT0)) {
      const FT = F(NT);
      const DS = (budget - deltaPretraining * 3 * FT * DT) / (studentCost + deltaLogits * FT);
      const LT = supervisedLoss(coefficients.supervised, NT, DT);
      const feasible = DS >= lo && DS <= hi;
      const LS = feasible ? distilledLoss(coefficients, studentParameters, DS, LT) : null;
      const excess = LS === null ? null : LS - optimum.studentLoss;
      points.push({ teacherParameters: NT, teacherTokens: DT, studentTokens: feasible ? DS : null, teacherLoss: LT, studentLoss: LS, excess, within: excess !== null && excess <= tolerance });
    }
  }
  const inside = points.filter((p) => p.within);
  const span2 = (xs: number[]): [number, number] => [Math.min(...xs), Math.max(...xs)];
  return {
    optimum, tolerance, points,
    ranges: inside.length === 0 ? null : {
      teacherParameters: span2(inside.map((p) => p.teacherParameters)),
      teacherTokens: span2(inside.map((p) => p.teacherTokens)),
      studentTokens: span2(inside.map((p) => p.studentTokens!)),
    },
  };
}
